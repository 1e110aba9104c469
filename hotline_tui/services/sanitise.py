"""Sanitisation checks: does a text give the reporter away?

Pure functions over a report document (FORMATS.md "report"). Two kinds of finding:

- *blocking*: a value of the reporter object (name, phone, e-mail), the intake
  reference or the intake report id. A referral carrying one of these is never
  submitted (``assessment.submit`` checks again, whatever the screen showed);
- *warnings*: words that suggest how the reporter knows ("my partner", "I work with"),
  which may identify them implicitly. The analyst judges those.

How values are recognised, deliberately generous (a false alarm costs a rewording, a
miss can cost a reporter their safety):

- the whole name anywhere, in any case, with any punctuation or spacing between its
  words ("ANN-SMITH", "annsmith" inside a longer word);
- each forename or surname word of three letters or more, as a whole word, unless it is a
  common English word ("Will", "Green") or also a word of a subject's name in the report
  itself (the reporter Sarah Whitfield reporting PC David Whitfield: the surname is the
  subject's too and must stay usable; it is shown as a warning instead);
- the phone by its digits: any 7 consecutive digits of the number (without +44 or the
  leading 0) inside a run of digits that only spaces and punctuation separate;
- the e-mail address anywhere in any case, its local part as a word, and its domain
  unless it is a common mail provider;
- the intake reference with any separators, its serial number, and the report id with
  or without hyphens, or its first block.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

PHONE_WINDOW = 7
# The room's own referral references (HTR-2026-000123) carry a serial that may equal an
# intake serial by chance; it is not the intake's, so the serial rule skips it.
ROOM_REFERENCE_PREFIX = "HTR"

# Common English words that are also names: matching them alone would flag half of
# every summary. The whole name is still matched.
COMMON_WORDS = frozenset(
    """
    the and for are but not you all any can had her was one our out day get has him his how man new now old
    see two way who boy did its let put say she too use may will can mark rose grace hope joy faith bill pat
    rob art don dean rich young long little short white black brown green grey gray wood woods hill hall king
    bell cook baker price ward page law lane field fields street park house april june summer winter
    bank banks bush rock stone sharp love sweet fox wolf bird lamb swan crane hunter power rice mills
    church chapel gold silver frost snow rain storm dawn sky star moon sun may ray sky guy jack jay
    joy penny ruby amber holly ivy poppy daisy lily heather violet hazel olive summer autumn chance
    """.split()
)
COMMON_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com hotmail.com hotmail.co.uk outlook.com live.com live.co.uk msn.com yahoo.com
    yahoo.co.uk icloud.com me.com mac.com aol.com aol.co.uk btinternet.com sky.com virginmedia.com
    talktalk.net protonmail.com proton.me mail.com gmx.com gmx.co.uk ntlworld.com tiscali.co.uk
    """.split()
)

# Words that say how the reporter knows the subject. Not blocking: the analyst decides.
_KIN = (
    r"partner|ex[- ]?partner|husband|ex[- ]?husband|wife|ex[- ]?wife|boyfriend|ex[- ]?boyfriend|girlfriend"
    r"|ex[- ]?girlfriend|ex|fianc[eé]e?|colleague|colleagues|manager|boss|supervisor|sergeant|inspector"
    r"|neighbour|neighbours|neighbor|son|daughter|brother|sister|mum|mom|mother|dad|father|stepdad|stepmum"
    r"|stepfather|stepmother|child|children|kids|friend|best friend|flatmate|housemate|landlord|landlady"
    r"|tenant|cousin|aunt|uncle|nephew|niece|family|in-laws|mother-in-law|father-in-law|carer"
)
RELATIONSHIP_PATTERNS: tuple[tuple[str, str], ...] = (
    (rf"\bmy (?:own )?(?:{_KIN})\b", "says how the reporter is related to someone"),
    (r"\b(?:our|my) (?:relationship|marriage|house|home|flat|kids|team|shift|station|unit)\b",
     "says what the reporter shares with the subject"),
    (r"\bI (?:work|worked|used to work|live|lived|used to live|grew up|went out) with\b",
     "says how the reporter knows the subject"),
    (r"\bI (?:am|was|used to be) (?:his|her|their) (?:\w+ )?(?:" + _KIN + r")\b",
     "says how the reporter is related to the subject"),
    (r"\bwe (?:were|was|are|got|have been|had been) (?:together|married|engaged|seeing each other|dating"
     r"|colleagues|neighbours|friends)\b", "says the reporter and the subject were close"),
    (r"\bwe work together\b|\bwe (?:used to )?live together\b", "says how the reporter knows the subject"),
    (r"\b(?:he|she|they) (?:told|texted|messaged|rang|phoned|called|showed|sent|hit|pushed|threatened) me\b",
     "says the subject dealt with the reporter directly"),
    (r"\b(?:to|at|with) me\b", "first-hand words: the reporter was there"),
    (r"\bI (?:saw|heard|witnessed|overheard|was there|was present)\b", "first-hand words: the reporter was there"),
)
_RELATIONSHIP = tuple((re.compile(p, re.IGNORECASE), m) for p, m in RELATIONSHIP_PATTERNS)
_DIGIT_RUN = re.compile(r"\d(?:[\W_]*\d)*")
_WORD_CHARS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SanitisationFlag:
    kind: str  # 'reporter' | 'reference' | 'relationship'
    text: str
    start: int
    end: int
    message: str
    blocking: bool


