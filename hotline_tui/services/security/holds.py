"""A security officer's view of the unlock guard: who is held or slowed, and lifting it."""

from __future__ import annotations

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.people import accounts
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.security import guard
from hotline_tui.services.security.guard import Hold
from hotline_tui.services.session import Session
from hotline_tui.store.connection import transaction


def unlock_holds(session: Session) -> list[Hold]:
    """Users whose failed unlocks hold them, or make them wait, now."""
    require(session, Action.MANAGE_USERS)
    return guard.holds(session.settings, session.clock())


def lift_hold(session: Session, name: str, reason: str) -> None:
    """Forget a user's failed unlocks so they can try again at once; audited with the reason."""
    require(session, Action.MANAGE_USERS)
    name = accounts.normalise_name(name)
    if not reason.strip():
        raise Refused("Say why the hold is lifted (it goes in the audit log).")
    held = {hold.user: hold for hold in guard.holds(session.settings, session.clock())}
    if name not in held:
        raise Refused(f"{name} is not held: nothing to lift.")
    with transaction(session.conn) as conn:
        guard.lift_hold(session.settings, name)
        record(conn, session.user.name, "user.unlock_hold_lift", name,
               f"{reason} (after {held[name].failures} wrong passwords)", session.clock())
