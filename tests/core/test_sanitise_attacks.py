"""Attacks on the sanitiser, session 6: a reporter's details as real people write them,
in every field that travels, through the checks submit, approve and seal run; and the
ordinary words that must not stop a referral.

The report is a custody nurse who gives her home, birth date, car and husband in the
narrative. Each attack is written as an analyst or an attacker would write it.
"""

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
from hotline_tui.services.sanitiser import phone_core, sanitisation_flags
from hotline_tui.services.sanitiser.referral import force_leaks
from hotline_tui.services.sealed.contact import full_document
from hotline_tui.services.triage.assessment import (
    AssessmentForm,
    SubjectEntry,
    build_referral,
    problems,
    submit,
    take_report,
)

JANET: dict[str, Any] = {
    "report_id": "1c9e6a52-7b3d-4f08-9a21-6e5d4c3b2a19",
    "reference": "PAC-2026-012345",
    "reporter": {"name": "Janet Pilkington", "phone": "07700 900321", "email": "janet.pilkington@gmail.com",
                 "relationship": "police_colleague"},
    "subjects": [{"role": "officer", "name": "PC Steven Ormerod", "station": "Rochdale"}],
    "where": "Rochdale custody suite",
    "narrative": (
        "PC Steven Ormerod assaults detainees in the cells. I am the only female custody nurse at Rochdale and I "
        "see the injuries afterwards. I live at 14 Acacia Avenue, Rochdale OL11 3QT. My date of birth is 3rd "
        "March 1988. My car is a red Fiesta, registration MA66 XYZ. My husband Gareth is a PC there too. "
        "My sister Philippa knows about it."
    ),
}


def _verdict(text: str, report: dict[str, Any] = JANET) -> str:
    flags = sanitisation_flags(text, report)
    return "block" if any(f.blocking for f in flags) else "warn" if flags else "pass"


@pytest.mark.parametrize("text", [
    "He followed her to 14 Acacia Ave.",  # the kind of street shortened
    "He followed her to 14 Acacia Av.",
    "He followed her to 14 Acacia.",  # left out
    "He followed her to fourteen Acacia Avenue.",  # the number in words
    "He followed her to 0L11 3QT.",  # a zero for the O
    "He followed 0L11 3Q7 home.",
    "He followed MA66 XY2 home.",  # a 2 for the Z of the registration
    "Ring 321 009 00770.",  # the phone backwards
    "Ring 07700 niner zero zero tree two one.",  # digits as said over a radio
    "See reference 0 1 2 3 4 5.",  # the intake's serial spaced out
    "See reference twelve three four five.",  # without its zeros, in words
    "Source born on the third of March 1988.",  # the day in words
    "Source born the 3rd of March, 1988.",
    "Known online as pilkington88.",  # the surname with digits: a user name
    "Known online as @JanetPilk88.",  # the forename run into the start of the surname
    "\U0001f17f\U0001f138\U0001f13b\U0001f13a\U0001f138\U0001f13d\U0001f136\U0001f143\U0001f13e\U0001f13d says so.",
    "\U0001f1f5\U0001f1ee\U0001f1f1\U0001f1f0\U0001f1ee\U0001f1f3\U0001f1ec\U0001f1f9\U0001f1f4\U0001f1f3 says so.",
    "He followed Mike Alpha six six X-ray Yankee Zulu home.",  # read out in the phonetic alphabet
    "He followed MIKE ALPHA 66 XRAY YANKEE ZULU.",
    "He followed her to Oscar Lima one one, three Quebec Tango.",
    "Source: Papa India Lima Kilo India November Golf Tango Oscar November.",
    "He followed \u202eZYX 66AM\u202c home.",  # shown right to left: the force would read MA66 XYZ
    "Source born 880303.",  # the birth date run together, year first
    "Source born 03/03/1988.",
    "Source born 3-Mar-88.",
    "Source born 3rd March, nineteen eighty-eight.",  # the year in words
    "See 2026 12345.",  # the intake's year and serial without its zeros
    "He went to O L eleven, three Q T.",  # letters and numbers in words
    "He followed M A sixty-six X Y Z home.",
])
def test_the_reporters_details_as_people_write_them_are_blocked(text: str) -> None:
    assert _verdict(text) == "block", sanitisation_flags(text, JANET)


