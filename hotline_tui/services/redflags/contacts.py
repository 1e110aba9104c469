"""Phone numbers, e-mail addresses and social media handles said in a report.

Phones are found and normalised by ``phonenumbers`` (Google's libphonenumber) as UK
numbers unless written with a country code, at "possible" leniency so that numbers
from the ranges Ofcom keeps for drama (07700 900xxx) are found as real ones would be.
A handle counts with its platform when one is named nearby ("@dave_w on Instagram",
"his snap is davew88"); a bare "@name" is kept with an unknown platform, and matches
the same handle on any platform.
"""

from __future__ import annotations

import re
from itertools import product

import phonenumbers

from hotline_tui.services.redflags.spans import REPORTER, SUBJECT, Identifier, mentions, quote_around, whose, windows

_REGION = "GB"
_MAX_TEXT = 20_000  # phonenumbers is slow on long texts; a phone is said early or not at all


# A UK number of ten national digits, as most are written ("07700 900123", "+44 20 7946
# 0000"): every such number is a possible GB number, and its E.164 form is plain, so the
# library's full parse (a large share of a report's extraction) is kept for the rest.
_UK_TEN = re.compile(r"(?:\+44|0)([1-9]\d{9})")
_LAYOUT = str.maketrans("", "", " -().")


def phone_value(raw: str) -> str:
    """E.164 ('+447700900123') of a phone as written, or '' when it is not a phone."""
    plain = _UK_TEN.fullmatch(raw.strip().translate(_LAYOUT))
    if plain:
        return "+44" + plain.group(1)
    try:
        number = phonenumbers.parse(raw, _REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Ofcom's ranges for drama (and for examples like ours): phonenumbers does not call them valid.
_DRAMA = re.compile(r"^(?:7700900|1[1-9]1496|1632960|20794600|1914980|2890180|2920180|3069990|8081570|9098790)")
# Digits with what the matcher takes between them (dashes of every width, slashes, dots):
# a text with no such run has no phone number.
_DIGIT_RUN = re.compile(r"[+\d][\d\s().\-‐-―−－/~]{7,}\d")
# A UK number as most are written ("07700 900123", "+44 20 7946 0000", "0161-496-0000"),
# alone between words: read here directly, as the matcher would read it (same number,
# same span). Anything else with enough digits to be a phone goes to the matcher.
_UK_WRITTEN = re.compile(r"(?<![^\s,;:\"'])(?<!\d[\s-])(?:\+44|0)[1-9](?:[ -]?\d){9}"
                         r"(?=$|[\s.,;:!?\"'])(?![.,]\d|[\s-]+\d|\s*(?:x|#|ext))", re.IGNORECASE)
_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,3}\d){6}")  # what any other phone number has


def _uk_written(text: str, field: str) -> dict[str, Identifier] | None:
    """The phones of a text whose only numbers long enough to be one are UK numbers as
    commonly written; None when another could be there (the matcher reads the text)."""
    found: dict[str, Identifier] = {}
    rest = []
    at = 0
    for match in _UK_WRITTEN.finditer(text, 0, _MAX_TEXT):
        rest.append(text[at : match.start()])
        at = match.end()
        national = match.group().translate(_LAYOUT)[-10:]
        number = phonenumbers.PhoneNumber(country_code=44, national_number=int(national))
        if not (_DRAMA.match(national) or phonenumbers.is_valid_number(number)):
            continue
        found.setdefault("+44" + national, Identifier(
            "phone", "+44" + national, whose(text, match.start()), field, quote_around(text, match.start(), match.end())))
    rest.append(text[at:_MAX_TEXT])
    if any(_SEVEN_DIGITS.search(part) for part in rest):
        return None
    return found


def phones(text: str, field: str) -> list[Identifier]:
    if not _DIGIT_RUN.search(text):  # most narratives: no run of digits long enough
        return []
    direct = _uk_written(text, field)
    return list(direct.values()) if direct is not None else matched_phones(text, field)


def matched_phones(text: str, field: str) -> list[Identifier]:
    """The phones phonenumbers' matcher finds in ``text`` (valid ones, and the drama ranges)."""
    found: dict[str, Identifier] = {}
    for match in phonenumbers.PhoneNumberMatcher(text[:_MAX_TEXT], _REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        # The drama ranges' pattern first: it is cheap, and the validity check is not.
        if not (_DRAMA.match(str(match.number.national_number)) or phonenumbers.is_valid_number(match.number)):
            continue  # a reference, a date, a sum: digits that no phone can have
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.setdefault(
            value, Identifier("phone", value, whose(text, match.start), field, quote_around(text, match.start, match.end))
        )
    return list(found.values())


_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24})\b")
# "dave.w at gmail dot com", as people type an address they do not want linked
_EMAIL_SAID = re.compile(
    r"\b([\w.+-]{2,64})\s+(?:at|\[at\]|\(at\))\s+([A-Za-z0-9-]{2,63})\s+(?:dot|\[dot\]|\(dot\))\s+"
    r"([A-Za-z]{2,12}(?:\s+(?:dot|\[dot\]|\(dot\))\s+[A-Za-z]{2,12})?)\b",
    re.IGNORECASE,
)


