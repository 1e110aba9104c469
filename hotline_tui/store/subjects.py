"""The subject index: one row per person a report is about, for red-flag matching.

Filled when a bundle is imported (in the import's transaction), and lazily for reports
stored before the index existed (``reports.subjects_indexed = 0``, found through a
partial index, so the check costs nothing once everything is indexed). Rows with
``source = 'assessed'`` hold what the analyst settled (spelling, collar number, force).
The blocking keys are the collar number and the surname (fuzzy, through an in-memory
list of distinct surnames); the other columns only score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline_tui.store.connection import Connection

SCHEMA = """
ALTER TABLE reports ADD COLUMN subjects_indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reports_subjects_unindexed ON reports (id) WHERE subjects_indexed = 0;

CREATE TABLE subject_index (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a cache can follow new rows by id
    report_key INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('report', 'assessed')),
    surname TEXT NOT NULL DEFAULT '',
    forename TEXT NOT NULL DEFAULT '',
    forename_key TEXT NOT NULL DEFAULT '',   -- the nickname group's formal name: Dave -> david
    initial TEXT NOT NULL DEFAULT '',
    collar TEXT NOT NULL DEFAULT '',
    station TEXT NOT NULL DEFAULT '',
    force TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX subject_index_report ON subject_index (report_key, source);
-- Covering indexes: the rows of one surname or collar number are read from adjacent index
-- pages, never from the table (each page read is a decryption).
CREATE INDEX subject_index_surname ON subject_index (surname, report_key, forename, initial, collar, station, force)
    WHERE surname != '';
CREATE INDEX subject_index_collar ON subject_index (collar, report_key, surname, forename, initial, station, force)
    WHERE collar != '';
"""

# Migration: an import stores a bundle's reports with one row here (report keys first..last)
# instead of their red-flag rows: those are made after the import has committed, off its
# critical path (services/redflags/indexing.py), in small transactions that shrink the
# range. A range left by an import or an indexing that stopped (killed, locked) is what
# remains to do: the next indexing resumes from it. (The rows of the reporter object's own
# contact details are stored at import: the stored document no longer holds them.)
NARRATIVES_PENDING = """
CREATE TABLE narratives_pending (
    first INTEGER NOT NULL,   -- report keys first..last
    last INTEGER NOT NULL
) STRICT;
"""

# Migration: a double-barrelled surname is one word (Fothergill-Kaye was read as forename
# Fothergill, surname Kaye): the reports whose subjects were named with a hyphen are read again.
HYPHENATED_NAMES = """
UPDATE reports SET subjects_indexed = 0
    WHERE id IN (SELECT report_key FROM subject_index WHERE source = 'report' AND quote LIKE '%-%');
