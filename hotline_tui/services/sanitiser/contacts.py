"""Finding the reporter's e-mail and phone, and the intake's identifiers, however written.

All sure hits (blocking). The e-mail also when written out ("name dot surname at
example dot com", "name[at]domain") or with invisible characters inside; the phone by
its digits in any layout, letters for digits, in words or said in parts (see
``normalise.digit_runs``); the intake reference and report id with any separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from hotline_tui.services.sanitiser.normalise import DigitRun, Joined, Token, digit_runs, fold_text, joined, tokens
from hotline_tui.services.sanitiser.owned import (
    AGE,
    MONTH_YEAR,
    birth_digits,
    dates,
    dates_month_first,
    dates_spoken,
    month_of,
    year_of,
)
from hotline_tui.services.sanitiser.profile import COMMON_MAIL_DOMAINS, COMMON_WORDS, ROOM_REFERENCE_PREFIX, Profile

# Six digits of a phone in a row are a sure hit: a phone 'ending 900123' is the phone.
PHONE_WINDOW = 6
# Words that stand for the punctuation of an address written out.
_ADDRESS_WORDS = frozenset({"at", "dot", "period", "point", "punto", "arobase"})
_ALNUM = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hit:
    start: int  # in the folded text
    end: int
    kind: str
    message: str
    blocking: bool = True


def _alnum(text: str) -> str:
    return "".join(_ALNUM.findall(fold_text(text)))


def _email_hits(words: list[Token], profile: Profile) -> Iterator[Hit]:
    # (what, as a whole word only, message): the whole address is found even inside other text
    targets = [(_alnum(profile.email), False, "The reporter's e-mail address")] if profile.email else []
    targets += [(_alnum(o.value), False, o.message) for o in profile.owned if o.kind == "email"]
    locals_ = [profile.email_local, *(o.value.partition("@")[0] for o in profile.owned if o.kind == "email")]
    locals_ += [local.partition("+")[0] for local in locals_ if "+" in local]  # "jane+hotline@": mail reaches jane@
    for local in dict.fromkeys(_alnum(part) for part in locals_):
        if len(local) >= 3 and local not in COMMON_WORDS:  # "will@…": the whole address only
            targets.append((local, True, "The reporter's e-mail address (its name part)"))
    domains = [profile.email_domain, *(o.value.partition("@")[2] for o in profile.owned if o.kind == "email")]
    for domain in dict.fromkeys(d for d in domains if d and d not in COMMON_MAIL_DOMAINS):  # a workplace's, a family's
        targets.append((_alnum(domain), True, "The reporter's e-mail domain"))
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


def _pieces(cores: list[str]) -> tuple[set[str], set[str]]:
    """Every run of PHONE_WINDOW digits of the phones (a sure hit), and their last four
    and five digits ("a mobile ending 0123": likely)."""
    pieces: set[str] = set()
    tails: set[str] = set()
    for core in cores:
        window = min(PHONE_WINDOW, len(core))
        if window >= 4:
            pieces |= {core[i : i + window] for i in range(len(core) - window + 1)}
        if len(core) >= 8:
            tails |= {core[-4:], core[-5:]}
    return pieces, tails


def _phone_hits(runs: list[DigitRun], cores: list[str]) -> Iterator[Hit]:
    pieces, tails = _pieces(cores)
    if not pieces:
        return
    windows = {len(p) for p in pieces}
    for run in runs:
        digits = run.digits
        if any(digits[i : i + w] in pieces for w in windows for i in range(len(digits) - w + 1)):
            yield Hit(run.start, run.end, "reporter", "The reporter's phone number")
        elif len(digits) >= PHONE_WINDOW and any(  # written backwards: "123 009 00770"
                digits[::-1][i : i + w] in pieces for w in windows for i in range(len(digits) - w + 1)):
            yield Hit(run.start, run.end, "reporter", "The reporter's phone number (backwards)")
        elif digits in tails:
            yield Hit(run.start, run.end, "reporter", "The end of the reporter's phone number?", False)


def _loose_number(digits: str) -> str:
    """A number of a reference as people shorten it: a year without its century, a
    serial without its leading zeros."""
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return f"(?:{digits[:2]})?{digits[2:]}"
    return "0*" + re.escape(digits.lstrip("0") or "0")


def _reference_hits(folded: str, runs: list[DigitRun], reference: str) -> Iterator[Hit]:
    """The reference's digits together however written ("P A C 2 0 2 6 0 0 4 2 1 1")."""
    words = _ALNUM.findall(fold_text(reference))
    digits = "".join(c for c in "".join(words) if c.isdigit())
    # its serial alone, however written ("0 0 4 2 1 1", "four two one one" when long enough to be no collar number)
    serial = words[-1] if len(words) > 1 and words[-1].isdigit() and len(words[-1]) >= 4 else ""
    serials = {serial, serial.lstrip("0")} - {""} if len(serial.lstrip("0")) >= 5 else {serial} - {""}
    years = [w for w in words[:-1] if len(w) == 4 and w.isdigit() and w[:2] in ("19", "20")]
    serials |= {years[0] + serial.lstrip("0")} if years and serial.lstrip("0") else set()  # "2026 12345"
    room = re.compile(rf"{ROOM_REFERENCE_PREFIX.lower()}[\W_]*(?:\d{{4}}[\W_]*)?$")  # the room's own HTR-2026-004211
    for run in runs:
        if room.search(folded, max(0, run.start - 14), run.start):
            continue
        if len(digits) >= 8 and digits in run.digits:
            yield Hit(run.start, run.end, "reference", "The intake reference")
        elif run.digits in serials:
            yield Hit(run.start, run.end, "reference", "The intake reference's number")


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
        if len(words) > 1 and any(w.isdigit() for w in words):  # "PAC-26-4211": zeros or century left out
            loose = r"[\W_]*".join(_loose_number(w) if w.isdigit() else re.escape(w) for w in words)
            rules.append((re.compile(rf"(?<![0-9a-z]){loose}(?!\d)"), "reference", "The intake reference"))
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
    if profile.email or any(o.kind == "email" for o in profile.owned):
        yield from _email_hits(words, profile)
    runs = list(digit_runs(folded, words))  # read once, for the phones, the birth date and the reference
    yield from _phone_hits(runs, [profile.phone_core, *(o.value for o in profile.owned if o.kind == "phone")])
    yield from owned_hits(folded, words, runs, profile)
    yield from _reference_hits(folded, runs, profile.reference)
    for pattern, kind, message in _text_rules(profile):
        for found in pattern.finditer(folded):
            if found.end() > found.start():
                yield Hit(found.start(), found.end(), kind, message)


