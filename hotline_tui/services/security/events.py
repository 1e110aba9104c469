"""Session events for the audit log: locks (by the user, idle, after a failure) and quits."""

from __future__ import annotations

from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.session import Session
from hotline_tui.store.connection import transaction

LOCK, IDLE_LOCK, QUIT = "session.lock", "session.idle_lock", "session.quit"


def record_session_event(session: Session, action: str, reason: str = "") -> bool:
    """Record ``action`` for the session's user if the store still takes entries; a lock or
    a quit goes on regardless (False: it could not be recorded)."""
    try:
        session.check_open()
        with transaction(session.conn) as conn:
            record(conn, session.user.name, action, session.user.name, reason, session.clock())
    except Exception:  # the store may be what failed: the lock or quit still happens
        return False
    return True


REFUSED = "action.refused"


def record_refusal(session: object, what: str, target: str, why: str) -> None:
    """A privileged action the room refused (a role without the right, removing or disabling
    yourself, the last security officer): recorded in its own transaction, so the refusal
    that follows does not roll it back. Inside another write transaction nothing can be
    recorded apart from it, and nothing is; a closed or lost session records nothing."""
    conn = getattr(session, "conn", None)
    user = getattr(getattr(session, "user", None), "name", "")
    if conn is None or getattr(session, "closed", True) or getattr(session, "store_lost", False):
        return
    try:
        if conn.in_transaction:
            return
        with transaction(conn):
            record(conn, user, REFUSED, target, f"{what}: {why}")
    except Exception:  # recording must never turn a refusal into a failure
        return
