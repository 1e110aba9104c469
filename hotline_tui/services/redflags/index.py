"""Keeping the red-flag index: subject rows and identifiers for every report.

An import stores each bundle's reports with one pending range (store/subjects.py
``narratives_pending``) and only the reporter object's own contact details as
identifiers (the stored document no longer holds them: they are sealed); every other
red-flag row is made after the import has committed (``index_some``, run by
services/redflags/indexing.py). Reports a migration asked for again
(``reports.subjects_indexed = 0``) are indexed the same way. A reader that needs one
report's rows before the indexing reaches it indexes that report at once
(``ensure_report_indexed``). What the analyst settles in an assessment replaces the
report's 'assessed' rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from hotline_tui.reference import force_by_code
from hotline_tui.services.redflags.extract import extract
from hotline_tui.services.redflags.names import person_key
from hotline_tui.services.redflags.people import index_tuple, report_rows
from hotline_tui.services.redflags.spans import REPORTER, SUBJECT, Identifier
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


# (key, document as stored, hint code) of a report to index
Stored = tuple[int, str, str | None]


def _theirs(conn: Connection, keys: list[int]) -> dict[int, dict[str, str]]:
    """report -> field -> token of the reporter object's own contact details, as stored at import."""
    marks = ",".join("?" * len(keys))
    found: dict[int, dict[str, str]] = {}
    for key, field, value in conn.execute(
        f"SELECT report_key, field, value FROM identifiers WHERE report_key IN ({marks}) AND field IN (?, ?)",
        [*keys, *sorted(identifier_store.REPORTER_OBJECT_FIELDS)],
    ):
        found.setdefault(int(key), {})[str(field)] = str(value)
    return found


def _rows_of(key: int, found: list[Identifier], kept: dict[str, str], secret: bytes | None) -> list[identifier_store.Row]:
    """A report's identifier rows: what its document says, less the reporter object's
    details stored at import, and a phone or e-mail the reporter gave as their own there
    theirs wherever else the report says it."""
    tokens = set(kept.values())
    rows = []
    for item in found:
        if item.field in kept:
            continue  # stored at import, from the document as it came in
        if (tokens and secret is not None and item.whose == SUBJECT and item.kind in ("phone", "email")
                and identifier_store.token_of(secret, item.kind, item.value) in tokens):
            item = item._replace(whose=REPORTER)
        rows.append(identifier_row(key, item))
    return rows


@dataclass
class Made:
    """The red-flag rows of some reports, made (the slow part: reading their words) before
    the transaction that stores them, which then holds the write lock only to write."""

    keys: list[int]
    people: list[tuple[object, ...]]
    said: list[identifier_store.Row]
    taken: tuple[int, int] | None = None  # the pending range they are the start of, or None: reports marked

    @property
    def size(self) -> int:
        """How many pending reports they settle (a range's keys of deleted reports too)."""
        return self.taken[1] - self.taken[0] + 1 if self.taken is not None else len(self.keys)


# (key, subject index rows, identifiers) of one report, read from its words
Words = tuple[int, list[index_store.Row], list[Identifier]]


def read_words(stored: list[Stored]) -> list[Words]:
    """Read reports' words for people and identifiers: pure, the slow part (a child
    process of the indexing may run it: services/redflags/indexing.py)."""
    return [(key, *rows_of_document(json.loads(document), hint)) for key, document, hint in stored]


def assemble(conn: Connection, words: list[Words], taken: tuple[int, int] | None = None) -> Made:
    """The rows to store for what ``read_words`` read (no write)."""
    keys = [key for key, _, _ in words]
    kept = _theirs(conn, keys) if keys else {}
    secret = identifier_store.token_key(conn) if kept else None
    made = Made(keys, [], [], taken)
    for key, people, found in words:
        made.people += [(key, "report", *row) for row in people]
        made.said += _rows_of(key, found, kept.get(key, {}), secret)
    return made


def make_rows(conn: Connection, stored: list[Stored], taken: tuple[int, int] | None = None) -> Made:
    """Read these reports' words for people and identifiers (no write)."""
    return assemble(conn, read_words(stored), taken)


