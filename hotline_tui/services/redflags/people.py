"""The people a report is about, as subject index rows: its subject fields, and officers
it names only in the narrative ("PC Dave Whitfield", "an officer called Dave Whitfield",
"pc hughes was the one", "the sergeant, Hughes,").

Each row keeps the subject's rank (folded to a rank group: Sgt, PS and Sergeant are one),
where the officer is said to be from ("PC Morgan from Keighley": the row's station) and
the words it came from, so a reason can quote them. Pure, no store: runs at import where
the bundle is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hotline_tui.services.redflags.names import (
    PersonKey,
    forename_key,
    is_forename,
    is_given_name,
    is_known_forename,
    person_key,
)
from hotline_tui.services.redflags.spans import WordFinder, mentions, quote_around
from hotline_tui.services.triage.force_hints import match_force_hint
from hotline_tui.store.subjects import Row as IndexTuple

RANK_GROUPS: dict[str, tuple[str, ...]] = {
    "constable": ("pc", "dc", "constable", "police constable", "detective constable", "tdc", "officer"),
    "sergeant": ("ps", "ds", "sgt", "sarge", "sergeant", "detective sergeant", "police sergeant"),
    "inspector": ("insp", "inspector", "di", "detective inspector"),
    "chief inspector": ("ci", "dci", "chief inspector", "detective chief inspector"),
    "superintendent": ("supt", "superintendent", "dsupt", "dsu", "chief superintendent", "ch supt"),
    "pcso": ("pcso", "community support officer", "police community support officer"),
    "special": ("sc", "special", "special constable", "specials"),
}
_RANK_OF = {alias: group for group, aliases in RANK_GROUPS.items() for alias in aliases}


def rank_group(rank: str) -> str:
    words = " ".join(re.sub(r"[^a-z ]", " ", rank.lower()).split())
    return _RANK_OF.get(words, words)


_WORD = r"(?:[A-Z][a-z]*(?:['’-]?[A-Z]?[a-z]+)+|[A-Z][A-Z'’-]*[A-Z])"  # Whitfield, McDonald, O'Brien, Smith-Jones, JONES
_NAME = rf"(?P<name>(?:{_WORD}|[A-Z]\.?)(?:\s+{_WORD}){{0,2}})"
# No leading \b: a pattern that starts with its literals is searched for fast; the word
# boundary before the rank is checked on each match instead. Keep the ranks a flat list of
# literals: grouping them ("(?:Police\s+)?Constable") makes the search ten times slower.
# A collar number may sit between the rank and the name ("PC 5678 Rachel Green").
_RANKED = re.compile(
    r"(?P<rank>Detective\s+(?:Chief\s+)?(?:Inspector|Sergeant|Constable)|Chief\s+Inspector|Inspector|Sergeant|"
    r"Constable|Police\s+Constable|Special\s+Constable|PCSO|PC|PS|DCI|DC|DS|DI|Sgt|Insp|Sarge|"
    r"SGT|SERGEANT|INSPECTOR|CONSTABLE)\.?,?\s+"
    rf"(?:(?:no\.?\s*)?\d{{2,7}},?\s+)?{_NAME}"
)
# The ranks again, typed in any case ("pc dave whitfield", "SGT D. CARRICK"): taken only
# where a known forename or an initial comes first, for "pc was rude" is no name.
_RANKS_ANY_CASE = (r"Detective\s+(?:Chief\s+)?(?:Inspector|Sergeant|Constable)|Chief\s+Inspector|Inspector|Sergeant|"
                   r"Constable|Police\s+Constable|Special\s+Constable|PCSO|PC|PS|DCI|DC|DS|DI|Sgt|Insp|Sarge")
# Or a surname alone after a rank, as people type it ("pc hughes was the one", "it was dc
# gosencombe again", "the sergeant, Hughes"): in lower case only where the words after it
# end the name (punctuation, or a word such as was, again, from, said).
_ENDS_NAME = ("was|is|again|from|who|and|said|says|told|tells|had|has|did|came|comes|would|kept|keeps|at|of|in|on|"
              "with|then|gave|took|too|when|as|but|or|whose|for|stopped|pulled|grabbed|arrested|searched|pushed|"
              "threatened|followed|shouted|swore|refused|tried|wanted|asked|went|turned|sent|texted|messaged|rang|"
              "hit|punched|kicked|laughed|made|put|got|let|never|always|just|also|still|knew|knows|works|worked")
_ENDS_WORDS = frozenset(_ENDS_NAME.split("|"))
_ALONE = (rf"(?P<alone>[a-z][a-z'’-]*[a-z](?=\s*(?:[.,;:!?)]|$)|\s+(?:{_ENDS_NAME})\b)|"
          r"[A-Z][a-z'’-]*[a-z]\b(?!\s+[A-Z]|['’-]))")
_RANKED_ANY_CASE = re.compile(rf"(?i:\b(?P<rank>{_RANKS_ANY_CASE}))\.?(?:,?\s+{_ALONE}|\s+(?P<name>(?P<first>[a-z]+\s+|"
                              r"[A-Z]+\s+|[A-Za-z]\.\s*)(?:[a-z]+(?:['’-][a-z]+)?|[A-Z]+(?:['’-][A-Z]+)?))\b)")
_CALLED_WORDS_RE = (r"(?:called|named|known\s+as|goes\s+by|name\s+(?:is|was)|introduced\s+himself\s+as|"
                    r"introduced\s+herself\s+as|calls\s+himself|calls\s+herself)")
_CALLED = re.compile(rf"{_CALLED_WORDS_RE}\s+{_NAME}")
# The same typed in lower case ("an officer called bob scott"): a known forename first.
_CALLED_LOWER = re.compile(rf"{_CALLED_WORDS_RE}\s+(?P<name>(?P<first>[a-z]+)\s+[a-z]+(?:['’-][a-z]+)?)\b")
_NOT_NAMES = frozenset(
    "The He She They It I We You His Her Their On In At And But Or So Then When Who What This That There A An Police "
    "Station Officer Constable Sergeant Inspector Road Street Lane World Team Unit "
    # acronyms written in capitals beside a name ("PC Jones MET", "DC SMITH CID")
    "Met Gmp Psni Cid Pnc Cctv Anpr Bwv Asap Uk Ok Tsg Dps Acu".split()
)


_OFFICER_BEFORE = re.compile(r"\b(?:officer|copper|cop|policeman|policewoman|detective|sergeant|constable|pcso|sgt|"
                             r"his|her|he|she)\b[^.!?]{0,25}$", re.IGNORECASE)


_INITIAL = re.compile(r"[A-Z]\.")
_CALLED_WORDS = ("called", "named", "known as", "goes by", "name is", "name was", "introduced", "calls him", "calls her")


def _mostly_lower_case(text: str) -> bool:
    """Names written in capitals stand out only in text that is not itself in capitals."""
    sample = text[:2000]
    return 2 * sum(c.islower() for c in sample) >= sum(c.isupper() for c in sample)


def _in_capitals(word: str) -> bool:
    return len(word.strip(".")) > 1 and word.isupper()


# Where a name in capitals ends when the words after it are in capitals too ("PC JONES WAS RUDE").
_NOT_NAME_WORDS = frozenset("Was Is Were Has Had Did Said Told Took Came Went Got Made Gave Would Could Should Will "
                            "Can To Me My Him From For Of With By Not No Yes All Be Been Kept Asked".split())


def _as_written(words: list[str]) -> list[str]:
    """"JONES" as "Jones", up to the first word in capitals that is not a name."""
    written: list[str] = []
    for word in words:
        if _in_capitals(word):
            word = word.title()
            if word in _NOT_NAME_WORDS:
                break
        written.append(word)
    return written


# What an officer did, right after a forename that is also a surname ("pc scott stopped me").
_DOINGS = frozenset("Stopped Pulled Grabbed Hit Shouted Arrested Searched Pushed Threatened Followed Kicked Punched "
                    "Swore Laughed Refused Tried Wanted Again Then Who Which That Here There Today Yesterday".split())


# The first word of each of _RANKS_ANY_CASE in lower case: finding where they start in the
# text in lower case (one pass) and trying the pattern only there is ten times faster than
# the case-insensitive pattern tried at every position.
RANK_FIRST_WORDS = ("detective", "inspector", "constable", "sergeant", "special", "police", "chief", "sarge", "insp",
                    "pcso", "dci", "sgt", "pc", "ds", "di", "dc", "ps")
_RANK_STARTS = WordFinder(RANK_FIRST_WORDS)


def _ranked_any_case(text: str) -> Iterator[re.Match[str]]:
    """``_RANKED_ANY_CASE.finditer(text)``, tried only where a rank's first word starts
    (and, its ``\\b``, a word starts)."""
    lower = text.lower()
    # A character that grows in lower case would misalign the offsets; 'ſ' and 'ı' are the
    # only ones the pattern takes for 's' and 'i' that lower case does not make them.
    if len(lower) != len(text) or "ſ" in text or "ı" in text:
        yield from _RANKED_ANY_CASE.finditer(text)
        return
    end = 0
    for start in _RANK_STARTS.starts(lower):
        if start >= end and not (start and lower[start - 1].isalnum()):
            match = _RANKED_ANY_CASE.match(text, start)
            if match:
                end = match.end()
                yield match


# Words that follow a rank typed in lower case and are no surname ("the pc involved was").
_NOT_SURNAMES = frozenset(
    "the a an was is who and said then there here again himself herself came did had has told asked too also only just "
    "today yesterday tonight outside inside involved concerned mentioned above below named called first second other "
    "same one two three car van officer officers station number responsible present nearby earlier later before after "
    "afterwards last next previously really early nearly clearly obviously actually probably literally basically finally "
    "eventually apparently recently usually likely quickly immediately constantly repeatedly suddenly definitely "
    "certainly personally especially totally completely absolutely thanks sorry please screen world games in on at of "
    "for with from to by me my him her his them they their it its that this these those what which when where why how "
    "not no yes all any some never always".split()
)


def _surname_alone(word: str, rank: str) -> bool:
    """Whether the one word after a rank typed in lower case is a surname: not a word that
    follows a rank otherwise ("the pc involved"), not a forename ("pc dave was rude"), and
    in lower case only after a rank in lower case ("the PC concerned" is no name)."""
    folded = word.lower()
    if folded in _NOT_SURNAMES or word.title() in _NOT_NAMES or word.title() in _DOINGS or is_forename(folded):
        return False
    if not rank.islower():
        return False  # "PC Hughes" is _RANKED's
    return not word.islower() or not re.search(r"(?:[^e]ed|ing)$", folded) or is_given_name(folded)


def _any_case_people(text: str) -> Iterator[tuple[str, str, str, int]]:
    for match in _ranked_any_case(text):
        alone = match.group("alone")
        if alone is not None:
            if _surname_alone(alone, match.group("rank")):
                yield alone, match.group("rank"), quote_around(text, match.start(), match.end()), match.end()
            continue
        name, first = match.group("name"), match.group("first").strip()
        if not (name.islower() or name.isupper()):
            continue  # written as names are (_RANKED has it), or a name and the next word ("SMITH came")
        last = name.split()[-1].split(".")[-1].title()
        if last in _NOT_NAME_WORDS or last in _NOT_NAMES or last in _DOINGS:
            continue  # "pc dave was rude": a forename and the next word
        if first.endswith(".") or is_known_forename(first.lower()):
            yield name, match.group("rank"), quote_around(text, match.start(), match.end()), match.end()


def narrative_people(text: str) -> Iterator[tuple[str, str, str]]:
    """(name, rank, quote) of each officer named in free text: after a rank, or "called"
    just after a word for an officer ("a woman called Sarah Jones" is not one)."""
    for name, rank, quote, _end in _people_at(text):
        yield name, rank, quote


# Where an officer is from, said right after the name ("pc smith from the town centre",
# "PC Morgan from Keighley"): the station or area he works in.
_FROM_PLACE = re.compile(r",?\s+from\s+(?:the\s+)?(?P<place>[A-Za-z][a-z'’-]+(?:\s+[A-Za-z][a-z'’-]+){0,2})")
_NOT_FROM = frozenset("my his her their our your behind there here home work nowhere somewhere a an then now before "
                      "earlier last next across over under inside outside".split())


def _place_after(text: str, end: int) -> str:
    match = _FROM_PLACE.match(text, end)
    if not match:
        return ""
    words = match.group("place").split()
    for count, word in enumerate(words):
        if word.lower() in _NOT_FROM or word.lower() in _ENDS_WORDS:
            words = words[:count]
            break
    place = " ".join(words)
    return "" if not words or words[0].lower() in _NOT_FROM or match_force_hint(place) else place


def _called_lower_case(text: str) -> Iterator[tuple[str, str, str, int]]:
    for match in _CALLED_LOWER.finditer(text):
        last = match.group("name").split()[-1].title()
        if (is_known_forename(match.group("first")) and last not in _NOT_NAME_WORDS and last not in _NOT_NAMES
                and last not in _DOINGS and _OFFICER_BEFORE.search(text[max(0, match.start() - 40) : match.start()])):
            yield match.group("name"), "", quote_around(text, match.start(), match.end()), match.end()


def _people_at(text: str) -> Iterator[tuple[str, str, str, int]]:
    """``narrative_people`` and where each name ends in the text."""
    yield from _any_case_people(text)
    lower_case: bool | None = None
    patterns = [_RANKED]
    if mentions(text.lower(), _CALLED_WORDS):
        patterns.append(_CALLED)
    if len(patterns) > 1:
        yield from _called_lower_case(text)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if match.start() and text[match.start() - 1].isalnum():
                continue
            if pattern is _CALLED and not _OFFICER_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            words = match.group("name").split()
            if any(_in_capitals(w) for w in words):
                lower_case = _mostly_lower_case(text) if lower_case is None else lower_case
                if not lower_case:  # all in capitals: a name cannot be told from the words around it
                    continue
                words = _as_written(words)
            while words and words[-1].strip(".") in _NOT_NAMES:
                words.pop()
            if not words or (words[0].strip(".") in _NOT_NAMES and not _INITIAL.fullmatch(words[0])):
                continue  # "PC A. Scott" names someone; "PC The" does not
            rank = match.groupdict().get("rank") or ""
            yield " ".join(words), rank, quote_around(text, match.start(), match.end()), match.end()


def index_tuple(key: PersonKey, force: str, rank: str = "", field: str = "", quote: str = "") -> IndexTuple:
    return (key.surname, key.forename, forename_key(key.forename) if key.forename else "", key.initial,
            key.collar, key.station, force, rank_group(rank), field, quote[:120])


def _said(subject: dict[str, Any]) -> str:
    parts = [str(subject.get(k) or "") for k in ("rank", "name")]
    said = " ".join(p for p in parts if p)
    extra = [f"{label} {subject[k]}" for k, label in (("collar_number", "number"), ("station", "at"))
             if subject.get(k)]
    return ", ".join([said, *extra]) if said else ", ".join(extra)


def report_rows(document: dict[str, Any], hint_code: str | None) -> list[IndexTuple]:
    """The subject index rows of a report as it came in."""
    rows = subject_rows(document, hint_code)
    narrative, notes = document.get("narrative"), document.get("handler_notes")
    return rows + narrative_rows(narrative if isinstance(narrative, str) else "", notes if isinstance(notes, str) else "",
                                 hint_code, rows)


def subject_rows(document: dict[str, Any], hint_code: str | None) -> list[IndexTuple]:
    """The rows of the report's subject fields (cheap: done where the bundle is read)."""
    rows: list[IndexTuple] = []
    for number, subject in enumerate(document.get("subjects") or [], 1):
        if not isinstance(subject, dict):
            continue
        name, collar, station = (str(subject.get(k) or "") for k in ("name", "collar_number", "station"))
        key = person_key(name, collar, station, ranked=bool(subject.get("rank")))
        if key.empty:
            continue
        force = match_force_hint(str(subject.get("force_hint") or "")) or hint_code or ""
        rows.append(index_tuple(key, force, str(subject.get("rank") or ""), f"subject {number}", _said(subject)))
    return rows


def narrative_rows(narrative: str, notes: str, hint_code: str | None, known: list[IndexTuple]) -> list[IndexTuple]:
    """Officers the narrative or the handler's notes name whom the subject fields do not."""
    surnames = {row[0] for row in known}
    rows: list[IndexTuple] = []
    for field, text in (("narrative", narrative), ("handler's notes", notes)):
        for name, rank, quote, end in _people_at(text[:50_000]) if text else ():
            key = person_key(name, "", _place_after(text, end), ranked=bool(rank))
            if key.surname and key.surname not in surnames:
                surnames.add(key.surname)
                rows.append(index_tuple(key, hint_code or "", rank, field, quote))
    return rows
