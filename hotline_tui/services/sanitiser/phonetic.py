"""Letters and digits read out as words: "Mike Alpha six six X-ray Yankee Zulu", "O L eleven 3 Q T".

Police and call handlers spell registrations, postcodes and names in the phonetic
alphabet; written into a summary that way, a registration is still the registration.
``phonetic`` gives the text with each such run read as its letters and digits, each
remembering where it came from, so the checks run over it point at what was written.
"""

from __future__ import annotations

import re

from hotline_tui.services.sanitiser.normalise import NUMBER_WORDS, TENS_WORDS, Folded

ALPHABET = {
    "alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f", "golf": "g",
    "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l", "mike": "m",
    "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t",
    "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x", "x ray": "x",
    "yankee": "y", "zulu": "z",
}
_DIGITS = {word: digits for word, digits in NUMBER_WORDS.items() if len(word) > 1}
_SAID = ALPHABET | _DIGITS | TENS_WORDS
_WORD = re.compile(
    r"(?<![^\W_])(" + "|".join(sorted(map(re.escape, _SAID), key=len, reverse=True)) + r"|\d+|[a-z])(?![^\W_])")
_BETWEEN = re.compile(r"[\W_]*")
# A run this long, with a letter word in it, is something read out, not a sentence that
# happens to say "hotel" and "one".
RUN_MIN = 3


def _runs(text: str) -> list[list[re.Match[str]]]:
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for found in _WORD.finditer(text):
        if current and not _BETWEEN.fullmatch(text, current[-1].end(), found.start()):
            runs.append(current)
            current = []
        current.append(found)
    runs.append(current)
    return [run for run in runs if len(run) >= RUN_MIN and _read_out(run)]


def _read_out(run: list[re.Match[str]]) -> bool:
    """A letter in the phonetic alphabet, or letters and numbers in words ("O L eleven three Q T")."""
    said = [m.group(1) for m in run]
    return any(w in ALPHABET for w in said) or (
        any(len(w) == 1 and w.isalpha() for w in said) and any(w in _DIGITS or w in TENS_WORDS for w in said))


def phonetic(folded: Folded) -> Folded | None:
    """The folded text with each read-out word of a run as its character, padded with
    spaces to the word's length so places stay ("mike alpha six": "m    a     6  ");
    None when it has no such run. A finding in it ends at the start of its last word:
    ``word_end`` finds the rest."""
    text = folded.text
    if not _CUES.search(text) and not _LETTER_AND_NUMBER.search(text):
        return None
    runs = _runs(text)
    if not runs:
        return None
    chars = list(text)
    for run in runs:
        for index, found in enumerate(run):
            said = _SAID.get(found.group(1), found.group(1))
            if found.group(1) in TENS_WORDS:  # "sixty-six": 66, "sixty": 60
                unit = run[index + 1].group(1) if index + 1 < len(run) else ""
                said += "" if len(_DIGITS.get(unit, "")) == 1 and _DIGITS[unit] != "0" else "0"
            chars[found.start() : found.end()] = said.ljust(found.end() - found.start())
    return Folded(folded.original, "".join(chars), folded.origin)


_CUES = re.compile("|".join(w for w in ALPHABET if " " not in w))
_LETTER_AND_NUMBER = re.compile(
    r"(?<![^\W_])[a-z][\W_]+(?:" + "|".join(w for w in (*_DIGITS, *TENS_WORDS) if len(w) > 2) + r")(?![^\W_])")
_WORD_CHARS = re.compile(r"[^\W_]*(?:[- ]ray)?", re.IGNORECASE)


def word_end(original: str, end: int) -> int:
    """Where the word that ``end`` falls in ends, in the original text ("X-ray" whole)."""
    found = _WORD_CHARS.match(original, end)
    return found.end() if found else end