@pytest.mark.parametrize("text", [
    "A custody nurse saw the injuries.",  # her job, without the words around it in the narrative
    "The nurse in custody saw the injuries.",
    "Her husband Gareth, a PC, knows.",  # her family's names
    "Her sister Philippa knows.",
    "Source born March 1988.",  # the month and year of her birth
    "Write to jpilkington.",  # the surname inside a user name
    "A police colleague reports this.",  # what the report's relationship field says of her
    "Reported by a colleague in custody.",
    "The source works with him.",
    "The only woman on the custody team saw the injuries.",  # what makes her the only one, reworded
])
def test_what_points_at_the_reporter_is_warned(text: str) -> None:
    assert _verdict(text) in ("warn", "block"), text


@pytest.mark.parametrize("text", [
    "Since June 1988 he has served at Rochdale.",  # no day is taken from the year: not 19 June '88
    "Aged 14, high on drugs, the detainee was hit.",  # a number beside a street name every town has
    "Detainees were hit on 14 occasions; one was a custody sergeant's informant.",
    "He is the only female officer's supervisor; the detainee was 19.",  # 'only' and 'female' say nothing alone
    "PC Steven Ormerod hit a detainee who was the husband of a nurse.",
    "PC Ormerod is the only officer named; he is the only one on that shift.",
])
def test_ordinary_words_beside_this_narrative_are_no_alarm(text: str) -> None:
    assert _verdict(text) != "block", sanitisation_flags(text, JANET)
    assert not [f for f in sanitisation_flags(text, JANET) if f.kind == "reporter"], text


def test_a_birth_date_written_month_first_is_the_birth_date() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "PC Ormerod hits detainees. I was born on 7 March 1985."
    assert _verdict("Source born 03/07/1985.", report) == "block"
    assert _verdict("Seen on 3 July 1985 at the station.", report) == "pass"  # a month in words is no American date


def test_relationship_words_about_others_than_the_source_are_no_alarm() -> None:
    family = copy.deepcopy(JANET)
    family["reporter"]["relationship"] = "family"
    assert _verdict("A family member of the officer reports this.", family) == "warn"
    for text in ("He harasses female colleagues in the briefing room.", "He looked up a relative of the detainee."):
        assert _verdict(text, family) == "pass", text
        assert _verdict(text) == "pass", text


def test_march_1988_is_no_date_of_birth_of_the_nineteenth() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "PC Ormerod hits detainees. I was born in March 1988 and I have worked here for years."
    assert _verdict("Source born 19/03/1988.", report) == "pass"


def test_a_relative_who_is_a_subject_is_no_alarm() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "My husband Liam Cowell hits me. He is a sergeant."
    report["subjects"] = [{"role": "officer", "name": "Sgt Liam Cowell"}]
    assert _verdict("Sergeant Liam Cowell is alleged to assault his partner.", report) == "pass"


def _form(**fields: Any) -> AssessmentForm:
    values: dict[str, Any] = {
        "force": "greater-manchester", "subjects": [SubjectEntry("officer", "Steven Ormerod", "PC", "", "Rochdale")],
        "behaviours": ["abuse_or_control"], "categories": ["sexual_misconduct"],
        "source": "2", "intelligence": "B", "handling": "P",
        "summary": "PC Steven Ormerod is alleged to assault detainees in the cells at Rochdale.", "decision": "refer",
    }
    return AssessmentForm(**(values | fields))


