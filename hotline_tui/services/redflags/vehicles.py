"""UK vehicle registrations as people write them, with the make, model and colour beside them.

Formats (DVLA): current since 2001 "AB12 CDE" (age 02-26 and 51-76); suffix 1963-83
"ABC 123D"; prefix 1983-2001 "A123 BCD"; dateless "ABC 123", "1234 AB", "AB 1234";
Northern Ireland "ABZ 1234". Any case, any spacing. The current format is distinctive
enough to stand alone in compact or usual spacing, in any case; any other spacing, and
the older formats, which look like road numbers ("M25 and"), aircraft ("A380") and
words, count only as typed in capitals or beside a vehicle word ("reg", "plate", "car",
a make); a dateless plate only right after "reg", "plate" or "registration".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hotline_tui.services.redflags.spans import Identifier, quote_around, whose

_L = "A-HJ-PR-Z"  # letters DVLA uses (no I or Q)
_AGE = r"(?:0[2-9]|1\d|2[0-6]|5[1-9]|6\d|7[0-6])"
_S = r"[ \t-]?"  # a space or hyphen, or none
_CURRENT_COMPACT = re.compile(rf"(?<![\w@])([{_L}][{_L}]{_AGE}) ?([{_L}]{{3}})(?![\w@])", re.IGNORECASE)
_OLDER = (
    re.compile(rf"(?<![\w@])([{_L}]{{2}}){_S}({_AGE}){_S}([{_L}]{{3}})(?![\w@])"),  # current, odd spacing
    re.compile(rf"(?<![\w@])([{_L}]{{3}}){_S}(\d{{1,3}}){_S}([A-HJ-NPR-Y])(?![\w@])"),  # suffix ABC 123D
    re.compile(rf"(?<![\w@])([A-HJ-NPR-Y])(\d{{1,3}}){_S}([{_L}]{{3}})(?![\w@])"),  # prefix A123 BCD
)
_OLDER_ANY_CASE = tuple(re.compile(pattern.pattern, re.IGNORECASE) for pattern in _OLDER)
_DATELESS = re.compile(
    rf"(?<![\w@])((?!(?:reg|no|was|is)\b)[{_L}]{{1,3}}{_S}\d{{1,4}}|\d{{1,4}}{_S}[{_L}]{{1,3}})(?![\w@])", re.IGNORECASE
)
_DATELESS_CUE = re.compile(
    r"(?:\breg(?:istration)?|\bplates?|\bnumber\s*plate|\bplate\s+number)\.?(?:\s+(?:was|is|no\.?|number))?"
    r"\s*[:#-]?\s*$",
    re.IGNORECASE,
)
MAKES = (
    "alfa romeo",
    "aston martin",
    "audi",
    "bentley",
    "bmw",
    "citroen",
    "citroën",
    "cupra",
    "dacia",
    "fiat",
    "ford",
    "honda",
    "hyundai",
    "jaguar",
    "jeep",
    "kia",
    "land rover",
    "range rover",
    "lexus",
    "mazda",
    "mercedes",
    "merc",
    "mini",
    "mitsubishi",
    "nissan",
    "peugeot",
    "porsche",
    "renault",
    "seat",
    "skoda",
    "smart",
    "subaru",
    "suzuki",
    "tesla",
    "toyota",
    "vauxhall",
    "volkswagen",
    "vw",
    "volvo",
    "polestar",
    "mg",
    "ds",
)
COLOURS = (
    "black",
    "white",
    "silver",
    "grey",
    "gray",
    "red",
    "blue",
    "dark blue",
    "navy",
    "green",
    "dark green",
    "yellow",
    "orange",
    "gold",
    "bronze",
    "brown",
    "beige",
    "purple",
    "maroon",
    "burgundy",
)
_MAKE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, MAKES), key=len, reverse=True)) + r")\b(\s+[A-Za-z0-9-]{2,12})?", re.IGNORECASE
)
_COLOUR = re.compile(r"\b(" + "|".join(sorted(COLOURS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_VEHICLE = re.compile(
    r"\b(?:reg|registration|plates?|car|van|vehicle|motor|motorbike|motorcycle|bike|4x4|suv|"
    r"hatchback|estate|saloon|pick-?up|taxi|drives?|driving|drove)\b",
    re.IGNORECASE,
)
_NOT_MODEL = frozenset("car van reg registration plate with and was is the a at in on that which number estate".split())
_NEAR = 45


def plate(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _cue_near(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - _NEAR) : end + _NEAR]
    return bool(_VEHICLE.search(window) or _MAKE.search(window))


def vehicle_detail(text: str, start: int, end: int) -> str:
    """'silver Ford Focus' said within a few words of the registration, else ''."""
    window = text[max(0, start - _NEAR) : end + _NEAR]
    parts: list[str] = []
    colour = _COLOUR.search(window)
    if colour:
        parts.append(colour.group(1).lower())
    make = _MAKE.search(window)
    if make:
        parts.append(make.group(1).title() if len(make.group(1)) > 3 else make.group(1).upper())
        model = (make.group(2) or "").strip()
        model_at = max(0, start - _NEAR) + make.end(2) - len(model)  # "Range Rover YH 18 RXC": YH is the plate's
        in_plate = start <= model_at < end or re.fullmatch(r"[A-Z]{2}\d{2}", model.upper())
        if model and not in_plate and model.lower() not in _NOT_MODEL:
            parts.append(model)
    return " ".join(parts)


_RUN = re.compile(r"\d{1,4}")
_WORD_AFTER = re.compile(r"[\w@]")


def _around(pattern: re.Pattern[str], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` in the few characters around a run of digits: a plate has at
    most four characters before its digits and four after. (``endpos`` hides what
    follows, so the end is checked against the real text.)"""
    for found in pattern.finditer(text, max(0, start - 5), min(len(text), end + 5)):
        if found.end() == len(text) or not _WORD_AFTER.match(text, found.end()):
            yield found


