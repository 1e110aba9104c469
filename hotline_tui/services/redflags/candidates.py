"""Red-flag candidates: other reports that may be about the same person, each saying why.

Two kinds of evidence join reports. Names and collar numbers of subjects (matching.py,
through the subject index), and identifiers said anywhere in a report (the identifiers
table): the same registration, officer's phone, e-mail or handle, or warrant number is
strong on its own; the same collar number within one force too. Every reason quotes the
words of both reports.

The reporter's own details (their phone, their e-mail, their car) join reports as the
same reporter (again, or a campaign): offered apart, as ``relation == SAME_REPORTER``,
to the analyst only; they are never a link about the officer, never in a referral, and
the reporter's contact details themselves are never quoted (the reveal shows them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hotline_tui.reference import force_by_code
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags.commonness import NameStats, name_stats
from hotline_tui.services.redflags.index import SubjectLike, ensure_report_indexed
from hotline_tui.services.redflags.matching import THRESHOLD, PairEvidence, pair_evidence
from hotline_tui.services.redflags.moves import said_former_forces
from hotline_tui.services.redflags.names import PersonKey, is_given_name, nickname_forms, person_key
from hotline_tui.services.redflags.people import rank_group
from hotline_tui.services.redflags.spans import REPORTER, STRONG, SUBJECT
from hotline_tui.services.session import Session
from hotline_tui.store import assessments as assessment_store
from hotline_tui.store import identifiers as identifier_store
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import Connection
from hotline_tui.store.identifiers import Said
from hotline_tui.store.subjects import IndexRow, ReportSummary

SAME_PERSON, SAME_REPORTER = "same person", "same reporter"
IDENTIFIER_WEIGHT = {"registration": 0.8, "phone": 0.85, "email": 0.85, "handle": 0.8, "warrant": 0.85}
COLLAR_SAME_FORCE, COLLAR_FORCE_UNKNOWN = 0.6, 0.35
# A report that names no force, and a collar number the room knows in one force only: as
# far as the room knows, one officer carries it (offered at the threshold, saying so).
COLLAR_ONE_FORCE = 0.55
LABELS = {"registration": "registration", "phone": "phone number", "email": "e-mail address", "handle": "handle",
          "warrant": "warrant number", "collar": "collar number"}
PRIVATE_FIELDS = frozenset({"reporter's phone", "reporter's e-mail"})
COMMON_FROM = 50  # an identifier said in this many reports joins nothing (a switchboard, a fleet car)


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
    relation: str = SAME_PERSON


@dataclass
class _Evidence:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    collar: float = 0.0  # what a shared collar number added (counted once)


def _said(subject: SubjectLike) -> str:
    rank = str(getattr(subject, "rank", "") or "")
    parts = (f"{rank} {subject.name}".strip(), subject.collar_number, subject.station)
    return ", ".join(p for p in parts if p)


def _quote(text: str, where: str) -> str:
    if where in PRIVATE_FIELDS:
        return f"the {where} (not shown: reveal it on the report)"
    return f"\u201c{text}\u201d ({where})"


# -- names and collar numbers of subjects --------------------------------------------------


COMMON_ROWS = 300  # above this many rows of a surname and its neighbours, only fitting forenames are read


def _rows_for(conn: Connection, q: PersonKey, stats: NameStats, force: str) -> list[IndexRow]:
    rows = index_store.by_collar(conn, q.collar) if q.collar else []
    if q.surname:
        similar = stats.similar(q.surname) or [q.surname]
        common = sum(stats.surnames.get(name, 0) for name in similar) > COMMON_ROWS
        if q.forename and common and is_given_name(q.forename):
            # A different forename counts against anyway: of a common surname, read only those
            # that could fit (the same forename, a nickname of it, an initial, none). A forename
            # no list knows (Davo, Smudge) could be anyone's: read as if none were given.
            rows += index_store.by_surnames(conn, similar, sorted(nickname_forms(q.forename)), q.initial)
        elif common and force:
            # A common surname without a forename cannot join across forces: read its force's.
            rows += index_store.by_surnames(conn, similar, force=force)
        else:
            rows += index_store.by_surnames(conn, similar)
    return rows


def _queries(conn: Connection, key: int, subjects: Sequence[SubjectLike]) -> list[tuple[PersonKey, str, str]]:
    """(person, rank group, words quoted) for each subject the analyst has, and each
    officer the report names only in its narrative or notes."""
    queries = []
    for number, subject in enumerate(subjects, 1):
        q = person_key(subject.name, subject.collar_number, subject.station, ranked=bool(getattr(subject, "rank", "")))
        if not q.empty:
            queries.append((q, rank_group(str(getattr(subject, "rank", "") or "")), _quote(_said(subject), f"subject {number}")))
    for surname, forename, initial, station, rank, where, quote in index_store.narrative_people(conn, key):
        queries.append((PersonKey(surname, forename, initial, "", station), rank, _quote(quote, where)))
    return queries


def _name_matches(
    conn: Connection, key: int, subjects: Sequence[SubjectLike], force: str, stats: NameStats
) -> dict[int, tuple[float, tuple[str, ...], IndexRow, str]]:
    best: dict[int, tuple[float, tuple[str, ...], IndexRow, str]] = {}
    for q, q_rank, said in _queries(conn, key, subjects):
        found = [(evidence, row) for row in _rows_for(conn, q, stats, force) if row.report_key != key
                 for evidence in [pair_evidence(q, force, row, stats, q_rank)] if evidence]
        for evidence, row in _said_moves(conn, key, force, _same_places(conn, key, found, stats), stats):
            score, reasons = evidence.score()
            if score >= THRESHOLD and score > best.get(row.report_key, (0.0,))[0]:
                best[row.report_key] = (score, reasons, row, said)
    return best


PLACE_WORTH = 16.0  # expected namesakes beyond which a shared station cannot lift a name to the threshold


def _placeable(evidence: PairEvidence) -> bool:
    """Whether a shared station could lift this name to the threshold (nothing against it)."""
    return evidence.named and evidence.namesakes <= PLACE_WORTH and evidence.other >= 0


def _same_places(
    conn: Connection, key: int, found: list[tuple[PairEvidence, IndexRow]], stats: NameStats
) -> list[tuple[PairEvidence, IndexRow]]:
    """A name and a station or unit both reports name ("works out of Longsight", the
    subject's station): the name is that much rarer there, quoting both."""
    near = [row.report_key for evidence, row in found if _placeable(evidence)]
    if not near:
        return found
    places = identifier_store.stations_of(conn, [key, *near])
    mine = places.get(key, {})
    if not mine:
        return found
    placed = []
    for evidence, row in found:
        theirs = places.get(row.report_key, {})
        shared = sorted(set(mine) & set(theirs))
        if shared and _placeable(evidence) and f"same station {shared[0].title()}" not in evidence.reasons:
            place = shared[0]
            evidence = evidence.also(stats.station_share(conn, place, row.force), f"same station or unit {place.title()}: "
                                     f"{_quote(*mine[place])} / {_quote(*theirs[place])}")
        placed.append((evidence, row))
    return placed


def _said_moves(
    conn: Connection, key: int, force: str, found: list[tuple[PairEvidence, IndexRow]], stats: NameStats
) -> list[tuple[PairEvidence, IndexRow]]:
    """A name across two forces where either report says the officer came from the other
    force ("he used to be in Kent Police"): only that force's namesakes count, quoting it."""
    moved = [row.report_key for evidence, row in found if evidence.moved and row.force]
    if not moved:
        return found
    said = said_former_forces(conn, [key, *moved])
    placed = []
    for evidence, row in found:
        words = said.get(key, {}).get(row.force) or said.get(row.report_key, {}).get(force)
        if evidence.moved and words:
            where = "this report" if row.force in said.get(key, {}) else "that report"
            one_force = stats.share("force", row.force) / max(0.05, 1 - stats.share("force", force))
            evidence = evidence.said_moved(one_force, f"said to have moved ({where}): {_quote(words, 'narrative')}")
        placed.append((evidence, row))
    return placed


def _their_words(conn: Connection, keys: Sequence[int]) -> dict[tuple[int, str, str], tuple[str, str]]:
    """(report, surname, collar) -> (quote, field) of the subject rows of these reports."""
    words: dict[tuple[int, str, str], tuple[str, str]] = {}
    for report_key, surname, collar, where, quote, _source in index_store.words_of(conn, keys):
        words.setdefault((report_key, surname, collar), (quote, where))
    return words


# -- identifiers ---------------------------------------------------------------------------


def _identifier_score(kind: str, my_force: str, their_force: str, known_in: set[str]) -> float:
    """``known_in``: the forces of every report saying a collar number (this one's too)."""
    if kind != "collar":
        return IDENTIFIER_WEIGHT[kind]
    if my_force and their_force:
        return COLLAR_SAME_FORCE if my_force == their_force else 0.0
    return COLLAR_ONE_FORCE if len(known_in) == 1 else COLLAR_FORCE_UNKNOWN


def _one_force(known_in: set[str]) -> str:
    force = force_by_code(next(iter(known_in)))
    return f" (one report names no force; the room knows this number in {force.name if force else 'one force'} only)"


def _reason(mine: Said, theirs: Said, known_in: set[str] | None = None) -> str:
    label = LABELS[mine.kind]
    # A reporter's own identifiers are stored as tokens (store/identifiers.py): the quotes say them.
    private = mine.whose == REPORTER or mine.field in PRIVATE_FIELDS or theirs.field in PRIVATE_FIELDS
    shown = "" if private else f" {mine.value}"
    detail = next((d for d in (mine.detail, theirs.detail) if d and mine.kind in ("registration", "handle")), "")
    owner = "the reporter's own " if mine.whose == REPORTER else ""
    extra = f" ({detail})" if detail else _one_force(known_in) if known_in else ""
    return f"same {owner}{label}{shown}{extra}: {_quote(mine.quote, mine.field)} / {_quote(theirs.quote, theirs.field)}"


def _identifier_matches(
    conn: Connection, key: int, force: str
) -> tuple[dict[int, _Evidence], dict[int, _Evidence]]:
    """Evidence from identifiers: (about the same person, from the same reporter)."""
    person: dict[int, _Evidence] = {}
    reporter: dict[int, _Evidence] = {}
    mine = [s for s in identifier_store.of_report(conn, key) if s.kind in STRONG or s.kind == "collar"]
    for item in mine:
        others = [s for s in identifier_store.saying(conn, item.kind, item.value, COMMON_FROM)
                  if s.report_key != key and s.whose == item.whose]
        if len(others) >= COMMON_FROM:
            continue
        forces = identifier_store.report_forces(conn, [s.report_key for s in others]) if item.kind == "collar" else {}
        my_force = force or item.force
        theirs = {other.report_key: other.force or forces.get(other.report_key, "") for other in others}
        known_in = ({my_force} | set(theirs.values())) - {""}
        for other in others:
            score = _identifier_score(item.kind, my_force, theirs[other.report_key], known_in)
            if score <= 0:
                continue
            found = (person if item.whose == SUBJECT else reporter).setdefault(other.report_key, _Evidence())
            found.score += score
            if item.kind == "collar":
                found.collar = max(found.collar, score)
            found.reasons.append(_reason(item, other, known_in if score == COLLAR_ONE_FORCE else None))
    return person, reporter


# -- together ----------------------------------------------------------------------------------


OUTCOME_LABELS = {"no_further_action": "no further action", "duplicate": "duplicate", "information_only": "information only"}


def _outcome(summary: ReportSummary) -> str | None:
    if summary.referral_state:
        return f"referral {summary.referral_state.replace('_', ' ')}"
    return OUTCOME_LABELS.get(summary.decision or "")


def _query_force(conn: Connection, key: int, force: str | None) -> str:
    if force and force_by_code(force):
        return force
    row = conn.execute("SELECT coalesce(force_code, hint_code) FROM reports WHERE id = ?", (key,)).fetchone()
    return str(row[0]) if row and row[0] and force_by_code(str(row[0])) else ""


def _person_evidence(
    conn: Connection, key: int, subjects: Sequence[SubjectLike], force: str, stats: NameStats
) -> tuple[dict[int, _Evidence], dict[int, _Evidence]]:
    person, reporter = _identifier_matches(conn, key, force)
    names = _name_matches(conn, key, subjects, force, stats)
    words = _their_words(conn, list(names))
    for other, (score, reasons, row, said) in names.items():
        evidence = person.setdefault(other, _Evidence())
        if evidence.collar and any(why.startswith("same collar number") for why in reasons):
            evidence.score -= evidence.collar  # one collar number, counted once
        quote, where = words.get((other, row.surname, row.collar), ("", ""))
        quoted = [f"{said} / {_quote(quote, where)}"] if quote else []
        evidence.score += score
        evidence.reasons[0:0] = [*reasons, *quoted]
    return person, reporter


def candidates(
    session: Session, key: int, subjects: Sequence[SubjectLike], force: str | None, limit: int = 20
) -> list[Candidate]:
    """Other reports that may be about the same person as ``subjects`` (or given by the
    same reporter), best first, each with why; decided links are always included."""
    require(session, Action.ASSESS)
    conn = session.conn
    ensure_report_indexed(session, key)
    q_force = _query_force(conn, key, force)
    person, reporter = _person_evidence(conn, key, subjects, q_force, name_stats(session))
    best = {k: e for k, e in person.items() if e.score >= THRESHOLD}
    links = assessment_store.links_of(conn, key)
    for other in links:
        best.setdefault(other, _Evidence(0.0, ["linked earlier"]))
    ranked = sorted(best.items(), key=lambda item: (-(links.get(item[0]) is True), -item[1].score, item[0]))[:limit]
    same_reporter = sorted(((k, e) for k, e in reporter.items() if k not in best),
                           key=lambda item: (-item[1].score, item[0]))[: max(0, limit - len(ranked))]
    chosen = [*((k, e, SAME_PERSON) for k, e in ranked), *((k, e, SAME_REPORTER) for k, e in same_reporter)]
    found = index_store.summaries(conn, [k for k, _, _ in chosen])
    return [_candidate(found[k], e, links.get(k) if relation == SAME_PERSON else None, relation)
            for k, e, relation in chosen if k in found]


def _candidate(summary: ReportSummary, evidence: _Evidence, link: bool | None, relation: str) -> Candidate:
    state = None if link is None else "confirmed" if link else "rejected"
    return Candidate(summary.key, summary.reference, summary.received_at, summary.status, _outcome(summary),
                     summary.force, tuple(evidence.reasons), round(min(evidence.score, 1.0), 3), state, relation)