@pytest.mark.parametrize("field,value", [
    ("where", "Outside 14 Acacia Ave, Rochdale"),
    ("when", "Born 3rd of March, 1988"),
    ("subjects", [SubjectEntry("officer", "Steven Ormerod", "PC", "", "Rochdale", "Drove to 0L11 3QT twice")]),
    ("priority_reason", "He has threatened 321 009 00770"),
])
def test_submit_and_the_force_check_refuse_the_details_in_any_field_that_travels(field: str, value: Any) -> None:
    """``submit`` refuses what ``problems`` lists; approve and seal run ``force_leaks`` on the referral."""
    form = _form(**{field: value, "priority": "urgent" if field == "priority_reason" else "normal"})
    assert not [p for p in problems(_form(), JANET) if "reporter" in p]
    found = [p for p in problems(form, JANET) if "reporter" in p]
    assert found, problems(form, JANET)
    document = build_referral(form, "0f0e0d0c-0b0a-4909-8807-060504030201", "HTR-2026-000001", "2026-01-01T00:00:00Z",
                              "ana", [])
    assert force_leaks(document, JANET), document


@pytest.mark.parametrize("surname,text", [
    ("Cash", "He took cash from the custody sergeant."),
    ("Money", "The money was handed over in the car park."),
    ("Walker", "A dog walker saw him leave."),
    ("Gates", "He waited at the gates of the yard."),
    ("Keys", "He kept keys to the cells."),
    ("Coward", "He called the detainee a coward."),
    ("Friday", "He collects it on Friday nights."),
])
def test_a_surname_that_is_an_everyday_word_does_not_stop_the_word(surname: str, text: str) -> None:
    """Written as a word, a warning answered once; written as a name, blocked as before."""
    report = copy.deepcopy(JANET)
    report["reporter"] = {"name": f"Ann {surname}", "phone": "07700 900321"}
    assert _verdict(text, report) == "warn", sanitisation_flags(text, report)
    word = surname.lower()
    as_names = [f"Ms {surname} saw it.", f"according to ms {word}", " ".join(surname), f"Ann {surname} saw it."]
    if surname != "Friday":  # a day is capitalised as a word too
        as_names += [f"A nurse told {surname} about it.", f"{surname} saw it."]
    for named in as_names:
        assert _verdict(named, report) == "block", named


def test_a_name_that_is_also_a_word_and_a_given_name_stays_a_name() -> None:
    report = copy.deepcopy(JANET)
    report["reporter"] = {"name": "Martin Okafor"}
    assert _verdict("according to martin, he hits them", report) == "block"


@pytest.mark.parametrize("name,text", [
    ("Sgt Janet Pilkington", "Sgt Ormerod was on duty."),  # a rank in the name field is no name
    ("Mrs Janet Pilkington", "Mrs Ormerod was also assaulted."),
    ("Det Con Janet Pilkington", "Det Con Ormerod was on duty."),
    ("Janet van der Berg", "He kept the van at the station."),  # a small word of a surname alone
    ("Mohammed Al-Sayed", "He drove to Al Wakra."),
])
def test_titles_and_small_words_in_the_name_field_are_no_alarm(name: str, text: str) -> None:
    report = copy.deepcopy(JANET)
    report["reporter"] = {"name": name}
    assert _verdict(text, report) == "pass", sanitisation_flags(text, report)


@pytest.mark.parametrize("name,text", [
    ("Siobhan O'Sullivan", "OSullivan says he hits them."),  # run together as people type it
    ("Liam D'Arcy", "Darcy says he hits them."),
    ("Ann-Marie Lee", "Annmarie says he hits them."),
    ("Janet van der Berg", "Vanderberg says he hits them."),
    ("Janet de la Cruz", "Delacruz says he hits them."),
    ("Mohammed Al-Sayed", "Alsayed says he hits them."),
    ("Pilkington, Janet", "Janet says he hits them."),  # the name field surname first
    ("Janet Pilkington (PC 4471)", "A PC, collar 4471, says he hits them."),  # her own number in the field
])
def test_names_run_together_and_the_reporters_own_number_are_blocked(name: str, text: str) -> None:
    report = copy.deepcopy(JANET)
    report["reporter"] = {"name": name}
    assert _verdict(text, report) == "block", sanitisation_flags(text, report)


