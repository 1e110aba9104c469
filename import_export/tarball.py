"""The tar inside a bundle, built and read wholly in memory (never extracted)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping

from .bundle import MEMBER_PATH, Limits
from .errors import BundleRefused

CHECK = "tar"


def build_tar(members: Mapping[str, bytes], mtime: int) -> bytes:
    """A plain tar of regular files, in the given order, readable by GNU tar."""
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
