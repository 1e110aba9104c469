"""The room's own keys and the keyring of keys it trusts.

- The room signs referral bundles with its minisign key and opens incoming bundles with
  its age identity; both secrets live only inside the encrypted store.
- Intake systems' minisign keys are trusted for ``reports``; a force's minisign key for
  ``outcomes`` from that force; a force's age recipients are whom its referrals are
  sealed to. Keys are shown by minisign key id or age recipient, never a bare hash.
"""

from __future__ import annotations

import base64
import binascii
import difflib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyrage

from hotline_tui.errors import KeyRefused
from hotline_tui.reference import force_by_code, forces
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.permissions import Action, require, require_any
from hotline_tui.services.sealed import rolekeys
from hotline_tui.services.session import Session, timestamp
from hotline_tui.store import keyring as queries
from hotline_tui.store.connection import transaction
from hotline_tui.store.keyring import KeyringRow, RoomKeyRow
from hotline_tui.wording import moment
from import_export import agekeys
from import_export.agekeys import parse_identities, parse_recipient, parse_recipients
from import_export.atomic import write_atomic
from import_export.bundle import ROOM_LABEL, Keyring, TrustedKey
from import_export.errors import KeyFileError
from import_export.minisign import PublicKey, SecretKey

PUBLIC_KEY_FILE = f"{ROOM_LABEL}.pub"
RECIPIENT_FILE = f"{ROOM_LABEL}.age.txt"
KINDS = ("intake", "force")
MAX_KEY_FILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class RoomPublicKeys:
    signing: PublicKey
    recipient: str
    retired_signing: tuple[PublicKey, ...]


# -- the room's own keys --------------------------------------------------------------


def _room_rows(session: Session, kind: str) -> list[RoomKeyRow]:
    session.check_open()
    rows = queries.room_keys(session.conn, kind)
    if not rows or not rows[0].active:
        raise KeyRefused(f"The room has no active {kind} key.")
    return rows


def room_signing_key(session: Session) -> SecretKey:
    """The active signing key; for sealing referrals and certifying supervisors' keys."""
    require_any(session, Action.SEAL_REFERRALS, Action.MANAGE_KEYS)
    return SecretKey.from_text(rolekeys.room_secret(session, _room_rows(session, "signing")[0]))


def room_identity(session: Session) -> pyrage.x25519.Identity:
    """The age identity that opens bundles sent to the room."""
    require_any(session, Action.IMPORT_BUNDLES, Action.IMPORT_OUTCOMES, Action.VERIFY_BUNDLE)
    return parse_identities(rolekeys.room_secret(session, _room_rows(session, "age")[0]))[0]


def room_public_keys(session: Session) -> RoomPublicKeys:
    """Public halves only: anyone signed in may see them."""
    signing = [PublicKey.from_text(row.public_text) for row in _room_rows(session, "signing")]
    recipient = _room_rows(session, "age")[0].key_id
    return RoomPublicKeys(signing[0], recipient, tuple(signing[1:]))


def rotate_room_signing_key(session: Session, reason: str) -> PublicKey:
    """A new signing key; the old one stays trusted for referrals it already signed."""
    require(session, Action.MANAGE_KEYS)
    key, at = SecretKey.generate(), session.now()
    with transaction(session.conn) as conn:
        queries.retire_room_key(conn, "signing", at)
        rolekeys.insert_room_key(conn, RoomKeyRow(
            "signing", key.key_id, key.public_key.to_text("triage room signing key"), key.to_text(None), True, at, None))
        record(conn, session.user.name, "room_key.rotate", key.key_id, reason, at)
    return key.public_key


def rotate_room_identity(session: Session, reason: str) -> str:
    """A new age identity for bundles sent to the room; the old ones stay in the store
    (retired) so bundles already encrypted to them still open. Returns the new recipient."""
    require(session, Action.MANAGE_KEYS)
    identity, at = agekeys.generate_identity(), session.now()
    recipient = str(identity.to_public())
    with transaction(session.conn) as conn:
        queries.retire_room_key(conn, "age", at)
        row = RoomKeyRow("age", recipient, recipient + "\n", agekeys.identity_text(identity, session.clock()), True, at, None)
        rolekeys.insert_room_key(conn, row)
        record(conn, session.user.name, "room_key.rotate", recipient, reason, at)
    return recipient