def test_the_collar_number_the_narrative_gives_as_the_reporters_is_blocked() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] += " My collar number is PC 4471."
    assert _verdict("The source, PC 4 4 7 1, says so.", report) == "block"
    assert _verdict("PC Ormerod (collar 4470) hits detainees.", report) == "pass"


@pytest.mark.parametrize("narrative,summary", [
    ("We live at 14 Acacia Avenue, OL11 3QT, and he drives past.", "He drives past OL11 3QT."),
    ("He parked outside our house at 14 Acacia Avenue.", "He parked outside 14 Acacia Ave."),
    ("He came to my place, 14 Acacia Ave, twice.", "He went to 14 Acacia Avenue twice."),
    ("He followed me home to 14 Acacia Avenue.", "He followed a woman to 14 Acacia Avenue."),
    ("I'm 38, born 03/03/1988, and work nights.", "Source born 3 March 1988."),
    ("My d.o.b. is 03/03/1988.", "Source born 3 March 1988."),
    ("I'm PC 4471 on B shift.", "A PC, 4471, on his shift reports it."),
])
def test_the_reporters_own_details_as_narratives_give_them(narrative: str, summary: str) -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "PC Ormerod hits detainees. " + narrative
    assert _verdict(summary, report) == "block", sanitisation_flags(summary, report)


def test_the_call_handlers_birth_date_for_the_caller_needs_no_my() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "PC Ormerod hits detainees."
    report["handler_notes"] = "Caller D.O.B. 03/03/1988. Officer PC Ormerod, collar 4470."
    assert _verdict("Source born 3 March 1988.", report) == "block"
    assert _verdict("PC Ormerod, collar 4470, hits detainees.", report) == "pass"


def test_an_address_the_reporter_was_driven_home_from_is_not_theirs() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "He drove me home from the Fox, 8 Otley Road, after his shift."
    assert _verdict("He drinks at the Fox, 8 Otley Road.", report) != "block"


def test_the_age_the_reporter_gives_is_warned_in_a_summary_that_gives_the_same() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "PC Ormerod hits detainees. I'm 38 and I have worked here for years."
    for text in ("A 38-year-old nurse reports it.", "The source, aged 38, says so."):
        assert [f.message for f in sanitisation_flags(text, report)] == ["The reporter's age?"], text
    assert _verdict("The detainee was 38 or 39 years old.", report) == "pass"


def test_a_phone_said_with_treble_is_the_phone() -> None:
    report = copy.deepcopy(JANET)
    report["reporter"]["phone"] = "07700 977790"
    assert _verdict("Ring oh seven seven double oh, nine treble seven nine oh.", report) == "block"


def _demo_reporter(session: Any) -> tuple[int, dict[str, Any]]:
    """A demo report whose reporter gave a phone and a name of two words or more."""
    for key in new_reports(session):
        found = full_document(session, key)
        reporter = (found[1].get("reporter") or {}) if found else {}
        if len(phone_core(str(reporter.get("phone") or ""))) >= 10 and len(str(reporter.get("name", "")).split()) >= 2:
            return key, reporter
    raise AssertionError("the demo has no report with a phone and a name")


_NATO = {c: w for c, w in zip("abcdefghijklmnopqrstuvwxyz", (
    "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliet Kilo Lima Mike November Oscar Papa Quebec "
    "Romeo Sierra Tango Uniform Victor Whiskey X-ray Yankee Zulu").split(), strict=True)}


