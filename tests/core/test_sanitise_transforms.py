"""Property: for random reporters, any disguise applied to any reporter value is caught.

The disguises are written here from what people do, independently of the sanitiser's
own normalisation: look-alike letters of other alphabets, invisible characters, combining
accents, fullwidth and mathematical letters, separators between letters, names reversed,
digits for letters; phones in any layout, with letters for digits, in words, split over
lines or said in parts; e-mail addresses written out. A sure disguise must block; a
misspelling must at least warn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hotline_tui.services.sanitiser import sanitisation_flags
from hotline_tui.services.sanitiser.profile import ordinary_word

LOOK_ALIKES = {"a": "\u0430", "e": "\u0435", "o": "\u03bf", "p": "\u0440", "c": "\u0441", "x": "\u0445", "y": "\u0443",
               "i": "\u0456", "j": "\u0458", "s": "\u0455"}
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
LEET = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5"}
FILLER = "Information received says that {} knows the officer and saw the money change hands."

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=10).map(str.capitalize)
Disguise = Callable[[str, st.DataObject], str]


def _at(data: st.DataObject, text: str) -> int:
    return data.draw(st.integers(1, max(1, len(text) - 1)))


def _look_alike(text: str, data: st.DataObject) -> str:
    places = [i for i, c in enumerate(text) if c in LOOK_ALIKES]
    assume(places)
    i = data.draw(st.sampled_from(places))
    return text[:i] + LOOK_ALIKES[text[i]] + text[i + 1 :]


def _invisible(text: str, data: st.DataObject) -> str:
    i = _at(data, text)
    return text[:i] + data.draw(st.sampled_from(INVISIBLE)) + text[i:]


def _accent(text: str, data: st.DataObject) -> str:
    i = _at(data, text)
    return text[:i] + data.draw(st.sampled_from(("\u0301", "\u0308", "\u0300", "\u0327"))) + text[i:]


def _fullwidth(text: str, data: st.DataObject) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _bold(text: str, data: st.DataObject) -> str:
    def one(c: str) -> str:
        if "a" <= c <= "z":
            return chr(0x1D41A + ord(c) - ord("a"))
        if "A" <= c <= "Z":
            return chr(0x1D400 + ord(c) - ord("A"))
        return c
    return "".join(map(one, text))


def _separated(text: str, data: st.DataObject) -> str:
    separator = data.draw(st.sampled_from((".", " ", "-", "_", "·", " . ")))
    return separator.join(text)


def _broken(text: str, data: st.DataObject) -> str:
    i = _at(data, text)
    return text[:i] + data.draw(st.sampled_from(("-\n", "\n", " ", "-", "\u2010", "\r\n"))) + text[i:]


def _case(text: str, data: st.DataObject) -> str:
    return data.draw(st.sampled_from((text.upper(), text.lower(), text.swapcase())))


def _leet(text: str, data: st.DataObject) -> str:
    places = [i for i, c in enumerate(text.lower()) if c in LEET]
    assume(places)
    i = data.draw(st.sampled_from(places))
    return text[:i] + LEET[text[i].lower()] + text[i + 1 :]


SYMBOLS = {"s": "$", "i": "!", "a": "@", "t": "+"}


def _symbol(text: str, data: st.DataObject) -> str:
    """A letter written as a symbol that looks like it ('$andhu', 'Kendr!ck')."""
    places = [i for i, c in enumerate(text.lower()) if c in SYMBOLS]
    assume(places)
    i = data.draw(st.sampled_from(places))
    return text[:i] + SYMBOLS[text[i].lower()] + text[i + 1 :]


def _plural(text: str, data: st.DataObject) -> str:
    """The family's name: 'the Smiths'', 'the Smiths', "Smith's"."""
    return text + data.draw(st.sampled_from(("s'", "s", "'s", "es")))


NAME_DISGUISES: tuple[Disguise, ...] = (_look_alike, _invisible, _accent, _fullwidth, _bold, _separated, _broken, _case,
                                        _leet, _symbol, _plural)


def _phone_spaced(digits: str, data: st.DataObject) -> str:
    cut = sorted(data.draw(st.sets(st.integers(1, len(digits) - 1), max_size=4)))
    parts = [digits[a:b] for a, b in zip([0, *cut], [*cut, len(digits)], strict=True)]
    return data.draw(st.sampled_from((" ", "-", ".", "\n", " then ", ", "))).join(parts)


def _phone_letters(digits: str, data: st.DataObject) -> str:
    return digits.replace("0", data.draw(st.sampled_from(("O", "o")))).replace("1", data.draw(st.sampled_from(("l", "I"))))


def _phone_words(digits: str, data: st.DataObject) -> str:
    return " ".join(DIGIT_WORDS[int(d)] if data.draw(st.booleans()) else d for d in digits)


def _phone_superscript(digits: str, data: st.DataObject) -> str:
    return digits.translate(str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"))


TENS = ("", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _phone_tens(digits: str, data: st.DataObject) -> str:
    """Said in pairs and hundreds: '77' as 'seventy-seven', '900' as 'nine hundred'."""
    said, i = [], 0
    while i < len(digits):
        pair, triple = digits[i : i + 2], digits[i : i + 3]
        if len(triple) == 3 and triple[0] != "0" and triple[1:] == "00" and data.draw(st.booleans()):
            said.append(f"{DIGIT_WORDS[int(triple[0])]} hundred")
            i += 3
        elif len(pair) == 2 and pair[0] >= "2" and pair[1] != "0" and data.draw(st.booleans()):
            said.append(f"{TENS[int(pair[0])]}-{DIGIT_WORDS[int(pair[1])]}")
            i += 2
        else:
            said.append(DIGIT_WORDS[int(digits[i])])
            i += 1
    return data.draw(st.sampled_from((" ", ", "))).join(said)


def _phone_end(digits: str, data: st.DataObject) -> str:
    """Only its last six digits: 'a mobile ending 900123'."""
    return "a mobile ending " + digits[-6:]


PHONE_DISGUISES = (_phone_spaced, _phone_letters, _phone_words, _phone_superscript, _fullwidth, _phone_tens, _phone_end)


def _email_written_out(email: str, data: st.DataObject) -> str:
    at = data.draw(st.sampled_from((" at ", "[at]", " (at) ", " AT ", "@")))
    dot = data.draw(st.sampled_from((" dot ", "(dot)", " DOT ", ".")))
    local, _, domain = email.partition("@")
    return local.replace(".", dot) + at + domain.replace(".", dot)


@st.composite
def reporters(draw: st.DrawFn) -> dict[str, Any]:
    first, last = draw(word), draw(word)
    # A name word that is also a common word, a title or an everyday word is matched as
    # such (its own tests): here, names that are only names.
    assume(not ordinary_word(first.lower()) and not ordinary_word(last.lower()) and first != last)
    digits = "07" + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    return {
        "report_id": "5a0c9d83-1e7f-4b62-8c4d-3f9e2a1b7d06", "reference": "PAC-2026-008019",
        "reporter": {"name": f"{first} {last}", "phone": digits, "email": f"{first.lower()}.{last.lower()}@example.org"},
        "subjects": [{"role": "officer", "name": "PC Dave Whitfield"}],
        "narrative": "PC Dave Whitfield takes money from a dealer.",
    }


def _flags(text: str, report: dict[str, Any]) -> tuple[bool, bool]:
    found = sanitisation_flags(FILLER.format(text), report)
    return any(f.blocking for f in found), bool(found)


@settings(max_examples=400, deadline=None)
@given(report=reporters(), data=st.data())
def test_any_sure_disguise_of_any_reporter_value_blocks(report: dict[str, Any], data: st.DataObject) -> None:
    reporter = report["reporter"]
    kind = data.draw(st.sampled_from(("name", "forename", "surname", "reversed", "phone", "email", "spelled by e-mail")))
    first, last = reporter["name"].split()
    if kind == "spelled by e-mail":  # no name field: the address spells it
        del reporter["name"]
        text = data.draw(st.sampled_from(NAME_DISGUISES))(f"{first} {last}", data)
    elif kind == "phone":
        text = data.draw(st.sampled_from(PHONE_DISGUISES))(reporter["phone"], data)
    elif kind == "email":
        text = _email_written_out(reporter["email"], data)
        text = data.draw(st.sampled_from((_invisible, _case, _fullwidth)))(text, data)
    else:
        value = {"name": f"{first} {last}", "forename": first, "surname": last, "reversed": f"{last}, {first}"}[kind]
        text = data.draw(st.sampled_from(NAME_DISGUISES))(value, data)
    blocked, _ = _flags(text, report)
    assert blocked, (kind, text)


@settings(max_examples=300, deadline=None)
@given(report=reporters(), data=st.data())
def test_a_misspelt_name_is_at_least_warned(report: dict[str, Any], data: st.DataObject) -> None:
    first, last = report["reporter"]["name"].split()
    value = data.draw(st.sampled_from((first, last)))
    i = data.draw(st.integers(1, len(value) - 1))
    edit = data.draw(st.sampled_from(("drop", "double", "swap", "change")))
    letter = data.draw(st.sampled_from("aeiouy"))
    text = {"drop": value[:i] + value[i + 1 :], "double": value[:i] + value[i] + value[i:],
            "swap": value[: i - 1] + value[i] + value[i - 1] + value[i + 1 :],
            "change": value[:i] + letter + value[i + 1 :]}[edit]
    _, flagged = _flags(text, report)
    assert flagged, (value, text)
