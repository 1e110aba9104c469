"""A user's personal key revoked as compromised: they get a new key (and a new key slot
with a one-time password, since the old slot wraps the old key), and what it approved is
listed first."""

from __future__ import annotations

from hotline_tui.errors import Refused
from hotline_tui.services.audit import record
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.users import reset_password
from hotline_tui.store import users as user_queries
from hotline_tui.store.connection import transaction


def _user(session: Session, name: str) -> user_queries.UserRow:
    row = user_queries.get(session.conn, name)
    if row is None or row.removed_at:
        raise Refused(f"There is no user {name!r}.")
    return row


def personal_key_consequences(session: Session, name: str) -> list[str]:
    require(session, Action.MANAGE_USERS)
    row = _user(session, name)
    key_id = row.personal_key_id
    waiting, sealed = session.conn.execute(
        "SELECT coalesce(sum(state = 'approved'), 0), coalesce(sum(state = 'sealed'), 0) FROM referrals"
        " WHERE approved_key_id = ?", (key_id,)).fetchone()
    return [
        f"{row.name} gets a new personal key and a new key slot: the one-time password given here replaces "
        "their password, which opens nothing from now on.",
        f"{waiting} approval(s) signed with key {key_id} wait to be sealed: check each with another supervisor "
        "before sealing.",
        f"{sealed} sealed referral(s) carry an approval by key {key_id}: tell those forces it is compromised.",
    ]


def revoke_personal_key(session: Session, name: str, new_password: str, reason: str) -> str:
    """Replace ``name``'s personal key (and slot) because the old one may be in other hands;
    returns the new key id. Audited with the old key id and the reason."""
    require(session, Action.MANAGE_USERS)
    if not reason.strip():
        raise Refused("Say why the key is revoked.")
    old = _user(session, name).personal_key_id
    info = reset_password(session, name, new_password)
    with transaction(session.conn) as conn:
        record(conn, session.user.name, "personal_key.revoke", old,
               f"{info.name}'s key, compromised: {reason}; replaced by {info.personal_key_id}", session.clock())
    return info.personal_key_id
