"""Every identifier a report gives, from every field it can be said in.

Runs at import, where the bundle is read (services/intake/rows.py, often in the reading
child): pure, no store. The subject fields give collar numbers (and stations); the
narrative, the call handler's notes, when and where and the subjects' descriptions give
all kinds, each kept with its field and its words; the reporter object gives the
reporter's own phone and e-mail, which join reports as the same reporter only. A phone,
e-mail or registration the reporter gives as their own anywhere marks the same value
said elsewhere in the report as theirs too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hotline_tui.services.redflags.contacts import PLATFORM_HINTS, emails, handles, phones, reporter_contacts
from hotline_tui.services.redflags.names import TITLES, normal_station
from hotline_tui.services.redflags.numbers import COLLAR_WORDS, collar_numbers, subject_collar
from hotline_tui.services.redflags.spans import (
    REPORTER,
    SUBJECT,
    Identifier,
    WordFinder,
    mentions,
    quote_around,
    windows,
)
from hotline_tui.services.redflags.vehicles import registrations
from hotline_tui.services.triage.force_hints import match_force_hint

# The narrative and the handler's notes are read where the import stores the bundle (see
# ``free_text``); the short fields here where it is read.
LONG_FIELDS = (("narrative", "narrative"), ("handler_notes", "handler's notes"))
_SHORT_FIELDS = (("when", "when"), ("where", "where"))
_MAX_CHARS = 50_000  # of one field: what people say of an officer comes early; bounds the work


def _short_text(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, label in _SHORT_FIELDS:
        value = doc.get(key)
        if isinstance(value, str) and value:
            yield label, value[:_MAX_CHARS]
    for number, subject in enumerate(doc.get("subjects") or [], 1):
        if isinstance(subject, dict) and isinstance(subject.get("description"), str) and subject["description"]:
            yield f"subject {number} description", subject["description"][:_MAX_CHARS]


_DIGIT = re.compile(r"\d")
_EMAIL_WORDS = frozenset({"@", " dot "})


def _gates() -> tuple[WordFinder, frozenset[str], frozenset[str], frozenset[str]]:
    """One finder for the words every extractor needs one of (each extractor's own gate),
    and those of the collar numbers, handles and stations."""
    collar, platforms, station = frozenset(COLLAR_WORDS), frozenset(PLATFORM_HINTS), frozenset(_STATION_GATE)
    return WordFinder([*_EMAIL_WORDS, *collar, *platforms, *station]), collar, platforms, station


def _text_identifiers(text: str, field: str, force: str) -> list[Identifier]:
    """Every extractor's finds in one text. Most texts (where, when, a description, many
    narratives) give none: one pass finds which of the words each extractor cannot find
    anything without (a digit, or one of its words) the text holds, and only the
    extractors whose words are there are called."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters grow in lower case ('İ'): keep offsets aligned
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    said = _FINDER.present(lower)
    found: list[Identifier] = []
    if _DIGIT.search(text):
        found += [*collar_numbers(text, field, force, lower), *registrations(text, field, lower), *phones(text, field)]
    elif not said.isdisjoint(_COLLAR_GATE):
        found += collar_numbers(text, field, force, lower)
    if not said.isdisjoint(_EMAIL_WORDS):
        found += emails(text, field)
    if not said.isdisjoint(_HANDLE_GATE):
        found += handles(text, field, lower)
    if not said.isdisjoint(_STATIONS_GATE):
        found += stations(text, field, force, lower)
    return found


def _subject_fields(doc: dict[str, Any], hint_code: str) -> Iterator[Identifier]:
    for number, subject in enumerate(doc.get("subjects") or [], 1):
        if not isinstance(subject, dict):
            continue
        force = match_force_hint(str(subject.get("force_hint") or "")) or hint_code
        collar = str(subject.get("collar_number") or "")
        if collar:
            yield from subject_collar(collar, f"subject {number} collar number", force)
        station = str(subject.get("station") or "")
        value = normal_station(station)
        if value:
            yield Identifier("station", value, SUBJECT, f"subject {number} station", station[:60], "", force)


def structured(doc: dict[str, Any], hint_code: str | None = None) -> list[Identifier]:
    """The identifiers of a report's reporter object, subject fields and short fields
    (when, where, the subjects' descriptions): cheap, done where the bundle is read."""
    force = hint_code or ""
    reporter = doc.get("reporter") if isinstance(doc.get("reporter"), dict) else {}
    found = [*reporter_contacts(reporter or {}), *_subject_fields(doc, force)]
    for field, text in _short_text(doc):
        found += _text_identifiers(text, field, force)
    return found


def free_text(narrative: str, notes: str, hint_code: str | None = None) -> list[Identifier]:
    """The identifiers said in the narrative and the call handler's notes."""
    found: list[Identifier] = []
    for (_, field), text in zip(LONG_FIELDS, (narrative, notes), strict=True):
        if text:
            found += _text_identifiers(text[:_MAX_CHARS], field, hint_code or "")
    return found


def combine(*parts: list[Identifier]) -> list[Identifier]:
    """Each (kind, value, whose) once, the first saying kept; a value the reporter gave as
    their own anywhere in the report is theirs wherever else it is said in it."""
    found = [item for part in parts for item in part]
    theirs = {(i.kind, i.value) for i in found if i.whose == REPORTER}
    unique: dict[tuple[str, str, str], Identifier] = {}
    for item in found:
        if item.whose == SUBJECT and (item.kind, item.value) in theirs:
            item = Identifier(item.kind, item.value, REPORTER, item.field, item.quote, item.detail, item.force)
        unique.setdefault((item.kind, item.value, item.whose), item)
    return list(unique.values())