def _letters_beside(text: str, start: int, end: int) -> bool:
    """Whether a letter is next to the digits, or one space or hyphen away: every plate
    has one; '£500', 'at 10.30' and most numbers in a narrative do not."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    return (before[-1:].isalpha() or (before[-1:] in (" ", "-") and before[:1].isalpha())
            or after[:1].isalpha() or (after[:1] in (" ", "-") and after[1:].isalpha()))


def _spans(text: str, lower: str) -> Iterator[tuple[int, int]]:
    dateless_cue = "reg" in lower or "plate" in lower
    for run in _RUN.finditer(text):
        start, end = run.start(), run.end()
        if not _letters_beside(text, start, end):
            continue
        for found in _around(_CURRENT_COMPACT, text, start, end):
            yield found.start(), found.end()
        for pattern in _OLDER:  # typed in capitals
            for found in _around(pattern, text, start, end):
                yield found.start(), found.end()
        for pattern in _OLDER_ANY_CASE:  # in any case, beside a vehicle word
            for found in _around(pattern, text, start, end):
                if _cue_near(text, found.start(), found.end()):
                    yield found.start(), found.end()
        if dateless_cue:
            for found in _around(_DATELESS, text, start, end):
                if _DATELESS_CUE.search(text, max(0, found.start() - 30), found.start()):
                    yield found.start(), found.end()


def registrations(text: str, field: str, lower: str | None = None) -> list[Identifier]:
    """Every registration said in ``text``, each once, with whose it is and the vehicle."""
    found: dict[str, Identifier] = {}
    taken: list[tuple[int, int]] = []
    lower = text.lower() if lower is None else lower
    for start, end in sorted(set(_spans(text, lower)), key=lambda span: (span[0], -span[1])):
        if any(s <= start < e for s, e in taken):
            continue
        value = plate(text[start:end])
        if len(value) < 2 or value in found:
            continue
        taken.append((start, end))
        found[value] = Identifier(
            "registration", value, whose(text, start), field, quote_around(text, start, end), vehicle_detail(text, start, end)
        )
    return list(found.values())
