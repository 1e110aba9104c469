"""What every extractor shares: the identifier found, the words it was said in, and whose it is.

An ``Identifier`` keeps its normalised value (what matching compares), the field it came
from and the words around it as the reporter put them (what a reason quotes), and whose
it is: the subject's (the officer's car, phone, number) or the reporter's own (their
car, their phone), which joins reports as the same reporter, never as the same officer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

try:
    import ahocorasick
except ImportError:  # an environment installed before it was a dependency: the same words, found one by one
    ahocorasick = None

QUOTE_WIDTH = 30  # characters of context either side of the span, at most
SUBJECT, REPORTER = "subject", "reporter"
KINDS = ("collar", "warrant", "registration", "phone", "email", "handle", "station")
STRONG = frozenset({"collar", "warrant", "registration", "phone", "email", "handle"})


class Identifier(NamedTuple):
    """A plain tuple: made thousands of times an import (a frozen dataclass costs several
    times more to make), and sent from the reading process to the storing one."""

    kind: str  # one of KINDS
    value: str  # normalised: 'AB12CDE', '+447700900123', 'instagram:dave_w', '4417'
    whose: str  # SUBJECT or REPORTER
    field: str  # where it was said: 'narrative', 'handler notes', 'subject 1 collar number', ...
    quote: str  # the words around it, as said
    detail: str = ""  # what was said beside it: 'silver Ford Focus', 'Instagram', 'warrant number'
    force: str = ""  # force code where the identifier only means something within a force


_SPACE = re.compile(r"\s+")


def quote_around(text: str, start: int, end: int, width: int = QUOTE_WIDTH) -> str:
    """The span with a few words either side, cut at word boundaries, on one line."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    words = _SPACE.sub(" ", text[left:right]).strip()
    return ("…" if left > 0 else "") + words + ("…" if right < len(text) else "")


# "my car", "me on 0770…", "my instagram": the reporter's own. The nearest possessive
# before the identifier (within the sentence) decides; none at all means the subject's.
_OWNER = re.compile(
    r"\b(?P<reporter>my|mine|our|(?:call|ring|text|phone|contact|reach|email|e-mail|message)\s+me(?:\s+(?:on|at|back))?"
    r"|i'?m\s+on)\b|\b(?P<subject>his|her|hers|him|he|she|their|they|them|officer|pc|ps|sgt|constable|cop|copper)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]\s")


def whose(text: str, start: int, reach: int = 45) -> str:
    """Whose the identifier at ``start`` is, from the nearest owner word before it."""
    left = max(0, start - reach)
    ends = list(_SENTENCE_END.finditer(text, left, start))
    if ends:
        left = ends[-1].end()
    owner = SUBJECT
    for found in _OWNER.finditer(text, left, start):
        owner = REPORTER if found.group("reporter") else SUBJECT
    return owner


def mentions(lower: str, words: tuple[str, ...] | frozenset[str]) -> bool:
    """Whether any of ``words`` occurs in the text: each extractor asks this, cheaply (one
    C-level substring search per word), before it looks for anything."""
    return any(map(lower.__contains__, words))


class WordFinder:
    """Which of many words a text holds, found in one pass over it (Aho-Corasick, in C):
    a few microseconds for a narrative, where asking for each word in turn costs one
    search a word. Every occurrence counts, overlapping ones too, so the words found are
    exactly those ``mentions`` would say are there."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY) if ahocorasick is not None else None
        if self._automaton is not None:
            for word in self._words:
                self._automaton.add_word(word, word)
            self._automaton.make_automaton()

    def present(self, lower: str) -> set[str]:
        if self._automaton is None:
            return {word for word in self._words if word in lower}
        return {word for _end, word in self._automaton.iter(lower)}

    def starts(self, lower: str) -> list[int]:
        """Where any of the words starts in the text, each place once, in order."""
        if self._automaton is None:
            return sorted(set(find_all(lower, tuple(self._words))))
        return sorted({end - len(word) + 1 for end, word in self._automaton.iter(lower)})


def find_all(lower: str, words: tuple[str, ...]) -> list[int]:
    found = []
    for word in words:
        at = lower.find(word)
        while at != -1:
            found.append(at)
            at = lower.find(word, at + 1)
    return found


def windows(lower: str, words: tuple[str, ...], left: int, right: int) -> list[tuple[int, int]]:
    """Stretches of text around each of ``words`` (a pattern is then looked for only
    there, not along the whole text), overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for at in sorted(find_all(lower, words)):
        start, end = max(0, at - left), min(len(lower), at + right)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
