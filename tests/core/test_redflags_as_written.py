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
]


@pytest.mark.parametrize(("first_words", "second_words", "force", "said"), PAIRS)
def test_one_officer_said_two_ways_joins_and_says_why(ana: Session, first_words: str, second_words: str, force: str,
                                                        said: str) -> None:
    number = 100 + PAIRS.index((first_words, second_words, force, said)) * 2
    first, second = _store(ana, _doc(number, first_words, force_hint=force), _doc(number + 1, second_words, force_hint=force))
    found = {c.key: c for c in redflags.candidates(ana, second, [], None) if c.relation == redflags.SAME_PERSON}
    assert first in found, f"not joined: {first_words!r} / {second_words!r}"
    assert said.lower() in "; ".join(found[first].reasons).lower()
