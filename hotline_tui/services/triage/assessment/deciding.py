"""Deciding: ``submit`` checks the form again whatever the screen showed, then in one
transaction creates the referral for approval or records why not; a supervisor may
return a referral to its analyst with comments."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hotline_tui.errors import Refused
from hotline_tui.reference import force_name
from hotline_tui.services import redflags
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.sanitiser import ROOM_REFERENCE_PREFIX
from hotline_tui.services.sanitiser.answers import answered_lines
from hotline_tui.services.sanitiser.referral import force_leaks
from hotline_tui.services.sealed.contact import full_document
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment.checks import form_warnings, problems
from hotline_tui.services.triage.assessment.form import NFA_REASONS, AssessmentForm, build_referral
from hotline_tui.services.triage.assessment.holding import form_json, held_report, report_head
from hotline_tui.store import assessments as store
from hotline_tui.store.assessments import ReportHead
from hotline_tui.store.connection import transaction
from import_export.bundle import to_the_second


def force_texts(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The free texts of a referral a force reads, by where they are: each is checked
    for the reporter as the summary is (the sanitiser's warnings and its blocking checks)."""
    texts = [(key, str(document.get(key) or "")) for key in ("summary", "when", "where")]
    for number, subject in enumerate(document.get("subjects") or [], 1):
        if isinstance(subject, dict) and subject.get("description"):
            texts.append((f"subject {number}'s description", str(subject["description"])))
    return [(where, text) for where, text in texts if text]


def _refuse_problems(found: list[str]) -> None:
    if found:
        raise Refused("Not submitted:\n" + "\n".join(f"- {p}" for p in found))


def _refer(session: Session, head: ReportHead, report: dict[str, Any], form: AssessmentForm, at: str) -> str:
    conn, user = session.conn, session.user.name
    existing = store.referral_of_report(conn, head.report_id)
    if existing and existing.state not in ("returned", "withdrawn"):
        raise Refused(f"Report {head.reference} already has referral {existing.reference} ({existing.state.replace('_', ' ')}).")
    linked = [r for r in store.referral_ids_of_reports(conn, redflags.confirmed_links(conn, head.key))
              if not existing or r != existing.referral_id]
    year = int(at[:4])
    number = 0 if existing else store.next_referral_number(conn, year)
    referral_id = existing.referral_id if existing else str(uuid.uuid4())
    room_reference = existing.reference if existing else f"{ROOM_REFERENCE_PREFIX}-{year}-{number:06d}"
    document = build_referral(form, referral_id, room_reference, to_the_second(at), user, linked)
    leaks = force_leaks(document, report)
    if leaks:
        raise Refused("Not submitted: the referral would identify the reporter:\n" + "\n".join(f"- {p}" for p in leaks))
    text = json.dumps(document, ensure_ascii=False)
    assert form.force is not None  # checked by problems()
    if existing:
        store.resubmit_referral(conn, referral_id, form.force, user, text, at)
    else:
        store.insert_referral(conn, referral_id, room_reference, year, number, head.report_id, form.force, user, text, at)
    store.set_report_state(conn, head.key, "awaiting_approval", user, form.force, form.priority)
    return f"referral {room_reference} to {force_name(form.force)} for approval" + (" (resubmitted)" if existing else "")


def _close(session: Session, head: ReportHead, form: AssessmentForm, at: str) -> str:
    conn = session.conn
    decision = form.decision or ""
    if decision == "duplicate":
        other = store.report_key_by_reference(conn, form.duplicate_of.strip())
        if other is None or other == head.key:
            raise Refused(f"No other report has the reference {form.duplicate_of.strip()!r}.")
    existing = store.referral_of_report(conn, head.report_id)
    if existing and existing.state == "returned":
        store.set_referral_state(conn, existing.referral_id, "withdrawn")
    store.set_report_state(conn, head.key, decision, session.user.name, form.force or None, form.priority)
    if decision == "no_further_action":
        return f"no further action: {dict(NFA_REASONS).get(form.nfa_reason or '', '')}"
    if decision == "duplicate":
        return f"duplicate of {form.duplicate_of.strip()}"
    return "information only"


def submit(session: Session, key: int, form: AssessmentForm) -> str:
    """Decide the report; returns its new status. Refer creates (or, after a return,
    renews) the referral awaiting approval. Everything is checked here again."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    with transaction(conn):
        head = held_report(conn, key, user)
        _, report = full_document(session, key) or ("", json.loads(head.document))  # contact details included
        _refuse_problems(problems(form, report))
        at = session.now()
        if form.decision == "refer":
            what = _refer(session, head, report, form, at)
        else:
            what = _close(session, head, form, at)
        store.record_decision(conn, key, form_json(form), form.decision or "", user, at)
        if form.decision == "refer":
            for line in answered_lines(form_warnings(form, report), form.answers()):
                audit.record(conn, user, "assessment.warning_answered", f"report {head.reference}", line, at=at)
        redflags.index_assessed(conn, key, form.subjects, form.force)
        audit.record(conn, user, "assessment.submitted", f"report {head.reference}", what, at=at)
        return report_head(conn, key).status


# -- the supervisor's side ------------------------------------------------------------------


def return_to_analyst(session: Session, referral_id: str, comments: str) -> None:
    """Send a referral awaiting approval back to its analyst with comments; the report
    goes back to their queue, still theirs."""
    require(session, Action.RETURN_REFERRAL)
    session.check_open()
    comments = comments.strip()
    if not comments:
        raise Refused("Say what the analyst should change: comments are required.")
    conn, user = session.conn, session.user.name
    with transaction(conn):
        found = store.referral(conn, referral_id)
        if found is None:
            raise Refused("No such referral.")
        if found.state != "awaiting_approval":
            raise Refused(f"Referral {found.reference} is {found.state.replace('_', ' ')}, not awaiting approval.")
        at = session.now()
        store.return_referral(conn, referral_id, user, at, comments)
        key = store.report_key_of(conn, found.report_id)
        store.set_report_state(conn, key, "in_assessment", found.analyst)
        store.reopen(conn, key, found.analyst, at)
        audit.record(conn, user, "referral.returned", f"referral {found.reference}", comments, at=at)


def referral_document(session: Session, referral_id: str) -> dict[str, Any]:
    """The referral as it stands (for the supervisor's review)."""
    require(session, Action.VIEW_REPORT)
    found = store.referral(session.conn, referral_id)
    if found is None:
        raise Refused("No such referral.")
    document: dict[str, Any] = json.loads(found.document)
    return document

