"""What waits for each role, as counts for the home screen."""

from __future__ import annotations

from hotline_tui.services.keyring_desk import forces_without_recipient
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.session import Session


def _one(session: Session, sql: str, *params: object) -> int:
    return int(session.conn.execute(sql, params).fetchone()[0])


def waiting_for(session: Session) -> list[tuple[str, int]]:
    """(label, count) pairs for the user's role, most pressing first."""
    rows: list[tuple[str, int]] = []
    if can(session, Action.ASSESS):
        rows += [
            ("New reports to assess", _one(session, "SELECT count(*) FROM reports WHERE status = 'new'")),
            ("Assigned to me", _one(
                session, "SELECT count(*) FROM reports WHERE assigned_to = ? AND status = 'in_assessment'", session.user.name
            )),
            ("Urgent, not yet referred", _one(
                session, "SELECT count(*) FROM reports WHERE priority = 'urgent' AND status IN ('new', 'in_assessment')"
            )),
        ]
    if can(session, Action.APPROVE_REFERRAL):
        rows.append(("Referrals awaiting approval", _one(
            session, "SELECT count(*) FROM referrals WHERE state = 'awaiting_approval' AND analyst != ?", session.user.name
        )))
    if can(session, Action.SEAL_REFERRALS):
        rows.append(("Approved, waiting to be sealed", _one(session, "SELECT count(*) FROM referrals WHERE state = 'approved'")))
    if can(session, Action.ASSESS):
        rows.append(("Returned to me with comments", _one(
            session, "SELECT count(*) FROM referrals WHERE state = 'returned' AND analyst = ?", session.user.name
        )))
    if can(session, Action.MANAGE_QUARANTINE):
        rows.append(("Bundles held in quarantine", _one(session, "SELECT count(*) FROM quarantine WHERE state = 'held'")))
    if can(session, Action.MANAGE_USERS):
        rows.append(("Users who must change their password", _one(
            session, "SELECT count(*) FROM users WHERE must_change_password = 1 AND removed_at IS NULL AND disabled = 0"
        )))
    if can(session, Action.MANAGE_KEYS):
        rows.append(("Trusted keys in the keyring", _one(session, "SELECT count(*) FROM keyring WHERE revoked_at IS NULL")))
        rows.append(("Forces with no key to seal to", len(forces_without_recipient(session))))
    if can(session, Action.VIEW_QUEUE):
        rows.append(("Reports in the store", _one(session, "SELECT count(*) FROM reports")))
    return rows
