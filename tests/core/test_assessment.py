"""Assessment on the demo room: taking, drafts, problems, each decision, returns, permissions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from assesskit import SUMMARY, Demo, demo, document, first_key_where, has_contact, referral_form

from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services.audit_trail.chain import verify_chain
from hotline_tui.services.sanitiser import referral_leaks, reporter_values
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import (
    NFA_REASONS,
    AssessmentForm,
    SubjectEntry,
    anonymous_default_grading,
    load_assessment,
    problems,
    referral_document,
    release_report,
    return_to_analyst,
    returned_comments,
    save_draft,
    starting_form,
    submit,
    take_report,
)
from import_export.documents import validate_referral

__all__ = ["demo"]


def _audit(session: Session, action: str) -> list[tuple[str, str, str]]:
    return list(session.conn.execute("SELECT actor, object, reason FROM audit WHERE action = ? ORDER BY seq", (action,)))


def _state(session: Session, key: int) -> tuple[Any, ...]:
    row = session.conn.execute("SELECT status, assigned_to, force_code, priority FROM reports WHERE id = ?", (key,))
    return tuple(row.fetchone())


def _referral(session: Session, key: int) -> dict[str, Any]:
    row = session.conn.execute(
        "SELECT f.referral_id, f.reference, f.state, f.document, f.force_code, f.analyst FROM referrals f"
        " JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?", (key,)
    ).fetchone()
    keys = ("referral_id", "reference", "state", "document", "force_code", "analyst")
    found = dict(zip(keys, row, strict=True))
    found["document"] = json.loads(found["document"])
    return found


@pytest.fixture
def ana(demo: Demo) -> Iterator[Session]:
    session = demo.unlock("ana")
    yield session
    session.close()


@pytest.fixture
def contact_key(ana: Session) -> int:
    """A report whose reporter left a name, phone and e-mail."""
    return first_key_where(ana, has_contact)


# -- taking and giving back ----------------------------------------------------------------


def test_take_assigns_and_audits_and_others_are_refused(demo: Demo, ana: Session) -> None:
    assessment = take_report(ana, 1)
    assert (assessment.status, assessment.assigned_to) == ("in_assessment", "ana")
    assert _state(ana, 1)[:2] == ("in_assessment", "ana")
    assert [r[0] for r in _audit(ana, "report.taken")] == ["ana"]
    ben = demo.unlock("ben")
    try:
        with pytest.raises(Refused, match="ana is assessing"):
            take_report(ben, 1)
        with pytest.raises(Refused, match="ana is assessing"):
            save_draft(ben, 1, AssessmentForm(summary="ben's words"))
        release_report(ana, 1)
        assert _state(ana, 1)[:2] == ("new", None)
        assert take_report(ben, 1).assigned_to == "ben"
    finally:
        ben.close()


def test_taking_a_report_you_hold_returns_your_draft(ana: Session) -> None:
    take_report(ana, 2)
    save_draft(ana, 2, AssessmentForm(summary="half written"))
    again = take_report(ana, 2)
    assert again.form.summary == "half written"
    assert len(_audit(ana, "report.taken")) == 1


def test_a_decided_report_cannot_be_taken(ana: Session) -> None:
    take_report(ana, 3)
    submit(ana, 3, AssessmentForm(decision="information_only", decision_note="kept for red flags"))
    with pytest.raises(Refused, match="already decided"):
        take_report(ana, 3)


def test_the_security_officer_cannot_assess(demo: Demo, ana: Session) -> None:
    take_report(ana, 4)
    officer = demo.unlock("officer")
    try:
        for attempt in (lambda: take_report(officer, 5), lambda: load_assessment(officer, 4),
                        lambda: save_draft(officer, 4, AssessmentForm()), lambda: submit(officer, 4, referral_form()),
                        lambda: return_to_analyst(officer, "x", "no")):
            with pytest.raises(PermissionDenied):
                attempt()
    finally:
        officer.close()


# -- the starting form and the default grading ------------------------------------------------


def test_starting_form_takes_the_reports_subjects_behaviours_and_force(ana: Session) -> None:
    key = first_key_where(ana, lambda d: d.get("force_hint") == "Kent Police" and d["behaviours"])
    doc = document(ana, key)
    form = take_report(ana, key).form
    assert form.force == "kent"
    assert form.behaviours == doc["behaviours"]
    assert [s.name for s in form.subjects] == [s.get("name", "") for s in doc["subjects"]]
    assert [s.collar_number for s in form.subjects] == [s.get("collar_number", "") for s in doc["subjects"]]
    assert (form.source, form.intelligence, form.handling, form.decision) == (None, None, None, None)


def test_the_anonymous_default_grading_is_offered_not_applied() -> None:
    assert anonymous_default_grading({"narrative": "People say he takes money."}) == ("2", "C", "P")
    assert anonymous_default_grading({"narrative": "I saw him take the envelope."}) == ("2", "A", "P")
    assert anonymous_default_grading({"narrative": "He threatened me twice."}) == ("2", "A", "P")
    assert starting_form({"narrative": "I saw him."}).source is None


# -- drafts ------------------------------------------------------------------------------------


def test_a_draft_survives_locking_and_unlocking(demo: Demo, ana: Session) -> None:
    take_report(ana, 6)
    form = referral_form(summary="first words", priority="urgent", priority_reason="ongoing abuse")
    for n in range(5):
        form.summary += f" more {n}"
        saved_at = save_draft(ana, 6, form)
    ana.close()
    again = demo.unlock("ana")
    try:
        assessment = load_assessment(again, 6)
        assert assessment.form == form
        assert assessment.draft_saved_at == saved_at
        assert len(_audit(again, "assessment.draft_started")) == 1  # one entry per take, not per keystroke
        assert verify_chain(again.conn).ok
    finally:
        again.close()


def test_each_take_logs_its_first_draft_save(ana: Session) -> None:
    take_report(ana, 7)
    save_draft(ana, 7, AssessmentForm(summary="a"))
    save_draft(ana, 7, AssessmentForm(summary="ab"))
    release_report(ana, 7)
    assert _state(ana, 7)[0] == "in_assessment"  # work began: not new any more
    assert take_report(ana, 7).form.summary == "ab"
    save_draft(ana, 7, AssessmentForm(summary="abc"))
    assert len(_audit(ana, "assessment.draft_started")) == 2


def test_a_form_round_trips_and_old_drafts_load() -> None:
    form = referral_form(handling="C", handling_conditions=["A1", "S2"], iopc_criteria=["serious_corruption"])
    assert AssessmentForm.from_dict(json.loads(json.dumps(form.to_dict()))) == form
    old = AssessmentForm.from_dict({"summary": "old", "subjects": [{"name": "X", "role": "ninja"}, "junk"], "categories": 3})
    assert old.summary == "old" and old.categories == [] and old.priority == "normal"
    assert old.subjects == [SubjectEntry("unknown", "X")]
    assert AssessmentForm.from_dict(None) == AssessmentForm()


# -- problems ------------------------------------------------------------------------------------

REPORT = {"report_id": "3f2a9c1e-5b7d-4c2a-9e8f-1a2b3c4d5e6f", "reference": "PAC-2026-004211",
          "reporter": {"name": "Harriet Quenby", "phone": "07700 900123", "email": "hq@example.org"}, "subjects": []}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"decision": None}, "Choose a decision"),
        ({"force": None}, "Choose the force"),
        ({"force": "other", "force_other_note": "NCA"}, "cannot be referred"),
        ({"force": "atlantis"}, "Unknown force"),
        ({"subjects": []}, "Identify at least one subject"),
        ({"subjects": [SubjectEntry("officer", rank="PC")]}, "Identify at least one subject"),
        ({"categories": []}, "at least one national category"),
        ({"categories": ["bribery"]}, "Unknown category"),
        ({"source": None}, "Grade the source"),
        ({"intelligence": None}, "Grade the intelligence"),
        ({"handling": None}, "handling code"),
        ({"handling": "C"}, "needs its conditions"),
        ({"handling_conditions": ["A1"]}, "Conditions go with handling code C"),
        ({"priority": "urgent"}, "Say why this is urgent"),
        ({"summary": "Too short."}, "at least 40 characters (10 so far)"),
        ({"summary": SUMMARY + " Ring 07700 900 123."}, "The summary contains the reporter's phone number"),
        ({"summary": SUMMARY + " HARRIET QUENBY saw."}, "The summary contains the reporter's name"),
        ({"summary": SUMMARY + " hq@EXAMPLE.org"}, "The summary contains the reporter's e-mail address"),
        ({"summary": SUMMARY + " (pac-2026-004211)"}, "The summary contains the intake reference"),
        ({"subjects": [SubjectEntry("officer", "Dave Whitfield", station="Quenby Road")]},
         "Subject 1's station contains the reporter's surname"),
        ({"priority": "urgent", "priority_reason": "call 07700900123"}, "The priority reason contains"),
        ({"force": "police-scotland", "iopc_criteria": ["serious_corruption"]}, "answers to the PIRC"),
        ({"decision": "no_further_action"}, "Choose the reason for no further action"),
        ({"decision": "no_further_action", "nfa_reason": "other"}, "Say why in the note"),
        ({"decision": "duplicate"}, "Give the reference"),
        ({"decision": "duplicate", "duplicate_of": "PAC-2026-004211"}, "cannot duplicate itself"),
        ({"decision": "information_only"}, "Say in the note why"),
        ({"decision": "information_only", "decision_note": "x", "force": "other"}, "Say which body 'other' is"),
        # what approval would refuse, said at submit in the form's words
        ({"when": "every Friday " * 200}, "When it happened is longer than 2,000 characters (2,599): shorten it"),
        ({"subjects": [SubjectEntry("officer", "Dave Whitfield", station="Lewisham " * 300)]},
         "Subject 1's station is longer than 2,000 characters"),
    ],
)
def test_problems_name_each_missing_piece(changes: dict[str, Any], expected: str) -> None:
    found = problems(referral_form(**changes), REPORT)
    assert any(expected in p for p in found), found


def test_a_reporter_value_in_when_or_where_is_said_once_in_the_forms_words() -> None:
    found = problems(referral_form(where="ring 07700 900123 for the address", when="ask Harriet Quenby"), REPORT)
    assert found == ["When it happened contains the reporter's name (characters 5-18): remove it.",
                     "Where it happened contains the reporter's phone number (characters 6-17): remove it."]


def test_a_complete_form_has_no_problems() -> None:
    assert problems(referral_form(), REPORT) == []
    assert problems(referral_form(force="btp", iopc_criteria=["serious_corruption"]), REPORT) == []
    assert problems(referral_form(handling="C", handling_conditions=["A2", "S2"]), REPORT) == []
    assert problems(AssessmentForm(decision="no_further_action", nfa_reason=NFA_REASONS[0][0]), REPORT) == []
    assert problems(AssessmentForm(decision="duplicate", duplicate_of="PAC-2026-000001"), REPORT) == []


# -- deciding ------------------------------------------------------------------------------------------


def test_refer_creates_a_referral_awaiting_approval(ana: Session, contact_key: int) -> None:
    take_report(ana, contact_key)
    assert submit(ana, contact_key, referral_form(priority="high")) == "awaiting_approval"
    assert _state(ana, contact_key) == ("awaiting_approval", "ana", "metropolitan", "high")
    referral = _referral(ana, contact_key)
    assert referral["reference"] == "HTR-2026-000001"
    assert (referral["state"], referral["force_code"], referral["analyst"]) == ("awaiting_approval", "metropolitan", "ana")
    doc = referral["document"]
    assert doc["referral_id"] == referral["referral_id"] and doc["reference"] == "HTR-2026-000001"
    assert doc["approved_by"] == {"name": "", "key_id": ""} and doc["approved_at"] == ""
    assert doc["subjects"] == [{"role": "officer", "name": "Dave Whitfield", "rank": "PC", "collar_number": "4417",
                                "station": "Lewisham"}]
    approved = {**doc, "approved_by": {"name": "Sam", "key_id": "0123456789abcdef"}, "approved_at": "2026-03-15T10:00:00Z"}
    validate_referral(approved)
    assert referral_document(ana, referral["referral_id"]) == doc
    assert _audit(ana, "assessment.submitted")[0][2].startswith("referral HTR-2026-000001 to Metropolitan Police Service")


def test_the_referral_carries_no_reporter_value_anywhere(ana: Session, contact_key: int) -> None:
    report = document(ana, contact_key)
    take_report(ana, contact_key)
    submit(ana, contact_key, referral_form())
    doc = _referral(ana, contact_key)["document"]
    text = json.dumps(doc, ensure_ascii=False).casefold()
    assert "reporter" not in doc
    for value in reporter_values(report):
        assert value.casefold() not in text, value
    assert referral_leaks(doc, report) == []


def test_referral_numbers_are_sequential(ana: Session) -> None:
    for key in (10, 11):
        take_report(ana, key)
        submit(ana, key, referral_form())
    assert [_referral(ana, k)["reference"] for k in (10, 11)] == ["HTR-2026-000001", "HTR-2026-000002"]


@pytest.mark.parametrize(
    "leak", ["phone", "name", "email", "reference", "phone_spaced", "email_upper", "report_id"]
)
def test_submit_refuses_a_reporter_value_even_when_called_directly(ana: Session, contact_key: int, leak: str) -> None:
    report = document(ana, contact_key)
    reporter = report["reporter"]
    digits = "".join(c for c in reporter["phone"] if c.isdigit())
    value = {
        "phone": reporter["phone"], "name": reporter["name"], "email": reporter["email"],
        "reference": report["reference"], "phone_spaced": " ".join(digits), "email_upper": reporter["email"].upper(),
        "report_id": report["report_id"],
    }[leak]
    take_report(ana, contact_key)
    with pytest.raises(Refused, match="Not submitted"):
        submit(ana, contact_key, referral_form(summary=f"{SUMMARY} Details: {value}."))
    assert _state(ana, contact_key)[0] == "in_assessment"
    assert ana.conn.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("form", "status"),
    [
        (AssessmentForm(decision="no_further_action", nfa_reason="not_police_conduct"), "no_further_action"),
        (AssessmentForm(decision="no_further_action", nfa_reason="other", decision_note="a civil dispute"),
         "no_further_action"),
        (AssessmentForm(decision="information_only", decision_note="vague; kept for red flags", force="kent"),
         "information_only"),
    ],
)
def test_closing_decisions_set_the_status_and_record_why(ana: Session, form: AssessmentForm, status: str) -> None:
    take_report(ana, 20)
    assert submit(ana, 20, form) == status
    assert _state(ana, 20)[0] == status
    assert load_assessment(ana, 20).form == form
    assert ana.conn.execute("SELECT decision FROM assessments WHERE report_key = 20").fetchone()[0] == form.decision
    assert _audit(ana, "assessment.submitted")[-1][2].startswith(status.replace("_", " "))


def test_a_duplicate_must_name_an_existing_other_report(ana: Session) -> None:
    other = ana.conn.execute("SELECT reference FROM reports WHERE id = 30").fetchone()[0]
    take_report(ana, 21)
    with pytest.raises(Refused, match="No other report"):
        submit(ana, 21, AssessmentForm(decision="duplicate", duplicate_of="PAC-1999-999999"))
    assert submit(ana, 21, AssessmentForm(decision="duplicate", duplicate_of=other)) == "duplicate"
    assert _audit(ana, "assessment.submitted")[-1][2] == f"duplicate of {other}"


def test_submit_needs_the_report_taken(demo: Demo, ana: Session) -> None:
    with pytest.raises(Refused, match="Take report"):
        submit(ana, 22, referral_form())
    take_report(ana, 22)
    ben = demo.unlock("ben")
    try:
        with pytest.raises(Refused, match="ana is assessing"):
            submit(ben, 22, referral_form())
    finally:
        ben.close()


# -- returned referrals ----------------------------------------------------------------------------------


def test_a_returned_referral_shows_comments_and_can_be_resubmitted(demo: Demo, ana: Session, contact_key: int) -> None:
    take_report(ana, contact_key)
    submit(ana, contact_key, referral_form())
    first = _referral(ana, contact_key)
    sam = demo.unlock("sam")
    try:
        with pytest.raises(Refused, match="comments are required"):
            return_to_analyst(sam, first["referral_id"], "  ")
        return_to_analyst(sam, first["referral_id"], "Say which car park, and drop the month.")
        with pytest.raises(Refused, match="returned, not awaiting approval"):
            return_to_analyst(sam, first["referral_id"], "again")
    finally:
        sam.close()
    with pytest.raises(PermissionDenied):
        return_to_analyst(ana, first["referral_id"], "analysts cannot return")
    assert _state(ana, contact_key)[:2] == ("in_assessment", "ana")
    assert returned_comments(ana, contact_key) == "Say which car park, and drop the month."
    assessment = take_report(ana, contact_key)
    assert assessment.returned_comments == "Say which car park, and drop the month."
    assert assessment.form.summary == SUMMARY
    new_summary = SUMMARY.replace("a car park", "the Catford retail park car park")
    assert submit(ana, contact_key, referral_form(summary=new_summary)) == "awaiting_approval"
    again = _referral(ana, contact_key)
    assert (again["referral_id"], again["reference"], again["state"]) == (first["referral_id"], first["reference"],
                                                                            "awaiting_approval")
    assert again["document"]["summary"] == new_summary
    assert returned_comments(ana, contact_key) is None
    assert [r[2] for r in _audit(ana, "referral.returned")] == ["Say which car park, and drop the month."]


def test_closing_a_returned_report_withdraws_its_referral(demo: Demo, ana: Session) -> None:
    take_report(ana, 40)
    submit(ana, 40, referral_form())
    sam = demo.unlock("sam")
    try:
        return_to_analyst(sam, _referral(ana, 40)["referral_id"], "Not enough for the force; information only?")
    finally:
        sam.close()
    submit(ana, 40, AssessmentForm(decision="information_only", decision_note="supervisor agreed"))
    assert _referral(ana, 40)["state"] == "withdrawn"


# -- what the force reads besides the summary ------------------------------------------------------


def _described(doc: dict[str, Any]) -> bool:
    subjects = doc.get("subjects") or []
    return bool(doc.get("when") and doc.get("where") and subjects and subjects[0].get("description"))


def test_when_where_and_the_subjects_descriptions_travel_without_retyping(ana: Session) -> None:
    key = first_key_where(ana, lambda d: _described(d) and not has_contact(d))
    report = document(ana, key)
    form = take_report(ana, key).form
    assert (form.when, form.where) == (report["when"], report["where"])
    assert form.subjects[0].description == report["subjects"][0]["description"]
    filled = referral_form(when=form.when, where=form.where,
                           subjects=[SubjectEntry("officer", "Dave Whitfield", "PC", "4417", "Lewisham",
                                                  description=form.subjects[0].description)])
    submit(ana, key, filled)
    sent = _referral(ana, key)["document"]
    assert (sent["when"], sent["where"]) == (report["when"], report["where"])
    assert sent["subjects"][0]["description"] == report["subjects"][0]["description"]
    assert "reporter" not in sent and validate_referral(dict(sent, approved_at="2026-11-20T12:00:00Z")) is not None


def test_a_description_or_place_is_checked_for_the_reporter_like_the_summary(ana: Session) -> None:
    key = first_key_where(ana, has_contact)
    phone = document(ana, key)["reporter"]["phone"]
    take_report(ana, key)
    with pytest.raises(Refused, match="Subject 1's description"):
        submit(ana, key, referral_form(subjects=[SubjectEntry("officer", "Dave Whitfield", description=f"call {phone}")]))
    with pytest.raises(Refused, match="Where it happened"):
        submit(ana, key, referral_form(where=f"ring {phone} for the address"))
