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
