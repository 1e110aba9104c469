"""What identifies a reporter, gathered once per report (cached: the analyst types on)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers

from hotline_tui.services.redflags.names import TITLES, nickname_forms
from hotline_tui.services.sanitiser.everyday import is_everyday
from hotline_tui.services.sanitiser.normalise import fold_text
from hotline_tui.services.sanitiser.owned import Owned, owned_details, staff_numbers, stated_name
from hotline_tui.services.sanitiser.tells import Tell, narrative_tells, relative_tells, unique_words

# The room's own referral references (HTR-2026-000123) carry a serial that may equal an
# intake serial by chance; it is not the intake's, so the serial rule skips it.
ROOM_REFERENCE_PREFIX = "HTR"

# Common English words that are also names: matching them alone would flag half of
# every summary. The whole name is still matched, in either order; such a word alone
# when written as a name ("Mr Best", "told Will"): see ``names.written_as_name``.
COMMON_WORDS = frozenset(
    """
    the and for are but not you all any can had her was one our out day get has him his how man new now old
    see two way who boy did its let put say she too use may will can mark rose grace hope joy faith bill pat
    rob art don dean rich young long little short white black brown green grey gray wood woods hill hall king
    bell cook baker price ward page law lane field fields street park house april june summer winter
    bank banks bush rock stone sharp love sweet fox wolf bird lamb swan crane hunter power rice mills
    church chapel gold silver frost snow rain storm dawn sky star moon sun may ray sky guy jack jay
    joy penny ruby amber holly ivy poppy daisy lily heather violet hazel olive summer autumn chance
    best hunt moss ball bond cross day days good hand hay head march miles north south east west wall wise young
    strong swift small steel spring pound pride read savage little judge major sergeant constable sheriff warden
    officer driver burns
    """.split()
)
COMMON_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com hotmail.com hotmail.co.uk outlook.com live.com live.co.uk msn.com yahoo.com
    yahoo.co.uk icloud.com me.com mac.com aol.com aol.co.uk btinternet.com sky.com virginmedia.com
    talktalk.net protonmail.com proton.me mail.com gmx.com gmx.co.uk ntlworld.com tiscali.co.uk
    """.split()
)
# Digits written as letters in names ("R0salind", "L1ndfield").
# Digits written as letters in names ("R0salind", "L1ndfield"); 1, l and i all look alike,
# so all three read as one letter, on both sides of every comparison.
LEET = str.maketrans({"0": "o", "1": "i", "l": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_LOCAL_WORDS = re.compile(r"[^\W\d_]{3,}")


def name_form(text: str) -> str:
    """A name as the name comparisons see it: folded, digits read as the letters they imitate."""
    return fold_text(text).translate(LEET)


@dataclass(frozen=True)
class NameWord:
    form: str  # name_form of the word
    part: str  # 'forename' | 'surname' | 'name'
    everyday: bool = False  # also an everyday word ("Cash", "Walker"): alone, sure only when written as a name


@dataclass(frozen=True, eq=False)
class Profile:
    """One per report (``profile`` keeps them), so compared and hashed by identity."""

    name: str
    inferred: bool  # the name comes from the e-mail's local part (no name field)
    words: tuple[str, ...]  # name_form of every word of the name, in order
    distinctive: tuple[NameWord, ...]  # words matched alone: 3+ letters, not common, not a subject's
    shared: tuple[NameWord, ...]  # name words that are also a subject's (a warning, not a block)
    common: tuple[NameWord, ...]  # name words that are common words: only when written as a name
    short_forms: frozenset[str]  # the forename's other forms (Danny, Vicky): a warning when written as a name
    phone: str
    phone_core: str
    email: str
    email_local: str
    email_domain: str  # empty for a common mail provider
    reference: str
    report_id: str
    tells: tuple[Tell, ...]
    owned: tuple[Owned, ...]  # what the narrative gives as the reporter's own: car, home, birth date
    relationship: str = ""  # the reporter object's relationship (police_colleague, family, ...)
    unique: tuple[str, ...] = ()  # what the narrative says makes the reporter the only one ("female", "nurse")


def _raw(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def phone_core(phone: str) -> str:
    """The phone's national significant number: '+44 (0)7700 900123' -> '7700900123'."""
    try:
        parsed = phonenumbers.parse(phone, "GB")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        zeros = "0" * (parsed.number_of_leading_zeros or 1) if parsed.italian_leading_zero else ""
        return zeros + str(parsed.national_number)
    digits = "".join(c for c in fold_text(phone) if c.isdigit())
    if digits.startswith("44") and len(digits) > 10:
        digits = digits[2:]
    return digits.lstrip("0") or digits


# Titles and ranks written before a name in the name field ("Sgt Janet Pilkington"): no part
# of the name, and the words every summary uses.
_TITLES = TITLES | frozenset("prof professor rev revd lord lady dame det con cst pcso dr".split())
# Small words of a surname ("van der Berg", "de la Cruz", "Al-Sayed"): alone, ordinary words;
# run together with the rest, the surname ("Vanderberg").
PARTICLES = frozenset("van von der den de del della la le du da di dos das al el bin ibn ap".split())


def ordinary_word(word: str) -> bool:
    """Whether a folded word, as a word of a name, is treated as more than a name: a common
    word, a title or rank, a small word of a surname, an everyday word (see ``names``)."""
    return word in COMMON_WORDS or word in _TITLES or word in PARTICLES or is_everyday(word)


# What an intake form's name field holds when the reporter gave none: no name to look for
# (as one, "Anonymous" stopped every summary mentioning an anonymous caller).
_NO_NAME = frozenset(phrase.strip() for phrase in """anonymous|anon|withheld|name withheld|unknown|not known|none
    |none given|not given|not provided|not supplied|not stated|refused|declined|n a|prefer not to say
    |would prefer not to say|rather not say|would rather not say|redacted|private|confidential|tbc|blank|no name
    """.split("|"))


def says_no_name(name: str) -> bool:
    """Whether a name field says there is no name ("Anonymous", "N/A"): the whole field."""
    return " ".join(_WORDS.findall(fold_text(name))) in _NO_NAME | {""}


def plain_name(name: str) -> str:
    """The name as the comparisons read it: "Pilkington, Janet" in its spoken order, without
    the titles and ranks before it or a bracketed note after it ("(PC 4471)"); nothing for
    "Anonymous", "N/A", "Prefer not to say"."""
    if says_no_name(name):
        return ""
    name = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", name)
    surname, comma, given = name.partition(",")
    if comma and given.strip() and len(surname.split()) <= 2:
        name = f"{given} {surname}"
    words = name.split()
    while len(words) > 1 and fold_text(words[0]).strip(".") in _TITLES:
        words.pop(0)
    return " ".join(words)


def _name_parts(name: str) -> list[tuple[str, str]]:
    """(word, part) for each word of the name matched alone, and each part people run
    together ("O'Sullivan": osullivan, "Ann-Marie": annmarie, "van der Berg": vanderberg);
    small words of a surname ("van", "de", "al") only within it."""
    chunks = [[w for w in _WORDS.findall(c) if not w.isdigit()] for c in name.split()]
    chunks = [c for c in chunks if c]
    surname_from = len(chunks) - 1
    while surname_from > 1 and all(fold_text(w) in PARTICLES for w in chunks[surname_from - 1]):
        surname_from -= 1
    found: list[tuple[str, str]] = []
    for index, pieces in enumerate(chunks):
        part = "surname" if index >= surname_from and len(chunks) > 1 else "forename" if index == 0 else "name"
        found += [(w, part) for w in pieces if fold_text(w) not in PARTICLES]
        if len(pieces) > 1:
            found.append(("".join(pieces), part))
    if surname_from < len(chunks) - 1:
        found.append(("".join(w for c in chunks[surname_from:] for w in c), "surname"))
    return found


def _name_words(name: str, subject_words: frozenset[str]) -> tuple[tuple[NameWord, ...], ...]:
    """The name's words matched alone (distinctive), shared with a subject's name, and
    common words ("Will", "Best"), matched alone only when written as a name."""
    parts = _name_parts(name)
    distinctive: list[NameWord] = []
    shared: list[NameWord] = []
    common: list[NameWord] = []
    for word, part in parts:
        form = name_form(word)
        if fold_text(word) in COMMON_WORDS and len(form) >= 2 and form not in subject_words:
            common.append(NameWord(form, part))
        if len(form) < 3 or fold_text(word) in COMMON_WORDS or len(parts) == 1:
            continue
        (shared if form in subject_words else distinctive).append(NameWord(form, part, is_everyday(fold_text(word))))
    return tuple(dict.fromkeys(distinctive)), tuple(dict.fromkeys(shared)), tuple(dict.fromkeys(common))


def _short_forms(name: str, subject_words: frozenset[str]) -> frozenset[str]:
    """Nicknames and other forms of the forename (``services.redflags.names``' groups and library),
    as name forms, less the forename itself and any subject's name."""
    words = [fold_text(w) for w in _WORDS.findall(name) if not w.isdigit()]
    if not words:
        return frozenset()
    forms = {name_form(f) for f in nickname_forms(words[0]) if len(f) >= 3}
    return frozenset(forms - {name_form(words[0])} - subject_words)


def _inferred_name(local: str) -> str:
    """'victoria.lindfield4' -> 'victoria lindfield': the name an address spells."""
    words = _LOCAL_WORDS.findall(local)
    return " ".join(words) if len(words) >= 2 else ""


@lru_cache(maxsize=64)
def _profile(name: str, phone: str, email: str, reference: str, report_id: str, subjects: tuple[str, ...],
             narrative: tuple[str, str], places: str, relationship: str = "") -> Profile:
    local, _, domain = email.partition("@")
    given = name
    name = plain_name(name) or plain_name(stated_name(*narrative))  # "Anonymous" in the field, "My name is …" told
    inferred = not name and bool(_inferred_name(local if domain else ""))
    if inferred:
        name = _inferred_name(local)
    subject_words = frozenset(name_form(w) for subject in subjects for w in _WORDS.findall(subject))
    distinctive, shared, common = _name_words(name, subject_words)
    words = tuple(name_form(w) for w in _WORDS.findall(name) if not w.isdigit())
    return Profile(
        name, inferred, words, distinctive, shared, common, _short_forms(name, subject_words),
        phone, phone_core(phone) if phone else "", email,
        local if domain else "", domain.lower() if domain.lower() not in COMMON_MAIL_DOMAINS else "",
        reference, report_id, _tells("\n".join(narrative), places, subject_words),
        (*owned_details(*narrative), *staff_numbers(given, cued=False)), relationship,
        unique_words("\n".join(narrative)),
    )


def _tells(narrative: str, places: str, names: frozenset[str]) -> tuple[Tell, ...]:
    """The narrative's tells, less the subjects' names and the places the report gives
    for the subject or the events (their station, where it happened): the force needs those."""
    given = set(fold_text(places).split())
    tells = (*narrative_tells(narrative), *relative_tells(narrative))
    return tuple(dict.fromkeys(t for t in tells if (t.by_stem or t.word not in given) and name_form(t.word) not in names))


def profile(report: dict[str, Any]) -> Profile:
    reporter = report.get("reporter")
    reporter = reporter if isinstance(reporter, dict) else {}
    subjects = tuple(_text(s.get("name")) for s in report.get("subjects") or [] if isinstance(s, dict))
    narrative = (_raw(report.get("narrative")), _raw(report.get("handler_notes")))  # as stored: hashed once
    places = [_text(report.get(k)) for k in ("force_hint", "where")]
    places += [_text(s.get(k)) for s in report.get("subjects") or [] if isinstance(s, dict) for k in ("station", "force_hint")]
    return _profile(*(_text(reporter.get(k)) for k in ("name", "phone", "email")), _text(report.get("reference")),
                    _text(report.get("report_id")), subjects, narrative, " ".join(re.findall(r"[^\W_]+", " ".join(places))),
                    _text(reporter.get("relationship")))


def reporter_values(report: dict[str, Any]) -> list[str]:
    """Every value that identifies the reporter or traces back to the intake record.

    The name (or the one the e-mail spells), its distinctive words, the phone, the e-mail
    and its local part (and its domain unless a common provider), the intake reference
    and the intake report id.
    """
    p = profile(report)
    words = [w for w in _WORDS.findall(p.name) if name_form(w) in {d.form for d in p.distinctive}]
    found = [p.name if not p.inferred else "", *words, p.phone, p.email, p.email_local, p.email_domain,
             p.reference, p.report_id]
    return list(dict.fromkeys(value for value in found if value))
