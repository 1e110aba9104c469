"""Finding the reporter's name however it is written.

Sure (blocking): a distinctive word of the name, or the whole name in either order,
once folded (look-alike letters, accents, invisible characters, digits for letters),
also when separators split it ("Carl more", "R.o.s.a.l.i.n.d", a hyphen or a line
break inside) or its letters are reversed.
Likely (a warning): a word one or two edits away (rapidfuzz; a swap of two letters is one), or one that sounds the
same (jellyfish's metaphone), alone or joined with the next word ("Karl more").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA

from hotline_tui.services.sanitiser.everyday import always_capitalised
from hotline_tui.services.sanitiser.normalise import Folded, Joined, Token, joined, tokens
from hotline_tui.services.sanitiser.profile import COMMON_WORDS, LEET, NameWord, Profile

# A word shorter than this is matched only as itself: "Hale" is one edit from "hall",
# "male" and "sale".
FUZZY_MIN = 5
# Joined across separators, a short word would be found in ordinary text ("at om").
JOINED_MIN = 5


@dataclass(frozen=True)
class NameHit:
    start: int  # in the folded text
    end: int
    message: str
    blocking: bool
    everyday: NameWord | None = None  # a name word that is an everyday word, found alone


def _found(compact: Joined, word: str, aligned: bool) -> Iterator[tuple[int, int]]:
    """Folded spans where ``word`` is in the run-together text; ``aligned``: starting at a
    word's start and ending at a word's end, and across words only when long enough or
    spelled out letter by letter."""
    at = compact.text.find(word)
    while at >= 0:
        end = at + len(word)
        first, last = compact.starts.get(at), compact.ends.get(end)
        if not aligned:
            yield compact.span(at, end)
        elif first is not None and last is not None:
            spelled_out = all(len(w.text) == 1 for w in compact.words[first : last + 1])
            if first == last or len(word) >= JOINED_MIN or spelled_out:
                yield compact.span(at, end)
        at = compact.text.find(word, at + 1)


@lru_cache(maxsize=4096)
def _sound(word: str) -> str:
    return jellyfish.metaphone(word) if word.isalpha() else ""


def _sounds_alike(candidate: str, word: str) -> bool:
    return (abs(len(candidate) - len(word)) <= 2 and _sound(candidate) == _sound(word)
            and OSA.distance(candidate, word, score_cutoff=2) <= 2)


def _whole_names(profile: Profile) -> list[tuple[str, bool]]:
    """The whole name run together, as written (found anywhere) and reversed (as words)."""
    words = list(profile.words)
    if len(words) < 2:
        return []
    forms = [("".join(words), False), ("".join(reversed(words)), True)]
    if len(words) > 2:
        forms.append(("".join([words[-1], *words[:-1]]), True))
    return forms


def _fuzzy(words: list[Token], targets: tuple[NameWord, ...]) -> Iterator[NameHit]:
    """Words (and pairs of words, "Karl more") close to a long name word. Each distinct
    candidate is compared once: a summary repeats its words."""
    long_words = [t for t in targets if len(t.form) >= FUZZY_MIN]
    if not long_words:
        return
    # Only words and pairs of about a name word's length can be close to it.
    lengths = {len(t.form) for t in long_words}
    near = {n + d for n in lengths for d in range(-2, 3)}
    places: dict[str, list[tuple[int, int]]] = {}
    for index, token in enumerate(words):
        if len(token.text) in near:
            places.setdefault(token.text, []).append((token.start, token.end))
        if index + 1 < len(words) and len(token.text) + len(words[index + 1].text) in near:
            following = words[index + 1]
            places.setdefault(token.text + "\0" + following.text, []).append((token.start, following.end))
    candidates = list(places)
    together = [c.replace("\0", "") for c in candidates]
    for target in long_words:
        allowed = 1 if len(target.form) < 8 else 2
        close = {index for _, _, index in process.extract(
            target.form, together, scorer=OSA.distance, score_cutoff=allowed, limit=None)}
        close |= {index for index, c in enumerate(candidates) if "\0" not in c and _sounds_alike(c, target.form)}
        for index in close:
            first, _, second = candidates[index].partition("\0")
            if target.form in (first, second, together[index]):
                continue
            for start, end in places[candidates[index]]:
                yield NameHit(start, end, f"Close to the reporter's {target.part}: a misspelling?", False)


_SYMBOL_LETTERS = {"$": "s", "!": "i", "+": "t", "|": "i", "@": "a", "€": "e"}
_SYMBOL = re.compile(r"(?<=[^\W_])[$!+|@€]|[$!+|@€](?=[^\W_])")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "madam", "dame", "lady"})
# Words English always capitalises: "in May" says nothing about a reporter named May.
_ALWAYS_CAPITALISED = frozenset({"april", "may", "june", "august", "march"})
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(])\s*$")


def _symbols_as_letters(folded: str) -> str:
    """'$m1th', '5m!th', 'Sm1+h': symbols that stand for letters, beside a letter or a
    digit, read as those letters (one for one, so places stay)."""
    return _SYMBOL.sub(lambda m: _SYMBOL_LETTERS[m.group()], folded)


def name_hits(folded: str, profile: Profile, written: Folded | None = None) -> Iterator[NameHit]:
    """Every finding of the name in a folded text; ``written``, the text as written, tells
    a name from an everyday word ("Ms Cash", "took cash")."""
    if not profile.words:
        return
    hits = [*_name_hits(folded, profile, likely=True)]
    with_letters = _symbols_as_letters(folded)
    if with_letters != folded:
        hits += _name_hits(with_letters, profile, likely=False)
    for hit in hits:
        yield hit if hit.everyday is None else _as_word_or_name(hit, hit.everyday, written)


def _as_word_or_name(hit: NameHit, word: NameWord, written: Folded | None) -> NameHit:
    """An everyday word alone is the name when written as one: capitalised (even at the start
    of a sentence, which is easily reworded; not a day or a month), or after a title;
    otherwise ("took cash") a warning, answered once for the summary."""
    if written is not None:
        first, last = written.span(hit.start, hit.end)
        text = written.original[first:last]
        before = written.original[max(0, first - 12) : first]
        titled = re.search(r"(?:^|\W)(?:" + "|".join(_TITLES) + r")\.?\s+$", before, re.IGNORECASE)
        capitalised = text[:1].isupper() and not always_capitalised(word.form)  # "Cash says": the name
        if titled or capitalised or not text.isascii():  # look-alike letters in a word are a disguise
            return NameHit(hit.start, hit.end, hit.message, True)
    return NameHit(hit.start, hit.end, f"The reporter's {word.part}? (an everyday word too: check it is not the name)",
                   False)


def _name_hits(folded: str, profile: Profile, likely: bool) -> Iterator[NameHit]:
    words = [Token(t.text.translate(LEET), t.start, t.end) for t in tokens(folded)]
    compact = joined(words)
    named = "The reporter's name (from their e-mail address)" if profile.inferred else "The reporter's name"
    for form, aligned in _whole_names(profile):
        for start, end in _found(compact, form, aligned):
            yield NameHit(start, end, named, True)
    single = profile.words[0] if len(profile.words) == 1 else ""
    if len(single) >= 2 and single not in {c.form for c in profile.common}:
        for start, end in _found(compact, single, True):
            yield NameHit(start, end, named, True)
    for word in profile.distinctive:
        # as written, plural or possessive ("the Smiths'", "Joneses"), reversed
        forms = ((word.form, ""), (word.form + "s", ""), (word.form + "es", ""), (word.form[::-1], " (spelled backwards)"))
        for form, how in forms:
            if how and len(form) < FUZZY_MIN:
                continue
            for start, end in _found(compact, form, True):
                plain = not how and folded[start:end].replace("'", "").translate(LEET) == form  # not spelled out: "cash's"
                as_word = word if word.everyday and plain else None
                yield NameHit(start, end, f"The reporter's {word.part}{how}", True, as_word)
    yield from _inside_words(words, folded, profile, likely)
    yield from _glued(words, folded, profile)
    if not likely:
        return
    for word in profile.shared:
        for start, end in _found(compact, word.form, True):
            yield NameHit(start, end, f"Also the reporter's {word.part} (and a subject's name): check it points at "
                                      "the subject", False)
    yield from _fuzzy(words, profile.distinctive)
    yield from _short_forms(words, profile)


# A name word this long inside a longer word is worth a look ("jpilkington", "xxsandhuxx");
# a shorter one would be found in ordinary words ("marsh" in "marshal").
INSIDE_MIN = 6


def _inside_words(words: list[Token], folded: str, profile: Profile, likely: bool) -> Iterator[NameHit]:
    """A distinctive name word glued inside a longer word, as in a user name or a file
    name: sure when the rest is digits ("pilkington88", "88sandhu"), likely otherwise."""
    for word in profile.distinctive:
        if len(word.form) < 5:
            continue
        for token in words:
            at = token.text.find(word.form)
            if at < 0 or len(token.text) == len(word.form):
                continue
            rest = folded[token.start : token.start + at] + folded[token.start + at + len(word.form) : token.end]
            if rest.isdigit():
                yield NameHit(token.start, token.end, f"The reporter's {word.part} (with digits: a user name?)", True)
            elif likely and len(word.form) >= INSIDE_MIN and token.text not in (word.form + "s", word.form + "es"):
                yield NameHit(token.start, token.end, f"Contains the reporter's {word.part}: a user name?", False)


def _glued(words: list[Token], folded: str, profile: Profile) -> Iterator[NameHit]:
    """The forename run into the start of the surname, as user names are made ("janetpilk88",
    "janet_pilk"): sure when three letters or more of the surname follow."""
    if len(profile.words) < 2 or len(profile.words[0]) < 3 or len(profile.words[-1]) < 4:
        return
    first, last = profile.words[0], profile.words[-1]
    for index, token in enumerate(words):
        letters = "".join(c for c in folded[token.start : token.end] if not c.isdigit()).translate(LEET)
        rest, end = letters[len(first) :], token.end
        if not letters.startswith(first):
            continue
        if not rest and index + 1 < len(words):  # "janet_pilk", "janet.pilk"
            rest, end = words[index + 1].text, words[index + 1].end
        if 3 <= len(rest) < len(last) and last.startswith(rest):
            yield NameHit(token.start, end, "The reporter's name run together (a user name?)", True)


def _short_forms(words: list[Token], profile: Profile) -> Iterator[NameHit]:
    """A distinctive word with a letter or two more ("Johnny", "Rosalinda"), and the
    reporter's initials standing alone, one a word ("J.S.", "J S")."""
    by_start = {w.form[:4]: w for w in profile.distinctive if len(w.form) >= 4}
    initials = [w[0] for w in profile.words if w[:1].isalpha()]
    for index, token in enumerate(words):
        word = by_start.get(token.text[:4])
        if word and 1 <= len(token.text) - len(word.form) <= 2 and token.text.startswith(word.form):
            yield NameHit(token.start, token.end, f"Starts with the reporter's {word.part}: a short form of it?", False)
        if len(initials) >= 2 and token.text == initials[0]:
            run = words[index : index + len(initials)]
            if [t.text for t in run] == initials and run[-1].end - run[0].start <= 2 * len(initials) + 1:
                yield NameHit(run[0].start, run[-1].end, "The reporter's initials?", False)


