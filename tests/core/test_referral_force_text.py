"""What the force reads, checked as it reads it: fields that are clean alone but meet in the
text rendering (a subject's rank and name on one line, a station line above a description)
are refused by submit and by approve, through the services, whatever a screen showed."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from assesskit import PASSWORDS, Demo, demo, referral_form  # noqa: F401 (demo is a fixture)
from sealkit import new_reports

from hotline_tui.errors import Refused
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.referrals.approval import approve, review
from hotline_tui.services.referrals.sealing import seal
from hotline_tui.services.sanitiser import phone_core, referral_leaks
from hotline_tui.services.sanitiser.referral import force_leaks, rendering
from hotline_tui.services.sealed.contact import full_document
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import SubjectEntry, submit, take_report

GRACE: dict[str, Any] = {
    "report_id": "e81f3a97-6c0d-4b25-9a4e-0d3b7f6c2a58", "reference": "PAC-2026-007345",
    "reporter": {"name": "Grace Hill", "phone": "0161 496 0377", "email": "g.hill@gmail.com"},
    "subjects": [{"role": "officer", "name": "PC Darren Whitlock", "station": "Longsight"}],
    "narrative": "I work with PC Darren Whitlock on response at Longsight.",
}
REFERRAL: dict[str, Any] = {
    "referral_id": "0f0e0d0c-0b0a-4909-8807-060504030201", "reference": "HTR-2026-000001", "force": "GMP",
    "created": "2026-01-01T00:00:00Z", "subjects": [{"role": "officer", "rank": "PC", "name": "Darren Whitlock"}],
    "categories": [], "behaviours": [], "priority": "normal", "priority_reason": "", "iopc_referral_criteria": [],
    "grading": {"source": "2", "intelligence": "B", "handling": "P", "handling_conditions": []},
    "summary": "PC Whitlock is alleged to share racist memes in a team group.", "linked_referrals": [],
    "analyst": "ana", "approved_by": {"name": "", "key_id": ""}, "approved_at": "", "attachments": [],
}


def _referral(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(REFERRAL)
    document.update(changes)
    return document


@pytest.mark.parametrize("subject", [
    {"role": "officer", "rank": "Grace", "name": "Hill"},  # "1. Grace Hill (officer)"
    {"role": "officer", "name": "Darren Whitlock", "station": "Hill", "description": "Grace of the response team"},
    {"role": "officer", "rank": "0161", "name": "4960", "collar_number": "377"},  # one number over three fields
])
def test_fields_clean_alone_that_meet_in_the_rendering_are_leaks(subject: dict[str, str]) -> None:
    document = _referral(subjects=[subject])
    assert referral_leaks(document, GRACE) == []  # each field alone says nothing
    leaks = force_leaks(document, GRACE)
    assert len(leaks) == 1 and "the text the force reads contains the reporter's" in leaks[0], leaks


def test_the_renderings_own_words_are_no_leak_for_a_reporter_named_like_them() -> None:
    """A reporter named Force or Summary: the referral's field names and the rendering's
    own labels are not the analyst's words."""
    for name in ("John Force", "Anne Summary", "Mo Priority", "Ella Grading"):
        report = dict(GRACE, reporter={"name": name})
        assert force_leaks(_referral(), report) == [], name
        assert "Force:" in rendering(_referral()) or "Priority:" in rendering(_referral())
    report = dict(GRACE, reporter={"name": "John Force"})
    assert force_leaks(_referral(summary="Force says he shares memes."), report) == [
        "summary contains the reporter's surname"]
    smuggled = _referral(extra={"Force John": "x"})
    assert force_leaks(smuggled, report)[0].startswith("a field name in extra contains")


def _reporter(session: Session, key: int) -> dict[str, Any]:
    found = full_document(session, key)
    assert found is not None
    reporter: dict[str, Any] = found[1].get("reporter") or {}
    return reporter


def _phone_over_three_fields(phone: str) -> SubjectEntry:
    """The phone's digits over a subject's rank, name and collar number: no field holds six
    of them in a row, the rendering's subject line holds them all."""
    core = "0" + phone_core(phone)
    return SubjectEntry("officer", name=core[4:8], rank=core[:4], collar_number=core[8:], station="Lewisham")


