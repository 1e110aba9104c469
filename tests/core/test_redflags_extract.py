"""Identifiers as reporters say them: real formats found, near misses left alone."""

from __future__ import annotations

import phonenumbers
import pytest

from hotline_tui.services.redflags.contacts import (
    emails,
    handles,
    matched_phones,
    phone_value,
    phones,
    reporter_contacts,
)
from hotline_tui.services.redflags.extract import extract, stations
from hotline_tui.services.redflags.numbers import collar_numbers, spoken_digits
from hotline_tui.services.redflags.people import narrative_people, rank_group
from hotline_tui.services.redflags.spans import REPORTER, SUBJECT
from hotline_tui.services.redflags.vehicles import registrations


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("PC 4521 grabbed my arm", "4521"),
        ("it was pc4521 again", "4521"),
        ("PCSO7731 was there too", "7731"),
        ("Sgt. 1186 was in charge", "1186"),
        ("I didn't get his name but Insp7423", "7423"),
        ("Inspector 7423 was in charge", "7423"),
        ("PC no. 4521 would not give his name", "4521"),
        ("his collar number: 4417", "4417"),
        ("his shoulder no. was forty-four seventeen", "4417"),
        ("I think his number was four five two one", "4521"),
        ("his number was double four one seven", "4417"),
        ("I saw 4417 on his shoulder", "4417"),
        ("the numbers 4 4 1 7 on his epaulettes", "4417"),
        ("badge number 0418", "418"),
        ("It was PC Smith, collar 1234, from Brixton", "1234"),
        ("his badge said 2231 i think", "2231"),
        ("Badge: 4521", "4521"),
        ("his number on his shoulder was 4521", "4521"),
        ("the number on her epaulette read 7731", "7731"),
        ("PC 4521's car was outside", "4521"),
    ],
)
def test_collar_numbers_as_people_say_them(text: str, value: str) -> None:
    found = collar_numbers(text, "narrative")
    assert [(i.kind, i.value) for i in found] == [("collar", value)]
    assert found[0].quote in text or text in found[0].quote


@pytest.mark.parametrize(
    "text",
    [
        "I went to PC World on Saturday",
        "there were PC 2 cars outside",
        "he lives at 4521 High Street",
        "he took 2000 pounds from her",
        "it happened in 2019",
        "call him on 07700 900123, his number was 07700 900123",
        "the officer 12 of them",
        "crime reference 4521/22 was never followed up",
        "topc 4521",
        "a blue collar 1990s job",
        "he grabbed my collar 20 minutes later",
        "he wore a badge 24 hours a day",
        "PC 4521s were sold there",
    ],
)
def test_numbers_that_are_not_collar_numbers(text: str) -> None:
    assert [i for i in collar_numbers(text, "narrative") if i.kind == "collar"] == []


def test_warrant_numbers_and_spoken_digits() -> None:
    found = collar_numbers("his warrant card number was 123456", "narrative")
    assert [(i.kind, i.value, i.detail) for i in found] == [("warrant", "123456", "warrant number")]
    assert spoken_digits("four hundred and twelve") == "412"
    assert spoken_digits("oh seven seven") == "077"


@pytest.mark.parametrize(
    ("text", "value", "detail"),
    [
        ("he drives a silver Ford Focus AB12 CDE", "AB12CDE", "silver Ford Focus"),
        ("reg ab12cde, a black BMW", "AB12CDE", "black BMW"),
        ("a black range rover YH 18 RXC", "YH18RXC", "black Range Rover"),
        ("his car reg: AB 12 CDE", "AB12CDE", ""),
        ("plate was kx65abc", "KX65ABC", ""),
        ("an old car, suffix plate ABC 123D", "ABC123D", ""),
        ("a red Vauxhall Corsa with the reg y123 bcd", "Y123BCD", "red Vauxhall Corsa"),
        ("the van was F123 ABC", "F123ABC", ""),
        ("private plate, reg 1234 AB", "1234AB", ""),
        ("his reg was Lk18-XYZ", "LK18XYZ", ""),
    ],
)
def test_registrations_in_every_format(text: str, value: str, detail: str) -> None:
    found = registrations(text, "narrative")
    assert [(i.value, i.detail) for i in found] == [(value, detail)]


@pytest.mark.parametrize(
    "text",
    ["we were on the M25 and then the A38 in 2019", "it was 12 May", "on12 things", "an A380 jet overhead",
     "the case number is AB12", "covid 19 test", "call 0800 1111", "PC 4521", "room 101 at the nick"],
)
def test_things_that_are_not_registrations(text: str) -> None:
    assert registrations(text, "narrative") == []


def test_whose_registration_it_is() -> None:
    mine = registrations("he keeps following my car LB07 SEO home", "narrative")
    his = registrations("he was in his car LB07 SEO", "narrative")
    assert [i.whose for i in mine] == [REPORTER] and [i.whose for i in his] == [SUBJECT]


def test_phones_normalised_and_whose() -> None:
    found = phones("he rang me from 07700 900123 twice; call me on +44 (0)7700 900456", "narrative")
    assert [(i.value, i.whose) for i in found] == [("+447700900123", SUBJECT), ("+447700900456", REPORTER)]
    assert phones("crime ref 12345678 on 2024-01-03 at 10:30", "narrative") == []
    assert phone_value("0161 496 0000") == phone_value("+44 161 496 0000") == "+441614960000"


