"""A user's personal key revoked as compromised: they get a new key (and a new key slot
with a one-time password, since the old slot wraps the old key). Before anything
changes, the officer sees what it approved: the approvals not sealed yet go back to
"awaiting approval" (a supervisor must approve again with a valid key; see
approvals.py), the referrals sealed already were sent and are listed as suspect."""

from __future__ import annotations

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.people.users import reset_password
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.revocation.approvals import approval_line, listed, waiting_and_sealed
from hotline_tui.services.session import Session
from hotline_tui.store import users as user_queries
from hotline_tui.store.connection import transaction


def _user(session: Session, name: str) -> user_queries.UserRow:
    row = user_queries.get(session.conn, name)
    if row is None or row.removed_at:
        raise Refused(f"There is no user {name!r}.")
    return row


def personal_key_consequences(session: Session, name: str) -> list[str]:
    """What revoking ``name``'s personal key would do, line by line, with the referrals it approved."""
    require(session, Action.MANAGE_USERS)
    row = _user(session, name)
    key_id = row.personal_key_id
    waiting, sealed = waiting_and_sealed(session, key_id)
    lines = [f"{row.name} gets a new personal key and a new key slot: the one-time password given here replaces "
             "their password, which opens nothing from now on."]
    if waiting:
        lines.append(f"{len(waiting)} approval(s) signed with key {key_id} and not sealed go back to awaiting "
                     "approval; a supervisor must approve each again with a valid key:")
        lines += listed([approval_line(a) for a in waiting])
    else:
        lines.append(f"No approval signed with key {key_id} waits to be sealed.")
    if sealed:
        lines.append(f"{len(sealed)} referral(s) approved with key {key_id} were sealed (or are being sealed) and sent, "
                     "and are suspect: "
                     "tell those forces the key is compromised:")
        lines += listed([approval_line(a) for a in sealed])
    return lines


def revoke_personal_key(session: Session, name: str, new_password: str, reason: str) -> str:
    """Replace ``name``'s personal key (and slot) because the old one may be in other hands;
    returns the new key id. Audited with the old key id and the reason; each approval sent
    back is audited too (referral.approval_withdrawn)."""
    require(session, Action.MANAGE_USERS)
    if not reason.strip():
        raise Refused("Say why the key is revoked.")
    old = _user(session, name).personal_key_id
    info = reset_password(session, name, new_password, why="revoked as compromised")
    with transaction(session.conn) as conn:
        record(conn, session.user.name, "personal_key.revoke", old,
               f"{info.name}'s key, compromised: {reason}; replaced by {info.personal_key_id}", session.clock())
    return info.personal_key_id