def written_as_name(folded: Folded, profile: Profile) -> Iterator[NameHit]:
    """A name word that is also a common word ("Will", "Best", "Constable") alone: sure
    after a title ("Mr Best"), likely when capitalised inside a sentence ("told Will").
    A short form of the forename ("Danny" for Daniel) is likely wherever capitalised."""
    if not profile.common and not profile.short_forms:
        return
    common = {w.form: w for w in profile.common}
    words = tokens(folded.text)
    for index, token in enumerate(words):
        form = token.text.translate(LEET)
        word = common.get(form)
        short = word is None and form in profile.short_forms
        if word is None and not short:
            continue
        if word is not None and index and words[index - 1].text in _TITLES:
            yield NameHit(words[index - 1].start, token.end, f"The reporter's {word.part}, with a title", True)
            continue
        if token.text in _ALWAYS_CAPITALISED:
            continue
        first, last = folded.span(token.start, token.end)
        written = folded.original[first:last]
        if not written[:1].isupper() or written.isupper():
            continue
        if short and token.text not in COMMON_WORDS:
            yield NameHit(token.start, token.end, "A short form of the reporter's forename?", False)
        elif first > 0 and not _SENTENCE_START.search(folded.original[max(0, first - 3) : first]):
            what = f"reporter's {word.part}" if word is not None else "reporter's forename (a short form)"
            yield NameHit(token.start, token.end, f"The {what}? (a common word, written as a name)", False)
