"""Sanitisation: reporter values, intake identifiers and tell-tale words, found with offsets."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from hotline_tui.services.sanitiser import SanitisationFlag, referral_leaks, reporter_values, sanitisation_flags

REPORT: dict[str, Any] = {
    "report_id": "3f2a9c1e-5b7d-4c2a-9e8f-1a2b3c4d5e6f",
    "reference": "PAC-2026-004211",
    "reporter": {
        "name": "Harriet Quenby",
        "phone": "+44 7700 900123",
        "email": "H.Quenby88@quenbyfamily.co.uk",
        "relationship": "family",
    },
    "subjects": [{"role": "officer", "name": "PC Dave Whitfield"}],
}


def _blocking(text: str, report: dict[str, Any] = REPORT) -> list[SanitisationFlag]:
    return [f for f in sanitisation_flags(text, report) if f.blocking]


def test_reporter_values_are_the_name_its_words_phone_email_and_intake_ids() -> None:
    values = reporter_values(REPORT)
    for expected in ("Harriet Quenby", "Harriet", "Quenby", "+44 7700 900123", "H.Quenby88@quenbyfamily.co.uk",
                     "H.Quenby88", "quenbyfamily.co.uk", "PAC-2026-004211", REPORT["report_id"]):
        assert expected in values


def test_an_anonymous_report_still_has_its_intake_ids() -> None:
    report = {**REPORT, "reporter": {"anonymous": True}}
    assert reporter_values(report) == ["PAC-2026-004211", REPORT["report_id"]]
    assert sanitisation_flags("Nothing about anyone here at all.", report) == []


def test_common_words_and_short_words_of_a_name_are_not_values_alone() -> None:
    report = {**REPORT, "reporter": {"name": "Will Green Ng"}}
    values = reporter_values(report)
    assert values == ["Will Green Ng", "PAC-2026-004211", REPORT["report_id"]]
    assert _blocking("He will drive the green van.", report) == []
    assert [f.text for f in _blocking("WILL GREEN-NG called.", report)] == ["WILL GREEN-NG"]


@pytest.mark.parametrize(
    "phone", ["07700 900123", "07700-900-123", "+44 7700 900 123", "+44 (0)7700 900123", "0 7 7 0 0 9 0 0 1 2 3",
              "447700900123", "7700.900.123", "ring 7700900 later"]
)
def test_the_phone_is_found_by_its_digits_in_any_layout(phone: str) -> None:
    text = f"Contact: {phone}."
    flags = _blocking(text)
    assert [f.message for f in flags] == ["The reporter's phone number"]
    assert text[flags[0].start : flags[0].end] == flags[0].text


def test_other_numbers_are_not_the_phone() -> None:
    assert _blocking("Collar number 4417, seen 12 times in 2025, car reg 900 12.") == []


def test_the_email_in_any_case_its_local_part_and_its_own_domain() -> None:
    assert [f.message for f in _blocking("mail h.quenby88@QUENBYFAMILY.CO.UK now")] == ["The reporter's e-mail address"]
    assert [f.message for f in _blocking("known as h.quenby88 online")] == [
        "The reporter's e-mail address (its name part)"]
    assert [f.message for f in _blocking("a site at quenbyfamily.co.uk")] == ["The reporter's e-mail domain"]
    common = {**REPORT, "reporter": {"email": "someone.else@gmail.com"}}
    assert _blocking("He uses gmail.com for everything.", common) == []


def test_the_name_whole_in_any_case_spacing_or_glued_and_its_words_alone() -> None:
    for text in ("HARRIET QUENBY said", "harriet   quenby", "xxHarrietQuenbyxx", "Harriet-Quenby"):
        assert [f.message for f in _blocking(text)] == ["The reporter's name"], text
    assert [f.message for f in _blocking("Ms Quenby rang")] == ["The reporter's surname"]
    assert [f.message for f in _blocking("harriet rang")] == ["The reporter's forename"]
    assert _blocking("The Quenbyshire road") == []  # a word inside another word alone is not the name


def test_a_word_the_reporter_shares_with_a_subject_only_warns() -> None:
    report = {**REPORT, "reporter": {"name": "Sarah Whitfield"}}
    assert "Whitfield" not in reporter_values(report)
    flags = sanitisation_flags("PC Whitfield hit her.", report)
    assert [(f.text, f.blocking) for f in flags] == [("Whitfield", False)]
    assert [f.text for f in _blocking("Sarah Whitfield saw it.", report)] == ["Sarah Whitfield"]


@pytest.mark.parametrize(
    "text", ["ref PAC-2026-004211", "ref pac 2026 004211", "PAC2026004211", "number 004211", REPORT["report_id"],
             REPORT["report_id"].upper().replace("-", ""), "id 3f2a9c1e"]
)
def test_the_intake_reference_and_report_id_in_any_form(text: str) -> None:
    flags = _blocking(text)
    assert flags and all(f.kind == "reference" for f in flags)


def test_the_rooms_own_reference_with_the_same_serial_is_not_the_intakes() -> None:
    assert _blocking("Referral HTR-2026-004211") == []


@pytest.mark.parametrize(
    "text", ["My partner is a PC.", "I work with him", "my EX said", "he told me so", "We were together for years",
             "I live with her", "my neighbour saw", "I am his wife", "my colleague"]
)
def test_relationship_words_warn_without_blocking(text: str) -> None:
    flags = sanitisation_flags(text, REPORT)
    assert flags and all(f.kind == "relationship" and not f.blocking for f in flags)


def test_relationship_words_are_whole_words() -> None:
    assert sanitisation_flags("Myexample mypartner Iwork with", REPORT) == []


def test_flags_are_sorted_with_true_offsets() -> None:
    text = "My partner Harriet Quenby (07700 900123) and PAC-2026-004211."
    flags = sanitisation_flags(text, REPORT)
    assert [f.start for f in flags] == sorted(f.start for f in flags)
    assert all(text[f.start : f.end] == f.text for f in flags)
    assert {f.kind for f in flags} == {"relationship", "reporter", "reference"}


def test_referral_leaks_scan_every_string_anywhere() -> None:
    referral = {
        "summary": "clean enough",
        "subjects": [{"name": "PC Whitfield", "station": "near H.Quenby88@quenbyfamily.co.uk"}],
        "nested": {"deeper": [["ok", "ring 07700900123"]], "number": 447700900123},
        "PAC-2026-004211": True,
    }
    leaks = referral_leaks(referral, REPORT)
    assert "subjects[0].station contains the reporter's e-mail address" in leaks
    assert "nested.deeper[0][1] contains the reporter's phone number" in leaks
    assert "nested.number contains the reporter's phone number" in leaks
    assert "a field name in the referral contains the intake reference" in leaks
    assert referral_leaks({"summary": "clean enough", "subjects": []}, REPORT) == []


@pytest.mark.parametrize(
    "module",
    ["hotline_tui.services.sanitiser", "hotline_tui.services.triage.assessment", "hotline_tui.services.redflags",
     "hotline_tui.services.redflags.names", "hotline_tui.store.assessments", "hotline_tui.store.subjects"],
)
def test_the_assessment_layer_imports_no_ui(module: str) -> None:
    code = f"import sys, {module}; sys.exit('textual' in sys.modules or 'rich' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("name", ["Will", "May", "Bill", "Rose", "Mark", "Hope"])
def test_a_reporter_known_by_one_common_word_is_not_every_use_of_the_word(name: str) -> None:
    report = {**REPORT, "reporter": {"name": name, "phone": "01632 960245"}}
    ordinary = ("He will mark the rota in May and may pay the bill; there is hope a rose will be left. "
                "On 24/05/2025 at 16:32 he took £960, collar 2450.")
    assert sanitisation_flags(ordinary, report) == []
    assert [f.blocking for f in sanitisation_flags(f"The officer told {name} about the cash.", report)] == (
        [] if name == "May" else [False])  # a month is capitalised anyway
    assert [f.text for f in _blocking(f"Ask Mrs {name}.", report)] == [f"Mrs {name}"]


def test_what_the_narrative_says_is_someone_elses_is_not_the_reporters() -> None:
    """A postcode, car and date the narrative gives for the subject or the events pass; the
    same kinds of detail given as the reporter's own are blocked."""
    report = {**REPORT, "narrative": (
        "His car is a black Audi, YE68 TRW. It happened at 22 High Street, HX1 5AA, on 3 July 1985. "
        "I live at 14 Elm Grove, HX3 2AB. I was born on 4 August 1990.")}
    assert sanitisation_flags("Black Audi YE68 TRW at 22 High Street, HX1 5AA, on 03/07/1985.", report) == []
    found = _blocking("Source at 14 Elm Grove, HX3 2AB, born 04/08/1990.", report)
    assert [(f.text, f.message) for f in found] == [
        ("14 Elm Grove", "The reporter's address"), ("HX3 2AB", "The reporter's postcode"),
        ("04/08/1990", "The reporter's date of birth")]


def test_the_name_given_in_the_narrative_is_the_reporters_when_the_form_has_none() -> None:
    anonymous = {**REPORT, "reporter": {"anonymous": True}}
    said = {**anonymous, "narrative": "My name is Ottilie and I clean at the station."}
    assert [f.text for f in _blocking("Ottilie says he takes cash.", said)] == ["Ottilie"]
    withheld = {**anonymous, "handler_notes": "Caller name: Withheld. Caller says PC Whitfield takes cash."}
    assert _blocking("The caller withheld their name; PC Whitfield takes cash.", withheld) == []
    named = {**REPORT, "narrative": "My name is Ottilie Brack."}  # the form's name stands
    assert [f.text for f in _blocking("Harriet Quenby", named)] == ["Harriet Quenby"]