def store_rows(conn: Connection, made: Made) -> bool:
    """Store rows ``make_rows`` made, inside the caller's transaction, in place of any the
    reports have (a stopped indexing of an earlier version may have left some), and mark
    them indexed; False, storing nothing, when they are no longer pending (another
    session's reader or indexing got there first)."""
    if made.taken is not None and not index_store.range_starts(conn, *made.taken):
        return False
    if made.taken is None and made.keys and not index_store.all_marked(conn, made.keys):
        return False
    _write(conn, made)
    if made.taken is not None:
        index_store.range_done(conn, *made.taken)
    else:
        index_store.mark_indexed(conn, made.keys)
    return True


def _write(conn: Connection, made: Made) -> None:
    identifier_store.delete_of_reports(conn, made.keys)
    index_store.delete_report_rows(conn, made.keys)
    index_store.insert_many(conn, made.people)
    identifier_store.insert_many(conn, made.said)


def index_reports(conn: Connection, stored: list[Stored]) -> None:
    """Make and store the red-flag rows of these reports (inside the caller's transaction;
    the caller marks them indexed)."""
    _write(conn, make_rows(conn, stored))


# Pending reports to index together: the part of a pending range they are (None: reports
# marked), and each one's (key, document, hint code)
Slice = tuple[tuple[int, int] | None, list[Stored]]


def next_slices(conn: Connection, limit: int = 250, count: int = 1) -> list[Slice]:
    """The next ``count`` slices of at most ``limit`` pending reports (read outside any
    transaction): the start of the lowest pending range, else reports marked."""
    taken, stored = index_store.pending_reports(conn, limit * count)
    if taken is None:
        stored = index_store.unindexed_reports(conn, limit * count)
        return [(None, stored[at : at + limit]) for at in range(0, len(stored), limit)]
    first, through = taken
    return [((start, min(through, start + limit - 1)), [s for s in stored if start <= s[0] < start + limit])
            for start in range(first, through + 1, limit)]


def next_rows(conn: Connection, limit: int = 250) -> Made | None:
    """The rows of up to ``limit`` pending reports, made (outside any transaction); None
    when none is left."""
    found = next_slices(conn, limit)
    return make_rows(conn, found[0][1], found[0][0]) if found else None


def index_some(conn: Connection, limit: int = 250) -> int:
    """Index up to ``limit`` pending reports inside the caller's transaction; how many (0:
    none was left)."""
    made = next_rows(conn, limit)
    if made is None:
        return 0
    store_rows(conn, made)
    return made.size


def index_bundle(conn: Connection, first: int, last: int) -> None:
    """Index one bundle's reports (keys ``first``..``last``) now, inside the caller's
    transaction (a single bundle released from quarantine)."""
    index_reports(conn, list(conn.execute("SELECT id, document, hint_code FROM reports WHERE id BETWEEN ? AND ?",
                                          (first, last))))
    index_store.range_done(conn, first, last)


def index_new_reports(conn: Connection) -> int:
    """Index every pending report, inside the caller's transaction (retention, which keeps
    tokens of what it deletes, needs every row first). Returns how many."""
    done = 0
    while True:
        count = index_some(conn, 2_000)
        if not count:
            return done
        done += count


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
    """Index every pending report now (the caller needs all of them)."""
    if index_store.any_unindexed(session.conn):
        with transaction(session.conn):
            index_new_reports(session.conn)


def reports_not_indexed(session: Session) -> int:
    """How many reports the indexing has not reached yet (candidates cannot offer them)."""
    return index_store.pending_count(session.conn)


# Reports pending at most this many, a reader makes them all at once (a third of a second
# at most); more (a large import being indexed), only the report it reads, and the screens
# say how many are still to come (services/redflags/indexing.py ``Indexer.line``).
AT_ONCE = 2_000


def ensure_report_indexed(session: Session, key: int) -> bool:
    """Before a reader uses a report's rows: if the indexing has not reached it yet, make
    them now; when few reports are pending, those of every one (the reports it is compared
    with); whether it was pending."""
    left = index_store.pending_count(session.conn)
    if not left:  # the usual case: two queries, nothing to do
        return False
    pending = index_store.is_pending(session.conn, key)
    if left <= AT_ONCE:  # the others too: what it is compared with
        ensure_indexed(session)
        return pending
    if not pending:
        return False
    with transaction(session.conn) as conn:
        if not index_store.is_pending(conn, key):  # the indexing reached it meanwhile
            return False
        found = conn.execute("SELECT id, document, hint_code FROM reports WHERE id = ?", (key,)).fetchall()
        index_reports(conn, found)
        index_store.take_out(conn, key)
        index_store.mark_indexed(conn, [key])
    return True