def export_public_keys(session: Session, out_dir: Path) -> list[Path]:
    """``triage-room.pub`` and ``triage-room.age.txt`` for intake systems and forces."""
    require(session, Action.MANAGE_KEYS)
    keys, out_dir = room_public_keys(session), Path(out_dir)
    if not out_dir.is_dir():
        raise KeyRefused(f"{out_dir} is not a folder.")
    written = [out_dir / PUBLIC_KEY_FILE, out_dir / RECIPIENT_FILE]
    write_atomic(written[0], keys.signing.to_text(f"triage room signing key {keys.signing.key_id}").encode())
    write_atomic(written[1], f"# triage room age recipient\n{keys.recipient}\n".encode())
    with transaction(session.conn) as conn:
        record(conn, session.user.name, "keys.export", str(out_dir), f"{keys.signing.key_id} {keys.recipient}", session.clock())
    return written


# -- the keyring ----------------------------------------------------------------------


def _read_key_file(path: Path) -> str:
    try:
        if Path(path).stat().st_size > MAX_KEY_FILE_BYTES:
            raise KeyRefused(f"{path} is too large to be a key file.")
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyRefused(f"Cannot read {path}: {exc.__class__.__name__}.") from None


def _looks_secret(text: str) -> bool:
    if "AGE-SECRET-KEY-" in text.upper():
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not lines[0].startswith("untrusted comment:"):
        return False
    try:  # a minisign secret key decodes to 158 bytes, a public key to 42
        return len(base64.b64decode(lines[1], validate=True)) > 42
    except (binascii.Error, ValueError):
        return False


def _parse_key_file(text: str, path: Path) -> list[tuple[str, str, str]]:
    """(key_type, key_id, public_text) for each public key in the file."""
    if _looks_secret(text):
        raise KeyRefused(f"{path.name} holds a secret key; add only the public half, and keep this file safe.")
    try:
        if "untrusted comment:" in text or not text.strip().startswith(("age1", "#")):
            key = PublicKey.from_text(text)
            return [("minisign", key.key_id, key.to_text(f"minisign public key {key.key_id}"))]
        return [("age", str(r), f"{r}\n") for r in parse_recipients(text)]
    except KeyFileError as exc:
        raise KeyRefused(f"{path.name} is not a minisign public key or age recipient file: {exc}") from None


def _check_new_key(session: Session, key_type: str, key_id: str, kind: str) -> None:
    if kind == "intake" and key_type == "age":
        raise KeyRefused("An intake system needs only a signing key; an age recipient belongs to a force.")
    existing = queries.trusted_by_id(session.conn, key_id)
    if existing:
        raise KeyRefused(f"Key {key_id} is already in the keyring as {existing.name!r}; a key id is never reused.")
    if any(row.key_id == key_id for kind_ in ("signing", "age") for row in queries.room_keys(session.conn, kind_)):
        raise KeyRefused(f"Key {key_id} is one of the room's own keys.")


def _label(kind: str, force: str | None, name: str | None, path: Path) -> tuple[str | None, str]:
    if kind not in KINDS:
        raise KeyRefused(f"The kind must be one of {', '.join(KINDS)}.")
    if kind == "intake":
        if force:
            raise KeyRefused("An intake key belongs to no force.")
        return None, name or path.stem
    entry = force_by_code(force or "")
    if entry is None:
        raise KeyRefused(unknown_force(force or ""))
    return entry.code, name or entry.name


def unknown_force(given: str) -> str:
    """What to say of a force code that is none of the forces'."""
    return f"{given!r} is not the code of one of the {len(forces())} forces{_did_you_mean(given)}"


def _did_you_mean(given: str) -> str:
    """The code of the force named (its name or short name), else the codes closest to what was typed."""
    named = [f.code for f in forces() if given.strip().lower() in (f.name.lower(), f.short_name.lower())]
    close = named or difflib.get_close_matches(given.strip().lower(), [f.code for f in forces()], n=2, cutoff=0.7)
    return f": did you mean {' or '.join(close)}?" if close else " (codes look like kent, metropolitan, police-scotland)."


