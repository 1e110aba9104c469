"""Taking a report to assess, saving its draft, giving it back: only the analyst holding
a report writes to its assessment."""

from __future__ import annotations

import json
from dataclasses import replace

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.sealed.contact import without_contact
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment.form import (
    PRIORITIES,
    STATUS_WORDS,
    TAKEABLE,
    Assessment,
    AssessmentForm,
    report_text,
    starting_form,
)
from hotline_tui.store import assessments as store
from hotline_tui.store.assessments import ReportHead
from hotline_tui.store.connection import Connection, transaction


def report_head(conn: Connection, key: int) -> ReportHead:
    head = store.report_head(conn, key)
    if head is None:
        raise Refused("That report is no longer in the store.")
    return head


def held_report(conn: Connection, key: int, user: str) -> ReportHead:
    """The report, if ``user`` is assessing it; else say why not."""
    head = report_head(conn, key)
    if head.status in STATUS_WORDS:
        raise Refused(f"Report {head.reference} is already decided ({STATUS_WORDS[head.status]}).")
    if head.assigned_to and head.assigned_to != user:
        raise Refused(f"{head.assigned_to} is assessing report {head.reference}.")
    if head.assigned_to != user:
        raise Refused(f"Take report {head.reference} first.")
    return head


def _assessment(conn: Connection, head: ReportHead) -> Assessment:
    document = json.loads(head.document)
    draft = store.draft(conn, head.key)
    form = AssessmentForm.from_dict(json.loads(draft.form)) if draft else starting_form(document)
    if draft and "when" not in json.loads(draft.form):  # a draft from before when and where travelled
        form = replace(form, when=report_text(document, "when"), where=report_text(document, "where"))
    note = store.return_note(conn, head.report_id)
    return Assessment(
        head.key, head.report_id, head.reference, without_contact(document), head.status, head.assigned_to, form,
        note.comments if note else None, draft.draft_saved_at if draft else None, note,
    )


def form_json(form: AssessmentForm) -> str:
    return json.dumps(form.to_dict(), ensure_ascii=False)


def load_assessment(session: Session, key: int) -> Assessment:
    """The report and its assessment as it stands (the draft, or the starting form)."""
    require(session, Action.ASSESS)
    session.check_open()
    return _assessment(session.conn, report_head(session.conn, key))


def may_take(session: Session, status: str, assigned_to: str | None) -> bool:
    """Whether ``take_report`` would let this user take a report in this state (what the
    screens offer "Assess" on)."""
    if status == "in_assessment" and assigned_to == session.user.name:
        return True
    return status in TAKEABLE and assigned_to in (None, "", session.user.name)


def take_report(session: Session, key: int) -> Assessment:
    """Assign the report to the user to assess; theirs already: their draft as it stands."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    with transaction(conn):
        head = report_head(conn, key)
        if head.assigned_to == user and head.status == "in_assessment":
            return _assessment(conn, head)
        if head.status not in TAKEABLE:
            raise Refused(f"Report {head.reference} is already decided ({STATUS_WORDS.get(head.status, head.status)}).")
        if head.assigned_to and head.assigned_to != user:
            raise Refused(f"{head.assigned_to} is assessing report {head.reference}; they must give it back first.")
        at = session.now()
        draft = store.draft(conn, key)
        store.start_take(conn, key, draft.form if draft else form_json(starting_form(json.loads(head.document))), user, at)
        store.set_report_state(conn, key, "in_assessment", user)
        audit.record(conn, user, "report.taken", f"report {head.reference}", "taken to assess", at=at)
        return _assessment(conn, report_head(conn, key))


def release_report(session: Session, key: int) -> None:
    """Give the report back to the queue; the draft stays for whoever takes it next."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    with transaction(conn):
        give_back(conn, held_report(conn, key, user), user, "given back to the queue", session.now())


def give_back(conn: Connection, head: ReportHead, actor: str, why: str, at: str) -> None:
    """``head``'s report back to the queue for anyone to take, its draft kept (in the
    caller's transaction): by its analyst, or for them when their role no longer assesses."""
    draft = store.draft(conn, head.key)
    started = bool(draft and draft.draft_saved_at) or store.returned_comments(conn, head.report_id) is not None
    store.set_report_state(conn, head.key, "in_assessment" if started else "new", None)
    audit.record(conn, actor, "report.released", f"report {head.reference}", why, at=at)


def save_draft(session: Session, key: int, form: AssessmentForm) -> str:
    """Save the draft (one read, one write); returns when. Only the analyst holding the
    report may save. The audit log records the first save of each take ("work began"),
    not every keystroke: the screen saves on every change, and an entry per keystroke
    would bury the log's real events while saying nothing a reviewer needs."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    at = session.now()
    data = form_json(form)
    with transaction(conn):
        head = held_report(conn, key, user)
        draft = store.draft(conn, key)
        store.save_form(conn, key, data, at)
        if form.priority in PRIORITIES:
            store.set_draft_priority(conn, key, form.priority)
        if draft is None or not draft.draft_logged:
            audit.record(conn, user, "assessment.draft_started", f"report {head.reference}",
                         "first draft save of this take; later saves are not logged", at=at)
    return at


def returned_comments(session: Session, key: int) -> str | None:
    """The supervisor's comments on a returned referral of this report, if it is returned."""
    require(session, Action.ASSESS)
    head = report_head(session.conn, key)
    return store.returned_comments(session.conn, head.report_id)


