"""What waits for each role, as counts for the home screen; each count opens the list of
exactly what it counts (the queue with its filters set, or the screen that lists them)."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.services.keyring.desk import forces_without_recipient
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.redflags.escalation import THRESHOLD as ESCALATION_THRESHOLD
from hotline_tui.services.redflags.escalation import escalated_reports
from hotline_tui.services.session import Session
from hotline_tui.services.triage.queue import ESCALATED, QueuePreset
from hotline_tui.store import queue as queue_store


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    opens: str                         # the action (actions.py) whose screen lists them
    preset: QueuePreset | None = None  # for the queue: the filters that list exactly these


def _one(session: Session, sql: str, *params: object) -> int:
    return int(session.conn.execute(sql, params).fetchone()[0])


def _queue(session: Session, label: str, preset: QueuePreset) -> Waiting:
    """A count of the queue's own filter, so the count and the list it opens agree."""
    escalated = escalated_reports(session) if preset.status == ESCALATED else ()
    return Waiting(label, queue_store.count(session.conn, preset.filter(session.user.name, escalated)), "queue", preset)


def waiting_items(session: Session) -> list[Waiting]:
    """What waits for the user's role, most pressing first."""
    rows: list[Waiting] = []
    if can(session, Action.ASSESS):
        rows += [
            _queue(session, "New reports to assess", QueuePreset(status="new")),
            _queue(session, "Assigned to me", QueuePreset(mine=True)),
            _queue(session, "Urgent, not yet referred", QueuePreset(status="not_yet_referred", priority="urgent")),
        ]
    if can(session, Action.APPROVE_REFERRAL):
        rows.append(Waiting("Referrals awaiting approval", _one(
            session, "SELECT count(*) FROM referrals WHERE state = 'awaiting_approval' AND analyst != ?", session.user.name
        ), "approvals"))
    if can(session, Action.SEAL_REFERRALS):
        rows.append(Waiting("Approved, waiting to be sealed",
                            _one(session, "SELECT count(*) FROM referrals WHERE state = 'approved'"), "seal"))
    if can(session, Action.ASSESS):
        rows.append(_queue(session, "Returned to me with comments", QueuePreset(status="returned", mine=True)))
        escalated = _queue(session, f"Reports on people reported {ESCALATION_THRESHOLD}+ times",
                           QueuePreset(status=ESCALATED))
        if escalated.count:  # red flags: one person reported independently again and again
            rows.insert(0, escalated)
    if can(session, Action.MANAGE_QUARANTINE):
        rows.append(Waiting("Bundles held in quarantine",
                            _one(session, "SELECT count(*) FROM quarantine WHERE state = 'held'"), "quarantine"))
    if can(session, Action.MANAGE_USERS):
        rows.append(Waiting("Users who must change their password", _one(
            session, "SELECT count(*) FROM users WHERE must_change_password = 1 AND removed_at IS NULL AND disabled = 0"
        ), "users"))
    if can(session, Action.MANAGE_KEYS):
        rows.append(Waiting("Trusted keys in the keyring",
                            _one(session, "SELECT count(*) FROM keyring WHERE revoked_at IS NULL"), "keyring"))
        rows.append(Waiting("Forces with no key to seal to", len(forces_without_recipient(session)), "keyring"))
    if can(session, Action.VIEW_QUEUE):
        rows.append(_queue(session, "Reports in the store", QueuePreset()))
    return rows


def waiting_for(session: Session) -> list[tuple[str, int]]:
    """(label, count) pairs for the user's role, most pressing first."""
    return [(item.label, item.count) for item in waiting_items(session)]
