"""Red flags: other reports that may be about the same person, and the analyst's verdicts.

Finding candidates is blocking plus scoring. Blocking keys, each cheap at 100,000
reports: the collar number (an index), and the surname, exact or close (rapidfuzz over
the distinct surnames, kept in memory per session and topped up as rows are added).
Every row found is then scored field by field against each subject the analyst has:

- same collar number and force (strong); same collar number where a force is unknown;
- surname the same or close (rapidfuzz ratio >= 85: Whitfeld, Whitfield), worth more the
  rarer the surname; a clearly different surname counts against;
- forename the same, a nickname of it (Dave, David: ``names.NICKNAME_GROUPS``), an
  initial that fits ("D. Whitfield"), or a typo of it; a different forename counts against;
- same station; same force (a different force counts against, but the officer may have
  moved, so it does not exclude).

A row is a candidate at ``THRESHOLD`` and above; each candidate says why it matched.
Reports are compared whatever their force, and earlier or later than this one: the
queue is not worked strictly in order. Links the analyst already decided are always
shown.
"""

from __future__ import annotations

import json
import math
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from hotline_tui.errors import Refused
from hotline_tui.reference import force_by_code
from hotline_tui.services import audit
from hotline_tui.services.force_hints import match_force_hint
from hotline_tui.services.names import PersonKey, forename_key, forenames_match, initial_fits, person_key
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import assessments as assessment_store
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import Connection, transaction
from hotline_tui.store.subjects import IndexRow, ReportSummary

THRESHOLD = 0.55
SIMILAR = 85  # rapidfuzz ratio at which two names count as the same name misspelt
SAME_START = 0.85  # Jaro-Winkler above which two different surnames do not count against
SURNAME_NEIGHBOURS = 25
COLLAR_AND_FORCE = 0.6
COLLAR_ONLY = 0.35
SURNAME_BASE, SURNAME_RARE = 0.3, 0.25
SURNAME_CLASH = -0.3
FORENAME_SAME, FORENAME_NEAR, INITIAL_FITS = 0.2, 0.1, 0.1
FORENAME_CLASH, INITIAL_CLASH = -0.25, -0.2
STATION_SAME = 0.15
FORCE_SAME, FORCE_DIFFERENT = 0.1, -0.2


