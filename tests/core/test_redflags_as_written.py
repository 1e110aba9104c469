"""Pairs of reports about one officer as two different people would write them, joined
end to end (stored as an import stores them, then the analyst's candidates). Written by
hand, not by the evaluation corpus's generator: each pair says the same thing two ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from assesskit import Demo, demo
from test_redflags import _doc, _store

from hotline_tui.services import redflags
from hotline_tui.services.session import Session

__all__ = ["demo"]


@pytest.fixture
def ana(demo: Demo) -> Iterator[Session]:
    session = demo.unlock("ana")
    yield session
    session.close()


PAIRS = [
    ("It was PC Smith, collar 1234, from Brixton. He took my phone and kept it.",
     "i didnt get a name but his badge said 1234 and he was horrible to my son", "Metropolitan Police", "1234"),
    ("DC JONES and another officer came round and said they could make it go away for £500.",
     "Detective Constable Jones asked my uncle for money to lose the file.", "Kent Police", "Jones"),
    ("the number on his shoulder was 4 4 1 7 and he kept messaging my daughter",
     "PC 4417 gave my daughter his personal number after the stop", "Essex Police", "4417"),
    ("He drives a black Range Rover YH 18 RXC and parks outside my flat every night.",
     "same officer again in his own car, reg yh18rxc, outside the flat", "Thames Valley Police", "YH18RXC"),
    ("DI 6558 came to my door at midnight", "I didn't get his name but DI6558 again.", "Merseyside Police", "6558"),
]


@pytest.mark.parametrize(("first_words", "second_words", "force", "said"), PAIRS)
def test_one_officer_said_two_ways_joins_and_says_why(ana: Session, first_words: str, second_words: str, force: str,
                                                        said: str) -> None:
    number = 100 + PAIRS.index((first_words, second_words, force, said)) * 2
    first, second = _store(ana, _doc(number, first_words, force_hint=force), _doc(number + 1, second_words, force_hint=force))
    found = {c.key: c for c in redflags.candidates(ana, second, [], None) if c.relation == redflags.SAME_PERSON}
    assert first in found, f"not joined: {first_words!r} / {second_words!r}"
    assert said.lower() in "; ".join(found[first].reasons).lower()


# How people name an officer they know only a little: a surname after a rank typed in lower
# case, "the sergeant, Pemberthy", a British short form the libraries lack, a nickname no
# list knows ("Smudge": neither for nor against, the surname, rank and force decide).
AS_PEOPLE_TALK = [
    ("pc hollingdrake was the one who took my son's phone", "It was PC Hollingdrake from the town centre again.",
     "Lancashire Constabulary", "same surname Hollingdrake"),
    ("the sergeant, Pemberthy, told me to stop wasting police time", "Sgt Pemberthy laughed at me at the front desk",
     "Devon and Cornwall Police", "same surname Pemberthy"),
    ("it was detective sergeant mottershead again, asking about my ex", "DS Mottershead came to my work",
     "Cheshire Constabulary", "same surname Mottershead"),
    ("It was PC Shell Okonkwo, off duty, outside the school", "PC Michelle Okonkwo keeps driving past my house",
     "Merseyside Police", "nickname Shell = Michelle"),
    ("PS Robbo Fairweather-Hunt was the one, everyone calls him that", "PS Robert Fairweather-Hunt pushed my dad",
     "Durham Constabulary", "Robbo may be a pet form of Robert"),
    ("PC Kaz Brennock-Lyle would not take my statement", "PC Karen Brennock-Lyle shouted at my mum",
     "North Wales Police", "nickname Kaz = Karen"),
    ("an officer called gaz penhaligon was the one who kicked the door", "PC Gary Penhaligon came round again",
     "Devon and Cornwall Police", "same surname Penhaligon"),
    ("I complained about the Sergeant, Treloar, at the front desk", "Sgt Treloar refused to take my complaint",
     "Devon and Cornwall Police", "same surname Treloar"),
    ("Everyone calls him Smudge: it was PC Smudge Whitlingham again", "PC Jonathan Whitlingham grabbed my arm",
     "West Midlands Police", "same surname Whitlingham"),
]


def _same_person(session: Session, key: int) -> dict[int, redflags.Candidate]:
    return {c.key: c for c in redflags.candidates(session, key, [], None) if c.relation == redflags.SAME_PERSON}


@pytest.mark.parametrize(("first_words", "second_words", "force", "reason"), AS_PEOPLE_TALK)
def test_an_officer_named_as_people_talk_joins(ana: Session, first_words: str, second_words: str, force: str,
                                               reason: str) -> None:
    number = 200 + AS_PEOPLE_TALK.index((first_words, second_words, force, reason)) * 2
    first, second = _store(ana, _doc(number, first_words, force_hint=force), _doc(number + 1, second_words, force_hint=force))
    found = _same_person(ana, second)
    assert first in found, f"not joined: {first_words!r} / {second_words!r}"
    assert reason in found[first].reasons


# Pairs that must not join: two names a letter or two apart, two officers of one surname at
# one station, words after a rank that name nobody.
APART = [
    ("PS Nicola Haverstock was rude to me", "PS Nicholas Haverstock stopped my car", "Kent Police"),
    ("DC Ormelby searched my flat without a warrant", "DC Ormelbury searched my flat too", "Essex Police"),
    ("PC Dave Kowalczyk at Lewisham nick stopped me", "PC Tomasz Kowalczyk at Lewisham nick stopped me",
     "Metropolitan Police"),
    ("PC Johnno Thistlewood was at the door again", "PC Richard Thistlewood was at the door", "Avon and Somerset Police"),
    ("the PC involved was rude to me and the pc laughed.", "the PC involved was rude to my son, the pc laughed.",
     "Kent Police"),
]


@pytest.mark.parametrize(("first_words", "second_words", "force"), APART)
def test_two_officers_or_nobody_do_not_join(ana: Session, first_words: str, second_words: str, force: str) -> None:
    number = 300 + APART.index((first_words, second_words, force)) * 2
    first, second = _store(ana, _doc(number, first_words, force_hint=force), _doc(number + 1, second_words, force_hint=force))
    assert first not in _same_person(ana, second), f"joined: {first_words!r} / {second_words!r}"


def test_a_common_surname_with_a_rank_in_the_same_force_is_not_enough(ana: Session) -> None:
    """Forty Smiths in the room, a few in each force: 'pc smith' and 'PC Smith' may be two."""
    forces = ("Kent Police", "Essex Police", "Metropolitan Police", "Sussex Police", "Surrey Police")
    crowd = [_doc(400 + n, f"PC {first} Smith stopped me.", force_hint=forces[n % len(forces)])
             for n, first in enumerate(("John", "Paul", "Mark", "Gary", "Lee", "Karen", "Emma", "Tom") * 5)]
    _store(ana, *crowd)
    first, second = _store(ana, _doc(450, "pc smith was horrible to me", force_hint="Kent Police"),
                           _doc(451, "PC Smith took my phone off me.", force_hint="Kent Police"))
    assert first not in _same_person(ana, second)


def test_across_forces_a_surname_and_rank_join_only_where_a_move_is_said(ana: Session) -> None:
    cumbria, silent, said = _store(
        ana,
        _doc(460, "DS Fothergill-Kaye searched my car for no reason.", force_hint="Cumbria Police"),
        _doc(461, "DS Fothergill-Kaye searched my brother's car.", force_hint="Lancashire Constabulary"),
        _doc(462, "DS Fothergill-Kaye, who came over from Cumbria Police last year, did the same to me.",
             force_hint="Lancashire Constabulary"),
    )
    assert cumbria not in _same_person(ana, silent)
    found = _same_person(ana, said)
    assert cumbria in found and "came over from Cumbria Police" in "; ".join(found[cumbria].reasons)


def test_across_forces_a_whole_name_needs_a_rank_each_side_or_a_move_said(ana: Session) -> None:
    kent, no_rank, moved = _store(
        ana,
        _doc(470, "Sgt Simon Kersbrook was with him.", force_hint="Kent Police"),
        _doc(471, "an officer called Si Kersbrook was the one.", force_hint="Greater Manchester Police"),
        _doc(472, "an officer called Si Kersbrook, he said he used to be in Kent Police.", force_hint="GMP"),
    )
    assert kent not in _same_person(ana, no_rank)
    assert kent in _same_person(ana, moved)
    pet, met = _store(ana, _doc(475, "PS Timbo Kersbrook pushed me.", force_hint="South Wales Police"),
                      _doc(476, "PS Timothy Kersbrook was rude to me.", force_hint="Metropolitan Police"))
    assert pet not in _same_person(ana, met)  # a pet form in two forces, no move said


def test_a_collar_number_with_no_force_joins_the_one_force_the_room_knows_it_in(ana: Session) -> None:
    kent, unsaid = _store(
        ana,
        _doc(480, "PC 7319 threatened my brother outside the chip shop.", force_hint="Kent Police"),
        _doc(481, "I didn't catch his name but his shoulder number was 7 3 1 9."),
    )
    found = _same_person(ana, unsaid)
    assert kent in found
    assert "the room knows this number in Kent Police only" in "; ".join(found[kent].reasons)
    (essex,) = _store(ana, _doc(482, "PC 7319 was rude to me at the station.", force_hint="Essex Police"))
    found = _same_person(ana, unsaid)  # two forces' 7319: which one, the report does not say
    assert kent not in found and essex not in found


def test_one_word_after_a_rank_is_a_surname_even_when_it_is_a_forename_too(ana: Session) -> None:
    first, second = _store(ana, _doc(490, "DC Thomas searched my car and kept my phone.", force_hint="Dyfed-Powys Police"),
                           _doc(491, "It was DC Thomas again, the same one.", force_hint="Dyfed-Powys Police"))
    found = _same_person(ana, second)
    assert first in found and "same surname Thomas" in found[first].reasons


def test_where_the_officer_is_from_lifts_a_common_surname(ana: Session) -> None:
    """Forty Morgans in the room: 'pc morgan' alone is not enough; 'from Keighley' in both is."""
    forces = ("Kent Police", "Essex Police", "West Yorkshire Police", "Sussex Police", "Surrey Police")
    _store(ana, *(_doc(500 + n, f"PC {first} Morgan stopped me.", force_hint=forces[n % len(forces)])
                  for n, first in enumerate(("John", "Paul", "Mark", "Gary", "Lee", "Karen", "Emma", "Tom") * 5)))
    first, second, bare = _store(
        ana,
        _doc(550, "pc morgan from keighley was the one who pushed him", force_hint="West Yorkshire Police"),
        _doc(551, "It was PC Morgan from Keighley again, outside the school.", force_hint="West Yorkshire Police"),
        _doc(552, "PC Morgan was rude to my son.", force_hint="West Yorkshire Police"),
    )
    found = _same_person(ana, second)
    assert first in found and "same station Keighley" in found[first].reasons
    assert bare not in found