@pytest.mark.parametrize("text", [
    "call 07700 900123.", "+44 20 7946 0000, or 0161-496-0000", "'07700 900123'", "07700 900123 ext 12",
    "07700 900123 4", "4 07700 900123", "ref 1234567 and 07700 900123", "#07700900123", "07700900123x", "07700.900.123",
    "(020) 7946 0000", "07700 900123's phone", "his 07911 123456; my 07700 900456", "07700–900123", "07700 9001234",
    "0800 123 4567 then 07700 900123", "on 12/03/2024 rang 07700 900123 at 10:30",
])
def test_phones_read_directly_are_those_the_matcher_finds(text: str) -> None:
    """UK numbers as commonly written are read without the matcher: the same numbers, spans and owners."""
    assert phones(text, "narrative") == matched_phones(text, "narrative")


def test_a_phone_written_with_a_slash_or_an_en_dash_is_found() -> None:
    assert [i.value for i in phones("his mobile 07700/900123, or 07700–900456", "narrative")] == [
        "+447700900123", "+447700900456"]


@pytest.mark.parametrize("raw", [
    "07700 900123", "+44 7700 900123", "+44 (0)7700 900123", "(020) 7946-0000", "+44-20-7946-0000", "0044 20 7946 0000",
    "0 7700 900123", "07700.900.123", "0800 123 4567", "01234 56789", "07700 90012", "007700900123", "+1 202 555 0143",
    "447700900123", "07700 9001234", "+44 07700 900123",
])
def test_phone_value_is_the_library_s_whether_or_not_the_quick_way_reads_it(raw: str) -> None:
    try:
        number = phonenumbers.parse(raw, "GB")
        expected = (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    if phonenumbers.is_possible_number(number) else "")
    except phonenumbers.NumberParseException:
        expected = ""
    assert phone_value(raw) == expected
    own = reporter_contacts({"phone": "07700 900456", "email": "Me@Example.org"})
    assert [(i.kind, i.value, i.whose) for i in own] == [("phone", "+447700900456", REPORTER),
                                                         ("email", "me@example.org", REPORTER)]


def test_emails_and_handles_with_platform() -> None:
    assert [i.value for i in emails("email him at Dave.W@met.police.uk or d.whit at gmail dot com", "n")] == [
        "dave.w@met.police.uk", "d.whit@gmail.com"]
    found = handles("his insta is dave_w88 and he is @copper_dave on tiktok; Snapchat: dwhit88", "n")
    assert {(i.value, i.detail) for i in found} == {("dave_w88", "Instagram"), ("copper_dave", "TikTok"),
                                                    ("dwhit88", "Snapchat")}
    for text in ("I saw him on snap last night", "he posted on Facebook that", "his insta was deleted",
                 "email dave@gmail.com", "his insta account is private",
                 "facebook: Dave Whitfield"):  # a profile's name: "dave" would join every Dave
        assert handles(text, "n") == [], text


def test_stations_and_units() -> None:
    assert [i.value for i in stations("he works at Lewisham police station", "n")] == ["lewisham"]
    assert [i.value for i in stations("based out of Catford nick", "n")] == ["catford"]
    assert [i.detail for i in stations("he is in the TSG", "n")] == ["Territorial Support Group"]
    assert stations("Kent Police station", "n") == [] and stations("he was in traffic", "n") == []


def test_officers_named_in_the_narrative() -> None:
    assert [n for n, _, _ in narrative_people("PC Dave Whitfield stopped me; later DC McDonald came")] == [
        "Dave Whitfield", "McDonald"]
    assert [n for n, _, _ in narrative_people("an officer called Gaz Prothero")] == ["Gaz Prothero"]
    assert list(narrative_people("a woman called Sarah Jones; I went to PC World")) == []
    assert rank_group("Sgt.") == rank_group("PS") == rank_group("Detective Sergeant") == "sergeant"


def test_a_report_keeps_each_identifier_with_its_field_and_the_reporters_own_apart() -> None:
    doc = {
        "subjects": [{"role": "officer", "collar_number": "4417", "station": "Lewisham"}],
        "narrative": "He drives a silver Ford Focus AB12 CDE. Call me on 07700 900456.",
        "handler_notes": "Caller gave 07700 900456 as her own number.",
        "where": "outside Lewisham police station",
        "reporter": {"phone": "07700900456"},
    }
    found = {(i.kind, i.value, i.whose, i.field) for i in extract(doc, "metropolitan")}
    assert ("collar", "4417", SUBJECT, "subject 1 collar number") in found
    assert ("registration", "AB12CDE", SUBJECT, "narrative") in found
    assert ("phone", "+447700900456", REPORTER, "reporter's phone") in found
    assert not any(kind == "phone" and whose == SUBJECT for kind, _, whose, _ in found)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("DC JONES and DC SMITH came to my house", [("Jones", "DC"), ("Smith", "DC")]),
        ("I told PC JONES WAS rude about it", [("Jones", "PC")]),
        ("SGT MCDONALD-BROWN was rude to me at the station", [("Mcdonald-Brown", "SGT")]),
        ("PC 5678 Rachel Green called me names", [("Rachel Green", "PC")]),
        ("the PC Jones MET me at the station", [("Jones", "PC")]),
        ("PC J. Smith stopped me", [("J. Smith", "PC")]),
    ],
)
def test_officers_named_in_capitals_or_after_their_number(text: str, people: list[tuple[str, str]]) -> None:
    assert [(name, rank) for name, rank, _ in narrative_people(text)] == people


def test_a_narrative_all_in_capitals_names_nobody_from_its_capitals() -> None:
    """Shouting in capitals: "PC JONES WAS RUDE" cannot tell a name from the words after it."""
    assert list(narrative_people("PC JONES WAS RUDE TO ME AND TOOK MY PHONE")) == []