def extract(doc: dict[str, Any], hint_code: str | None = None) -> list[Identifier]:
    """Every identifier of a report."""
    narrative, notes = (doc.get(key) for key, _ in LONG_FIELDS)
    text = free_text(narrative if isinstance(narrative, str) else "", notes if isinstance(notes, str) else "", hint_code)
    return combine(structured(doc, hint_code), text)


# -- stations and units -------------------------------------------------------------------

_PLACE = r"[A-Z][A-Za-z'’-]+(?:\s+(?:[A-Z][A-Za-z'’-]+|upon|on|le|under|in)){0,3}"
_STATION = re.compile(rf"\b(?P<place>{_PLACE})\s+(?:[Pp]olice\s+[Ss]tation|[Nn]ick|[Cc]ustody(?:\s+[Ss]uite)?|"
                      rf"[Pp]olice\s+[Oo]ffice)\b")
_BASED = re.compile(rf"\b(?:based\s+(?:at|in|out\s+of)|works?\s+(?:at|out\s+of)|stationed\s+(?:at|in)|"
                    rf"posted\s+(?:to|at))\s+(?:the\s+)?(?P<place>{_PLACE})(?:\s+(?:police\s+)?station|\s+nick)?")
UNITS = {
    "tsg": "Territorial Support Group", "territorial support group": "Territorial Support Group",
    "cid": "CID", "response team": "response", "roads policing": "roads policing", "traffic unit": "roads policing",
    "firearms unit": "firearms", "dog unit": "dog unit", "custody team": "custody",
    "neighbourhood team": "neighbourhood", "safer neighbourhood team": "neighbourhood", "snt": "neighbourhood",
    "child protection": "child protection", "public protection": "public protection", "professional standards": "PSD",
    "psd": "PSD", "special branch": "special branch", "counter terrorism": "counter terrorism",
    "diplomatic protection": "diplomatic protection", "parliamentary and diplomatic protection": "diplomatic protection",
}
_UNIT = re.compile(r"\b(?:in|on|with|from|of|for|joined)\s+(?:the\s+)?(?P<unit>" +
                   "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + r")\b(?:\s+(?:unit|team|squad))?",
                   re.IGNORECASE)
_UNIT_GATE = ("tsg", "cid", "snt", "psd", "territorial", "team", "unit", "roads", "protection", "standards", "branch",
              "terror")
_UNIT_WORDS = (" tsg", " cid", " snt", " psd", "territorial", "response team", "roads policing", "traffic unit",
               "firearms unit", "dog unit", "custody team", "neighbourhood team", "protection", "standards", "branch",
               "counter terrorism")
_NOT_PLACES = frozenset(w.lower() for w in TITLES) | {"the", "a", "local", "his", "her", "their", "my", "our", "that"}


_STATION_WORDS = ("station", "nick", "custody", "police office")
_BASED_WORDS = ("based ", "works at", "work at", "works out", "work out", "working at", "working out", "stationed",
                "posted to", "posted at")
# What every station or unit said needs one of (each pattern is looked for only around its words).
_STATION_GATE = (*_STATION_WORDS, "based", "work", "posted", *_UNIT_GATE)
_FINDER, _COLLAR_GATE, _HANDLE_GATE, _STATIONS_GATE = _gates()


def _station_matches(text: str, lower: str) -> Iterator[re.Match[str]]:
    """Matches of the station patterns, looked for only around the words they need."""
    for window in windows(lower, _STATION_WORDS, 60, 8):
        yield from _STATION.finditer(text, *window)
    for window in windows(lower, _BASED_WORDS, 0, 60) if mentions(lower, ("based", "work", "station", "posted")) else ():
        yield from _BASED.finditer(text, *window)


def stations(text: str, field: str, force: str = "", lower: str | None = None) -> list[Identifier]:
    """Stations and units an officer is said to work at ("Lewisham police station",
    "based at Catford", "in the TSG"); the force, where the station names one
    ("Kent Police station" is a force, not a station), else the report's."""
    lower = text.lower() if lower is None else lower
    if not mentions(lower, _STATION_GATE):  # most texts: one pass of substring searches, no windows
        return []
    found: dict[str, Identifier] = {}
    for match in _station_matches(text, lower):
        place = match.group("place")
        words = [w for w in place.split() if w.lower() not in _NOT_PLACES]
        value = normal_station(" ".join(words))
        if not value:
            continue
        named_force = match_force_hint(" ".join(words))
        if named_force and len(words) <= 3 and value in named_force.replace("-", " "):
            continue  # "Kent Police" is the force
        found.setdefault(value, Identifier("station", value, SUBJECT, field,
                                           quote_around(text, match.start(), match.end()), "", force))
    units = windows(lower, _UNIT_WORDS, 12, 30) if mentions(lower, _UNIT_GATE) else []
    for match in (m for window in units for m in _UNIT.finditer(text, *window)):
        unit = UNITS[match.group("unit").lower()]
        found.setdefault(f"unit {unit}", Identifier("station", f"unit {unit.lower()}", SUBJECT, field,
                                                    quote_around(text, match.start(), match.end()), unit, force))
    return list(found.values())
