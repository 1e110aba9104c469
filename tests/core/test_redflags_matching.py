"""Red-flag matching: a name is worth what its commonness in the room says."""

from __future__ import annotations

import random

import pytest

from hotline_tui.services.redflags import THRESHOLD, score_pair
from hotline_tui.services.redflags.commonness import NameStats
from hotline_tui.services.redflags.moves import former_forces
from hotline_tui.services.redflags.names import forenames_match, person_key
from hotline_tui.services.redflags.people import narrative_people, rank_group
from hotline_tui.store.subjects import IndexRow

FORCES = ("kent", "essex", "metropolitan", "west-yorkshire", "greater-manchester", "merseyside", "thames-valley")


@pytest.fixture(scope="module")
def room() -> NameStats:
    """Subjects as a busy room holds them: 700 called Smith among 20,000, one Whitfield."""
    stats, r = NameStats(), random.Random(16)
    forenames = ["david", "paul", "mark", "andrew", "sarah", "claire", "james", "emma", *(f"name{i}" for i in range(40))]
    for number in range(20_700):
        surname = "smith" if number < 700 else f"surname{number}"
        stats.add(surname, r.choice(forenames), "", "", r.choice(FORCES), r.choice(("constable", "constable", "sergeant")))
    stats.add("whitfield", "david", "d", "", "kent", "constable")
    return stats


def _row(name: str, force: str, rank: str = "", collar: str = "", station: str = "") -> IndexRow:
    key = person_key(name, collar, station)
    return IndexRow(2, key.surname, key.forename, key.initial, key.collar, key.station, force, rank_group(rank))


def _score(room: NameStats, name: str, force: str, rank: str, row: IndexRow, collar: str = "") -> tuple[float, tuple[str, ...]]:
    return score_pair(person_key(name, collar), force, row, room, rank_group(rank))


def test_a_rare_name_joins_on_name_rank_and_force_saying_how_common_it_is(room: NameStats) -> None:
    score, reasons = _score(room, "PC Dave Whitfield", "kent", "PC", _row("DC David Whitfield", "kent", "DC"))
    assert score >= THRESHOLD
    said = {"nickname David = Dave", "same rank (constable)", "same force", "1 subject in the room named Whitfield"}
    assert said <= set(reasons)
    assert _score(room, "D. Whitfield", "kent", "PC", _row("David Whitfield", "kent", "PC"))[0] >= THRESHOLD
    promoted = _score(room, "PC Dave Whitfield", "kent", "PC", _row("David Whitfield", "kent", "Sgt"))[0]
    assert promoted < score  # another rank counts against (a promotion, or another officer)


def test_a_common_name_needs_more_beside_it(room: NameStats) -> None:
    alone, reasons = _score(room, "David Smith", "kent", "PC", _row("David Smith", "kent", "PC"))
    assert alone < THRESHOLD and "700 subjects in the room named Smith" in reasons
    with_collar, reasons = _score(room, "David Smith", "kent", "PC", _row("David Smith", "kent", "PC", "4417"), "4417")
    assert with_collar >= THRESHOLD and "same collar number 4417 and force" in reasons


def test_the_same_name_is_weaker_the_more_the_room_holds(room: NameStats) -> None:
    small = _score(NameStats(), "Sgt Laura Clark", "kent", "Sgt", _row("Laura Clark", "kent", "Sgt"))[0]
    busy = NameStats()
    for _ in range(3):
        for force in FORCES:
            busy.add("clark", "laura", "l", "", force, "sergeant")
    assert _score(busy, "Sgt Laura Clark", "kent", "Sgt", _row("Laura Clark", "kent", "Sgt"))[0] < small


@pytest.mark.parametrize(
    ("name", "force", "rank", "row"),
    [
        ("Sgt Smith", "kent", "Sgt", _row("Smith", "essex", "Sgt")),  # two officers, one common surname, two forces
        ("Sgt Smith", "kent", "Sgt", _row("John Smith", "kent", "Sgt")),  # a common surname alone, same force
        ("Whitfield", "essex", "Sgt", _row("David Whitfield", "kent", "Sgt")),  # a surname alone in another force
        ("David Smith", "essex", "PC", _row("David Smith", "kent", "PC")),  # a common whole name in another force
        ("Daniel Whitfield", "kent", "PC", _row("David Whitfield", "kent", "PC")),  # another forename
        ("Andy Whitfield", "kent", "PC", _row("Mandy Whitfield", "kent", "PC")),  # a letter apart: two names
    ],
)
def test_near_misses_do_not_join(room: NameStats, name: str, force: str, rank: str, row: IndexRow) -> None:
    assert _score(room, name, force, rank, row)[0] < THRESHOLD