@dataclass(frozen=True)
class _Values:
    """What identifies the reporter, gathered once per report."""

    name: str
    tokens: tuple[tuple[str, str], ...]   # (word, which part of the name)
    shared: tuple[tuple[str, str], ...]   # name words that are also a subject's
    phone: str
    phone_core: str
    email: str
    email_local: str
    email_domain: str
    reference: str
    report_id: str


@dataclass(frozen=True)
class _Rule:
    kind: str
    message: str
    pattern: re.Pattern[str]
    blocking: bool = True


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _words(text: str) -> list[str]:
    return _WORD_CHARS.findall(text)


def phone_core(phone: str) -> str:
    """The phone's digits without the country code 44 or the trunk 0: '+44 (0)7700 900123' -> '7700900123'."""
    digits = "".join(str(unicodedata.decimal(c)) for c in phone if unicodedata.decimal(c, None) is not None)
    if digits.startswith("44") and len(digits) > 10:
        digits = digits[2:]
    return digits.lstrip("0") or digits


def _subject_words(report: dict[str, Any]) -> set[str]:
    words: set[str] = set()
    for subject in report.get("subjects") or []:
        if isinstance(subject, dict):
            words.update(w.casefold() for w in _words(_text(subject.get("name"))))
    return words


def _name_tokens(name: str, subject_words: set[str]) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    words = [w for w in _words(name) if not w.isdigit()]
    tokens: list[tuple[str, str]] = []
    shared: list[tuple[str, str]] = []
    for index, word in enumerate(words):
        if len(word) < 3 or word.casefold() in COMMON_WORDS or len(words) == 1:
            continue
        part = "surname" if index == len(words) - 1 else "forename" if index == 0 else "name"
        (shared if word.casefold() in subject_words else tokens).append((word, part))
    return tuple(dict.fromkeys(tokens)), tuple(dict.fromkeys(shared))


def _values(report: dict[str, Any]) -> _Values:
    reporter = report.get("reporter")
    reporter = reporter if isinstance(reporter, dict) else {}
    name, phone, email = (_text(reporter.get(k)) for k in ("name", "phone", "email"))
    tokens, shared = _name_tokens(name, _subject_words(report))
    local, _, domain = email.partition("@")
    return _Values(
        name, tokens, shared, phone, phone_core(phone), email, local if domain else "",
        domain.lower() if domain.lower() not in COMMON_MAIL_DOMAINS else "",
        _text(report.get("reference")), _text(report.get("report_id")),
    )


def reporter_values(report: dict[str, Any]) -> list[str]:
    """Every value that identifies the reporter or traces back to the intake record.

    The name, its distinctive words, the phone, the e-mail and its local part (and its
    domain unless a common provider), the intake reference and the intake report id.
    """
    v = _values(report)
    found = [v.name, *(word for word, _ in v.tokens), v.phone, v.email, v.email_local, v.email_domain,
             v.reference, v.report_id]
    return list(dict.fromkeys(value for value in found if value))


# -- building the patterns ------------------------------------------------------------


def _joined(words: list[str]) -> str:
    """The words in order with any punctuation, spacing or nothing between them."""
    return r"[\W_]*".join(re.escape(w) for w in words)


def _bounded(pattern: str) -> str:
    return rf"(?<![^\W_]){pattern}(?![^\W_])"


def _name_rules(v: _Values) -> list[_Rule]:
    rules: list[_Rule] = []
    words = _words(v.name)
    if len(words) > 1:
        rules.append(_Rule("reporter", "The reporter's name", re.compile(_joined(words), re.IGNORECASE)))
    elif words:
        rules.append(_Rule("reporter", "The reporter's name", re.compile(_bounded(re.escape(words[0])), re.IGNORECASE)))
    for word, part in v.tokens:
        rules.append(_Rule("reporter", f"The reporter's {part}", re.compile(_bounded(re.escape(word)), re.IGNORECASE)))
    for word, part in v.shared:
        rules.append(_Rule(
            "reporter", f"Also the reporter's {part} (and a subject's name): check it points at the subject",
            re.compile(_bounded(re.escape(word)), re.IGNORECASE), blocking=False,
        ))
    return rules


def _email_rules(v: _Values) -> list[_Rule]:
    rules: list[_Rule] = []
    if v.email:
        rules.append(_Rule("reporter", "The reporter's e-mail address", re.compile(re.escape(v.email), re.IGNORECASE)))
    if len(v.email_local) >= 3:
        rules.append(_Rule("reporter", "The reporter's e-mail address (its name part)",
                           re.compile(_bounded(re.escape(v.email_local)), re.IGNORECASE)))
    if v.email_domain:
        rules.append(_Rule("reporter", "The reporter's e-mail domain",
                           re.compile(_bounded(re.escape(v.email_domain)), re.IGNORECASE)))
    return rules


