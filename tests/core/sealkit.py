"""Referrals on the demo room for the approval and sealing tests: submitted through the
assessment service, approved with a supervisor's personal key, and the force's side
(its identity, the room's public key) for opening what was sealed.

The referrals are made from demo reports whose reporter left a name, a phone and an
e-mail, with the report's own subjects where they identify someone, so the bundles
made from them are worth scanning for the reporter's details.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyrage
from assesskit import PASSWORDS, referral_form

from hotline_tui.errors import Refused
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.referrals.approval import approve
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import starting_form, submit, take_report
from import_export import agekeys
from import_export.bundle import Keyring, Limits
from import_export.minisign import PublicKey
from import_export.tarball import read_tar


def secrets_of(workspace: Path) -> Path:
    """The demo room's secrets folder (the forces' keys, the room's public keys)."""
    return Path(workspace).parent / "secrets"


def new_reports(session: Session) -> Iterator[int]:
    """Keys of reports nobody has taken yet: first those whose reporter left a name, phone
    and e-mail, then the rest."""
    rows = session.conn.execute("SELECT id, contact_sealed IS NOT NULL FROM reports WHERE status = 'new' ORDER BY id")
    found = [(int(key), bool(sealed)) for key, sealed in rows]  # the details themselves are sealed
    yield from (key for key, sealed in found if sealed)
    yield from (key for key, sealed in found if not sealed)


def refer(session: Session, key: int, force: str) -> str:
    """Take report ``key`` and refer it to ``force``; returns the referral id."""
    assessment = take_report(session, key)
    form = referral_form(force=force)
    own = [s for s in starting_form(assessment.document).subjects if s.identifying]
    if own:
        form.subjects = own
    try:
        submit(session, key, form)
    except Refused:
        form = referral_form(force=force)  # the report's own subjects carry a reporter value
        submit(session, key, form)
    row = session.conn.execute(
        "SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?", (key,)
    ).fetchone()
    return str(row[0])


def refer_each(session: Session, forces: Sequence[str]) -> list[tuple[int, str]]:
    """One referral to each force in ``forces`` (repeats allowed): [(report key, referral id)]."""
    keys = new_reports(session)
    return [(key, refer(session, key, force)) for force, key in zip(forces, keys, strict=False)]


def approve_each(session: Session, referral_ids: Sequence[str]) -> None:
    key = unlock_personal_key(session, PASSWORDS[session.user.name])
    for referral_id in referral_ids:
        approve(session, referral_id, key)


def identity(secrets: Path, force: str) -> list[pyrage.x25519.Identity]:
    return agekeys.load_identities(secrets / "forces" / f"{force}.age")


def room_keyring(secrets: Path) -> Keyring:
    """What a force holds: the triage room's public key, trusted for referrals."""
    return Keyring.single(PublicKey.load(secrets / "triage-room.pub"), "triage-room")


def decrypt_members(bundle: Path, identities: Sequence[pyrage.x25519.Identity]) -> dict[str, bytes]:
    """The tar's members, decrypted as the force would (no checks)."""
    return read_tar(pyrage.decrypt(bundle.read_bytes(), list(identities)), Limits())


def reporter_details(document: dict[str, Any]) -> list[str]:
    """A report's reporter values a bundle must never carry: name, phone (as written and as
    digits), e-mail, the intake reference and the report id."""
    reporter = document.get("reporter") or {}
    values = [str(reporter.get(k) or "") for k in ("name", "phone", "email")]
    values.append("".join(c for c in str(reporter.get("phone") or "") if c.isdigit()))
    values += [str(document.get("reference") or ""), str(document.get("report_id") or "")]
    return [v for v in dict.fromkeys(values) if len(v) >= 4]
