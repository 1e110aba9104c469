"""The report queue and the read-only report view, for analysts and supervisors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline_tui.errors import Refused
from hotline_tui.reference import force_by_code
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags.escalation import THRESHOLD as ESCALATION_THRESHOLD
from hotline_tui.services.sealed import contact
from hotline_tui.services.session import Session
from hotline_tui.store import queue as queries
from hotline_tui.store import reports as store
from hotline_tui.store.assessments import ReturnNote, return_note
from hotline_tui.store.connection import transaction
from hotline_tui.store.queue import QueueFilter

STATUSES = (
    "new", "in_assessment", "awaiting_approval", "approved", "referred", "no_further_action", "duplicate",
    "information_only",
)
STATUS_LABELS = {
    "new": "new",
    "in_assessment": "in assessment",
    "awaiting_approval": "awaiting approval",
    "approved": "approved, to seal",
    "referred": "referred",
    "no_further_action": "no further action",
    "duplicate": "duplicate",
    "information_only": "information only",
}
SORT_KEYS = tuple(queries.SORTS)
NOT_YET_REFERRED = ("new", "in_assessment", "awaiting_approval", "approved")
RETURNED_LABEL = "returned"  # and ↩ before the reference, seen at any width
ESCALATED = "escalated"  # about a person reported independently THRESHOLD+ times: ▲ in the flags column
# The queue's status choices: each status in a report's life, then three that are not one status each.
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    *((STATUS_LABELS[s], s) for s in STATUSES),
    ("returned with comments", "returned"),
    ("not yet referred", "not_yet_referred"),  # as home's "Urgent, not yet referred" says it
    (f"▲ reported {ESCALATION_THRESHOLD}+ times", ESCALATED),  # the ▲ of the flags column
)
PRIORITY_CHOICES = (("urgent", "urgent"), ("high", "high"), ("normal", "normal"))


def status_filter(choice: str | None, escalated: tuple[int, ...] = ()) -> dict[str, Any]:
    """The QueueFilter fields a status choice sets (``escalated``: the reports escalated
    now, services/redflags/escalation.py ``escalated_reports``)."""
    if choice == ESCALATED:
        return {"among": escalated}
    if choice == "not_yet_referred":
        return {"statuses": NOT_YET_REFERRED}
    if choice == "returned":
        return {"returned": True}
    return {"status": choice} if choice else {}


@dataclass(frozen=True)
class QueuePreset:
    """A list the queue opens on (from a count on home): what its filters are set to."""

    status: str | None = None      # a STATUS_CHOICES value
    priority: str | None = None
    mine: bool = False             # assigned to me, in my hands

    def filter(self, user: str, escalated: tuple[int, ...] = ()) -> QueueFilter:
        """The preset's filter for ``user``; ``escalated``: the reports escalated now."""
        return QueueFilter(priority=self.priority, held_by=user if self.mine else None,
                           **status_filter(self.status, escalated))


@dataclass(frozen=True)
class QueueRow:
    key: int
    reference: str
    received_at: str
    channel: str
    force_code: str | None
    force_assessed: bool
    force_hint: str
    behaviours: str
    status: str
    priority: str
    red_flags: int
    assigned_to: str | None
    returned: bool = False

    @property
    def status_label(self) -> str:
        return RETURNED_LABEL if self.returned else STATUS_LABELS.get(self.status, self.status)


def force_label(row: QueueRow, *, short: bool = False) -> str:
    """The assessed force's name (``short``: as the room says it, "Avon and Somerset");
    until then ≈ the force the reporter's hint names."""
    if row.force_code:
        force = force_by_code(row.force_code)
        name = (force.short_name if short else force.name) if force else row.force_code
        return name if row.force_assessed else f"≈ {name}"
    return f"≈ {row.force_hint}" if row.force_hint else "—"


class QueueView:
    """One filter and sort over the queue; counts and pages come straight from SQL."""

    def __init__(self, session: Session, flt: QueueFilter | None = None, sort: str = "received", descending: bool = True):
        require(session, Action.VIEW_QUEUE)
        if sort not in queries.SORTS:
            raise ValueError(f"unknown sort column {sort!r}")
        self.session = session
        self.filter = flt or QueueFilter()
        self.sort = sort
        self.descending = descending
        self._count: int | None = None
        self._groups: list[tuple[Any, int]] | None = None

    def count(self) -> int:
        """Count the filter's reports (again), and forget the groups counted for pages."""
        self._count = queries.count(self.session.conn, self.filter)
        self._groups = None
        return self._count

    def page(self, offset: int, limit: int) -> list[QueueRow]:
        # The last count picks the query's plan, and a grouped sort's pages share one
        # count of its groups, both until the next count (a refresh): a report changed
        # meanwhile moves between pages as it would between two refreshes.
        conn = self.session.conn
        matching = self._count if self._count is not None else self.count()
        if self._groups is None and queries.grouped(self.sort, matching):
            self._groups = queries.group_counts(conn, self.filter, self.sort, self.descending)
        rows = queries.page(conn, self.filter, self.sort, self.descending, offset, limit, matching, self._groups)
        return [
            QueueRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6] or "", r[7], r[8], r[9], r[10], r[11], bool(r[12]))
            for r in rows
        ]


@dataclass(frozen=True)
class ReportDetail:
    """A report as an analyst or supervisor reads it: its document without the reporter's
    contact details (``reveal_contact`` alone gives them, audited)."""

    key: int
    report_id: str
    document: dict[str, Any]
    state: dict[str, Any]
    attachments: list[tuple[int, str, str, int]]
    has_contact: bool
    returned: ReturnNote | None = None  # its referral, returned by a supervisor with comments


def report_detail(session: Session, key: int) -> ReportDetail:
    require(session, Action.VIEW_REPORT)
    found = contact.full_document(session, key)
    if found is None:
        raise Refused("That report is no longer in the store.")
    report_id, document = found
    state = store.report_state(session.conn, report_id) or {}
    return ReportDetail(key, report_id, contact.without_contact(document), state,
                        store.attachments_of(session.conn, report_id), contact.has_contact(document),
                        return_note(session.conn, report_id))


REPORTER_FIELDS = ("name", "phone", "email", "relationship", "consent_to_contact")


def reveal_contact(session: Session, key: int, reason: str) -> dict[str, Any]:
    """The reporter's contact details, after writing who asked and why to the audit log
    (in the same transaction as the reading). The only service that returns them."""
    require(session, Action.REVEAL_CONTACT)
    reason = reason.strip()
    if len(reason) < 10:
        raise Refused("Say why you need the reporter's details (at least 10 characters); it goes to the audit log.")
    with transaction(session.conn):
        found = contact.full_document(session, key)
        if found is None:
            raise Refused("That report is no longer in the store.")
        report_id, document = found
        reference = (store.report_state(session.conn, report_id) or {}).get("reference", report_id)
        audit.record(session.conn, session.user.name, "report.contact_revealed", f"report {reference}", reason,
                     at=session.now())
    reporter = document.get("reporter") or {}
    return {k: reporter[k] for k in REPORTER_FIELDS if k in reporter}