def test_submit_and_approve_refuse_the_reporter_written_backwards_or_read_out(demo: Demo) -> None:  # noqa: F811
    """Through the services as the screens use them: submit refuses the phone written
    backwards in 'where it happened'; a stored referral altered to spell the surname in the
    phonetic alphabet is named by the supervisor's review and refused by approve."""
    ana = demo.unlock("ana")
    try:
        key, reporter = _demo_reporter(ana)
        take_report(ana, key)
        backwards = ("0" + phone_core(reporter["phone"]))[::-1]
        with pytest.raises(Refused, match="phone number"):
            submit(ana, key, referral_form(where=f"Near {backwards[:5]} {backwards[5:]}"))
        submit(ana, key, referral_form())
        referral_id, stored = ana.conn.execute("SELECT referral_id, document FROM referrals").fetchone()
        surname = reporter["name"].split()[-1]
        spelled = " ".join(_NATO[c] for c in surname.lower() if c in _NATO)
        document = json.loads(stored)
        document["summary"] += f" Source: {spelled}."
        ana.conn.execute("UPDATE referrals SET document = ? WHERE referral_id = ?", (json.dumps(document), referral_id))
    finally:
        ana.close()
    sam = demo.unlock("sam")
    try:
        assert any("summary contains the reporter's" in leak for leak in review(sam, referral_id).leaks)
        with pytest.raises(Refused, match="still carries reporter details"):
            approve(sam, referral_id, unlock_personal_key(sam, PASSWORDS["sam"]))
    finally:
        sam.close()


def test_an_address_with_a_plus_tag_is_found_without_it() -> None:
    report = copy.deepcopy(JANET)
    report["reporter"] = {"email": "dak.builds+hotline@gmail.com"}
    assert _verdict("He wrote to dakbuilds@gmail.com twice.", report) == "block"


def test_the_reporters_car_and_childrens_school_are_tells_and_owning_a_car_is_no_trade() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = ("PC Ormerod hits detainees. I drive a silver Fiesta. My son goes to St Anselm's Primary.")
    assert _verdict("He followed a Fiesta home.", report) == "warn"
    assert _verdict("He waits outside St Anselm's at three.", report) == "warn"
    assert _verdict("He drives to Rochdale; a Black woman was stopped.", report) == "pass"


def test_the_domain_of_an_address_the_narrative_gives_as_the_reporters_is_blocked() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] += " My work email is j.pilkington@rochdale-custody.nhs.uk if you need it."
    assert _verdict("He e-mailed rochdale-custody.nhs.uk twice.", report) == "block"
    assert _verdict("He uses gmail.com for everything.", report) == "pass"  # a common provider says nothing


def test_text_direction_controls_are_named_not_shown() -> None:
    """Shown on the screen, the control would reorder the line that names it."""
    flags = [f for f in sanitisation_flags("Seen with \u202ereganam\u202c.", JANET) if f.kind == "hidden"]
    assert [(f.text, f.start, f.blocking) for f in flags] == [("U+202E", 10, True), ("U+202C", 18, True)]


def test_a_birth_date_the_narrative_says_in_words_is_the_birth_date() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "PC Ormerod hits detainees. I was born on the third of March nineteen eighty-eight."
    assert _verdict("Source born 03/03/1988.", report) == "block"


@pytest.mark.parametrize("placeholder", ["Anonymous", "Prefer not to say", "N/A", "Withheld", "Unknown", "none"])
def test_a_name_field_that_says_there_is_no_name_looks_for_none(placeholder: str) -> None:
    report = copy.deepcopy(JANET)
    report["reporter"] = {"name": placeholder, "phone": "07700 900321"}
    text = "An anonymous caller, name withheld and unknown, would prefer not to say; none given. N/A."
    assert _verdict(text, report) == "pass", sanitisation_flags(text, report)
    assert _verdict("Ring 07700 900321.", report) == "block"
    report["narrative"] += " My name is Janet Pilkington."
    assert _verdict("Pilkington says so.", report) == "block"  # the name the narrative gives, then


def test_a_registration_the_reporter_says_is_theirs_however_they_say_it() -> None:
    report = copy.deepcopy(JANET)
    report["narrative"] = "He drives YE68 TRW. I drive a red Fiesta, MA66 XYZ, and he follows it."
    assert _verdict("He follows MA66 XYZ.", report) == "block"
    assert _verdict("He drives YE68 TRW.", report) == "pass"  # the subject's
