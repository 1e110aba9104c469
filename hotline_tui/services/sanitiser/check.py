"""The checks over a text: every finding, with its place in the text as written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hotline_tui.services.sanitiser.contacts import contact_hits
from hotline_tui.services.sanitiser.names import name_hits, written_as_name
from hotline_tui.services.sanitiser.normalise import Folded, fold, tokens, transliterated
from hotline_tui.services.sanitiser.phonetic import phonetic, word_end
from hotline_tui.services.sanitiser.profile import Profile, profile
from hotline_tui.services.sanitiser.tells import KNOWN_AS, RELATIONSHIP, stem, tell_pattern, unique_pattern


@dataclass(frozen=True)
class SanitisationFlag:
    kind: str  # 'reporter' | 'reference' | 'relationship' | 'hidden'
    text: str
    start: int
    end: int
    message: str
    blocking: bool

    @property
    def key(self) -> str:
        """What identifies a warning across edits, for its answer: the message and the
        words it found, folded (moving the text keeps the answer; changing the words
        asks again)."""
        return f"{self.message}|{' '.join(t.text for t in tokens(fold(self.text).text))}"


def _flag(folded: Folded, start: int, end: int, kind: str, message: str, blocking: bool) -> SanitisationFlag:
    first, last = folded.span(start, end)
    return SanitisationFlag(kind, folded.original[first:last], first, last, message, blocking)


def _tell_flags(folded: Folded, found: Profile) -> Iterator[SanitisationFlag]:
    pattern, by_word = tell_pattern(found.tells)
    if pattern is None:
        return
    for match in pattern.finditer(folded.text):
        tell = by_word.get(match.group(1)) or next(t for t in found.tells if match.group(1).startswith(stem(t.word)))
        yield _flag(folded, match.start(), match.end(), "relationship",
                    f"Repeats what the narrative says about the reporter (“{tell.said}”): it may show who they are", False)


def _relationship_flags(folded: Folded) -> Iterator[SanitisationFlag]:
    for pattern, message in RELATIONSHIP:
        for found in pattern.finditer(folded.text):
            yield _flag(folded, found.start(), found.end(), "relationship",
                        f"Suggests how the reporter knows: {message}", False)


def _known_as_flags(folded: Folded, found: Profile) -> Iterator[SanitisationFlag]:
    pattern, label = KNOWN_AS.get(found.relationship, (None, ""))
    for match in pattern.finditer(folded.text) if pattern is not None else ():
        yield _flag(folded, match.start(), match.end(), "relationship",
                    f"Says how the reporter knows the subject: the report gives them as {label}", False)


def _unique_flags(folded: Folded, found: Profile) -> Iterator[SanitisationFlag]:
    pattern = unique_pattern(found.unique)
    for match in pattern.finditer(folded.text) if pattern is not None else ():
        yield _flag(folded, match.start(), match.end(), "relationship",
                    "Singles out the source as the only one of a kind, as the narrative says of the reporter", False)


def _without_nested(flags: list[SanitisationFlag]) -> list[SanitisationFlag]:
    """Drop a finding inside a longer one of the same weight (the local part inside the e-mail)."""
    kept: list[SanitisationFlag] = []
    for flag in sorted(dict.fromkeys(flags), key=lambda f: (f.start, -(f.end - f.start), not f.blocking)):
        inside = any(
            k.start <= flag.start and flag.end <= k.end and k.blocking >= flag.blocking and k != flag for k in kept
        )
        if not inside:
            kept.append(flag)
    return sorted(kept, key=lambda f: (f.start, f.end, not f.blocking))


def _identifying(folded: Folded, found: Profile) -> Iterator[SanitisationFlag]:
    for hit in (*name_hits(folded.text, found, folded), *written_as_name(folded, found)):
        yield _flag(folded, hit.start, hit.end, "reporter", hit.message, hit.blocking)
    spelled = transliterated(folded.original) if found.words else None
    if spelled is not None:  # a name written in another script: 'Смит'
        for hit in name_hits(spelled.text, found):
            yield _flag(spelled, hit.start, hit.end, "reporter", hit.message, hit.blocking)
    for contact in contact_hits(folded.text, found):
        yield _flag(folded, contact.start, contact.end, contact.kind, contact.message, contact.blocking)
    spoken = phonetic(folded)
    if spoken is not None:  # read out: "Mike Alpha six six X-ray Yankee Zulu" (sure findings only)
        hits: list[tuple[int, int, str, str]] = [
            *((h.start, h.end, "reporter", h.message) for h in name_hits(spoken.text, found) if h.blocking),
            *((h.start, h.end, h.kind, h.message) for h in contact_hits(spoken.text, found) if h.blocking)]
        for start, end, kind, message in hits:
            first, last = spoken.span(start, end)
            last = word_end(spoken.original, last)
            yield SanitisationFlag(kind, spoken.original[first:last], first, last, message, True)


# Characters that reorder the text around them when shown: what the checks read and what a
# reader sees differ ("\u202eZYX 66AM" shows as a registration). A summary has no use for them.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]+")


def _direction_flags(text: str) -> Iterator[SanitisationFlag]:
    for found in _DIRECTION_CONTROLS.finditer(text):  # named, not shown: shown, they would reorder the screen too
        named = " ".join(f"U+{ord(c):04X}" for c in found.group())
        yield SanitisationFlag("hidden", named, found.start(), found.end(),
                               "Invisible characters that change the order the text is shown in: what the force "
                               "reads would not be what was checked", True)


@lru_cache(maxsize=64)
def _checked(text: str, found: Profile) -> tuple[SanitisationFlag, ...]:
    """Kept for the last few texts: a keystroke's check reads the same summary several
    times (the screen's list, what stops submission, the referral as a whole)."""
    folded = fold(text)
    flags = [*_identifying(folded, found), *_relationship_flags(folded), *_tell_flags(folded, found),
             *_known_as_flags(folded, found), *_unique_flags(folded, found)]
    if not text.isascii():
        flags += _direction_flags(text)
    return tuple(_without_nested(flags))


def blocking_flags(text: str, report: dict[str, Any]) -> list[SanitisationFlag]:
    """Only the findings that stop a referral: reporter values and intake identifiers.
    (A finding is dropped only inside a longer one at least as strong, so these are the
    same as when only blocking ones are looked for.)"""
    return [f for f in _checked(text, profile(report)) if f.blocking] if text else []


def sanitisation_flags(text: str, report: dict[str, Any]) -> list[SanitisationFlag]:
    """Every finding in ``text``, sorted by position: blocking ones and warnings."""
    return list(_checked(text, profile(report))) if text else []


def warning_flags(text: str, report: dict[str, Any]) -> list[SanitisationFlag]:
    """Only the warnings: what the analyst must answer (reword, or keep with a reason)."""
    return [f for f in sanitisation_flags(text, report) if not f.blocking]


# -- whole documents -------------------------------------------------------------------


# The referral's own field names (FORMATS.md): not the analyst's words, so not checked (a
# reporter named Force or Summary would stop every referral). Any other key is.
SCHEMA_KEYS = frozenset(
    """
    referral_id reference force created subjects role name rank collar_number force_hint station description
    categories behaviours discrimination grading source intelligence handling handling_conditions priority
    priority_reason iopc_referral_criteria summary when where linked_referrals linked_referral_details date
    outcomes status analyst approved_by key_id approved_at attachments media_type path
    """.split()
)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every string, number and key (but the schema's) anywhere in a JSON-like value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield path, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in SCHEMA_KEYS:
                yield f"a field name in {path or 'the referral'}", str(key)
            yield from _strings(item, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def referral_leaks(referral: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """What in a referral document identifies the reporter or traces back to the intake
    record, as sentences: "summary contains the reporter's phone number"."""
    found: list[str] = []
    reporter = profile(report)
    for where, text in _strings(referral, ""):
        for flag in (f for f in _checked(text, reporter) if f.blocking) if text else ():
            what = flag.message[0].lower() + flag.message[1:]
            found.append(f"{where} contains {what}")
    return list(dict.fromkeys(found))
