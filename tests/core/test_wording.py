"""Words people read: codes as labels, values as people say them, times without
microseconds, counts and articles said right."""

from __future__ import annotations

from hotline_tui import wording
from hotline_tui.screens.triage.report_screen import subject_lines
from import_export.bundle import to_the_second
from import_export.wording import a_or_an, counted, outcome_words


def test_revealed_details_and_unknown_values_are_said_in_words() -> None:
    lines = wording.reporter_lines({"relationship": "police_colleague", "consent_to_contact": True, "phone": "0161"})
    assert lines == ["Relationship: police colleague", "Consents to be contacted: yes", "Phone: 0161"]
    assert [wording.shown_value(v) for v in (False, None, {"a": 1}, ["x"], "text")] == \
        ["no", "—", '{"a": 1}', '["x"]', "text"]
    shown = subject_lines([{"role": "officer", "name": "Dave", "armed": False, "seen": {"times": 2}}])
    assert "armed: no" in shown and 'seen: {"times": 2}' in shown and "False" not in shown


def test_times_to_the_second_and_counts_and_articles() -> None:
    assert to_the_second("2026-12-01T05:15:45.123456Z") == "2026-12-01T05:15:45Z"
    assert to_the_second("2026-12-01T06:15:45.5+01:00") == "2026-12-01T05:15:45Z"
    assert to_the_second("2026-12-01") == "2026-12-01" and to_the_second("last Friday") == "last Friday"
    assert wording.moment("2026-12-01T05:15:45.123456Z", seconds=True) == "2026-12-01 05:15:45 UTC"
    assert (counted(1, "referrals"), counted(2, "referrals"), counted(1200, "reports")) == \
        ("1 referral", "2 referrals", "1,200 reports")
    assert (a_or_an("analyst"), a_or_an("outcomes bundle"), a_or_an("reports bundle")) == \
        ("an analyst", "an outcomes bundle", "a reports bundle")
    assert outcome_words("assessed_no_further_action") == "Assessed: no further action"