def _phone_rules(v: _Values) -> list[_Rule]:
    """A phone with too few digits to match by digits ("ask for me at the shop") is matched as text."""
    if len(v.phone_core) >= 4 or len(v.phone) < 3:
        return []
    return [_Rule("reporter", "The reporter's phone number", re.compile(re.escape(v.phone), re.IGNORECASE))]


def _reference_rules(v: _Values) -> list[_Rule]:
    rules: list[_Rule] = []
    words = _words(v.reference)
    if words:
        rules.append(_Rule("reference", "The intake reference", re.compile(_joined(words), re.IGNORECASE)))
        if words[-1].isdigit() and len(words[-1]) >= 4 and len(words) > 1:
            serial = rf"(?<!\d)(?<!{ROOM_REFERENCE_PREFIX}-\d{{4}}-){re.escape(words[-1])}(?!\d)"
            rules.append(_Rule("reference", "The intake reference's number", re.compile(serial)))
    blocks = [b for b in v.report_id.split("-") if b]
    if blocks:
        rules.append(_Rule("reference", "The intake report id", re.compile("-?".join(map(re.escape, blocks)), re.IGNORECASE)))
        if len(blocks) > 1 and len(blocks[0]) >= 8:
            first = rf"(?<![0-9A-Za-z]){re.escape(blocks[0])}(?![0-9A-Za-z])"
            rules.append(_Rule("reference", "The intake report id (its first part)", re.compile(first, re.IGNORECASE)))
    return rules


@lru_cache(maxsize=256)
def _rules(v: _Values) -> tuple[_Rule, ...]:
    return (*_name_rules(v), *_email_rules(v), *_phone_rules(v), *_reference_rules(v))


def _phone_flags(text: str, core: str) -> Iterator[SanitisationFlag]:
    window = min(PHONE_WINDOW, len(core))
    if window < 4:
        return
    pieces = {core[i : i + window] for i in range(len(core) - window + 1)}
    for run in _DIGIT_RUN.finditer(text):
        digits = "".join(str(unicodedata.decimal(c)) for c in run.group() if unicodedata.decimal(c, None) is not None)
        if any(digits[i : i + window] in pieces for i in range(len(digits) - window + 1)):
            yield SanitisationFlag("reporter", run.group(), run.start(), run.end(), "The reporter's phone number", True)


def _rule_flags(text: str, rules: tuple[_Rule, ...]) -> Iterator[SanitisationFlag]:
    for rule in rules:
        for found in rule.pattern.finditer(text):
            if found.end() > found.start():
                yield SanitisationFlag(rule.kind, found.group(), found.start(), found.end(), rule.message, rule.blocking)


def _relationship_flags(text: str) -> Iterator[SanitisationFlag]:
    for pattern, message in _RELATIONSHIP:
        for found in pattern.finditer(text):
            yield SanitisationFlag("relationship", found.group(), found.start(), found.end(),
                                   f"Suggests how the reporter knows: {message}", False)


def _without_nested(flags: list[SanitisationFlag]) -> list[SanitisationFlag]:
    """Drop a finding inside a longer one of the same weight (the local part inside the e-mail)."""
    kept: list[SanitisationFlag] = []
    for flag in sorted(dict.fromkeys(flags), key=lambda f: (f.start, -(f.end - f.start))):
        inside = any(
            k.start <= flag.start and flag.end <= k.end and k.blocking >= flag.blocking and k != flag for k in kept
        )
        if not inside:
            kept.append(flag)
    return sorted(kept, key=lambda f: (f.start, f.end, not f.blocking))


def blocking_flags(text: str, report: dict[str, Any]) -> list[SanitisationFlag]:
    """Only the findings that stop a referral: reporter values and intake identifiers."""
    v = _values(report)
    flags = [f for f in _rule_flags(text, _rules(v)) if f.blocking]
    flags += _phone_flags(text, v.phone_core)
    return _without_nested(flags)


def sanitisation_flags(text: str, report: dict[str, Any]) -> list[SanitisationFlag]:
    """Every finding in ``text``, sorted by position: blocking ones and warnings."""
    if not text:
        return []
    v = _values(report)
    flags = [*_rule_flags(text, _rules(v)), *_phone_flags(text, v.phone_core), *_relationship_flags(text)]
    return _without_nested(flags)


# -- whole documents -------------------------------------------------------------------


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every string, number and key anywhere in a JSON-like value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        yield path, str(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield f"a field name in {path or 'the referral'}", str(key)
            yield from _strings(item, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def referral_leaks(referral: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """What in a referral document identifies the reporter or traces back to the intake
    record, as sentences: "summary contains the reporter's phone number"."""
    found: list[str] = []
    for where, text in _strings(referral, ""):
        for flag in blocking_flags(text, report):
            what = flag.message[0].lower() + flag.message[1:]
            found.append(f"{where} contains {what}")
    return list(dict.fromkeys(found))
