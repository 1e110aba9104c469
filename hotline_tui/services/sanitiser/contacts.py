"""Finding the reporter's e-mail and phone, and the intake's identifiers, however written.

All sure hits (blocking). The e-mail also when written out ("name dot surname at
example dot com", "name[at]domain") or with invisible characters inside; the phone by
its digits in any layout, letters for digits, in words or said in parts (see
``normalise.digit_runs``); the intake reference and report id with any separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from hotline_tui.services.sanitiser.normalise import Token, digit_runs, fold_text, joined, tokens
from hotline_tui.services.sanitiser.profile import ROOM_REFERENCE_PREFIX, Profile

PHONE_WINDOW = 7
# Words that stand for the punctuation of an address written out.
_ADDRESS_WORDS = frozenset({"at", "dot", "period", "point", "punto", "arobase"})
_ALNUM = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hit:
    start: int  # in the folded text
    end: int
    kind: str
    message: str


def _alnum(text: str) -> str:
    return "".join(_ALNUM.findall(fold_text(text)))


def _email_hits(words: list[Token], profile: Profile) -> Iterator[Hit]:
    # (what, as a whole word only, message): the whole address is found even inside other text
    targets = [(_alnum(profile.email), False, "The reporter's e-mail address")]
    local = _alnum(profile.email_local)
    if len(local) >= 3:
        targets.append((local, True, "The reporter's e-mail address (its name part)"))
    if profile.email_domain:
        targets.append((_alnum(profile.email_domain), True, "The reporter's e-mail domain"))
    view = joined([t for t in words if t.text not in _ADDRESS_WORDS])  # "ros dot f at example dot net"
    for target, aligned, message in targets:
        if not target:
            continue
        at = view.text.find(target)
        while at >= 0:
            end = at + len(target)
            if not aligned or (at in view.starts and end in view.ends):
                yield Hit(*view.span(at, end), "reporter", message)
            at = view.text.find(target, at + 1)


def _phone_hits(folded: str, words: list[Token], core: str) -> Iterator[Hit]:
    window = min(PHONE_WINDOW, len(core))
    if window < 4:
        return
    pieces = {core[i : i + window] for i in range(len(core) - window + 1)}
    for run in digit_runs(folded, words):
        digits = run.digits
        if any(digits[i : i + window] in pieces for i in range(len(digits) - window + 1)):
            yield Hit(run.start, run.end, "reporter", "The reporter's phone number")


def _joined(words: list[str]) -> str:
    return r"[\W_]*".join(re.escape(w) for w in words)


@lru_cache(maxsize=256)
def _text_rules(profile: Profile) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """Patterns over folded text: a phone too short to match by digits, the intake ids."""
    rules: list[tuple[re.Pattern[str], str, str]] = []
    core = profile.phone_core
    if profile.phone and len(core) < 4 and len(profile.phone) >= 3:
        rules.append((re.compile(re.escape(fold_text(profile.phone))), "reporter", "The reporter's phone number"))
    words = _ALNUM.findall(fold_text(profile.reference))
    if words:
        rules.append((re.compile(_joined(words)), "reference", "The intake reference"))
        if words[-1].isdigit() and len(words[-1]) >= 4 and len(words) > 1:
            prefix = ROOM_REFERENCE_PREFIX.lower()
            serial = rf"(?<!\d)(?<!{prefix}-\d{{4}}-){re.escape(words[-1])}(?!\d)"
            rules.append((re.compile(serial), "reference", "The intake reference's number"))
    blocks = [b for b in fold_text(profile.report_id).split("-") if b]
    if blocks:
        rules.append((re.compile(r"[\W_]*".join(map(re.escape, blocks))), "reference", "The intake report id"))
        if len(blocks) > 1 and len(blocks[0]) >= 8:
            first = rf"(?<![0-9a-z]){re.escape(blocks[0])}(?![0-9a-z])"
            rules.append((re.compile(first), "reference", "The intake report id (its first part)"))
    return tuple(rules)


def contact_hits(folded: str, profile: Profile) -> Iterator[Hit]:
    words = tokens(folded)
    if profile.email:
        yield from _email_hits(words, profile)
    yield from _phone_hits(folded, words, profile.phone_core)
    for pattern, kind, message in _text_rules(profile):
        for found in pattern.finditer(folded):
            if found.end() > found.start():
                yield Hit(found.start(), found.end(), kind, message)
