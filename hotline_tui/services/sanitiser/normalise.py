"""Text normalisation that sees through disguise, the way spam and fraud filters do.

Independent of any report: other services (red-flag identifiers, say) may use it.

- ``fold``: Unicode compatibility decomposition (NFKD: fullwidth, mathematical bold,
  superscripts, ligatures), combining marks and format characters dropped (accents,
  soft hyphens, zero-width spaces and joiners), look-alike letters of other alphabets
  mapped to their Latin skeleton (Unicode's confusables, from ``confusable_homoglyphs``),
  other letters to their usual Latin spelling (``anyascii``: т, ł, ø), then case-folded.
  Each folded character remembers where it came from, so a finding points at the text
  the analyst wrote.
- ``tokens``: the words of a folded text, with their places.
- ``digit_runs``: the digits someone wrote, however they wrote them: digits split by
  spaces, punctuation or line breaks, O/o for 0 and l/I for 1 inside numbers, numbers
  in words ("oh seven seven double oh"), and a number said in parts ("07700 then 900").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

# Default-ignorable characters that are letters or spaces by category, so not dropped as
# format characters: Hangul fillers, Khmer inherent vowels, Mongolian free variation selectors.
_IGNORABLE = frozenset("\u115f\u1160\u3164\uffa0\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u034f")
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


@cache
def _skeleton_table() -> dict[str, str]:
    """Non-ASCII look-alikes to the ASCII character they imitate (Cyrillic о -> o)."""
    from confusable_homoglyphs.confusables import confusables_data

    def ascii_of(char: str) -> str | None:
        seen, frontier = {char}, [char]
        for _ in range(3):  # a few chains go through another look-alike first
            following = []
            for item in frontier:
                for glyph in confusables_data.get(item, ()):
                    target = glyph["c"]
                    if target.isascii() and len(target) == 1 and (target.isalnum() or not char.isalnum()):
                        return target
                    if len(target) == 1 and target not in seen:
                        seen.add(target)
                        following.append(target)
            frontier = following
        return None

    table = {}
    for char in confusables_data:
        if len(char) == 1 and not char.isascii():
            found = ascii_of(char)
            if found is not None:
                table[char] = found
    return table


@cache
def fold_char(char: str) -> str:
    """One character as the comparisons see it: '' for an invisible one."""
    if char.isascii():
        return char.lower()
    if char in _IGNORABLE:
        return ""
    skeleton = _skeleton_table()
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.category(part) in _DROPPED_CATEGORIES or part in _IGNORABLE:
            continue
        part = unicodedata.normalize("NFKD", skeleton.get(part, part))
        if not part.isascii() and part.isalpha():  # no look-alike: its usual Latin spelling (т, ł, ø)
            part = anyascii(part) or part
        elif not part.isascii() and unicodedata.category(part) == "So":  # letters drawn as symbols: 🅿, 🄿, 🇵
            spelled = anyascii(part)
            part = spelled if len(spelled) == 1 and spelled.isalnum() else part
        out.append(part)
    return "".join(c for c in "".join(out).casefold() if unicodedata.category(c) not in _DROPPED_CATEGORIES)


@dataclass(frozen=True)
class Folded:
    """A folded text and, for each of its characters, the index of the original one."""

    original: str
    text: str
    origin: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original characters behind folded characters ``start`` to ``end``."""
        if end <= start:
            return self.origin[start] if start < len(self.origin) else len(self.original), self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


class _FoldTable(dict[int, str]):
    """``str.translate``'s table, filled as characters are met; remembers the characters
    that fold to nothing or to several, which shift positions."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(folded) != 1:
            self.irregular.add(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> Folded:
    """The text folded for comparison (see the module's description)."""
    if text.isascii():
        return Folded(text, text.lower(), range(len(text)))
    folded = text.translate(_TABLE)
    if _TABLE.irregular.isdisjoint(text):
        return Folded(text, folded, range(len(text)))
    origin: list[int] = []
    for index, char in enumerate(text):
        origin.extend([index] * len(_TABLE[ord(char)]))
    return Folded(text, folded, origin)


def transliterated(text: str) -> Folded | None:
    """The text with other scripts spelled in Latin letters as a reader would say them
    ('Смит': 'smit', where ``fold`` sees look-alikes: 'cmnt'), for names; None when it
    has no letter of another script."""
    if text.isascii():
        return None
    out: list[str] = []
    origin: list[int] = []
    changed = False
    for index, char in enumerate(text):
        spelled = char.lower() if char.isascii() or not char.isalpha() else anyascii(char).lower()
        changed = changed or (spelled != char.lower() and char.isalpha())
        out.append(spelled)
        origin.extend([index] * len(spelled))
    return Folded(text, "".join(out), origin) if changed else None


def fold_text(text: str) -> str:
    """Just the folded text: for values compared against folded texts."""
    return fold(text).text


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # in the folded text
    end: int


_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8)
def _tokens(folded: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded))