def preview_key_file(
    session: Session, path: Path, kind: str | None = None, force: str | None = None, name: str | None = None
) -> list[tuple[str, str]]:
    """(key_type, key_id) of each public key in a file, read as ``add_key_file`` would read
    it, so a person can compare the id with the one received by another channel first.
    Given the ``kind`` (and force), what ``add_key_file`` would refuse (a key already in
    the keyring, an age key for an intake system) is refused now, before that comparison."""
    require(session, Action.MANAGE_KEYS)
    path = Path(path)
    parsed = _parse_key_file(_read_key_file(path), path)
    if kind is not None:
        _label(kind, force, name, path)
        for key_type, key_id, _ in parsed:
            _check_new_key(session, key_type, key_id, kind)
    return [(key_type, key_id) for key_type, key_id, _ in parsed]


def add_key_file(
    session: Session, path: Path, kind: str, force: str | None = None, name: str | None = None
) -> list[KeyringRow]:
    """Trust the public key(s) in a minisign ``.pub`` or an age recipients file."""
    require(session, Action.MANAGE_KEYS)
    path = Path(path)
    force, label = _label(kind, force, name, path)
    parsed = _parse_key_file(_read_key_file(path), path)
    rows, at = [], session.now()
    with transaction(session.conn) as conn:
        for key_type, key_id, public_text in parsed:
            _check_new_key(session, key_type, key_id, kind)
            row = KeyringRow(key_id, key_type, label, kind, force, public_text, session.user.name, at)
            queries.insert_trusted(conn, row)
            record(conn, session.user.name, "keyring.add", key_id, f"{kind} {key_type} {force or ''} {label}".strip(), at)
            rows.append(row)
    return rows


def list_keys(session: Session) -> list[KeyringRow]:
    require(session, Action.MANAGE_KEYS)
    return queries.trusted(session.conn)


def revoke_key(session: Session, key_id: str, reason: str, when: datetime | None = None) -> None:
    """The key opens nothing from now on; bundles the room accepted from it since ``when``
    (default now; never later) are listed as suspect. A reason is required."""
    require(session, Action.MANAGE_KEYS)
    if not reason.strip():
        raise KeyRefused("Say why the key is revoked.")
    row = queries.trusted_by_id(session.conn, key_id)
    if row is None:
        raise KeyRefused(f"Key {key_id} is not in the keyring.")
    if row.revoked_at:
        raise KeyRefused(f"Key {key_id} was already revoked on {moment(row.revoked_at)}.")
    if when is not None and when > session.clock():
        raise KeyRefused("A revocation takes effect now: give now or an earlier time (from when the key was in doubt).")
    at = timestamp(when or session.clock())
    with transaction(session.conn) as conn:
        queries.revoke(conn, key_id, at, reason)
        record(conn, session.user.name, "keyring.revoke", key_id, f"{reason} (from {moment(at, seconds=True)})", session.clock())


def _revoked(row: KeyringRow) -> datetime | None:
    return datetime.fromisoformat(row.revoked_at.replace("Z", "+00:00")) if row.revoked_at else None


def build_keyring(session: Session) -> Keyring:
    """Signers the bundle reader trusts: intake keys for reports, each force's signing key
    for its outcomes, the room's own signing keys (active and retired) for referrals."""
    require_any(session, Action.IMPORT_BUNDLES, Action.IMPORT_OUTCOMES, Action.VERIFY_BUNDLE,
                Action.SEAL_REFERRALS, Action.MANAGE_KEYS)
    keyring = Keyring()
    for row in queries.trusted(session.conn):
        if row.key_type != "minisign":
            continue
        kinds = frozenset({"reports"} if row.kind == "intake" else {"outcomes"})
        keyring.add(TrustedKey(PublicKey.from_text(row.public_text), row.name, kinds, row.force,
                               _revoked(row), row.revoked_reason))
    compromised = queries.room_revocations(session.conn)
    for room in queries.room_keys(session.conn, "signing"):
        at, why = compromised.get(room.key_id, (None, ""))
        keyring.add(TrustedKey(PublicKey.from_text(room.public_text), ROOM_LABEL, frozenset({"referrals"}),
                               revoked_at=datetime.fromisoformat(at.replace("Z", "+00:00")) if at else None,
                               revoked_reason=why))
    return keyring


def force_recipients(session: Session, code: str) -> list[pyrage.x25519.Recipient]:
    """The unrevoked age recipients a force's referrals are sealed to."""
    require_any(session, Action.SEAL_REFERRALS, Action.MANAGE_KEYS)
    return [parse_recipient(row.key_id) for row in queries.trusted(session.conn)
            if row.force == code and row.key_type == "age" and not row.revoked_at]