def test_two_collar_numbers_in_one_force_are_two_officers(room: NameStats) -> None:
    row = _row("David Whitfield", "kent", "PC", "5521")
    assert _score(room, "Dave Whitfield", "kent", "PC", row, "4417")[0] < THRESHOLD
    assert _score(room, "Dave Whitfield", "kent", "PC", _row("David Whitfield", "kent", "PC"), "4417")[0] >= THRESHOLD


def test_an_officer_who_moved_force_is_offered_at_lower_strength_saying_so(room: NameStats) -> None:
    same_force = _score(room, "PC Dave Whitfield", "kent", "PC", _row("David Whitfield", "kent", "PC", "4417"), "118")[0]
    moved, reasons = _score(room, "PC Dave Whitfield", "essex", "PC", _row("David Whitfield", "kent", "PC", "4417"), "118")
    assert THRESHOLD <= moved and "different force (Kent Police, now Essex Police): may have moved" in reasons
    assert _score(room, "PC Dave Whitfield", "essex", "PC", _row("David Whitfield", "kent", "PC"))[0] > moved - 0.01
    assert same_force < THRESHOLD  # in one force, two numbers are two officers
    assert _score(room, "PC D. Whitfield", "essex", "PC", _row("David Whitfield", "kent", "PC"))[0] >= THRESHOLD


def test_short_forms_from_the_nickname_list_and_the_library() -> None:
    assert forenames_match("gaz", "gareth") and forenames_match("becky", "rebecca")  # British short forms
    assert forenames_match("percy", "percival") and forenames_match("bert", "herbert")  # the nicknames package's
    assert not forenames_match("samuel", "samantha")  # never two formal names through a short form they share


def test_officers_named_in_lower_case_or_capitals() -> None:
    assert [n for n, _, _ in narrative_people("it was pc dave whitfield again")] == ["dave whitfield"]
    assert [n for n, _, _ in narrative_people("SGT D. CARRICK WAS THERE")] == ["D. CARRICK"]
    assert [n for n, _, _ in narrative_people("It was Inspector A. Scott again.")] == ["A. Scott"]
    assert list(narrative_people("the pc was rude and PC WAS LATE")) == []
    forenames_only = narrative_people("pc dave was rude, PC DAVE WAS LATE")
    assert not [name for name, _, _ in forenames_only if person_key(name).surname]  # "was" is no surname


def test_the_force_an_officer_is_said_to_have_come_from() -> None:
    assert list(former_forces("He said he used to be in Kent Police.")) == ["kent"]
    assert list(former_forces("she transferred from the Met a few years ago")) == ["metropolitan"]
    assert list(former_forces("He is ex-GMP and proud of it")) == ["greater-manchester"]
    assert former_forces("He used to be in the army. He came from a good family.") == {}


def test_a_slip_of_one_letter_or_of_the_ear_is_one_name_a_letter_or_two_more_is_two() -> None:
    from hotline_tui.services.redflags.names import misspelt

    assert misspelt("whitfield", "whitfeld") and misspelt("thompson", "thomson") and misspelt("thomas", "thoams")
    assert misspelt("smith", "smyth") and misspelt("mackenzie", "mckenzie")
    assert not misspelt("ormelby", "ormelbury") and not misspelt("nicola", "nicholas") and not misspelt("hall", "hill")


def test_pet_forms_people_coin_but_never_two_british_names() -> None:
    from hotline_tui.services.redflags.names import coined_from

    assert coined_from("davo", "david") and coined_from("robbo", "robert") and coined_from("hels", "helen")
    assert coined_from("richo", "richard") and coined_from("moh", "mohammed")
    assert not coined_from("paula", "paul") and not coined_from("smudge", "david") and not coined_from("davo", "daniel")