# Found run together across separators ("hx1 2ab", "Y X 1 9 K L M", "14, Elm Grove"), as whole words.
_COMPACT_KINDS = ("registration", "postcode", "address", "handle")


# Letters and digits that stand for each other in a code (a postcode, a registration, a user
# name): "0L11 3QT", "MA66 XYZ" as "MAGG XY2". Read one for one, so places stay.
_CODE_LOOKALIKES = str.maketrans(
    {"o": "0", "i": "1", "l": "1", "s": "5", "z": "2", "b": "8", "g": "6", "t": "7", "a": "4", "e": "3"})


def _whole(compact: Joined, value: str) -> Iterator[tuple[int, int]]:
    at = compact.text.find(value)
    while at >= 0:
        end = at + len(value)
        if at in compact.starts and end in compact.ends:
            yield compact.span(at, end)
        at = compact.text.find(value, at + 1)


def owned_hits(folded: str, words: list[Token], runs: list[DigitRun], profile: Profile) -> Iterator[Hit]:
    """What the narrative gives as the reporter's own (``owned``): their car, home, birth date."""
    if not profile.owned:
        return
    compact = joined(words)
    codes = replace(compact, text=compact.text.translate(_CODE_LOOKALIKES))
    births = {o.value: o.message for o in profile.owned if o.kind == "birth"}
    for owned in profile.owned:
        if owned.kind == "address":
            for start, end in _whole(compact, owned.value):
                yield Hit(start, end, "reporter", owned.message)
        elif owned.kind in _COMPACT_KINDS:
            for start, end in _whole(codes, owned.value.translate(_CODE_LOOKALIKES)):
                yield Hit(start, end, "reporter", owned.message)
    ages = {o.value for o in profile.owned if o.kind == "age"}
    for found in AGE.finditer(folded) if ages else ():  # likely: ages are shared by many
        if (found.group(1) or found.group(2)) in ages:
            yield Hit(found.start(), found.end(), "reporter", "The reporter's age?", False)
    numbers = {o.value: o.message for o in profile.owned if o.kind == "number"}
    for run in runs if numbers else ():
        if run.digits in numbers:
            yield Hit(run.start, run.end, "reporter", numbers[run.digits])
    if births:
        for iso, start, end in dates(folded):
            if iso in births:
                yield Hit(start, end, "reporter", births[iso])
        for iso, start, end in (*dates_month_first(folded), *dates_spoken(folded)):  # 03/07/1985 for 7 March
            if iso in births:
                yield Hit(start, end, "reporter", births[iso])
        months = {iso[:7] for iso in births}
        for found in MONTH_YEAR.finditer(folded):
            if f"{year_of(found.group(2)):04d}-{month_of(found.group(1)):02d}" in months:
                yield Hit(found.start(), found.end(), "reporter", "The reporter's month and year of birth?", False)
        run_together = {digits: births[iso] for iso in births for digits in birth_digits(iso)}
        for run in runs:
            if run.digits in run_together:
                yield Hit(run.start, run.end, "reporter", run_together[run.digits])
