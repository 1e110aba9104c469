"""Names that are also everyday words: Cash, Money, Walker, Gates, Friday.

A reporter called Ann Cash must not stop every summary that says "he took cash": such a
word alone is sure to be the name only when written as one (capitalised inside a
sentence, after a title); written as a word it is a warning the analyst answers once.
Which words are everyday comes from Webster's word list (``english_words``' web2, which
keeps proper nouns capitalised): a word it has only in lower case, or the singular of
one ("gates", "keys"), and no given name (Martin, Lewis stay names).
"""

from __future__ import annotations

from functools import cache

from english_words import get_english_words_set

from hotline_tui.services.redflags.names import is_known_forename

DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset(
    "january february march april may june july august september october november december".split())


@cache
def _webster() -> frozenset[str]:
    return frozenset(get_english_words_set(["web2"]))


def _listed(word: str, words: frozenset[str]) -> bool:
    """In the list in lower case only (a proper noun too, "Marsh", "Morgan": a name first)."""
    return word in words and word.capitalize() not in words


@cache
def is_everyday(word: str) -> bool:
    """Whether a folded name word is an everyday word: in the dictionary in lower case
    (or its singular is), or a day or month, and no given name."""
    if word in DAYS or word in MONTHS:
        return True
    if len(word) < 3 or not word.isalpha() or is_known_forename(word):
        return False
    words = _webster()
    singulars = [word[:-2]] if word.endswith("es") else []
    singulars += [word[:-1]] if word.endswith("s") and not word.endswith("ss") else []
    return _listed(word, words) or any(_listed(s, words) for s in singulars if len(s) >= 3)


def always_capitalised(word: str) -> bool:
    """Days and months are capitalised as words too: their capital says nothing of a name."""
    return word in DAYS or word in MONTHS
