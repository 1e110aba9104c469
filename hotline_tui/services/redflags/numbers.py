"""Collar, shoulder and warrant numbers as people say them.

A number counts only beside words that make it an officer's number: a rank ("PC 4521",
"PCSO7731", "Sgt. 1186"), "collar/shoulder/badge/epaulette number", "his number was",
"4521 on his shoulder", or "warrant (card) number". Said aloud it may come as words
("four four one seven", "forty-four seventeen", "double four one seven") or spaced
digits ("4 4 1 7"). House numbers, amounts, years, times, crime and case references,
buses and "PC World" are not collar numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hotline_tui.services.redflags.names import normal_collar
from hotline_tui.services.redflags.spans import SUBJECT, Identifier, mentions, quote_around, windows

_UNITS = {
    "zero": 0,
    "oh": 0,
    "o": 0,
    "nought": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_REPEAT = {"double": 2, "treble": 3, "triple": 3}
_WORD = "|".join(sorted([*_UNITS, *_TEENS, *_TENS, *_REPEAT, "hundred"], key=len, reverse=True))
# Digits, or number words, joined by spaces, hyphens or commas: what follows a cue.
_SAID = rf"(?:\d[\d ]{{0,9}}\d|\d|(?:(?:{_WORD})\b[\s,-]*){{1,8}})"

_RANK = r"(?:PCSO|PC|PS|DC|DS|SC|Sgt|Sarge|Sergeant|(?:Police\s+|Special\s+|Detective\s+)?Constable|Special|Officer)"
_NUMBER_WORD = (r"(?:(?:collar|badge|epaulettes?|epaulets?)(?:\s+(?:number|no\.?|#))?|"  # "collar 4521", "badge no. 2231"
                r"(?:shoulder|id|identification|force|officer(?:'s)?)\s+(?:number|no\.?|#)|"
                r"number\s+on\s+(?:his|her|their|the)\s+(?:shoulders?|epaulettes?|epaulets?|uniform|collar))")
# A run of digits (the common case) is found first, then the word before it is checked:
# "PC 4521", "PCSO7731", "Sgt. 1186", "PC no. 4521".
_DIGITS = re.compile(r"\d[\d ]{0,9}\d|\d")
# Said with a word for the number: digits or words ("his number was four five two one")
_SPOKEN_CUES = (
    # "collar number 4521", "shoulder no. 4521", "his number was four five two one"
    re.compile(rf"\b(?:{_NUMBER_WORD}|(?:his|her|their|the\s+officer'?s)\s+number)\s*(?:was|is|were|:|-|read|reads|said|says|of)?"
               rf"\s*(?:like\s+|something\s+like\s+|maybe\s+|possibly\s+)?(?P<said>{_SAID})", re.IGNORECASE),
    # "4521 on his shoulder", "the numbers 4521 on her epaulettes"
    re.compile(r"(?P<said>\d[\d ]{0,9}\d)\s+on\s+(?:his|her|their|the)\s+(?:shoulders?|epaulettes?|epaulets?|uniform|collar)",
               re.IGNORECASE),
)
_SPOKEN_WORDS = ("number", "shoulder", "epaulet", "collar", "badge", "uniform")
_WARRANT = re.compile(rf"\bwarrant\s+(?:card\s+)?(?:number|no\.?|#)\s*(?:was|is|:|-)?\s*(?P<said>{_SAID})",
                      re.IGNORECASE)


def spoken_digits(said: str) -> str:
    """The digits of a number as said: '4 4 1 7' -> '4417', 'forty-four seventeen' ->
    '4417', 'double four one seven' -> '4417', 'four hundred and twelve' -> '412'."""
    words = re.findall(r"\d+|[a-z]+", said.lower())
    digits, repeat, i = "", 1, 0
    while i < len(words):
        word = words[i]
        if word.isdigit():
            digits += word * repeat
        elif word in _REPEAT:
            repeat = _REPEAT[word]
            i += 1
            continue
        elif word in _UNITS:
            digits += str(_UNITS[word]) * repeat
        elif word in _TEENS:
            digits += str(_TEENS[word])
        elif word in _TENS:
            following = words[i + 1] if i + 1 < len(words) else ""
            if following in _UNITS and _UNITS[following]:
                digits += str(_TENS[word] + _UNITS[following])
                i += 1
            else:
                digits += str(_TENS[word])
        elif word == "hundred" and digits:
            rest = words[i + 1 :]
            rest = rest[1:] if rest[:1] == ["and"] else rest
            tail = spoken_digits(" ".join(rest))
            return digits + tail.rjust(2, "0") if tail else digits + "00"
        repeat = 1
        i += 1
    return digits


def collar_value(number: str) -> str:
    """A collar number as matching compares it: digits (and a borough suffix) without a
    rank's letters or leading zeros: 'SC 0418' -> '418', '4417LW' -> '4417LW'."""
    return re.sub(r"^(?:PCSO|PC|PS|DC|DS|SC)(?=\d)", "", normal_collar(number))


