"""Scoring two subjects as one person: names, collar numbers, stations, forces, ranks.

Blocking keys, each cheap at 100,000 reports: the collar number (an index), and the
surname, exact or close (rapidfuzz over the distinct surnames, kept in memory per
session and topped up as rows are added). Every row found is then scored field by field
against each subject the analyst has:

- same collar number and force (strong); same collar number where a force is unknown;
- surname the same or close (rapidfuzz ratio >= 85: Whitfeld, Whitfield), worth more the
  rarer the surname; a clearly different surname counts against;
- forename the same, a nickname of it (Dave, David: ``names.NICKNAME_GROUPS``), an
  initial that fits ("D. Whitfield"), or a typo of it; a different forename counts against;
- same station; same rank group (a different one counts against); same force. A
  different force counts against, except where the whole name and the rank agree: the
  officer may have moved force and been given a new collar number, and that is offered,
  at lower strength, saying so.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from hotline_tui.reference import force_by_code
from hotline_tui.services.names import PersonKey, forenames_match, initial_fits
from hotline_tui.services.session import Session
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import Connection
from hotline_tui.store.subjects import IndexRow

THRESHOLD = 0.55
SIMILAR = 85  # rapidfuzz ratio at which two names count as the same name misspelt
SAME_START = 0.85  # Jaro-Winkler above which two different surnames do not count against
SURNAME_NEIGHBOURS = 25
COLLAR_AND_FORCE = 0.6
COLLAR_ONLY = 0.35
SURNAME_BASE, SURNAME_RARE = 0.3, 0.25
SURNAME_CLASH = -0.3
SURNAME_ALONE = 0.2  # taken off a surname matched with no forename or collar number, the more the commoner
FORENAME_SAME, FORENAME_NEAR, INITIAL_FITS = 0.2, 0.1, 0.1
FORENAME_CLASH, INITIAL_CLASH = -0.25, -0.2
STATION_SAME = 0.15
FORCE_SAME, FORCE_DIFFERENT, FORCE_MOVED = 0.1, -0.2, -0.05
RANK_SAME, RANK_CLASH = 0.05, -0.1
COMMON, COMMON_NAME = 0.35, 0.1  # below this rarity a whole name needs a station or collar number beside it


@dataclass
class _Surnames:
    """Distinct surnames and how many subjects carry each, followed by row id."""

    last_id: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    choices: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, conn: Connection) -> None:
        with self.lock:
            if index_store.last_id(conn) <= self.last_id:
                return
            for row_id, surname in index_store.surnames_since(conn, self.last_id):
                if surname not in self.counts:
                    self.choices.append(surname)
                self.counts[surname] += 1
                self.last_id = max(self.last_id, row_id)

    def similar(self, surname: str) -> list[str]:
        found = process.extract(surname, self.choices, scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=SURNAME_NEIGHBOURS)
        return [choice for choice, _score, _index in found]

    def rarity(self, surname: str) -> float:
        """1 for a surname few subjects have, falling to 0 at a few hundred."""
        count = max(self.counts.get(surname, 0), 1)
        return max(0.0, min(1.0, 1 - math.log(count / 3) / math.log(100)))


_surname_cache: weakref.WeakKeyDictionary[Session, _Surnames] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def _surnames(session: Session) -> _Surnames:
    with _cache_lock:
        cache = _surname_cache.get(session)
        if cache is None:
            cache = _surname_cache[session] = _Surnames()
    cache.refresh(session.conn)
    return cache


# -- scoring -----------------------------------------------------------------------------


def _title(text: str) -> str:
    return " ".join(word.capitalize() for word in text.split())


def _collar_score(q: PersonKey, q_force: str, c: IndexRow) -> tuple[float, str]:
    if not q.collar or q.collar != c.collar:
        return 0.0, ""
    if q_force and c.force:
        return (COLLAR_AND_FORCE, f"same collar number {q.collar} and force") if q_force == c.force else (0.0, "")
    return COLLAR_ONLY, f"same collar number {q.collar} (force not known for both)"


def _surname_score(q: PersonKey, c: IndexRow, rarity: float) -> tuple[float, str]:
    if not q.surname or not c.surname:
        return 0.0, ""
    weight = SURNAME_BASE + SURNAME_RARE * rarity
    if q.surname == c.surname:
        return weight, f"same surname {_title(c.surname)}"
    if fuzz.ratio(q.surname, c.surname) >= SIMILAR:
        return 0.75 * weight, f"similar surname {_title(c.surname)} ~ {_title(q.surname)}"
    if JaroWinkler.normalized_similarity(q.surname, c.surname) >= SAME_START:
        return 0.0, ""  # Haverford, Haverfield: maybe a slip, maybe another name; neither for nor against
    return SURNAME_CLASH, ""


def _forename_score(q: PersonKey, c: IndexRow) -> tuple[float, str]:
    if q.forename and c.forename:
        if q.forename == c.forename:
            return FORENAME_SAME, f"same forename {_title(c.forename)}"
        if forenames_match(q.forename, c.forename):
            return FORENAME_SAME, f"nickname {_title(c.forename)} = {_title(q.forename)}"
        if fuzz.ratio(q.forename, c.forename) >= SIMILAR:
            return FORENAME_NEAR, f"similar forename {_title(c.forename)} ~ {_title(q.forename)}"
        return FORENAME_CLASH, ""
    if q.initial and c.initial and (q.forename or c.forename):
        full, initial = (q.forename, c.initial) if q.forename else (c.forename, q.initial)
        if initial_fits(initial, full):
            return INITIAL_FITS, f"initial {initial.upper()}. fits {_title(full)}"
        return INITIAL_CLASH, ""
    if q.initial and c.initial:
        return (INITIAL_FITS, f"same initial {q.initial.upper()}.") if q.initial == c.initial else (INITIAL_CLASH, "")
    return 0.0, ""


def _force_name(code: str) -> str:
    force = force_by_code(code)
    return force.name if force else code


def _place_score(q: PersonKey, q_force: str, c: IndexRow, whole_name: bool) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    if q.station and q.station == c.station:
        score += STATION_SAME
        reasons.append(f"same station {_title(c.station)}")
    if q_force and c.force:
        if q_force == c.force:
            score += FORCE_SAME
            reasons.append("same force")
        elif whole_name:
            score += FORCE_MOVED
            reasons.append(f"different force ({_force_name(c.force)}, now {_force_name(q_force)}): may have moved")
        else:
            score += FORCE_DIFFERENT
    return score, reasons


def _rank_score(q_rank: str, c: IndexRow) -> tuple[float, str]:
    if not q_rank or not c.rank:
        return 0.0, ""
    return (RANK_SAME, f"same rank ({q_rank})") if q_rank == c.rank else (RANK_CLASH, "")


def score_pair(
    q: PersonKey, q_force: str, c: IndexRow, rarity: float, q_rank: str = ""
) -> tuple[float, tuple[str, ...]]:
    """How likely two subjects are one person, and why; no name or collar evidence, no
    match. ``q_rank`` is the rank group (people.rank_group) of the query subject."""
    collar, collar_why = _collar_score(q, q_force, c)
    surname, surname_why = _surname_score(q, c, rarity)
    forename, forename_why = _forename_score(q, c)
    if collar <= 0 and surname <= 0:
        return 0.0, ()
    rank, rank_why = _rank_score(q_rank, c)
    if forename == 0 and collar <= 0:  # a surname and nothing to set beside it: worth what its rarity says
        surname -= SURNAME_ALONE * (1 - rarity)
    whole_name = surname > 0 and forename >= FORENAME_SAME and rank >= 0
    place, place_why = _place_score(q, q_force, c, whole_name)
    if collar_why:
        place_why = [why for why in place_why if why != "same force"]
    reasons = tuple(why for why in (collar_why, surname_why, forename_why, rank_why, *place_why) if why)
    if rarity < COMMON and collar <= 0 and not (q.station and q.station == c.station):
        place -= COMMON_NAME  # "David Smith, PC, the Met" alone fits many officers: it needs a station or number
    return round(collar + surname + forename + rank + place, 3), reasons
