"""The role matrix, with the user's state: every service that changes or reveals
something, called as each role while active, on a one-time password, as a disabled user
in a session opened before the disable, and as a removed user in a session opened before
the removal. Allowed exactly where the permissions table says and the user is active;
every refusal is in the audit log (but a removed user's: the removal re-keyed the store,
so their session can write nothing more; the removal itself is audited).

Calls are chosen to be harmless where allowed (an unknown name, an empty folder): only
whether the permission check let them through matters here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from corekit import PASSWORDS, Room

from hotline_tui.errors import HotlineError, PermissionDenied
from hotline_tui.services import roles
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.audit_trail import log as audit_log
from hotline_tui.services.intake import importing, quarantine
from hotline_tui.services.keyring import keys
from hotline_tui.services.people import users
from hotline_tui.services.permissions import Action, Role, allowed
from hotline_tui.services.referrals import approval, outcomes, sealing
from hotline_tui.services.session import PasswordChangeRequired, Session, SessionRevoked
from hotline_tui.services.store_care import retention
from hotline_tui.services.triage import assessment, queue
from hotline_tui.services.verifying import verification

NOWHERE = Path("/nonexistent-folder")
Call = Callable[[Session, Path], object]
# (what, the action(s) the permissions table names for it, a harmless call)
SERVICES: list[tuple[str, Action | tuple[Action, ...], Call]] = [
    ("import reports", Action.IMPORT_BUNDLES, lambda s, d: importing.import_bundles(s, [d])),
    ("reveal contact", Action.REVEAL_CONTACT, lambda s, d: queue.reveal_contact(s, 10**9, "safeguarding check")),
    ("view report", Action.VIEW_REPORT, lambda s, d: queue.report_detail(s, 10**9)),
    ("take report", Action.ASSESS, lambda s, d: assessment.take_report(s, 10**9)),
    ("approve", Action.APPROVE_REFERRAL, lambda s, d: approval.check_may_approve(s, "no-such-referral")),
    ("return", Action.RETURN_REFERRAL, lambda s, d: assessment.return_to_analyst(s, "no-such-referral", "x" * 20)),
    ("seal", Action.SEAL_REFERRALS, lambda s, d: sealing.sealing_plan(s)),
    ("room signing key", (Action.SEAL_REFERRALS, Action.MANAGE_KEYS), lambda s, d: keys.room_signing_key(s)),
    ("verify", Action.VERIFY_BUNDLE, lambda s, d: verification.verify_file(s, d / "none.tar.age")),
    ("add user", Action.MANAGE_USERS, lambda s, d: users.add_user(s, "ann", "analyst", "a-good-password")),
    ("disable user", Action.MANAGE_USERS, lambda s, d: users.disable_user(s, "nobody")),
    ("reset password", Action.MANAGE_USERS, lambda s, d: users.reset_password(s, "nobody", "a-good-password")),
    ("change role", Action.MANAGE_USERS, lambda s, d: roles.change_role(s, "nobody", "analyst", "moved")),
    ("remove user", Action.MANAGE_USERS, lambda s, d: users.remove_user(s, "nobody")),
    ("rotate keys", Action.MANAGE_KEYS, lambda s, d: keys.rotate_room_identity(s, "matrix test")),
    ("revoke key", Action.MANAGE_KEYS, lambda s, d: keys.revoke_key(s, "0000000000000000", "matrix test")),
    ("export public keys", Action.MANAGE_KEYS, lambda s, d: keys.export_public_keys(s, NOWHERE)),
    ("read audit", Action.VIEW_AUDIT, lambda s, d: audit.read_log(s, limit=1)),
    ("export audit", Action.EXPORT_AUDIT, lambda s, d: audit_log.export_range(s, NOWHERE, date(2026, 1, 1), date(2026, 1, 2))),
    ("release quarantine", Action.MANAGE_QUARANTINE, lambda s, d: quarantine.release(s, 10**9)),
    ("import outcomes", Action.IMPORT_OUTCOMES, lambda s, d: outcomes.import_outcomes(s, [d])),
    ("retention", Action.MANAGE_RETENTION, lambda s, d: retention.delete_due(s, [])),
]
STATES = ("active", "one-time password", "disabled", "removed")
ROLES = {"olivia": Role.SECURITY_OFFICER, "ann": Role.ANALYST, "sam": Role.SUPERVISOR}


def _outcome(session: Session, call: Call, folder: Path) -> str:
    try:
        call(session, folder)
    except PermissionDenied:
        return "denied"
    except SessionRevoked:
        return "revoked"
    except PasswordChangeRequired:
        return "one-time"
    except HotlineError:
        return "allowed"  # past the permission check, refused for the harmless arguments
    return "allowed"


def _refusals(admin: Session, name: str) -> int:
    rows = audit.read_log(admin, limit=100_000)
    return sum(1 for r in rows if r.actor == name and r.action in ("action.refused", "session.revoked"))


def _session_in(state: str, room: Room, admin: Session, name: str) -> Session:
    """A session of ``name`` in ``state`` (the change made by another officer, otto)."""
    if state == "one-time password":
        users.reset_password(admin, name, "one-time-pw-123")
        return room.unlock(name, "one-time-pw-123")
    session = room.unlock(name)
    if state == "disabled":
        users.disable_user(admin, name, "matrix test")
    elif state == "removed":
        users.remove_user(admin, name, "matrix test")
    return session


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(ROLES))
def test_every_service_as_every_role_in_every_state(room: Room, name: str, state: str, tmp_path: Path) -> None:
    olivia = room.unlock("olivia")
    try:
        users.add_user(olivia, "otto", Role.SECURITY_OFFICER, "otto-one-time-pw")
    finally:
        olivia.close()
    admin = room.unlock("otto", "otto-one-time-pw")
    users.change_password(admin, "otto-one-time-pw", "ottos-own-password")
    session = _session_in(state, room, admin, name)
    if state == "removed":  # the store was re-keyed: otto's session follows it
        admin.close()
        admin = room.unlock("otto", "ottos-own-password")
    folder = tmp_path / "empty"
    folder.mkdir()
    try:
        before = _refusals(admin, name)
        seen = {what: _outcome(session, call, folder) for what, _, call in SERVICES}
        after = _refusals(admin, name)
    finally:
        session.close()
        admin.close()
    expected_refusal = {"one-time password": "one-time", "disabled": "revoked", "removed": "revoked"}.get(state)
    for what, action, _ in SERVICES:
        if state == "active":
            actions = action if isinstance(action, tuple) else (action,)
            want = "allowed" if any(allowed(ROLES[name], a) for a in actions) else "denied"
        else:
            want = expected_refusal or ""
        assert seen[what] == want, (what, name, state)
    refused = sum(1 for outcome in seen.values() if outcome != "allowed")
    if state == "removed":
        assert after == before  # nothing could be written with the old key
    else:
        assert after - before == refused  # every refusal audited, one entry each
    assert PASSWORDS  # the kit's passwords are the ones the room was made with
