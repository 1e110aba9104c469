"""The subject's file: everything the room holds about one person it has joined reports about.

The person is the report asked about and every report joined to it by confirmed links,
followed link to link (across forces and years). The file lists each report's receipt,
decision, referral and the outcomes its force sent, on one timeline; the names and
identifiers the reports gave (the subject's, never the reporter's own), each with the
reports that said it; and reports disposed of under retention that matched this one
(tokens.py). Read-only; for analysts and supervisors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from hotline_tui.reference import OUTCOME_STATUSES, force_by_code, label_of
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags.index import ensure_report_indexed
from hotline_tui.services.redflags.spans import SUBJECT
from hotline_tui.services.session import Session
from hotline_tui.store import assessments as assessment_store
from hotline_tui.store import identifiers as identifier_store
from hotline_tui.store import outcomes as outcome_store
from hotline_tui.store.connection import Connection

MAX_REPORTS = 200  # a file larger than this is cut (the count says so)
DECISIONS = {"refer": "referred", "no_further_action": "no further action", "duplicate": "duplicate",
             "information_only": "information only"}


@dataclass(frozen=True)
class Event:
    at: str        # ISO date and time
    reference: str
    force: str     # the force's name, or ""
    what: str


@dataclass(frozen=True)
class Seen:
    kind: str
    value: str
    detail: str
    said_in: tuple[str, ...]  # references of the reports that said it
    quote: str              # the words of the first that said it


@dataclass(frozen=True)
class SubjectFile:
    key: int                       # the report it was opened from
    reports: tuple[int, ...]
    references: tuple[str, ...]
    names: tuple[str, ...]         # each way the reports named the person
    forces: tuple[str, ...]
    events: tuple[Event, ...]
    identifiers: tuple[Seen, ...]
    cut: bool                      # more reports were joined than the file shows


def joined_reports(conn: Connection, key: int, limit: int = MAX_REPORTS) -> list[int]:
    """The report and every report joined to it by confirmed links, link to link."""
    seen, queue = {key}, deque([key])
    while queue and len(seen) < limit:
        for other, confirmed in assessment_store.links_of(conn, queue.popleft()).items():
            if confirmed and other not in seen:
                seen.add(other)
                queue.append(other)
    return sorted(seen)


def _force_name(code: str | None) -> str:
    force = force_by_code(code or "")
    return force.name if force else ""


def _events(conn: Connection, keys: list[int]) -> list[Event]:
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        "SELECT r.reference, r.received_at, r.channel, coalesce(r.force_code, r.hint_code), a.decision, a.decided_at,"
        " f.referral_id, f.reference, f.force_code, f.submitted_at, f.approved_at, f.sealed_at"
        " FROM reports r LEFT JOIN assessments a ON a.report_key = r.id"
        f" LEFT JOIN referrals f ON f.report_id = r.report_id WHERE r.id IN ({marks})",
        keys,
    ).fetchall()
    events: list[Event] = []
    for (reference, received, channel, force, decision, decided_at, referral_id, referral, referral_force,
         submitted, approved, sealed) in rows:
        name = _force_name(force)
        events.append(Event(received, reference, name, f"received ({channel})"))
        if decision and decided_at:
            events.append(Event(decided_at, reference, name, f"decided: {DECISIONS.get(decision, decision)}"))
        if referral_id:
            to = _force_name(referral_force)
            events.append(Event(submitted, reference, to, f"referral {referral} submitted"))
            if approved:
                events.append(Event(approved, reference, to, f"referral {referral} approved"))
            if sealed:
                events.append(Event(sealed, reference, to, f"referral {referral} sealed and sent"))
            for date, status, note, _imported in outcome_store.history(conn, referral_id):
                said = f"outcome: {label_of(OUTCOME_STATUSES, status)}" + (f": {note}" if note else "")
                events.append(Event(date, reference, to, said))
    return sorted(events, key=lambda e: (e.at, e.reference))


def _names(conn: Connection, keys: list[int]) -> list[str]:
    marks = ",".join("?" * len(keys))
    rows = conn.execute(f"SELECT DISTINCT quote FROM subject_index WHERE report_key IN ({marks}) AND quote != ''"
                        " ORDER BY quote", keys)
    return [str(row[0]) for row in rows][:20]


def _identifiers(conn: Connection, keys: list[int], references: dict[int, str]) -> list[Seen]:
    grouped: dict[tuple[str, str], list[identifier_store.Said]] = {}
    for said in identifier_store.of_reports(conn, keys):
        if said.whose == SUBJECT:
            grouped.setdefault((said.kind, said.value), []).append(said)
    seen = []
    for (kind, value), items in grouped.items():
        refs = tuple(sorted({references[s.report_key] for s in items}))
        detail = next((s.detail for s in items if s.detail), "")
        seen.append(Seen(kind, value, detail, refs, items[0].quote))
    return sorted(seen, key=lambda s: (-len(s.said_in), s.kind, s.value))


def subject_file(session: Session, key: int, also: Sequence[int] = ()) -> SubjectFile:
    """The file of the person report ``key`` is about, as far as confirmed links join it
    (and, from an escalation, the reports a shared identifier joined: ``also``)."""
    require(session, Action.ASSESS)
    ensure_report_indexed(session, key)
    conn = session.conn
    keys = sorted({k for start in (key, *also) for k in joined_reports(conn, start)})[:MAX_REPORTS]
    marks = ",".join("?" * len(keys))
    rows = conn.execute(f"SELECT id, reference, coalesce(force_code, hint_code) FROM reports WHERE id IN ({marks})", keys)
    references, forces = {}, set()
    for report_key, reference, force in rows:
        references[int(report_key)] = str(reference)
        if _force_name(force):
            forces.add(_force_name(force))
    return SubjectFile(
        key, tuple(keys), tuple(references[k] for k in keys if k in references), tuple(_names(conn, keys)),
        tuple(sorted(forces)), tuple(_events(conn, keys)), tuple(_identifiers(conn, keys, references)),
        len(keys) >= MAX_REPORTS,
    )
