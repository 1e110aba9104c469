"""How common a name is in the store: what makes a name strong or weak evidence.

"Dave Whitfield" in a room of a few thousand reports is one officer; "David Smith, PC,
the Met" in a room of a hundred thousand may be several. So a name's weight is not fixed:
it is how many *other* subjects the store would hold who agree that well by chance, the
expected namesakes, from what the store holds (kept in memory per session, topped up by
row id as reports are added):

    surname rows in the force x share of the forename (or initial) x share of the rank
        (x share of the force's subjects at the station, where both name one)

The surname's rows in a force are estimated from its rows in the *other* forces (scaled
by the force's share): a surname common everywhere is common in Kent too, while one
officer reported ten times in Kent does not make his own name common there.

A whole name, rank and force that few others share joins; the same words with a surname
hundreds of subjects carry need more beside them (a collar number, a station). Shares are
smoothed towards typical figures, so a near-empty store does not call everything rare or
everything common.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from hotline_tui.services.redflags.names import forename_key, initials_of, misspelt
from hotline_tui.services.session import Session
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import Connection

SIMILAR = 75  # rapidfuzz ratio from which two surnames are compared as perhaps misspelt (names.misspelt decides)
SURNAME_NEIGHBOURS = 25
# Typical shares where the store has few rows yet: one forename in 50, an initial in 20,
# one force in 43, one rank group in 3, one station in 20 of its force's.
PRIOR = {"forename": 1 / 50, "initial": 1 / 20, "force": 1 / 43, "rank": 1 / 3, "station": 1 / 20}
PRIOR_WEIGHT = 20  # rows' worth of belief in the typical share


@dataclass
class NameStats:
    """Counts of the subject index's surnames, forenames (by nickname group), initials,
    forces and ranks; followed by row id."""

    last_id: int = 0
    surnames: Counter[str] = field(default_factory=Counter)
    choices: list[str] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=lambda: {kind: Counter() for kind in PRIOR})
    rows: int = 0
    in_force: Counter[tuple[str, str]] = field(default_factory=Counter)
    near: dict[str, list[str]] = field(default_factory=dict)  # similar(), until new rows come
    places: dict[str, int] = field(default_factory=dict)  # reports naming each station, until new rows come
    fitting: dict[str, float] = field(default_factory=dict)  # fits_share(), until new rows come
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, conn: Connection) -> None:
        with self.lock:
            if index_store.last_id(conn) <= self.last_id:
                return
            rows = index_store.names_since(conn, self.last_id)
            if rows:
                self.last_id = max(self.last_id, max(row[0] for row in rows))
                self.add_many([row[1:] for row in rows])

    def add(self, surname: str, forename: str, initial: str, station: str, force: str, rank: str) -> None:
        """Count one subject (folded, as the subject index holds it)."""
        self.add_many([(surname, forename, initial, station, force, rank)])

    def add_many(self, rows: Sequence[Sequence[str]]) -> None:
        """Count subjects (surname, forename, initial, station, force, rank), column by column."""
        self.near, self.places, self.fitting = {}, {}, {}  # counted again from these rows on
        surnames, forenames, initials, stations, forces, ranks = zip(*rows, strict=True)
        for surname in Counter(surnames):
            if surname and surname not in self.surnames:
                self.choices.append(surname)
        self.surnames.update(surnames)
        self.in_force.update(zip(surnames, forces, strict=True))
        self.rows += len(rows)
        for name, count in Counter(forenames).items():
            self.counts["forename"][forename_key(name) if name else ""] += count
        for kind, column in (("initial", initials), ("station", stations), ("force", forces), ("rank", ranks)):
            self.counts[kind].update(column)
        for counts in (self.surnames, *self.counts.values()):
            counts.pop("", None)  # not given: agrees with nothing

    def similar(self, surname: str) -> list[str]:
        """Surnames in the store spelt like this one, as a slip would (Whitfeld: Whitfield)."""
        if surname not in self.near:
            found = process.extract(surname, self.choices, scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=SURNAME_NEIGHBOURS)
            self.near[surname] = [choice for choice, _score, _index in found if misspelt(surname, choice)]
        return self.near[surname]

    def surname_rows(self, *surnames: str) -> int:
        """Subjects in the store with the commonest of these surnames (at least one)."""
        return max(1, *(self.surnames.get(s, 0) for s in surnames))

    def surname_rows_in(self, surname: str, force: str, moved_from: str = "") -> float:
        """How many subjects of ``force`` (or, for an officer who may have moved from
        ``moved_from``, of every force but that one) would carry ``surname`` by chance,
        estimated from the rows in the forces where the officer in question is not."""
        apart = {force, moved_from} - {""}
        elsewhere = self.surnames.get(surname, 0) - sum(self.in_force.get((surname, f), 0) for f in apart)
        rest = max(0.05, 1 - sum(self.share("force", f) for f in apart))
        wanted = 1 - self.share("force", moved_from) if moved_from else self.share("force", force)
        return max(1, elsewhere) * wanted / rest

    def station_share(self, conn: Connection, station: str, force: str) -> float:
        """The share of a force's subjects said to work at ``station``: from the reports
        that name it anywhere (subject fields, "works out of ..."), against the force's."""
        if station not in self.places:
            row = conn.execute("SELECT count(DISTINCT report_key) FROM identifiers WHERE kind = 'station' AND value = ?",
                               (station,)).fetchone()
            self.places[station] = int(row[0]) if row else 0
        named = self.places[station] + PRIOR["station"] * PRIOR_WEIGHT
        return min(1.0, named / (self.rows + PRIOR_WEIGHT) / self.share("force", force)) if force else named / (
            self.rows + PRIOR_WEIGHT)

    def misspelt_rows(self, surname: str) -> int:
        """Subjects whose surname is this one or a near spelling of it: who a misspelt
        surname could as well be."""
        return sum(self.surnames.get(s, 0) for s in self.similar(surname)) or 1

    def fits_share(self, initial: str) -> float:
        """The share of subjects an initial could stand for: those with that initial, and
        those whose forename it fits through a short or formal form ('E.': Ted, Lisa)."""
        if initial not in self.fitting:
            through = sum(count for name, count in self.counts["forename"].items()
                          if name and name[0] != initial and initial in initials_of(name))
            self.fitting[initial] = self.share("initial", initial) + through / (self.rows + PRIOR_WEIGHT)
        return self.fitting[initial]

    def share(self, kind: str, value: str) -> float:
        """The share of all subjects whose ``kind`` (forename, initial, force, rank, station) is
        ``value``: of every subject, for one that does not give it cannot agree on it."""
        counts = self.counts[kind]
        key = forename_key(value) if kind == "forename" else value
        return (counts.get(key, 0) + PRIOR[kind] * PRIOR_WEIGHT) / (self.rows + PRIOR_WEIGHT)


_cache: weakref.WeakKeyDictionary[Session, NameStats] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def name_stats(session: Session) -> NameStats:
    with _cache_lock:
        stats = _cache.get(session)
        if stats is None:
            stats = _cache[session] = NameStats()
    stats.refresh(session.conn)
    return stats