def emails(text: str, field: str) -> list[Identifier]:
    if "@" not in text and " dot " not in text.lower():
        return []
    found: dict[str, Identifier] = {}
    for match in _EMAIL.finditer(text):
        value = f"{match.group(1)}@{match.group(2)}".lower().strip(".")
        found.setdefault(
            value, Identifier("email", value, whose(text, match.start()), field, quote_around(text, match.start(), match.end()))
        )
    for match in _EMAIL_SAID.finditer(text):
        domain = re.sub(r"\s+(?:dot|\[dot\]|\(dot\))\s+", ".", match.group(3), flags=re.IGNORECASE)
        value = f"{match.group(1)}@{match.group(2)}.{domain}".lower()
        found.setdefault(
            value, Identifier("email", value, whose(text, match.start()), field, quote_around(text, match.start(), match.end()))
        )
    return list(found.values())


PLATFORMS: dict[str, tuple[str, ...]] = {
    "Instagram": ("instagram", "insta", "ig"),
    "X (Twitter)": ("twitter", "x", "tweeted", "tweets"),
    "TikTok": ("tiktok", "tik tok"),
    "Snapchat": ("snapchat", "snap", "sc"),
    "Facebook": ("facebook", "fb"),
    "Telegram": ("telegram",),
    "Threads": ("threads",),
    "Reddit": ("reddit",),
    "Discord": ("discord",),
    "OnlyFans": ("onlyfans",),
    "Kik": ("kik",),
}
_PLATFORM_OF = {alias: name for name, aliases in PLATFORMS.items() for alias in aliases}
_PLATFORM = "|".join(sorted((re.escape(a) for a in _PLATFORM_OF), key=len, reverse=True))
_HANDLE = r"@?(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)"
_HANDLE_PATTERNS = (
    # "his insta is dave_w88", "on snapchat as @davew", "Instagram: dave.w", "TikTok - @dw88"
    re.compile(
        rf"\b(?P<platform>{_PLATFORM})\b(?P<naming>\s+(?:account|handle|name|username|user|profile|page|id))?"
        rf"\s*(?P<link>is|was|:|-|called|as|named|under|@)?\s*(?P<called>called\s+|as\s+)?{_HANDLE}",
        re.IGNORECASE,
    ),
    # "@dave_w88 on Instagram", "dave_w88 on insta"
    re.compile(rf"(?<![\w@.]){_HANDLE}\s+(?:on|from|via)\s+(?P<platform>{_PLATFORM})\b", re.IGNORECASE),
    # a bare "@dave_w88" (not an e-mail address)
    re.compile(r"(?<![\w.@])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@]|\.\w)"),
)
# Words that follow "his insta is" or "on snap" without being a handle
_NOT_HANDLES = frozenset(
    "a an the his her their my me him he she they it is was and or but to of on in at as account page profile name "
    "username handle called where with that this which messages message messaged dms dm private public".split()
)


def _platform(alias: str | None) -> str:
    return _PLATFORM_OF.get((alias or "").lower(), "")


_NAME_GOES_ON = re.compile(r"\s+[A-Z][a-z]")


def _looks_like_handle(match: re.Match[str], handle: str, explicit: bool) -> bool:
    """A word after "his insta is" may be a handle ("davewhitfield") or not ("deleted"): a
    plain word counts only where the reporter plainly named it a handle, and not where it
    is the first of a person's name ("Facebook: Dave Whitfield" is a profile's name)."""
    if handle in _NOT_HANDLES or len(handle) < 3 or handle.isdigit():
        return False
    if explicit or "@" in match.group() or re.search(r"[\d_.]", handle):
        return True
    if _NAME_GOES_ON.match(match.string, match.end()):
        return False
    groups = match.groupdict()
    return bool(groups.get("naming") and groups.get("link")) or (groups.get("link") or "").lower() in (
        ":",
        "called",
        "as",
        "named",
    )


PLATFORM_HINTS = ("@", "insta", "twitter", "tik", "snap", "facebook", "telegram", "threads", "reddit", "discord",
                   "onlyfans", "kik", " ig", "ig:", " x ", " x:", " fb", "fb:", " sc ", "sc:")


def handles(text: str, field: str, lower: str | None = None) -> list[Identifier]:
    lower = text.lower() if lower is None else lower
    if not mentions(lower, PLATFORM_HINTS):
        return []
    found: dict[str, Identifier] = {}
    for window, (index, pattern) in product(windows(lower, PLATFORM_HINTS, 45, 70), enumerate(_HANDLE_PATTERNS)):
        for match in pattern.finditer(text, *window):
            handle = match.group("handle").lower()
            if not _looks_like_handle(match, handle, explicit=index == 2) or handle in found:
                continue
            found[handle] = Identifier(
                "handle",
                handle,
                whose(text, match.start()),
                field,
                quote_around(text, match.start(), match.end()),
                _platform(match.groupdict().get("platform")),
            )
    return list(found.values())


def reporter_contacts(reporter: dict[str, object]) -> list[Identifier]:
    """The reporter's own phone and e-mail, from the reporter object (analyst only)."""
    found: list[Identifier] = []
    phone, email = str(reporter.get("phone") or ""), str(reporter.get("email") or "")
    value = phone_value(phone) if phone else ""
    if value:
        found.append(Identifier("phone", value, REPORTER, "reporter's phone", phone[:60]))
    if "@" in email:
        found.append(Identifier("email", email.strip().lower(), REPORTER, "reporter's e-mail", email[:80]))
    return found


__all__ = ["SUBJECT", "emails", "handles", "phone_value", "phones", "reporter_contacts"]
