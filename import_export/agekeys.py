"""age X25519 identities and recipients in the files ``age-keygen`` writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyrage

from .errors import KeyFileError, why_unreadable


def generate_identity() -> pyrage.x25519.Identity:
    return pyrage.x25519.Identity.generate()


def identity_text(identity: pyrage.x25519.Identity, now: datetime | None = None) -> str:
    """The age-keygen file: creation time, public key, then the secret line."""
    now = now or datetime.now(UTC)
    created = now.astimezone(UTC).replace(microsecond=0).isoformat()
    return (
        f"# created: {created.replace('+00:00', 'Z')}\n"
        f"# public key: {identity.to_public()}\n"
        f"{identity}\n"
    )


def parse_identities(text: str) -> list[pyrage.x25519.Identity]:
    identities = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError as exc:
            raise KeyFileError(f"line {number} is not an age X25519 identity") from exc
    if not identities:
        raise KeyFileError("no AGE-SECRET-KEY-1... identity found")
    return identities


def load_identities(path: Path) -> list[pyrage.x25519.Identity]:
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read age identity {path}: {why_unreadable(exc)}") from exc
    return parse_identities(text)


def parse_recipient(text: str) -> pyrage.x25519.Recipient:
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except pyrage.RecipientError as exc:
        raise KeyFileError(f"{text.strip()[:80]!r} is not an age X25519 recipient (age1...)") from exc


def parse_recipients(text: str) -> list[pyrage.x25519.Recipient]:
    """A recipients file: one ``age1...`` a line, ``#`` comments allowed."""
    recipients = [
        parse_recipient(line)
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    if not recipients:
        raise KeyFileError("no age1... recipient found")
    return recipients


def load_recipients(value: str) -> list[pyrage.x25519.Recipient]:
    """A recipient string (``age1...``) or a file holding recipients or an identity."""
    if value.startswith("age1"):
        return [parse_recipient(value)]
    path = Path(value)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read recipient {value}: {why_unreadable(exc)}") from exc
    if "AGE-SECRET-KEY-" in text:
        return [identity.to_public() for identity in parse_identities(text)]
    return parse_recipients(text)
