"""What the narrative says is the reporter's own, beyond the reporter object.

A reporter often gives more of themselves than the intake form asks: "my car is a silver
Focus, YX19 KLM", "I live at 14 Elm Grove, HX1 2AB", "my other number is …", "I was born
on 3 July 1985". Each is as identifying as their name, so a summary carrying one is
blocked like the name. Registrations, phones, e-mails and handles are found the way the
red flags find them (``redflags.extract.free_text``, which already tells the reporter's
own from the subject's); home addresses, postcodes and dates of birth here, only where
the reporter says they are their own (or the call handler notes them as the caller's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from hotline_tui.services.redflags.extract import free_text
from hotline_tui.services.redflags.spans import REPORTER
from hotline_tui.services.sanitiser.normalise import fold_text, spelled_number

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ORD = r"(?:st|nd|rd|th)?"
_ORDINAL_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth")
# The days of a month in words: "the third of March", "twenty-first".
DAY_WORDS = {word: day for day, word in enumerate(_ORDINAL_UNITS, 1)} | {"twentieth": 20, "thirtieth": 30} | {
    f"{tens}[ -]?{unit}": day for tens, base in (("twenty", 20), ("thirty", 30)) for day, unit in
    enumerate(_ORDINAL_UNITS[:9], base + 1) if day <= 31}
_DAY = rf"(\d{{1,2}}|{'|'.join(sorted(DAY_WORDS, key=len, reverse=True))})"
# Dates as people write them, over folded text: 03/07/1985, 3.7.85, 1985-07-03, 3 July 1985,
# 3rd of July 1985, July 3rd, 1985.
DATE_FORMS = (
    (re.compile(r"(?<![\d])(\d{1,2})\s*[./ -]\s*(\d{1,2})\s*[./ -]\s*(\d{4}|\d{2})(?!\d)"), "dmy"),
    (re.compile(r"(?<![\d])(\d{4})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})(?!\d)"), "ymd"),
    (re.compile(rf"(?<![\da-z]){_DAY}{_ORD}\s*[-/.]?\s*(?:of\s+)?{_MONTH}\s*[-/.,]?\s*(\d{{4}}|'?\d{{2}})(?!\d)"),
     "dMy"),
    # the day and the year apart: "March 1988" is no 19 March '88
    (re.compile(rf"(?<![a-z]){_MONTH}\s*[-/.]?\s*(\d{{1,2}}){_ORD}(?:\s*[-/.,]\s*|\s+)(\d{{4}}|'?\d{{2}})(?!\d)"), "Mdy"),
)
# A day and month before a year said in words: "3rd March, nineteen eighty-eight".
_SPOKEN_YEAR = re.compile(rf"(?<![\da-z]){_DAY}{_ORD}\s*(?:of\s+)?{_MONTH}\s*,?\s+(?=[a-z])")
# A month and a year alone: "born March 1988".
MONTH_YEAR = re.compile(rf"(?<![a-z0-9]){_MONTH}\s*,?\s*(\d{{4}}|'\d{{2}})(?!\d)")
_POSTCODE = re.compile(r"(?<![a-z0-9])([a-z]{1,2}\d[a-z\d]?) ?(\d[a-z]{2})(?![a-z0-9])")
# Each kind of street with the ways it is shortened: "14 Acacia Ave" is 14 Acacia Avenue.
STREET_FORMS = (
    ("road", "rd"), ("street", "st", "str"), ("lane", "ln"), ("avenue", "ave", "av"), ("grove", "gr", "gro"),
    ("close", "cl"), ("drive", "dr", "drv"), ("way",), ("crescent", "cres", "cresc"), ("terrace", "terr", "ter"),
    ("place", "pl"), ("gardens", "gdns", "gdn"), ("court", "ct"), ("walk",), ("row",), ("hill",), ("rise",),
    ("view",), ("mews",), ("square", "sq"), ("park", "pk"), ("parade", "pde"), ("green", "grn"), ("vale",),
    ("mount", "mt"),
)
_STREETS = "|".join(form for forms in STREET_FORMS for form in forms)
_HOUSE = re.compile(rf"(?<![a-z0-9])(\d{{1,4}}[a-z]?),? ((?:[a-z'-]+ ){{1,3}})({_STREETS})\.?(?![a-z])")
# Who is speaking about their own home or birth: the reporter, or the call handler about the caller.
_HOME_CUE = re.compile(
    r"\b(?:(?:i|we) (?:live|lived|am living|are living|'m living|'re living|stay|am staying|rent|lodge)"
    r"|i'm (?:living|staying)|where (?:i|we) live|me home to|(?:at|to) mine\b|"
    r"(?:my|our) (?:home |house |flat |postal |own |family )?(?:address|postcode|post code|house|flat|home|place)|"
    r"(?:caller|reporter)(?:'s)? (?:address|postcode|post code|home|lives))\b"
)
# The call handler's "Caller gave her name as …, lives at …": a sentence about the caller,
# unless someone else becomes its subject before the address.
_CALLER_HOME_CUE = re.compile(
    r"(?:^|[.\n]\s*)(?:the )?(?:caller|reporter)\b(?:(?!\b(?:he|she|they|his|him|them|officer|subject|pc|ps|sgt|"
    r"sergeant|constable)\b)[^.\n]){0,80}?\b(?:lives (?:at|in|on)|(?:home )?address(?: is)?:?|post ?code(?: is)?:?)"
)
_BIRTH_CUE = re.compile(
    r"\b(?:i was born|i'm born|i(?: am|'m) \d{1,2}(?: years old)?,? (?:and )?(?:was )?born|"
    r"my (?:date of birth|d\.?o\.?b\.?|birthday|birth date)|"
    r"(?:caller|reporter)(?:'s)? (?:date of birth|d\.?o\.?b\.?|birthday|birth date))\b"
)
# In the call handler's notes, which are about the caller, a birth date needs no "my".
_NOTES_BIRTH_CUE = re.compile(r"\b(?:date of birth|d\.?o\.?b\b\.?|born)")
# A police or staff reporter's own number: "my collar number is 4471", "my warrant no. PC 4471".
_NUMBER_CUE = re.compile(
    r"\b(?:(?:my|caller's|reporter's) (?:collar|warrant|shoulder|staff|payroll|badge|service|employee|epaulette)"
    r" (?:number|no\.?|id)(?: is| was|:)? (?:[a-z]{1,5}\.? ?)?|i(?: am|'m) (?:an? )?(?:pc|ps|dc|ds|pcso|sgt|special) )"
    r"(\d{3,8})\b")
# The reporter's own vehicle, however they say it is theirs: "I drive a red Fiesta, MA66 XYZ".
_VEHICLE_CUE = re.compile(
    r"\b(?:i (?:drive|drove|ride|rode|own)|(?:my|our) (?:car|van|vehicle|motorbike|motorcycle|bike|scooter|taxi"
    r"|registration|reg|number plate|plate))\b")
# UK registrations: current (MA66 XYZ), prefix (A123 BCD), suffix (ABC 123D).
_REGISTRATION = re.compile(
    r"(?<![a-z0-9])([a-z]{2}\d{2} ?[a-z]{3}|[a-z]\d{1,3} ?[a-z]{3}|[a-z]{3} ?\d{1,3}[a-z])(?![a-z0-9])")
# The reporter's age, as they give it: "I'm 38", "I am 38 years old".
_AGE_CUE = re.compile(r"\bi(?: am|'m) (\d{2})(?: years old| yrs old|(?=[,.;]| and| so| now| but))")
# An age as a summary gives it: "aged 38", "a 38-year-old", "age: 38".
AGE = re.compile(r"\b(?:aged?:? ?(\d{2})\b|(\d{2})[- ]?(?:years?|yrs?)[- ]?old)\b")
_REACH = 120  # characters after a cue that still say what it is about
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


@dataclass(frozen=True)
class Owned:
    kind: str  # 'phone' | 'email' | 'registration' | 'handle' | 'postcode' | 'address' | 'birth' | 'number' | 'age'
    value: str  # as compared: a phone's digits, a folded value run together, a date as yyyy-mm-dd
    message: str


def year_of(text: str) -> int:
    digits = text.lstrip("'")
    year = int(digits)
    return year if len(digits) == 4 else year + (1900 if year > 30 else 2000)


def month_of(text: str) -> int:
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(text[:3]))


def _day(text: str) -> int:
    if text.isdigit():
        return int(text)
    return next(day for pattern, day in DAY_WORDS.items() if re.fullmatch(pattern, text))


def dates(folded: str, start: int = 0, end: int | None = None) -> Iterator[tuple[str, int, int]]:
    """(yyyy-mm-dd, start, end) of every date written in the folded text (day first, as in the UK)."""
    for pattern, order in DATE_FORMS:
        for found in pattern.finditer(folded, start, len(folded) if end is None else end):
            a, b, c = found.group(1), found.group(2), found.group(3)
            if order == "dmy":
                day, month, year = int(a), int(b), year_of(c)
            elif order == "ymd":
                year, month, day = int(a), int(b), int(c)
            elif order == "dMy":
                day, month, year = _day(a), month_of(b), year_of(c)
            else:
                month, day, year = month_of(a), int(b), year_of(c)
            if 1 <= day <= 31 and 1 <= month <= 12:
                yield f"{year:04d}-{month:02d}-{day:02d}", found.start(), found.end()


def dates_spoken(folded: str) -> Iterator[tuple[str, int, int]]:
    """Dates whose year is in words ("3rd March, nineteen eighty-eight", "the third of March eighty-eight")."""
    from hotline_tui.services.sanitiser.normalise import digit_runs  # normalise knows nothing of dates

    for found in _SPOKEN_YEAR.finditer(folded):
        run = next(digit_runs(folded[found.end() : found.end() + 40]), None)
        if run is not None and run.start == 0 and len(run.digits) in (2, 4):
            day, month, year = _day(found.group(1)), month_of(found.group(2)), year_of(run.digits)
            if 1 <= day <= 31:
                yield f"{year:04d}-{month:02d}-{day:02d}", found.start(), found.end() + run.end


def dates_month_first(folded: str) -> Iterator[tuple[str, int, int]]:
    """Dates in figures read month first (03/07/1985: 7 March), as Americans write them."""
    for found in DATE_FORMS[0][0].finditer(folded):
        month, day, year = int(found.group(1)), int(found.group(2)), year_of(found.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12 and day != month:
            yield f"{year:04d}-{month:02d}-{day:02d}", found.start(), found.end()


def birth_digits(iso: str) -> frozenset[str]:
    """A date of birth as digits only, the ways people run them together: 03071985,
    19850703, 030785, 850703, 07031985 (month first), 371985."""
    year, month, day = iso[:4], iso[5:7], iso[8:]
    return frozenset({day + month + year, year + month + day, day + month + year[2:], year[2:] + month + day,
                      month + day + year, day.lstrip("0") + month.lstrip("0") + year})


_AFTER_CUE = re.compile(r"[.:\s-]*")  # "D.O.B. 03/03/88": the cue's own dots end no sentence


def _clauses(text: str, cue: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    for found in cue.finditer(text):
        start = _AFTER_CUE.match(text, found.end()).end()  # type: ignore[union-attr]  # matches the empty string
        stop = _SENTENCE_END.search(text, start, start + _REACH)
        yield start, stop.start() if stop else min(len(text), start + _REACH)


def _home(text: str) -> Iterator[Owned]:
    for start, end in (*_clauses(text, _HOME_CUE), *_clauses(text, _CALLER_HOME_CUE)):
        for found in _POSTCODE.finditer(text, start, end):
            yield Owned("postcode", found.group(1) + found.group(2), "The reporter's postcode")
        for found in _HOUSE.finditer(text, start, end):
            for form in house_forms(found.group(1), found.group(2), found.group(3)):
                yield Owned("address", form, "The reporter's address")


def house_forms(number: str, name: str, kind: str) -> Iterator[str]:
    """A house number and street, run together, as people write it: the kind of street
    whole or shortened ("Ave", "Rd"), or left out where the name alone is no common word
    ("14 Acacia"), and a number under 100 in words ("fourteen Acacia Avenue")."""
    from hotline_tui.services.sanitiser.profile import COMMON_WORDS  # profile builds on this module

    name = re.sub(r"[^a-z0-9]", "", name)
    kinds = next((forms for forms in STREET_FORMS if kind in forms), (kind,))
    streets = [name + k for k in kinds]
    if len(name) >= 4 and name not in COMMON_WORDS and name not in _PLAIN_STREET_NAMES:
        streets.append(name)
    numbers = [number]
    if number.isdigit() and (spelled := spelled_number(int(number))):
        numbers.append(spelled)
    for house in numbers:
        for street in streets:
            yield house + street


# Street names so common that a number beside one says nothing without the kind of street
# ("aged 14, high on drugs").
_PLAIN_STREET_NAMES = frozenset(
    "high main church station mill market north south east west new old back front bridge castle park green".split())


def _vehicle(text: str) -> Iterator[Owned]:
    for start, end in _clauses(text, _VEHICLE_CUE):
        for found in _REGISTRATION.finditer(text, start, end):
            yield Owned("registration", found.group(1).replace(" ", ""), "The reporter's vehicle registration")


def _birth(text: str, cue: re.Pattern[str] = _BIRTH_CUE) -> Iterator[Owned]:
    for start, end in _clauses(text, cue):
        clause = text[start : min(end, start + 60)]
        for iso, _, _ in (*dates(clause), *dates_spoken(clause)):
            yield Owned("birth", iso, "The reporter's date of birth")


def _identifiers(narrative: str, notes: str) -> Iterator[Owned]:
    from hotline_tui.services.sanitiser.profile import phone_core  # profile builds on this module

    for found in free_text(narrative, notes):
        if found.whose != REPORTER:
            continue
        if found.kind == "phone":
            yield Owned("phone", phone_core(found.value), "The reporter's phone number (from the narrative)")
        elif found.kind == "email":
            yield Owned("email", fold_text(found.value), "The reporter's e-mail address (from the narrative)")
        elif found.kind == "registration":
            yield Owned("registration", found.value.lower(), "The reporter's vehicle registration")
        elif found.kind == "handle":
            handle = re.sub(r"[^a-z0-9]", "", fold_text(found.value.partition(":")[2] or found.value))
            if len(handle) >= 4:
                yield Owned("handle", handle, "The reporter's social media name")


_NAME = r"((?:[A-Z][a-z'’-]+|[A-Z]{2,})(?:[ \t]+(?:[A-Z][a-z'’-]+|[A-Z]{2,})){0,2})"
# What a handler writes where a name would be: not a name.
_NO_NAME = frozenset({"withheld", "unknown", "anonymous", "not", "none", "refused", "given", "n/a", "na", "declined"})
_STATED_NAME = re.compile(
    r"\b(?:[Mm]y name is|[Mm]y name's|I am called|I'm called|[Cc]aller(?:'s)? name(?: is| was)?:?|[Cc]aller gave"
    rf" (?:the |her |his |their )?name(?: as)?:?|[Rr]eporter(?:'s)? name(?: is)?:?)[ \t]+{_NAME}"
)


def stated_name(narrative: str, notes: str) -> str:
    """The name the reporter gives in the narrative ("My name is Sarah Okonjo") or the call
    handler notes for the caller: the reporter's name when the report has no name field."""
    for text in (narrative, notes):
        for found in _STATED_NAME.finditer(text):
            if found.group(1).split()[0].lower() not in _NO_NAME:
                return found.group(1)
    return ""


def staff_numbers(text: str, cued: bool = True) -> Iterator[Owned]:
    """The reporter's collar or staff number: after its cue in the narrative, or any number
    of three digits or more in the name field ("Janet Pilkington (PC 4471)")."""
    found = (m.group(1) for m in _NUMBER_CUE.finditer(text)) if cued else re.findall(r"\d{3,8}", text)
    for number in found:
        yield Owned("number", number, "The reporter's collar or staff number")


def owned_details(narrative: str, notes: str) -> tuple[Owned, ...]:
    """Everything the narrative and the call handler's notes give as the reporter's own."""
    folded = "\n".join(fold_text(t) for t in (narrative, notes) if t)
    found = [*_identifiers(narrative, notes), *_home(folded), *_birth(folded), *staff_numbers(folded), *_vehicle(folded),
             *(Owned("age", m.group(1), "The reporter's age?") for m in _AGE_CUE.finditer(folded))]
    if notes:
        found += _birth(fold_text(notes), _NOTES_BIRTH_CUE)
    return tuple(dict.fromkeys(found))