"""

_COLUMNS = "report_key, surname, forename, initial, collar, station, force, rank"
_INSERT = (
    "INSERT INTO subject_index (report_key, source, surname, forename, forename_key, initial, collar, station, force,"
    " rank, field, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# (surname, forename, forename_key, initial, collar, station, force, rank, field, quote)
Row = tuple[str, str, str, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class IndexRow:
    report_key: int
    surname: str
    forename: str
    initial: str
    collar: str
    station: str
    force: str
    rank: str = ""


def unindexed_reports(conn: Connection, limit: int = 5_000) -> list[tuple[int, str, str | None]]:
    """(key, document, hint code) of reports a migration asked to be indexed again."""
    return list(
        conn.execute("SELECT id, document, hint_code FROM reports WHERE subjects_indexed = 0 ORDER BY id LIMIT ?", (limit,))
    )


def pending_reports(conn: Connection, limit: int) -> tuple[tuple[int, int] | None, list[tuple[int, str, str | None]]]:
    """The next reports of the lowest pending range (at most ``limit`` keys of it): the keys
    taken (first, last) and each report's (key, document, hint code); (None, []) when no
    range is left."""
    found = conn.execute("SELECT first, last FROM narratives_pending ORDER BY first LIMIT 1").fetchone()
    if found is None:
        return None, []
    first, last = found
    through = min(int(last), int(first) + limit - 1)
    rows = conn.execute("SELECT id, document, hint_code FROM reports WHERE id BETWEEN ? AND ? ORDER BY id", (first, through))
    return (int(first), through), list(rows)


def range_starts(conn: Connection, first: int, through: int) -> bool:
    """Whether a pending range still starts with reports ``first``..``through``."""
    return conn.execute("SELECT 1 FROM narratives_pending WHERE first = ? AND last >= ?", (first, through)).fetchone() is not None


def all_marked(conn: Connection, keys: Sequence[int]) -> bool:
    """Whether every one of these reports is still marked to be indexed."""
    marks = ",".join("?" * len(keys))
    found = conn.execute(f"SELECT count(*) FROM reports WHERE id IN ({marks}) AND subjects_indexed = 0", list(keys))
    return int(found.fetchone()[0]) == len(keys)


def range_done(conn: Connection, first: int, through: int) -> None:
    """Reports ``first``..``through`` of a pending range are indexed: the range shrinks."""
    conn.execute("DELETE FROM narratives_pending WHERE first = ? AND last <= ?", (first, through))
    conn.execute("UPDATE narratives_pending SET first = ? WHERE first = ?", (through + 1, first))


def is_pending(conn: Connection, key: int) -> bool:
    """Whether a report's red-flag rows are still to be made."""
    row = conn.execute("SELECT subjects_indexed FROM reports WHERE id = ?", (key,)).fetchone()
    if row is not None and not row[0]:
        return True
    return conn.execute("SELECT 1 FROM narratives_pending WHERE ? BETWEEN first AND last", (key,)).fetchone() is not None


def take_out(conn: Connection, key: int) -> None:
    """One report out of its pending range (it was indexed on its own, ahead of the rest)."""
    for first, last in conn.execute("SELECT first, last FROM narratives_pending WHERE ? BETWEEN first AND last",
                                    (key,)).fetchall():
        conn.execute("DELETE FROM narratives_pending WHERE first = ? AND last = ?", (first, last))
        conn.executemany("INSERT INTO narratives_pending (first, last) VALUES (?, ?)",
                         [part for part in ((first, key - 1), (key + 1, last)) if part[0] <= part[1]])


def pending_count(conn: Connection) -> int:
    """How many reports' red-flag rows are still to be made (a range may count a report
    retention has deleted since: the count is what the indexing walks)."""
    ranges = conn.execute("SELECT coalesce(sum(last - first + 1), 0) FROM narratives_pending").fetchone()[0]
    marked = conn.execute("SELECT count(*) FROM reports WHERE subjects_indexed = 0").fetchone()[0]
    return int(ranges) + int(marked)


def any_unindexed(conn: Connection) -> bool:
    return (conn.execute("SELECT 1 FROM reports WHERE subjects_indexed = 0 LIMIT 1").fetchone() is not None
            or conn.execute("SELECT 1 FROM narratives_pending LIMIT 1").fetchone() is not None)


def narratives_pending(conn: Connection, first: int, last: int) -> None:
    """Reports ``first``..``last`` are stored; their red-flag rows are still to be made."""
    conn.execute("INSERT INTO narratives_pending (first, last) VALUES (?, ?)", (first, last))


def replace_rows(conn: Connection, key: int, source: str, rows: Sequence[Row]) -> None:
    """Replace one report's rows of one source."""
    conn.execute("DELETE FROM subject_index WHERE report_key = ? AND source = ?", (key, source))
    conn.executemany(_INSERT, [(key, source, *row) for row in rows])


def delete_report_rows(conn: Connection, keys: Sequence[int]) -> None:
    """The rows these reports' own fields gave (not what an analyst settled)."""
    conn.executemany("DELETE FROM subject_index WHERE report_key = ? AND source = 'report'", [(key,) for key in keys])


