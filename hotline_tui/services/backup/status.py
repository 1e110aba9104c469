"""When the last good backup was made, and the officer's warning period (shown on home)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import backups as store
from hotline_tui.store.connection import transaction

DEFAULT_WARN_DAYS = 2  # a nightly job missed twice
MAX_WARN_DAYS = 365


@dataclass(frozen=True)
class BackupStatus:
    last: store.BackupRow | None
    warn_after_days: int
    overdue: bool

    def line(self) -> str:
        """One line for home: when, where, and a warning if it is overdue."""
        period = f"warning after {self.warn_after_days} day{'s' if self.warn_after_days != 1 else ''}"
        if self.last is None:
            return f"No backup made yet ({period}): make one from Backups."
        when = self.last.made_at[:16].replace("T", " ") + " UTC"
        text = f"Last good backup: {when}, {self.last.name} in {self.last.location}"
        return f"{text}: OVERDUE ({period})" if self.overdue else f"{text} ({period})"


def _parse(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def backup_status(session: Session) -> BackupStatus:
    require(session, Action.BACK_UP)
    session.check_open()
    last = store.last(session.conn)
    days = store.warn_after_days(session.conn) or DEFAULT_WARN_DAYS
    overdue = last is None or session.clock() - _parse(last.made_at) > timedelta(days=days)
    return BackupStatus(last, days, overdue)


def set_warn_after_days(session: Session, days: int) -> None:
    require(session, Action.BACK_UP)
    session.check_open()
    if not 1 <= days <= MAX_WARN_DAYS:
        raise Refused(f"The warning period is 1 to {MAX_WARN_DAYS} days.")
    with transaction(session.conn) as conn:
        store.set_warn_after_days(conn, days, session.user.name, session.now())
        audit.record(conn, session.user.name, "backup.warn_period", "backups", f"warn after {days} days", session.clock())


def recent_backups(session: Session, limit: int = 100) -> list[store.BackupRow]:
    """The backups this store knows it made and checked, newest first."""
    require(session, Action.BACK_UP)
    session.check_open()
    return store.recent(session.conn, limit)
