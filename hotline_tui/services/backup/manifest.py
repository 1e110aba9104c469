"""A backup's manifest: what it holds, signed by the room's key.

``manifest.json`` names the backup's files with their size and SHA-256, the audit head
and counts of the store it holds, and when and by whom it was made;
``manifest.json.minisig`` is a prehashed minisign signature by the room's signing key,
so ``minisign -Vm manifest.json -p triage-room.pub`` checks it with the stock tool. The
trusted comment repeats the essentials (``hotline-backup/1 made=... head=SEQ:HASH
reports=N audit=N``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from import_export.bundle import to_the_second
from import_export.minisign import PublicKey, SecretKey, Signature, SignatureError

FORMAT = "hotline-backup/1"
MANIFEST = "manifest.json"
SIGNATURE = MANIFEST + ".minisig"
STORE = "store.db"
SLOTS = "slots.json"
FILES = (STORE, SLOTS)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Manifest:
    made_at: str
    made_by: str
    schema_version: int
    audit_seq: int
    audit_hash: str
    counts: dict[str, int]
    files: dict[str, tuple[int, str]]  # name -> (bytes, sha256 hex)
    signed_by: str = ""  # the room signing key's id

    @property
    def head(self) -> str:
        return f"{self.audit_seq}:{self.audit_hash}"

    def trusted_comment(self) -> str:
        return (f"{FORMAT} made={to_the_second(self.made_at)} head={self.head} reports={self.counts.get('reports', 0)} "
                f"audit={self.counts.get('audit', 0)}")

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT, "made_at": self.made_at, "made_by": self.made_by,
            "schema_version": self.schema_version,
            "audit_head": {"seq": self.audit_seq, "hash": self.audit_hash},
            "counts": self.counts,
            "files": {name: {"bytes": size, "sha256": digest} for name, (size, digest) in sorted(self.files.items())},
        }
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, signed_by: str) -> Manifest:
        try:
            doc = json.loads(data.decode("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} manifest")
            files = {name: (int(f["bytes"]), str(f["sha256"])) for name, f in doc["files"].items()}
            if set(files) != set(FILES):
                raise ValueError(f"it must name exactly {', '.join(FILES)}")
            return cls(str(doc["made_at"]), str(doc["made_by"]), int(doc["schema_version"]),
                       int(doc["audit_head"]["seq"]), str(doc["audit_head"]["hash"]),
                       {str(k): int(v) for k, v in doc["counts"].items()}, files, signed_by)
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise Refused(f"The backup's manifest cannot be read ({exc}); this is not a usable backup.") from None


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in chunks (a store can be gigabytes)."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def sign(manifest: Manifest, key: SecretKey) -> tuple[bytes, bytes]:
    """The manifest's bytes and their signature file's bytes."""
    data = manifest.to_bytes()
    signature = key.sign(data, manifest.trusted_comment(), "triage room backup manifest")
    return data, signature.encode("utf-8")


def read_signed(folder: Path) -> tuple[bytes, Signature]:
    """The manifest's bytes and its parsed signature (not verified yet)."""
    try:
        data = (folder / MANIFEST).read_bytes()
        text = (folder / SIGNATURE).read_text("utf-8")
    except FileNotFoundError as exc:
        raise Refused(f"{folder} is not a backup: it has no {Path(exc.filename).name}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Refused(f"Cannot read the backup's manifest in {folder}: {exc}.") from None
    try:
        return data, Signature.from_text(text)
    except SignatureError as exc:
        raise Refused(f"The backup's manifest signature is damaged ({exc}); this is not a usable backup.") from None


def verify(data: bytes, signature: Signature, room_keys: list[PublicKey]) -> Manifest:
    """The manifest, if a room signing key (active or retired) signed exactly these bytes."""
    for key in room_keys:
        if key.key_id_raw == signature.key_id_raw:
            try:
                signature.verify(key, data)
            except SignatureError as exc:
                raise Refused(f"The backup's manifest does not match its signature ({exc}): it was altered; "
                              "use another backup.") from None
            manifest = Manifest.from_bytes(data, key.key_id)
            if manifest.trusted_comment() != signature.trusted_comment:
                raise Refused("The backup's signed comment does not match its manifest: it was altered.")
            return manifest
    raise Refused(f"The backup's manifest is signed by key {signature.key_id}, which is not one of this room's "
                  "signing keys: it is not this room's backup.")


def check_files(folder: Path, manifest: Manifest) -> None:
    """Each file has the size and SHA-256 the manifest names: a changed byte is refused."""
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise Refused(f"The backup has no {name}; use another backup.")
        if file_digest(path) != manifest.files[name]:
            raise Refused(f"The backup's {name} differs from what its signed manifest names (changed or damaged); "
                          "use another backup.")
