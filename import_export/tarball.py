"""The tar inside a bundle, built and read wholly in memory (never extracted)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping

from .bundle import MEMBER_PATH, Limits
from .errors import BundleRefused

CHECK = "tar"


def build_tar(members: Mapping[str, bytes], mtime: int) -> bytes:
    """A plain tar of regular files, in the given order, readable by GNU tar: the bytes
    ``tarfile`` writes in PAX format. Members whose header needs no PAX record (an ASCII
    name of at most 100 bytes, a size under 8 GiB) get it from ``_ustar_header``, the
    same 512 bytes ``tarfile`` makes, about five times faster; any other name is left
    to ``tarfile`` itself."""
    if not all(_simple(name, len(data)) for name, data in members.items()) or not 0 <= mtime < 8**11:
        return _build_with_tarfile(members, mtime)
    parts: list[bytes] = []
    for name, data in members.items():
        parts.append(_ustar_header(name, len(data), mtime))
        parts.append(data)
        parts.append(bytes(-len(data) % BLOCK))
    size = sum(map(len, parts)) + 2 * BLOCK
    parts.append(bytes(2 * BLOCK + (-size % RECORD)))  # end of archive, then up to a whole record
    return b"".join(parts)


BLOCK = tarfile.BLOCKSIZE
RECORD = tarfile.RECORDSIZE


def _simple(name: str, size: int) -> bool:
    return name.isascii() and 0 < len(name) <= 100 and size < 8**11


def _ustar_header(name: str, size: int, mtime: int) -> bytes:
    """A ustar header for a regular file, mode 0644, owner 0/0 with no names."""
    head = (
        name.encode("ascii").ljust(100, b"\0")
        + b"0000644\0" + b"0000000\0" + b"0000000\0"
        + b"%011o\0" % size + b"%011o\0" % mtime
    )
    tail = b"0" + bytes(100) + b"ustar\x0000" + bytes(32 + 32 + 8 + 8 + 155)  # no device numbers
    checksum = sum(head) + 8 * 0x20 + sum(tail)
    return (head + b"%06o\0 " % checksum + tail).ljust(BLOCK, b"\0")


def _build_with_tarfile(members: Mapping[str, bytes], mtime: int) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = mtime
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _check_member(info: tarfile.TarInfo, seen: Mapping[str, bytes], limits: Limits) -> None:
    name = info.name
    if not (info.isreg() and info.type in (tarfile.REGTYPE, tarfile.AREGTYPE)):
        kind = "link" if info.issym() or info.islnk() else "device" if info.isdev() else "non-regular file"
        raise BundleRefused(CHECK, f"holds a {kind}; only regular files are allowed", member=name[:200])
    # A '.' part would let two names stand for one file ('a' and './a'): a duplicate.
    if name.startswith("/") or any(part in (".", "..") for part in name.split("/")):
        raise BundleRefused(CHECK, "member path is absolute or has a '.' or '..' part", member=name[:200])
    if len(name.encode("utf-8")) > limits.max_path_bytes or not MEMBER_PATH.fullmatch(name):
        raise BundleRefused(
            CHECK, "member path is not made of [A-Za-z0-9._-] parts or is over 200 bytes",
            member=name[:200],
        )
    if name in seen:
        raise BundleRefused(CHECK, "member appears twice", member=name)
    if info.size > limits.max_member_bytes:
        raise BundleRefused(CHECK, f"member is larger than {limits.max_member_bytes:,} bytes", member=name)
    header = sum(len(k) + len(v) for k, v in info.pax_headers.items())
    if header > limits.max_header_bytes:
        raise BundleRefused(CHECK, "member header is over the size limit", member=name[:200])


def read_tar(data: bytes, limits: Limits) -> dict[str, bytes]:
    """Every member's bytes by path, after checking each header against the limits."""
    members: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for info in archive:
                if len(members) >= limits.max_members:
                    raise BundleRefused(CHECK, f"more than {limits.max_members:,} members")
                _check_member(info, members, limits)
                total += info.size
                if total > limits.max_total_bytes:
                    raise BundleRefused(CHECK, f"members add up to more than {limits.max_total_bytes:,} bytes")
                handle = archive.extractfile(info)
                content = handle.read() if handle else b""
                if len(content) != info.size:
                    raise BundleRefused(CHECK, "member is cut short", member=info.name)
                members[info.name] = content
    except BundleRefused:
        raise
    except (tarfile.TarError, EOFError, OSError, ValueError, UnicodeError) as exc:
        raise BundleRefused(CHECK, f"the archive is damaged or not a tar ({exc.__class__.__name__})") from exc
    if not members:
        raise BundleRefused(CHECK, "the archive is empty")
    return members