def _with_phone(session: Session) -> tuple[int, str]:
    for key in new_reports(session):
        phone = str(_reporter(session, key).get("phone") or "")
        if len(phone_core(phone)) >= 10:
            return key, phone
    raise AssertionError("the demo has no report with a phone")


def test_submit_refuses_a_number_the_force_would_read_across_fields(demo: Demo) -> None:  # noqa: F811
    ana = demo.unlock("ana")
    try:
        key, phone = _with_phone(ana)
        take_report(ana, key)
        form = referral_form(subjects=[_phone_over_three_fields(phone)])
        with pytest.raises(Refused, match="- The text the force reads contains the reporter's phone number where two fields"):
            submit(ana, key, form)
        assert ana.conn.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0
    finally:
        ana.close()


def test_approve_refuses_a_referral_whose_rendering_identifies_the_reporter(demo: Demo) -> None:  # noqa: F811
    """A referral stored before this check (or altered since): approve reads it as the force would."""
    ana = demo.unlock("ana")
    try:
        key, phone = _with_phone(ana)
        take_report(ana, key)
        submit(ana, key, referral_form())
        referral_id, stored = ana.conn.execute("SELECT referral_id, document FROM referrals").fetchone()
        document = json.loads(stored)
        document["subjects"] = [{k: v for k, v in _phone_over_three_fields(phone).fields().items() if v} | {
            "role": "officer"}]
        ana.conn.execute("UPDATE referrals SET document = ? WHERE referral_id = ?", (json.dumps(document), referral_id))
    finally:
        ana.close()
    sam = demo.unlock("sam")
    try:
        assert any("the text the force reads" in leak for leak in review(sam, referral_id).leaks)
        personal = unlock_personal_key(sam, PASSWORDS["sam"])
        with pytest.raises(Refused, match="still carries reporter details"):
            approve(sam, referral_id, personal)
        state = sam.conn.execute("SELECT state FROM referrals WHERE referral_id = ?", (referral_id,)).fetchone()[0]
        assert state == "awaiting_approval"
    finally:
        sam.close()


def test_sealing_holds_back_an_approved_referral_that_would_identify_the_reporter(demo: Demo, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Approved before a check learnt a disguise: sealing reads the signed text again, writes
    nothing for that force, and sends the referral back to awaiting approval (audited);
    sealing again writes the rest."""
    ana = demo.unlock("ana")
    try:
        keys = new_reports(ana)
        key, phone = _with_phone(ana)
        take_report(ana, key)
        submit(ana, key, referral_form())
        other = next(k for k in keys if k != key)
        take_report(ana, other)
        submit(ana, other, referral_form())
        (leaking,) = [r for (r,) in ana.conn.execute(
            "SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?", (key,))]
    finally:
        ana.close()
    media = tmp_path / "stick"
    media.mkdir()
    sam = demo.unlock("sam")
    try:
        personal = unlock_personal_key(sam, PASSWORDS["sam"])
        for (referral_id,) in sam.conn.execute("SELECT referral_id FROM referrals").fetchall():
            approve(sam, referral_id, personal)
        signed = json.loads(sam.conn.execute("SELECT signed_document FROM referrals WHERE referral_id = ?",
                                             (leaking,)).fetchone()[0])
        signed["subjects"] = [{"role": "officer", **{k: v for k, v in _phone_over_three_fields(phone).fields().items()
                                                      if v}}]
        sam.conn.execute("UPDATE referrals SET signed_document = ? WHERE referral_id = ?",
                         (json.dumps(signed).encode(), leaking))
        summary = seal(sam, media, ["metropolitan"])
        assert summary.sealed == [] and list(media.iterdir()) == []
        ((code, why),) = summary.failed
        assert code == "metropolitan" and "would identify the reporter" in why and "phone number" in why
        state = sam.conn.execute("SELECT state FROM referrals WHERE referral_id = ?", (leaking,)).fetchone()[0]
        assert state == "awaiting_approval"
        audited = sam.conn.execute("SELECT reason FROM audit WHERE action = 'referral.approval_withdrawn'").fetchall()
        assert len(audited) == 1 and "held back at sealing" in audited[0][0]
        again = seal(sam, media, ["metropolitan"])
        assert [b.count for b in again.sealed] == [1] and again.failed == []
    finally:
        sam.close()
