"""Checking the audit log against a head published earlier: read from a signed dispatch
note (its signature checked with the room's signing keys, so no head is typed), or typed
by an officer (where a mismatch is first a typing question, not a proof of tampering)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail.chain import ChainVerdict, record, verify_chain
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store.connection import transaction
from import_export.bundle import signature_path
from import_export.minisign import PublicKey, Signature, SignatureError

NOTE_PATTERN = "dispatch-note-*.txt"
MAX_NOTE_BYTES = 1 << 20
_HEAD_LINE = re.compile(r"^Audit log head sealed into [^:\n]+: entry (\d+), sha256 ([0-9a-f]{64})$", re.M)


@dataclass(frozen=True)
class HeadCheck:
    verdict: ChainVerdict
    anchor: tuple[int, str]
    typed_mismatch: bool = False  # the chain is intact but the typed head is not in it
    source: str = ""  # the signed note's file name, or "typed"


def notes_on(folders: list[Path]) -> list[Path]:
    """Dispatch notes with their signature beside them, newest name first."""
    found: set[Path] = set()
    for folder in folders:
        for depth in ("", "*/"):
            try:
                found.update(p for p in folder.glob(depth + NOTE_PATTERN) if signature_path(p).is_file())
            except OSError:
                continue
    return sorted(found, key=lambda p: p.name, reverse=True)


def head_from_note(session: Session, path: Path) -> tuple[int, str]:
    """The audit head a dispatch note names, once its signature by one of the room's
    signing keys (active or retired) is checked. Refused says what is wrong."""
    require(session, Action.VIEW_AUDIT)
    path = Path(path)
    try:
        if path.stat().st_size > MAX_NOTE_BYTES:
            raise Refused(f"{path.name} is too large to be a dispatch note.")
        text = path.read_bytes()
        signature = Signature.from_text(signature_path(path).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise Refused(f"{Path(str(exc.filename)).name} is missing: the note and its .minisig are needed.") from None
    except (OSError, UnicodeDecodeError, SignatureError) as exc:
        raise Refused(f"Cannot read the note or its signature: {exc.__class__.__name__}.") from None
    keys = {row.key_id: row for row in keyring_store.room_keys(session.conn, "signing")}
    room_key = keys.get(signature.key_id)
    if room_key is None:
        raise Refused(f"{path.name} is signed by key {signature.key_id}, not one of the room's signing keys.")
    try:
        signature.verify(PublicKey.from_text(room_key.public_text), text)
    except SignatureError as exc:
        raise Refused(f"{path.name} does not match its signature ({exc}): it was changed after sealing.") from None
    heads = set(_HEAD_LINE.findall(text.decode("utf-8", "replace")))
    if not heads:
        raise Refused(f"{path.name} names no audit head (nothing was sealed in that run).")
    if len(heads) > 1:
        raise Refused(f"{path.name} names {len(heads)} different heads; a sealing run seals one.")
    seq, digest = heads.pop()
    return int(seq), digest


def _record(session: Session, verdict: ChainVerdict, outcome: str) -> None:
    with transaction(session.conn) as conn:
        record(conn, session.user.name, "audit.verify", f"{verdict.entries_checked} entries", outcome, session.clock())


def verify_against_note(session: Session, path: Path) -> HeadCheck:
    """The whole chain, and the head the signed note names; recorded."""
    anchor = head_from_note(session, path)
    verdict = verify_chain(session.conn, anchor)
    outcome = "intact" if verdict.ok else f"BROKEN at {verdict.first_bad_seq}: {verdict.problem}"
    _record(session, verdict, f"{outcome}; against the head in the signed dispatch note {Path(path).name}, "
                              f"entry {anchor[0]}, sha256 {anchor[1]}")
    return HeadCheck(verdict, anchor, source=Path(path).name)


def verify_against_typed(session: Session, anchor: tuple[int, str]) -> HeadCheck:
    """The whole chain, then the typed head. A chain intact but without the typed head is
    recorded as a mismatch with what was typed, not as a broken chain: a typing slip and
    a rewritten log look alike until the signed note is checked."""
    require(session, Action.VIEW_AUDIT)
    plain = verify_chain(session.conn)
    if not plain.ok:
        _record(session, plain, f"BROKEN at {plain.first_bad_seq}: {plain.problem}")
        return HeadCheck(plain, anchor, source="typed")
    anchored = verify_chain(session.conn, anchor)
    if anchored.ok:
        _record(session, anchored, f"intact; holds the typed head entry {anchor[0]}, sha256 {anchor[1]}")
        return HeadCheck(anchored, anchor, source="typed")
    _record(session, plain, f"intact; the typed head entry {anchor[0]}, sha256 {anchor[1]} does not match "
                            "(check it against the signed dispatch note)")
    return HeadCheck(plain, anchor, typed_mismatch=True, source="typed")
