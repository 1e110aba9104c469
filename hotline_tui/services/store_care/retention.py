"""Retention: the security officer sets how long reports of each closed status are kept;
reports past it are listed for review and deleted on confirmation.

A report's age counts from its last event (received, decided, sealed, the latest
outcome). Deleting a report deletes everything held about it: the document, its
attachments, its full-text row, the subject index, the assessment, red-flag links, and
its referral and outcomes. Its counts stay in the statistics (``statistics_archive``),
what identified its subject stays only as keyed one-way tokens (redflags/tokens.py),
and one audit entry records how many of each status went and under which rule. The
store has ``secure_delete`` on, and the write-ahead log is folded back into the store
afterwards, so the deleted pages are overwritten rather than left behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags.index import index_new_reports
from hotline_tui.services.redflags.tokens import keep_tokens
from hotline_tui.services.session import Session
from hotline_tui.store import retention as store
from hotline_tui.store.connection import fold_wal, transaction
from hotline_tui.store.statistics_archive import fold_into_archive

# Only decided reports: work in hand (new, in assessment, awaiting approval) is never due.
RETAINABLE = ("referred", "no_further_action", "duplicate", "information_only")
MAX_DAYS = 100 * 366


@dataclass(frozen=True)
class RetentionPeriod:
    status: str
    days: int | None
    set_by: str
    set_at: str


@dataclass(frozen=True)
class DueReport:
    key: int
    reference: str
    status: str
    received_at: str
    last_event: str
    days: int


def _today(session: Session) -> str:
    return session.now()[:10]


def retention_periods(session: Session) -> list[RetentionPeriod]:
    require(session, Action.MANAGE_RETENTION)
    held = store.periods(session.conn)
    return [RetentionPeriod(s, *held[s]) if s in held else RetentionPeriod(s, None, "", "") for s in RETAINABLE]


def set_retention(session: Session, status: str, days: int | None) -> None:
    """Keep reports of ``status`` for ``days`` after their last event; None: keep them."""
    require(session, Action.MANAGE_RETENTION)
    if status not in RETAINABLE:
        raise Refused(f"Reports that are {status.replace('_', ' ')} are work in hand; only decided reports have a "
                      "retention period.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise Refused(f"A retention period is between 1 and {MAX_DAYS:,} days.")
    at = session.now()
    with transaction(session.conn) as conn:
        before = store.periods(conn).get(status)
        if days is None:
            store.clear_period(conn, status)
        else:
            store.set_period(conn, status, days, session.user.name, at)
        was = f"{before[0]} days" if before else "kept"
        now = f"{days} days" if days is not None else "kept"
        audit.record(conn, session.user.name, "retention.set", f"reports {status.replace('_', ' ')}", f"{was} -> {now}", at)


class DueList:
    """Reports past retention today, page by page (a row source for the screen's table)."""

    def __init__(self, session: Session) -> None:
        require(session, Action.MANAGE_RETENTION)
        self.session = session
        self.today = _today(session)

    def count(self) -> int:
        return store.due_count(self.session.conn, self.today)

    def page(self, offset: int, limit: int) -> list[DueReport]:
        return [DueReport(int(k), ref, status, received, last, int(days))
                for k, ref, status, received, last, days in store.due_page(self.session.conn, self.today, offset, limit)]


def delete_due(session: Session, keys: Sequence[int] | None = None) -> Counter[str]:
    """Delete the reports past retention (all of them, or those of ``keys`` still past it);
    returns how many of each status were deleted."""
    require(session, Action.MANAGE_RETENTION)
    session.check_open()
    today = _today(session)
    with transaction(session.conn) as conn:
        if keys is None:
            chosen = store.due_keys(conn, today, store.all_due_keys(conn, today))
        else:
            chosen = store.due_keys(conn, today, list(keys))
        if not chosen:
            raise Refused("No report is past its retention period now; nothing was deleted.")
        doomed = [k for k, _ in chosen]
        by_status = Counter(s for _, s in chosen)
        rules = store.periods(conn)
        fold_into_archive(conn, doomed)
        # Red flags outlive the reports: each strong identifier and name as a keyed token.
        index_new_reports(conn)
        keep_tokens(conn, doomed, today)
        store.delete_reports(conn, doomed)
        what = ", ".join(f"{n} {s.replace('_', ' ')} (kept {rules[s][0]} days)" for s, n in sorted(by_status.items()))
        audit.record(conn, session.user.name, "retention.deleted", f"{len(doomed)} reports",
                     f"past retention on {today}: {what}; counts kept in the statistics", session.now())
    fold_wal(session.conn, alone=session.alone())
    return by_status
