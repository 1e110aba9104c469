"""What every bundle shares: kinds, the trusted comment, limits, the keyring."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .documents import parse_timestamp
from .errors import KeyFileError
from .minisign import PublicKey
from .strictjson import JsonLimits

FORMAT = "hotline-bundle/1"
KINDS = ("reports", "referrals", "outcomes")
ROOM_LABEL = "triage-room"
PAYLOAD_SUFFIX = ".tar.age"
SIGNATURE_SUFFIX = ".minisig"
MEMBER_PATH = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
LABEL = re.compile(r"[A-Za-z0-9._-]{1,64}")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def to_the_second(text: str) -> str:
    """An RFC 3339 time as ``rfc3339`` writes it (UTC, whole seconds, 'Z'), for people
    and for what leaves the room; anything else (a date, free text) as it is."""
    if len(text) <= 10:
        return text
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return rfc3339(moment) if moment.tzinfo is not None else text


def signature_path(payload: Path) -> Path:
    return payload.with_name(payload.name + SIGNATURE_SUFFIX)


def bundle_files(folder: Path) -> list[Path]:
    """Bundle payloads in ``folder`` and its direct subfolders, hidden files skipped."""
    found: list[Path] = []
    try:
        candidates = list(folder.glob(f"*{PAYLOAD_SUFFIX}")) + list(folder.glob(f"*/*{PAYLOAD_SUFFIX}"))
    except OSError:
        return []
    for path in candidates:
        if not any(part.startswith(".") for part in path.relative_to(folder).parts) and path.is_file():
            found.append(path)
    return sorted(found)


@dataclass(frozen=True)
class TrustedComment:
    kind: str
    bundle_id: str
    created: str
    count: int
    to: str

    def render(self) -> str:
        return (
            f"{FORMAT} kind={self.kind} id={self.bundle_id} created={self.created} "
            f"count={self.count} to={self.to}"
        )

    @classmethod
    def parse(cls, text: str) -> TrustedComment:
        parts = text.split(" ")
        if not parts or parts[0] != FORMAT:
            raise ValueError(f"it does not start with {FORMAT}")
        fields: dict[str, str] = {}
        for part in parts[1:]:
            name, sep, value = part.partition("=")
            if not sep or name in fields:
                raise ValueError(f"{part[:40]!r} is not a single name=value field")
            fields[name] = value
        missing = {"kind", "id", "created", "count", "to"} - fields.keys()
        if missing:
            raise ValueError(f"field {sorted(missing)[0]} is missing")
        if fields["kind"] not in KINDS:
            raise ValueError(f"kind {fields['kind'][:20]!r} is not one of {', '.join(KINDS)}")
        try:
            uuid.UUID(fields["id"])
        except ValueError as exc:
            raise ValueError("id is not a UUID") from exc
        try:
            parse_timestamp(fields["created"])
        except ValueError as exc:
            raise ValueError("created is not an RFC 3339 time with a zone") from exc
        if not fields["count"].isdigit():
            raise ValueError("count is not a whole number")
        if not LABEL.fullmatch(fields["to"]):
            raise ValueError("to is not a recipient label")
        return cls(fields["kind"], fields["id"], fields["created"], int(fields["count"]), fields["to"])


@dataclass(frozen=True)
class Limits:
    """What a reader accepts at most; anything past a limit refuses the bundle."""

    max_bundle_bytes: int = 1 << 30
    max_members: int = 20_000
    max_member_bytes: int = 256 << 20
    max_total_bytes: int = 1 << 30
    max_header_bytes: int = 64 << 10
    max_path_bytes: int = 200
    max_documents: int = 100_000
    json: JsonLimits = JsonLimits()


@dataclass(frozen=True)
class TrustedKey:
    """A signer the room trusts, for some kinds of bundle."""

    public_key: PublicKey
    name: str
    kinds: frozenset[str]
    force: str | None = None
    revoked_at: datetime | None = None
    revoked_reason: str = ""

    @property
    def key_id(self) -> str:
        return self.public_key.key_id


class KeyCollision(KeyFileError):
    """Two different keys with one key id: neither can be told apart by signatures."""


@dataclass
class Keyring:
    """Trusted signing keys by key id. A key inside a bundle is never trusted by itself."""

    keys: dict[str, TrustedKey] = field(default_factory=dict)

    def __init__(self, keys: Iterable[TrustedKey] = ()) -> None:
        self.keys = {}
        for key in keys:
            self.add(key)

    def add(self, key: TrustedKey) -> None:
        existing = self.keys.get(key.key_id)
        if existing and existing.public_key != key.public_key:
            raise KeyCollision(
                f"key id {key.key_id} of {key.name!r} collides with the different key of "
                f"{existing.name!r}; refuse both until resolved"
            )
        self.keys[key.key_id] = key

    def get(self, key_id: str) -> TrustedKey | None:
        return self.keys.get(key_id)

    @classmethod
    def from_dir(cls, directory: Path) -> Keyring:
        """A keyring folder for ``hotline-bundle``: ``*.pub`` files trusted for every
        kind at the top, or for one kind inside ``reports/``, ``referrals/``,
        ``outcomes/``. The file name (without ``.pub``) is the signer's name."""
        directory = Path(directory)
        if not directory.is_dir():
            raise KeyFileError(f"keyring {directory} is not a folder")
        keyring = cls()
        for path in sorted(directory.glob("*.pub")):
            keyring.add(TrustedKey(PublicKey.load(path), path.stem, frozenset(KINDS)))
        for kind in KINDS:
            for path in sorted((directory / kind).glob("*.pub")):
                previous = keyring.get(PublicKey.load(path).key_id)
                kinds = frozenset({kind}) | (previous.kinds if previous else frozenset())
                keyring.keys.pop(previous.key_id, None) if previous else None
                keyring.add(TrustedKey(PublicKey.load(path), path.stem, kinds))
        if not keyring.keys:
            raise KeyFileError(f"keyring {directory} holds no minisign .pub file")
        return keyring

    @classmethod
    def single(cls, public_key: PublicKey, name: str = "given key") -> Keyring:
        return cls([TrustedKey(public_key, name, frozenset(KINDS))])