def _looks_like_year(digits: str) -> bool:
    return len(digits) == 4 and 1950 <= int(digits) <= 2039


_NOT_COLLAR_AFTER = re.compile(r"(?:s\b|%)|\s*(?:pounds|quid|grand|k\b|pm|am|hours|hrs|mph|miles|years|yrs|officers|cars|"
                               r"times|minutes|mins|seconds|secs|days|weeks|months|"
                               r"[a-z]+\s+(?:street|road|lane|avenue|close|drive|way)\b|\d{3})")


def _after_is_not_collar(text: str, end: int) -> bool:
    """'PC 2 cars', '4521 High Street', '£4521', 'the 1990s', a phone number: a number, not a collar."""
    return bool(_NOT_COLLAR_AFTER.match(text[end : end + 12].lower()))


def _said_spans(
    text: str, pattern: re.Pattern[str], fewest: int, window: tuple[int, int] | None = None
) -> Iterator[tuple[int, int, str]]:
    for found in pattern.finditer(text, *(window or (0, len(text)))):
        said = found.group("said").rstrip(" ,-")
        start = found.start("said")
        end = start + len(said)
        digits = spoken_digits(said)
        if not fewest <= len(digits) <= 7 or text[max(0, start - 1) : start] in ("£", "$"):
            continue
        if _after_is_not_collar(text, end):
            continue
        yield found.start(), end, digits


_RANK_WORDS = frozenset("PCSO PC PS DC DS SC DI DCI Sgt Sarge Sergeant Constable Special Officer Insp Inspector".split())
_LOWER_RANKS = frozenset("pcso pc ps sgt insp dci".split())  # typed in lower case too; "officer" in lower case is anyone


def _rank_before(text: str, start: int) -> int:
    """Where the rank right before a number starts ("PC 4521", "Sgt. no. 1186"), or -1."""
    before = text[max(0, start - 24) : start]
    words = before.replace(".", " ").replace("#", " ").replace(":", " ").split()
    if words and words[-1].lower() in ("no", "number"):
        words.pop()
    if not words:
        return -1
    last = words[-1]
    if last in _RANK_WORDS or last.upper() in _RANK_WORDS or last in _LOWER_RANKS:
        at = before.rfind(last)
        if at == 0 or not before[at - 1 : at].isalnum():
            return start - len(before) + at
    return -1


def _after_rank(text: str) -> Iterator[tuple[int, int, str]]:
    for run in _DIGITS.finditer(text):
        said = run.group().rstrip()
        start, end = run.start(), run.start() + len(said)
        digits = said.replace(" ", "")
        if not 3 <= len(digits) <= 7:
            continue
        rank = _rank_before(text, start)  # cheaper than the check after, and rarely met
        if rank >= 0 and not _after_is_not_collar(text, end):
            yield rank, end, digits


# Words without which ``collar_numbers`` finds nothing in a text that has no digit.
COLLAR_WORDS = (*_SPOKEN_WORDS, "warrant")
_SPOKEN_GATE = frozenset("number numbers shoulder shoulders epaulette epaulettes epaulet epaulets collar badge "
                         "uniform".split())


def collar_numbers(text: str, field: str, force: str = "", lower: str | None = None) -> list[Identifier]:
    """Collar or shoulder numbers (within ``force``) and warrant numbers said in ``text``
    (``lower``: the text in lower case, where known)."""
    lower = text.lower() if lower is None else lower
    spans = list(_after_rank(text))
    for window in windows(lower, _SPOKEN_WORDS, 50, 70) if mentions(lower, _SPOKEN_WORDS) else ():
        for pattern, fewest in zip(_SPOKEN_CUES, (2, 3), strict=True):
            spans += _said_spans(text, pattern, fewest, window)
    found: dict[tuple[str, str], Identifier] = {}
    for start, end, digits in spans:
        if _looks_like_year(digits) and re.search(r"\b(?:in|since|of|year)\s*$", text[max(0, start - 12) : start]):
            continue
        key = ("collar", collar_value(digits))
        found.setdefault(key, Identifier("collar", key[1], SUBJECT, field, quote_around(text, start, end), "", force))
    if "warrant" in lower:
        for start, end, digits in _said_spans(text, _WARRANT, 4):
            found.setdefault(("warrant", digits), Identifier("warrant", digits, SUBJECT, field,
                                                             quote_around(text, start, end), "warrant number"))
    return list(found.values())


def subject_collar(collar: str, field: str, force: str) -> list[Identifier]:
    """The collar number a subject field holds ('4417', 'SC418', 'PC 4417 LW')."""
    value = collar_value(collar)
    if not re.search(r"\d{2}", value):
        return []
    return [Identifier("collar", value, SUBJECT, field, collar.strip()[:60], "", force)]
