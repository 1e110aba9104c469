"""Warnings answered, through the services: submit and approve check again, whatever a screen showed."""

from __future__ import annotations

import json

import pytest
from assesskit import PASSWORDS, Demo, demo, referral_form  # noqa: F401 (demo is a fixture)
from sealkit import new_reports

from hotline_tui.errors import Refused
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.referrals.approval import approve, review
from hotline_tui.services.sanitiser.answers import KEPT, REWORDED, WarningAnswer
from hotline_tui.services.triage.assessment import form_warnings, submit, take_report

WARNED = "Cash changes hands in a car park after late shifts. The victim says he threatened me if I talked."
REASON = "The officer's own words, quoted by the victim."


def _referred(demo: Demo, answers: list[dict[str, str]] | None = None) -> str:  # noqa: F811
    ana = demo.unlock("ana")
    try:
        key = next(new_reports(ana))
        assessment = take_report(ana, key)
        form = referral_form(summary=WARNED)
        form.warning_answers = answers if answers is not None else [
            WarningAnswer.of(w, KEPT, REASON).to_dict() for w in form_warnings(form, assessment.document)]
        submit(ana, key, form)
        return str(ana.conn.execute("SELECT referral_id FROM referrals").fetchone()[0])
    finally:
        ana.close()


def test_submit_refuses_a_warning_unanswered_or_only_said_to_be_reworded(demo: Demo) -> None:  # noqa: F811
    ana = demo.unlock("ana")
    try:
        key = next(new_reports(ana))
        assessment = take_report(ana, key)
        form = referral_form(summary=WARNED)
        (warning,) = form_warnings(form, assessment.document)
        for answers in ([], [WarningAnswer.of(warning, REWORDED)], [WarningAnswer.of(warning, KEPT, "ok")]):
            form.warning_answers = [a.to_dict() for a in answers]
            with pytest.raises(Refused, match="Answer the warning on the summary"):
                submit(ana, key, form)
        form.warning_answers = [WarningAnswer.of(warning, KEPT, REASON).to_dict()]
        assert submit(ana, key, form) == "awaiting_approval"
        reasons = [r for (r,) in ana.conn.execute("SELECT reason FROM audit WHERE action = 'assessment.warning_answered'")]
        assert reasons == [f"warning kept: {warning.describe()}; reason: {REASON}"]
    finally:
        ana.close()


def test_approve_refuses_until_every_warning_is_confirmed(demo: Demo) -> None:  # noqa: F811
    referral_id = _referred(demo)
    sam = demo.unlock("sam")
    try:
        key = unlock_personal_key(sam, PASSWORDS["sam"])
        seen = review(sam, referral_id)
        (warning, answer), = seen.warnings
        assert answer is not None and answer.reason == REASON
        with pytest.raises(Refused, match="Confirm the warnings"):
            approve(sam, referral_id, key)
        approve(sam, referral_id, key, seen.warning_keys)
        assert sam.conn.execute("SELECT state FROM referrals").fetchone()[0] == "approved"
    finally:
        sam.close()


def test_approve_refuses_a_warning_the_analyst_never_answered(demo: Demo) -> None:  # noqa: F811
    """The submitted assessment altered afterwards (its answers gone): approval says return it."""
    referral_id = _referred(demo)
    sam = demo.unlock("sam")
    try:
        row = sam.conn.execute("SELECT report_key, form FROM assessments").fetchone()
        form = json.loads(row[1])
        form["warning_answers"] = []
        sam.conn.execute("UPDATE assessments SET form = ? WHERE report_key = ?", (json.dumps(form), row[0]))
        key = unlock_personal_key(sam, PASSWORDS["sam"])
        seen = review(sam, referral_id)
        with pytest.raises(Refused, match="did not answer every warning"):
            approve(sam, referral_id, key, seen.warning_keys)
    finally:
        sam.close()
