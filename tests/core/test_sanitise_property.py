"""Property: no value of the reporter object ever survives into a referral that can be submitted.

Random reporters (names, phones and e-mails in many shapes) and random summaries and
subject fields that may carry those values in varied forms: other case, other spacing,
other phone layouts, glued inside other words. Whatever is drawn, either ``submit``
refuses, or the stored referral has no leak by ``referral_leaks`` and none of the raw
values (the whole name, the e-mail, the phone's digits, the intake reference and id)
appears anywhere in it.

The first test goes through the store and the real ``submit``; the second applies the
same checks ``submit`` applies, without the store, over more examples.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from assesskit import SUMMARY, referral_form
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hotline_tui.config import KdfParams, Settings
from hotline_tui.errors import Refused
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.redflags import index_new_reports
from hotline_tui.services.sanitiser import referral_leaks
from hotline_tui.services.sanitiser.normalise import fold_text
from hotline_tui.services.sanitiser.profile import COMMON_WORDS, says_no_name
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import SubjectEntry, build_referral, problems, submit, take_report
from hotline_tui.store import reports as store
from hotline_tui.store.connection import transaction

PASSWORD = "property-password-1"
LETTERS = "abcdefghijklmnopqrstuvwxyzéöñ"
FILLER = (
    "The officer is said to meet a dealer after late shifts.",
    "Money changed hands in a car park near the station.",
    "Information from police systems was passed on for cash.",
    "This has gone on for some months, according to the report.",
)

word = st.text(alphabet=LETTERS, min_size=2, max_size=9).map(str.capitalize)
# A name field that says there is no name ("None", "Anonymous") is no name, and a one-word
# name that is a common word ("Not", "Will") is found only when written as a name
# (test_sanitise.py): neither is drawn.
names = st.lists(word, min_size=1, max_size=3).map(" ".join).filter(
    lambda name: not says_no_name(name) and (" " in name or fold_text(name) not in COMMON_WORDS))
core_digits = st.one_of(
    st.text(alphabet="0123456789", min_size=9, max_size=9).map(lambda d: "7" + d),
    st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: "1" + "1" + d),
    st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: "20" + d),
)


def _phone_layouts(core: str) -> list[str]:
    return [
        "0" + core, f"0{core[:4]} {core[4:]}", f"+44 {core[:4]} {core[4:]}", f"+44 (0){core[:4]} {core[4:7]} {core[7:]}",
        f"0{core[:4]}-{core[4:7]}-{core[7:]}", "44" + core,
    ]


phones = core_digits.flatmap(lambda core: st.sampled_from(_phone_layouts(core)))
emails = st.builds(
    lambda a, b, n, domain: f"{a.lower()}.{b.lower()}{n}@{domain}",
    word, word, st.integers(0, 999) | st.just(""), st.sampled_from(["gmail.com", "example.org", "example.net"]),
)
reporters = st.fixed_dictionaries(
    {}, optional={"name": names, "phone": phones, "email": emails, "relationship": st.sampled_from(["public", "family"])}
)


# -- what the test itself calls a leak: the raw values, checked independently -------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield str(value)


def _core(phone: str) -> str:
    digits = re.sub(r"[^0-9]", "", phone)
    digits = digits[2:] if digits.startswith("44") and len(digits) > 10 else digits
    return digits.lstrip("0")


def _raw_leaks(doc: dict[str, Any], report: dict[str, Any]) -> list[str]:
    reporter = report.get("reporter") or {}
    found = []
    for text in _strings(doc):
        spaced, folded, alnum = " ".join(text.split()).casefold(), text.casefold(), "".join(c for c in text if c.isalnum())
        name = reporter.get("name", "")
        if len(name.split()) > 1 and " ".join(name.split()).casefold() in spaced:
            found.append("name")
        if len(name.split()) == 1 and re.search(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])", text, re.IGNORECASE):
            found.append("name")
        if reporter.get("email") and reporter["email"].casefold() in folded:
            found.append("email")
        if reporter.get("phone") and _core(reporter["phone"]) in alnum:
            found.append("phone")
        for value in (report["reference"], report["report_id"], report["report_id"].replace("-", "")):
            if value.casefold() in folded:
                found.append("intake id")
    return found


# -- drawing summaries that may carry the values ------------------------------------------------


def _forms(value: str, kind: str) -> list[str]:
    forms = [value, value.upper(), value.lower(), value.swapcase(), f"x{value}y", value.replace(" ", "  ")]
    if kind == "phone":
        digits = re.sub(r"[^0-9]", "", value)
        forms += [" ".join(digits), "-".join([digits[:5], digits[5:]]), ".".join(digits[i : i + 3] for i in range(0, 12, 3))]
    if kind == "name" and " " in value:
        parts = value.split()
        forms += [parts[-1], parts[0], f"{parts[-1]}, {parts[0]}", "".join(parts)]
    return forms


def _pieces(draw: st.DrawFn, report: dict[str, Any]) -> list[str]:
    reporter = report.get("reporter") or {}
    values = [(reporter[k], k) for k in ("name", "phone", "email") if reporter.get(k)]
    values += [(report["reference"], "reference"), (report["report_id"], "report_id")]
    pieces = list(draw(st.lists(st.sampled_from(FILLER), min_size=1, max_size=3)))
    for _ in range(draw(st.integers(0, 2))):
        value, kind = draw(st.sampled_from(values))
        pieces.insert(draw(st.integers(0, len(pieces))), draw(st.sampled_from(_forms(value, kind))))
    return pieces


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], str, SubjectEntry]:
    subject_name = draw(names)
    report: dict[str, Any] = {
        "report_id": str(draw(st.uuids(version=4))),
        "reference": f"PAC-2026-{draw(st.integers(1, 999_999)):06d}",
        "reporter": draw(reporters),
        "subjects": [{"role": "officer", "name": subject_name}],
    }
    summary = " ".join(_pieces(draw, report))
    if len(summary) < 40:
        summary += " " + SUMMARY
    station = " ".join(_pieces(draw, report)[:1]) if draw(st.booleans()) else "Lewisham"
    subject = SubjectEntry("officer", subject_name, "PC", "", station[:80])
    return report, summary, subject


# -- through the store ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    settings_ = Settings(Path(tmp_path_factory.mktemp("property")) / "room", kdf=KdfParams.for_tests(), scan_mounts=False)
    officer = create_workspace(settings_, "olivia", PASSWORD)
    users.add_user(officer, "ann", "analyst", PASSWORD)
    officer.close()
    session = unlock(settings_, "ann", PASSWORD)
    users.change_password(session, PASSWORD, PASSWORD + "-own")
    at = session.now()
    with transaction(session.conn):
        store.insert_bundle(session.conn, "property", "reports", "0" * 16, "test", at, 0, "property", at, "ann")
    yield session
    session.close()


def _store(session: Session, report: dict[str, Any]) -> int:
    """Store the report; its row gets a fresh id (hypothesis replays examples), while the
    document keeps the drawn one, which is what sanitisation looks for."""
    doc = {**report, "channel": "online", "received_at": "2026-03-01T10:00:00Z", "behaviours": [], "narrative": "n",
           "attachments": []}
    row_id = str(uuid.uuid4())
    row: store.ReportRow = (row_id, report["reference"], "property", "online", doc["received_at"], "", None, "", 0, True,
                             json.dumps(doc))
    with transaction(session.conn):
        store.insert_reports(session.conn, [row], [("n", "", "")], session.now())
        index_new_reports(session.conn)
    return int(session.conn.execute("SELECT id FROM reports WHERE report_id = ?", (row_id,)).fetchone()[0])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_submit_never_lets_a_reporter_value_through(analyst: Session, case: tuple[dict[str, Any], str, SubjectEntry]) -> None:
    report, summary, subject = case
    key = _store(analyst, report)
    take_report(analyst, key)
    try:
        submit(analyst, key, referral_form(summary=summary, subjects=[subject]))
    except Refused:
        event("submit refused")
        return
    event("submit accepted")
    row = analyst.conn.execute(
        "SELECT f.document FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?", (key,)
    ).fetchone()
    doc = json.loads(row[0])
    assert referral_leaks(doc, report) == []
    assert _raw_leaks(doc, report) == []


# -- the same rule on the pure functions, many more examples -------------------------------------------


@settings(max_examples=1_500, deadline=None)
@given(case=cases())
def test_what_passes_submits_checks_carries_no_raw_value(case: tuple[dict[str, Any], str, SubjectEntry]) -> None:
    report, summary, subject = case
    form = referral_form(summary=summary, subjects=[subject])
    doc = build_referral(form, str(uuid.uuid4()), "HTR-2026-000001", "2026-03-14T09:00:00Z", "ann", [])
    if problems(form, report) or referral_leaks(doc, report):
        event("refused")
        return  # what submit checks before it stores anything
    event("accepted")
    assert _raw_leaks(doc, report) == []