class SubjectLike(Protocol):
    """What a subject needs for matching (``assessment.SubjectEntry`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def collar_number(self) -> str: ...
    @property
    def station(self) -> str: ...


@dataclass(frozen=True)
class Candidate:
    key: int
    reference: str
    received_at: str
    status: str
    outcome: str | None
    force: str | None
    reasons: tuple[str, ...]
    score: float
    link: str | None  # 'confirmed' | 'rejected' | None


# -- the index ---------------------------------------------------------------------------


IndexTuple = tuple[str, str, str, str, str, str, str]


def index_tuple(key: PersonKey, force: str) -> IndexTuple:
    return (key.surname, key.forename, forename_key(key.forename) if key.forename else "", key.initial,
            key.collar, key.station, force)


def _report_rows(document: dict[str, Any], hint_code: str | None) -> list[IndexTuple]:
    rows: list[IndexTuple] = []
    for subject in document.get("subjects") or []:
        if not isinstance(subject, dict):
            continue
        key = person_key(*(str(subject.get(k) or "") for k in ("name", "collar_number", "station")))
        if key.empty:
            continue
        force = match_force_hint(str(subject.get("force_hint") or "")) or hint_code or ""
        rows.append(index_tuple(key, force))
    return rows


def index_new_reports(conn: Connection) -> int:
    """Index every report not yet in the subject index; call inside a transaction (the
    import's own, so a bundle and its index rows are stored together). Returns how many."""
    done = 0
    while True:
        batch = index_store.unindexed_reports(conn)
        if not batch:
            return done
        rows = [
            (key, "report", *row)
            for key, document, hint in batch
            for row in _report_rows(json.loads(document), hint)
        ]
        index_store.insert_many(conn, rows)
        index_store.mark_indexed(conn, [key for key, _, _ in batch])
        done += len(batch)


def index_assessed(conn: Connection, key: int, subjects: Iterable[SubjectLike], force: str | None) -> None:
    """Index the subjects as the analyst settled them (spelling, collar number, force)."""
    code = force if force and force_by_code(force) else ""
    keys = [person_key(s.name, s.collar_number, s.station) for s in subjects]
    index_store.replace_rows(conn, key, "assessed", [index_tuple(k, code) for k in keys if not k.empty])


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


def ensure_indexed(session: Session) -> None:
    """Index reports stored before the index existed (once, on first use)."""
    if index_store.any_unindexed(session.conn):
        with transaction(session.conn):
            index_new_reports(session.conn)


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


def _place_score(q: PersonKey, q_force: str, c: IndexRow) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    if q.station and q.station == c.station:
        score += STATION_SAME
        reasons.append(f"same station {_title(c.station)}")
    if q_force and c.force:
        if q_force == c.force:
            score += FORCE_SAME
            reasons.append("same force")
        else:
            score += FORCE_DIFFERENT
    return score, reasons


def score_pair(q: PersonKey, q_force: str, c: IndexRow, rarity: float) -> tuple[float, tuple[str, ...]]:
    """How likely two subjects are one person, and why; no name or collar evidence, no match."""
    collar, collar_why = _collar_score(q, q_force, c)
    surname, surname_why = _surname_score(q, c, rarity)
    forename, forename_why = _forename_score(q, c)
    if collar <= 0 and surname <= 0:
        return 0.0, ()
    place, place_why = _place_score(q, q_force, c)
    if collar_why:
        place_why = [why for why in place_why if why != "same force"]
    reasons = tuple(why for why in (collar_why, surname_why, forename_why, *place_why) if why)
    return round(collar + surname + forename + place, 3), reasons


# -- candidates --------------------------------------------------------------------------


def _query_keys(subjects: Sequence[SubjectLike]) -> list[PersonKey]:
    keys = [person_key(s.name, s.collar_number, s.station) for s in subjects]
    return [k for k in keys if not k.empty]


def _rows_for(conn: Connection, q: PersonKey, surnames: _Surnames) -> list[IndexRow]:
    rows = index_store.by_collar(conn, q.collar) if q.collar else []
    if q.surname:
        rows += index_store.by_surnames(conn, surnames.similar(q.surname) or [q.surname])
    return rows


def _best_matches(
    conn: Connection, key: int, keys: list[PersonKey], force: str, surnames: _Surnames
) -> dict[int, tuple[float, tuple[str, ...]]]:
    best: dict[int, tuple[float, tuple[str, ...]]] = {}
    for q in keys:
        for row in _rows_for(conn, q, surnames):
            if row.report_key == key:
                continue
            rarity = min(surnames.rarity(q.surname), surnames.rarity(row.surname))
            score, reasons = score_pair(q, force, row, rarity)
            if score >= THRESHOLD and score > best.get(row.report_key, (0.0, ()))[0]:
                best[row.report_key] = (score, reasons)
    return best


OUTCOME_LABELS = {
    "no_further_action": "no further action",
    "duplicate": "duplicate",
    "information_only": "information only",
}


def _outcome(summary: ReportSummary) -> str | None:
    if summary.referral_state:
        return f"referral {summary.referral_state.replace('_', ' ')}"
    return OUTCOME_LABELS.get(summary.decision or "")


def _candidate(summary: ReportSummary, score: float, reasons: tuple[str, ...], link: bool | None) -> Candidate:
    state = None if link is None else "confirmed" if link else "rejected"
    return Candidate(summary.key, summary.reference, summary.received_at, summary.status, _outcome(summary),
                     summary.force, reasons, score, state)


def _query_force(conn: Connection, key: int, force: str | None) -> str:
    if force and force_by_code(force):
        return force
    row = conn.execute("SELECT coalesce(force_code, hint_code) FROM reports WHERE id = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] and force_by_code(str(row[0])) else ""


def candidates(
    session: Session, key: int, subjects: Sequence[SubjectLike], force: str | None, limit: int = 20
) -> list[Candidate]:
    """Other reports that may be about the same person as ``subjects``, best first, each
    with why; reports whose link the analyst decided are always included."""
    require(session, Action.ASSESS)
    conn = session.conn
    ensure_indexed(session)
    surnames = _surnames(session)
    best = _best_matches(conn, key, _query_keys(subjects), _query_force(conn, key, force), surnames)
    links = assessment_store.links_of(conn, key)
    for other in links:
        best.setdefault(other, (0.0, ("linked earlier",)))
    ranked = sorted(best.items(), key=lambda item: (-(links.get(item[0]) is True), -item[1][0], item[0]))
    chosen = ranked[:limit]
    found = index_store.summaries(conn, [k for k, _ in chosen])
    return [_candidate(found[k], score, why, links.get(k)) for k, (score, why) in chosen if k in found]


# -- the analyst's verdict ---------------------------------------------------------------


def decide_link(session: Session, key: int, other_key: int, confirmed: bool) -> None:
    """Confirm or reject that two reports are about the same person. Only the analyst who
    holds ``key`` decides; both reports' red-flag counts follow."""
    require(session, Action.ASSESS)
    if key == other_key:
        raise Refused("A report cannot be linked to itself.")
    conn = session.conn
    with transaction(conn):
        mine = assessment_store.report_head(conn, key)
        other = assessment_store.report_head(conn, other_key)
        if mine is None or other is None:
            raise Refused("That report is no longer in the store.")
        if mine.assigned_to != session.user.name or mine.status != "in_assessment":
            raise Refused(f"Take report {mine.reference} first: only the analyst assessing it decides its red flags.")
        assessment_store.set_link(conn, key, other_key, confirmed, session.user.name, session.now())
        assessment_store.refresh_red_flag_count(conn, key)
        assessment_store.refresh_red_flag_count(conn, other_key)
        verdict = "confirmed" if confirmed else "rejected"
        audit.record(conn, session.user.name, f"redflag.{verdict}", f"reports {mine.reference} and {other.reference}",
                     f"same person {verdict} by the analyst", at=session.now())


def confirmed_links(conn: Connection, key: int) -> list[int]:
    return sorted(other for other, confirmed in assessment_store.links_of(conn, key).items() if confirmed)