def tokens(folded: str) -> list[Token]:
    """The words (runs of letters and digits) of a folded text (the last few kept: each
    check reads the same text's words several times)."""
    return list(_tokens(folded))


@dataclass(frozen=True)
class Joined:
    """Words run together, to find a value its writer split ("Carl more", "R.o.s.a.l.i.n.d")."""

    text: str
    origin: tuple[int, ...]  # the folded index of each character
    starts: dict[int, int]  # index -> the number of the word starting there
    ends: dict[int, int]  # index -> the number of the word ending there
    words: tuple[Token, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The folded span behind characters ``start`` to ``end`` of the joined text."""
        return self.origin[start], self.origin[end - 1] + 1


def joined(words: list[Token]) -> Joined:
    text: list[str] = []
    origin: list[int] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for number, token in enumerate(words):
        starts[len(origin)] = number
        text.append(token.text)
        origin.extend(range(token.start, token.end))
        ends[len(origin)] = number
    return Joined("".join(text), tuple(origin), starts, ends, tuple(words))


# -- numbers ------------------------------------------------------------------------------

NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
    # as digits are said over a radio, the way police and ex-forces people read numbers
    "tree": "3", "fower": "4", "fife": "5", "niner": "9", "naught": "0",
}
# Tens take the unit that follows ("seventy seven": 77); hundreds and thousands, said after a
# number, add their zeros ("seven seven hundred, nine hundred": 7700 900).
TENS_WORDS = {"twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
         "eighty": "8", "ninety": "9"}
_ZEROS = {"hundred": "00", "thousand": "000"}


_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS_SPELLED = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spelled_number(number: int) -> str:
    """1 to 99 in words, run together as ``joined`` reads them ("twentyone"); '' otherwise."""
    if 1 <= number < 20:
        return _UNITS[number]
    if 20 <= number <= 99:
        return _TENS_SPELLED[number // 10] + _UNITS[number % 10]
    return ""
_REPEATS = {"double": 2, "triple": 3, "treble": 3}
# Words people put between the parts of a number they read out.
_NUMBER_FILLERS = frozenset({"then", "and", "followed", "by", "next", "space", "dash", "hyphen", "after", "that", "plus"})
# Letters that stand for digits inside a number: O for 0, l and I (folded to i) for 1.
_DIGIT_LOOKALIKES = str.maketrans({"o": "0", "l": "1", "i": "1"})
_LOOKALIKE_ONLY = re.compile(r"[oli]+")


def _token_digits(token: str) -> str | None:
    """The digits a word stands for, or None if it is no part of a number."""
    if token.isdigit():
        return token if token.isascii() else "".join(str(unicodedata.digit(c)) for c in token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if not token.isalpha():
        mapped = token.translate(_DIGIT_LOOKALIKES)
        return mapped if mapped.isdigit() else None
    return None


@dataclass(frozen=True)
class DigitRun:
    digits: str
    start: int  # in the folded text
    end: int


_NUMBERISH = re.compile(r"[0-9oli]+|[^0-9oli]+")


def _number_parts(words: list[Token]) -> list[Token]:
    """Words with digits split where the digits (or their look-alikes) meet other
    letters: 'x07700900123y' holds a number."""
    parts: list[Token] = []
    for token in words:
        if token.text.isdigit() or token.text.isalpha():
            parts.append(token)
            continue
        for piece in _NUMBERISH.finditer(token.text):
            parts.append(Token(piece.group(), token.start + piece.start(), token.start + piece.end()))
    return parts


def digit_runs(folded: str, found: list[Token] | None = None) -> Iterator[DigitRun]:
    """Every run of digits written in any of the ways above, with its place."""
    words = _number_parts(found if found is not None else tokens(folded))
    digits, start, end, repeat, gap, tens = "", -1, -1, 1, 0, False
    for index, token in enumerate(words):
        value = _token_digits(token.text)
        if value is None and digits and _LOOKALIKE_ONLY.fullmatch(token.text) and len(token.text) > 1:
            value = token.text.translate(_DIGIT_LOOKALIKES)  # "O77OO OO9" - the second part has no digit
        if value is None and token.text in _REPEATS and index + 1 < len(words):
            repeat = _REPEATS[token.text]
            gap = 0
            start = token.start if not digits else start
            continue
        if value is None and token.text in TENS_WORDS:
            value = TENS_WORDS[token.text] + "0"
        elif value is None and digits and token.text in _ZEROS:
            value = _ZEROS[token.text]
        if value is not None:
            if not digits:
                start = token.start
            if tens and len(value) == 1 and value != "0":  # "seventy seven": the unit takes the tens' zero
                digits = digits[:-1]
            digits += value[0] * repeat + value[1:] if repeat > 1 else value
            end, repeat, gap = token.end, 1, 0
            tens = token.text in TENS_WORDS
            continue
        tens = False
        if digits and token.text in _NUMBER_FILLERS and gap < 2:
            gap += 1
            continue
        if digits:
            yield DigitRun(digits, start, end)
        digits, repeat, gap = "", 1, 0
    if digits:
        yield DigitRun(digits, start, end)
