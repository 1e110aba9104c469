"""The one pass that finds which extractors' words a text holds finds exactly the words a
search for each would, overlapping ones too, with or without the automaton library."""

from __future__ import annotations

import pytest

from hotline_tui.services.redflags import spans

WORDS = ["station", "stationed", "based ", "works at", " x ", " x:", " fb", "@", " dot ", "number", "numbers"]
TEXTS = [
    "", "nothing here", "He is stationed at Lewisham police station.", "based at Catford, works at the nick",
    "on x at @dave, a x fb, his x: dave", "mail dave dot w at gmail dot com", "his numbers: 4521",
    "STATION in capitals is not lower case",
]


@pytest.mark.parametrize("automaton", [True, False], ids=["automaton", "one-by-one"])
def test_the_words_found_are_those_each_search_finds(monkeypatch: pytest.MonkeyPatch, automaton: bool) -> None:
    if not automaton:
        monkeypatch.setattr(spans, "ahocorasick", None)
    finder = spans.WordFinder(WORDS)
    for text in TEXTS:
        assert finder.present(text) == {word for word in WORDS if word in text}, text


def test_a_rank_in_any_case_is_looked_for_only_where_its_first_word_starts() -> None:
    import re

    from hotline_tui.services.redflags import people

    firsts = people.RANK_FIRST_WORDS
    ranks = [r.replace("(?:Chief\\s+)?(?:Inspector|Sergeant|Constable)", "Inspector") for r in
             people._RANKS_ANY_CASE.split("|") if not r.startswith(("Sergeant|", "Constable)"))]
    assert all(re.sub(r"\\s\+.*", "", rank).lower() in firsts for rank in ranks if rank.isalpha() or "\\s+" in rank)
    # letters only: a rank starts a word (\b), never inside the letters of a word found, so none is skipped
    assert all(word.isalpha() for word in firsts) and people._RANKED_ANY_CASE.pattern.startswith("(?i:\\b")
    texts = ["pc dave whitfield stopped me", "SGT D. CARRICK and ps jones", "Perhaps PC Dave Jones, or inspector bloggs",
             "the dci smith-jones", "spc dave", "xpc paul harshaw", "İstanbul pc dave harshaw",
             "ſgt dave jones", "ınspector paul harshaw", "the PC’s mate pc dave o’brien"]
    for text in texts:
        assert [m.span() for m in people._ranked_any_case(text)] == [
            m.span() for m in people._RANKED_ANY_CASE.finditer(text)], text


@pytest.mark.parametrize("automaton", [True, False], ids=["automaton", "one-by-one"])
def test_where_the_words_start_overlapping_ones_too(monkeypatch: pytest.MonkeyPatch, automaton: bool) -> None:
    if not automaton:
        monkeypatch.setattr(spans, "ahocorasick", None)
    finder = spans.WordFinder(["pc", "pcso", "ps", "police"])
    assert finder.starts("the pcso, perhaps police") == [4, 15, 18]  # pc and pcso both at 4, once