def insert_many(conn: Connection, rows: Iterable[tuple[object, ...]]) -> None:
    """Bulk insert of ``(report_key, source, *Row)``."""
    conn.executemany(_INSERT, rows)


def narrative_people(conn: Connection, key: int) -> list[tuple[str, str, str, str, str, str, str]]:
    """(surname, forename, initial, station, rank, field, quote) of the officers a report
    names only in its narrative or the handler's notes."""
    return list(conn.execute(
        "SELECT surname, forename, initial, station, rank, field, quote FROM subject_index"
        " WHERE report_key = ? AND source = 'report' AND field IN ('narrative', 'handler''s notes')", (key,)))


def words_of(conn: Connection, keys: Sequence[int]) -> list[tuple[int, str, str, str, str, str]]:
    """(report key, surname, collar, field, quote, source) of each subject row of these reports."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return list(conn.execute(
        f"SELECT report_key, surname, collar, field, quote, source FROM subject_index WHERE report_key IN ({marks})"
        " ORDER BY report_key, source DESC, id", list(keys)))


def mark_indexed(conn: Connection, keys: Sequence[int]) -> None:
    conn.executemany("UPDATE reports SET subjects_indexed = 1 WHERE id = ?", [(k,) for k in keys])


def last_id(conn: Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM subject_index").fetchone()[0])


def names_since(conn: Connection, after_id: int) -> list[tuple[int, str, str, str, str, str, str]]:
    """(id, surname, forename, initial, station, force, rank) of rows added after
    ``after_id``, for the in-memory counts of how common each is."""
    return list(conn.execute(
        "SELECT id, surname, forename, initial, station, force, rank FROM subject_index WHERE id > ?", (after_id,)))


def _fetch(conn: Connection, where: str, params: Sequence[object]) -> list[IndexRow]:
    return [IndexRow(*row) for row in conn.execute(f"SELECT {_COLUMNS} FROM subject_index WHERE {where}", params)]


def by_collar(conn: Connection, collar: str) -> list[IndexRow]:
    return _fetch(conn, "collar = ? AND collar != ''", (collar,))


def by_surnames(
    conn: Connection, surnames: Sequence[str], forenames: Sequence[str] = (), initial: str = "", force: str = ""
) -> list[IndexRow]:
    """Rows of these surnames; with ``forenames``, only rows whose forename is one of them,
    or that give only an initial that fits (``initial``) or no forename at all (a common
    surname's thousand rows cut to the few that could be the same person, inside the index);
    with ``force``, only rows of that force or of none."""
    if not surnames:
        return []
    marks = ",".join("?" * len(surnames))
    if force:
        return _fetch(conn, f"surname IN ({marks}) AND surname != '' AND force IN ('', ?)", [*surnames, force])
    if not forenames:
        return _fetch(conn, f"surname IN ({marks}) AND surname != ''", list(surnames))
    names = ",".join("?" * len(forenames))
    return _fetch(conn, f"surname IN ({marks}) AND surname != '' AND (forename IN ({names})"
                        " OR (forename = '' AND initial IN ('', ?)))", [*surnames, *forenames, initial])


@dataclass(frozen=True)
class ReportSummary:
    key: int
    reference: str
    received_at: str
    status: str
    force: str | None
    decision: str | None
    referral_state: str | None


def summaries(conn: Connection, keys: Sequence[int]) -> dict[int, ReportSummary]:
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        "SELECT r.id, r.reference, r.received_at, r.status, coalesce(r.force_code, r.hint_code), a.decision, f.state"
        " FROM reports r LEFT JOIN assessments a ON a.report_key = r.id"
        f" LEFT JOIN referrals f ON f.report_id = r.report_id WHERE r.id IN ({marks})",
        list(keys),
    )
    return {int(row[0]): ReportSummary(*row) for row in rows}
