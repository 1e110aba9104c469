"""Keeping the red-flag index: subject rows and identifiers for every report.

An import stores each bundle's rows with it (built where the bundle was read:
services/intake/rows.py). Reports stored before the index existed, or before a
migration asked for them again (``reports.subjects_indexed = 0``), are indexed on first
use. What the analyst settles in an assessment replaces the report's 'assessed' rows.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from typing import Any, Protocol

from hotline_tui.reference import force_by_code
from hotline_tui.services.redflags.extract import combine, extract, free_text
from hotline_tui.services.redflags.names import person_key
from hotline_tui.services.redflags.people import index_tuple, report_rows
from hotline_tui.services.redflags.spans import Identifier
from hotline_tui.services.session import Session
from hotline_tui.store import identifiers as identifier_store
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import Connection, transaction


class SubjectLike(Protocol):
    """What a subject needs for matching (``assessment.SubjectEntry`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def collar_number(self) -> str: ...
    @property
    def station(self) -> str: ...


def identifier_row(key: int, item: Identifier) -> tuple[int, str, str, str, str, str, str, str]:
    return (key, item.kind, item.value, item.whose, item.field, item.quote, item.detail, item.force)


def rows_of_document(document: dict[str, Any], hint: str | None) -> tuple[list[index_store.Row], list[Identifier]]:
    """A report's subject index rows and identifiers, as the import stores them."""
    return report_rows(document, hint), extract(document, hint)


class Prepared(Protocol):
    """What the index needs of an import_rows.PreparedBundle."""

    @property
    def reports(self) -> list[Any]: ...
    @property
    def search(self) -> list[tuple[str, str, str]]: ...
    @property
    def subjects(self) -> list[tuple[int, index_store.Row]]: ...
    @property
    def identifiers(self) -> list[tuple[int, Identifier]]: ...


# A report whose narrative is still to be read for identifiers: key, narrative, notes,
# hint code, what its structured fields said (stored with the rest).
_Pending = tuple[int, str, str, str | None, list[Identifier]]


class TextBacklog:
    """Reports an import has stored whose narrative and handler's notes are still to be
    read for identifiers.

    The reading process finds the people (subject fields, officers the narrative names)
    and the short fields' identifiers; the narratives' identifiers would make it the
    slower of the two. So the import stores each bundle's people at once, and reads its
    narratives here while it waits for the reading process to finish the next bundle
    (``work``), and whatever is left when the last bundle is stored (``drain``). Until
    then each bundle is marked pending (one row, store/subjects.py ``narratives_pending``):
    if the import stops half-way, the first use indexes its reports in full
    (``ensure_indexed``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: deque[_Pending] = deque()

    def add(self, first: int, bundle: Prepared) -> None:
        """Store a bundle's subject rows now (its people, named in any field); queue its
        narratives (its reports are keys ``first`` on, stored as indexed)."""
        people, structured = _by_position(bundle)
        rows: list[tuple[object, ...]] = []
        for position, (report, (narrative, _subjects, notes)) in enumerate(zip(bundle.reports, bundle.search, strict=True)):
            rows += [(first + position, "report", *row) for row in people.get(position, [])]
            self.pending.append((first + position, narrative, notes, report[6], structured.get(position, [])))
        index_store.insert_many(self.conn, rows)
        if bundle.reports:
            index_store.narratives_pending(self.conn, first, first + len(bundle.reports) - 1)

    def work(self, reports: int = 25) -> bool:
        """Read up to ``reports`` narratives and store what they say; whether any are left."""
        batch = [self.pending.popleft() for _ in range(min(reports, len(self.pending)))]
        said: list[tuple[int, str, str, str, str, str, str, str]] = []
        for key, narrative, notes, hint, structured in batch:
            said += [identifier_row(key, item) for item in combine(structured, free_text(narrative, notes, hint))]
        identifier_store.insert_many(self.conn, said)
        if batch:
            index_store.narratives_read(self.conn, batch[-1][0])
        return bool(self.pending)

    def drain(self) -> None:
        while self.work(500):
            pass


def _by_position(bundle: Prepared) -> tuple[dict[int, list[index_store.Row]], dict[int, list[Identifier]]]:
    people: dict[int, list[index_store.Row]] = {}
    for position, row in bundle.subjects:
        people.setdefault(position, []).append(row)
    structured: dict[int, list[Identifier]] = {}
    for position, item in bundle.identifiers:
        structured.setdefault(position, []).append(item)
    return people, structured


def index_new_reports(conn: Connection) -> int:
    """Index every report not yet in the subject index; call inside a transaction (the
    import's own, so a bundle and its index rows are stored together). Returns how many."""
    index_store.requeue_pending(conn)
    done = 0
    while True:
        batch = index_store.unindexed_reports(conn)
        if not batch:
            return done
        subject_rows: list[tuple[object, ...]] = []
        said: list[tuple[int, str, str, str, str, str, str, str]] = []
        for key, document, hint in batch:
            people, found = rows_of_document(json.loads(document), hint)
            subject_rows += [(key, "report", *row) for row in people]
            said += [identifier_row(key, item) for item in found]
        keys = [key for key, _, _ in batch]
        # An import that stopped half-way may have stored some of them already.
        conn.executemany("DELETE FROM identifiers WHERE report_key = ?", [(k,) for k in keys])
        conn.executemany("DELETE FROM subject_index WHERE report_key = ? AND source = 'report'", [(k,) for k in keys])
        index_store.insert_many(conn, subject_rows)
        identifier_store.insert_many(conn, said)
        index_store.mark_indexed(conn, keys)
        done += len(batch)


def index_assessed(conn: Connection, key: int, subjects: Iterable[SubjectLike], force: str | None) -> None:
    """Index the subjects as the analyst settled them (spelling, collar number, force)."""
    code = force if force and force_by_code(force) else ""
    rows = []
    for number, subject in enumerate(subjects, 1):
        found = person_key(subject.name, subject.collar_number, subject.station, ranked=bool(getattr(subject, "rank", "")))
        if not found.empty:
            rank = str(getattr(subject, "rank", "") or "")
            said = ", ".join(p for p in (f"{rank} {subject.name}".strip(), subject.collar_number, subject.station) if p)
            rows.append(index_tuple(found, code, rank, f"assessment subject {number}", said))
    index_store.replace_rows(conn, key, "assessed", rows)


def ensure_indexed(session: Session) -> None:
    """Index reports stored before the index existed (once, on first use)."""
    if index_store.any_unindexed(session.conn):
        with transaction(session.conn):
            index_new_reports(session.conn)
