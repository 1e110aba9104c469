"""Identifiers said in reports (registrations, phones, handles, collar numbers ...), the
subject index's words, and the one-way tokens that outlive retention.

``identifiers`` holds what services/redflags/extract.py found in each report, with its
field and the words it was said in, so a red-flag reason can quote both reports. Rows go
with their report (ON DELETE CASCADE). Before retention deletes a report, each strong
identifier of its subjects (and each name) is kept in ``disposed_tokens`` only as a keyed
one-way token (HMAC-SHA256 under ``token_key``, a random key that never leaves the
encrypted store) beside the report's reference, force, decision and date.

The migration also gives the subject index the subject's rank and the words each row
came from, and re-indexes every report (lazily, on first use: ``subjects_indexed``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline_tui.store.connection import Connection

SCHEMA = """
ALTER TABLE subject_index ADD COLUMN rank TEXT NOT NULL DEFAULT '';
ALTER TABLE subject_index ADD COLUMN field TEXT NOT NULL DEFAULT '';
ALTER TABLE subject_index ADD COLUMN quote TEXT NOT NULL DEFAULT '';
DROP INDEX subject_index_surname;
DROP INDEX subject_index_collar;
CREATE INDEX subject_index_surname ON subject_index (surname, report_key, forename, initial, collar, station, force, rank)
    WHERE surname != '';
CREATE INDEX subject_index_collar ON subject_index (collar, report_key, surname, forename, initial, station, force, rank)
    WHERE collar != '';

CREATE TABLE identifiers (
    id INTEGER PRIMARY KEY,
    report_key INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('collar', 'warrant', 'registration', 'phone', 'email', 'handle', 'station')),
    value TEXT NOT NULL,                 -- normalised: 'AB12CDE', '+447700900123', '4417'
    whose TEXT NOT NULL CHECK (whose IN ('subject', 'reporter')),
    field TEXT NOT NULL,                 -- where it was said: 'narrative', 'subject 1 collar number' ...
    quote TEXT NOT NULL,                 -- the words around it, as said
    detail TEXT NOT NULL DEFAULT '',     -- make, model and colour; platform; 'warrant number'
    force TEXT NOT NULL DEFAULT ''       -- where a collar number or station means something within a force
) STRICT;
CREATE INDEX identifiers_value ON identifiers (kind, value, report_key, whose, force);
CREATE INDEX identifiers_report ON identifiers (report_key);

CREATE TABLE token_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL
) STRICT;
CREATE TABLE disposed_tokens (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL,                 -- HMAC-SHA256 (hex) of the identifier under token_key
    kind TEXT NOT NULL,                  -- what kind of identifier it was: 'registration', 'name' ...
    reference TEXT NOT NULL,
    force TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL,
    disposed_at TEXT NOT NULL
) STRICT;
CREATE INDEX disposed_tokens_token ON disposed_tokens (token);

-- Every report is indexed again (rank, words), with its identifiers, on first use.
DELETE FROM subject_index WHERE source = 'report';
UPDATE reports SET subjects_indexed = 0;
"""

# Migration: how many reports say each strong identifier of a subject, kept as identifiers
# are written (``insert_many``) and deleted (the trigger), so escalation (services/redflags/
# escalation.py) reads the few values said in three reports or more from a partial index,
# never grouping the whole table. A collar number counts within its force, and only where
# the force is known; other kinds have force ''. A value no report says any more goes (after
# retention nothing readable of a deleted report stays).
VALUE_COUNTS = """
CREATE TABLE identifier_counts (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    force TEXT NOT NULL,
    reports INTEGER NOT NULL,
    PRIMARY KEY (kind, value, force)
) STRICT, WITHOUT ROWID;
CREATE INDEX identifier_counts_many ON identifier_counts (reports) WHERE reports >= 3;
INSERT INTO identifier_counts (kind, value, force, reports)
    SELECT kind, value, CASE WHEN kind = 'collar' THEN force ELSE '' END, count(DISTINCT report_key) FROM identifiers
    WHERE whose = 'subject' AND kind IN ('collar', 'warrant', 'registration', 'phone', 'email', 'handle')
        AND (kind != 'collar' OR force != '')
    GROUP BY 1, 2, 3;
CREATE TRIGGER identifier_counts_deleted AFTER DELETE ON identifiers
    WHEN OLD.whose = 'subject' AND OLD.kind IN ('collar', 'warrant', 'registration', 'phone', 'email', 'handle')
        AND (OLD.kind != 'collar' OR OLD.force != '')
BEGIN
    UPDATE identifier_counts SET reports = reports - 1
        WHERE kind = OLD.kind AND value = OLD.value AND force = CASE WHEN OLD.kind = 'collar' THEN OLD.force ELSE '' END;
    DELETE FROM identifier_counts WHERE reports <= 0 AND kind = OLD.kind AND value = OLD.value;
END;
"""
COUNTED_KINDS = frozenset({"collar", "warrant", "registration", "phone", "email", "handle"})  # spans.STRONG
COUNTED_FROM = 3  # identifier_counts_many's threshold (escalation.THRESHOLD)

IdentifierRow = tuple[str, str, str, str, str, str, str]  # kind, value, whose, field, quote, detail, force


@dataclass(frozen=True)
class Said:
    """One identifier of one report, as stored."""

    report_key: int
    kind: str
    value: str
    whose: str
    field: str
    quote: str
    detail: str
    force: str


_COLUMNS = "report_key, kind, value, whose, field, quote, detail, force"


# The reporter object's own contact fields (services/redflags/contacts.py): their values are
# sealed with the report (services/sealed/contact.py), so none is kept here in clear.
REPORTER_OBJECT_FIELDS = frozenset({"reporter's phone", "reporter's e-mail"})
Row = tuple[int, str, str, str, str, str, str, str]


def insert_many(conn: Connection, rows: Iterable[Row]) -> None:
    """Bulk insert of ``(report_key, kind, value, whose, field, quote, detail, force)``. A
    reporter's own identifier is kept as a keyed one-way token (they still join reports
    from the same reporter), and one from the reporter object without its words."""
    rows = list(rows)
    if any(row[3] == "reporter" for row in rows):  # most batches of a narrative's finds have none
        key = token_key(conn)
        if key is None:
            key = os.urandom(32)
            set_token_key(conn, key)
        rows = [_private(row, key) if row[3] == "reporter" else row for row in rows]
    conn.executemany(f"INSERT INTO identifiers ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    _count(conn, rows)


def _count(conn: Connection, rows: list[Row]) -> None:
    """Add the rows' strong subject identifiers to ``identifier_counts``: one upsert for
    each value, however many reports say it. (A report says each kind and value once:
    services/redflags/extract.py ``combine``.)"""
    counts = Counter((kind, value, force if kind == "collar" else "")
                     for _key, kind, value, whose, _field, _quote, _detail, force in rows
                     if whose == "subject" and kind in COUNTED_KINDS and (force or kind != "collar"))
    conn.executemany(
        "INSERT INTO identifier_counts (kind, value, force, reports) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO UPDATE SET reports = reports + excluded.reports",
        [(*group, n) for group, n in counts.items()],
    )


def said_often(conn: Connection) -> list[tuple[str, str, str, list[int]]]:
    """(kind, value, force, report keys) of each strong subject identifier said in
    ``COUNTED_FROM`` reports or more: the counts' partial index, joined to the reports
    that say each value, in one query."""
    found: dict[tuple[str, str, str], list[int]] = {}
    for kind, value, force, key in conn.execute(
        "SELECT c.kind, c.value, c.force, i.report_key FROM identifier_counts c INDEXED BY identifier_counts_many"
        " JOIN identifiers i ON i.kind = c.kind AND i.value = c.value AND i.whose = 'subject'"
        f" WHERE c.reports >= {COUNTED_FROM} AND (c.force = '' OR i.force = c.force)"
        " ORDER BY c.kind, c.value, c.force, i.report_key"
    ):
        keys = found.setdefault((kind, value, force), [])
        if not keys or keys[-1] != key:
            keys.append(int(key))
    return [(*group, keys) for group, keys in found.items()]


def token_of(key: bytes, kind: str, value: str) -> str:
    """What a reporter's own identifier is kept as: a keyed one-way token."""
    return "token:" + hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _private(row: Row, key: bytes) -> Row:
    report_key, kind, value, whose, field, quote, detail, force = row
    quote = "" if field in REPORTER_OBJECT_FIELDS else quote
    return report_key, kind, token_of(key, kind, value), whose, field, quote, detail, force


def delete_of_reports(conn: Connection, keys: Sequence[int]) -> None:
    """The identifiers of these reports, but for the reporter object's own (stored at
    import from the document as it came in: the stored one no longer holds them)."""
    conn.executemany("DELETE FROM identifiers WHERE report_key = ? AND field NOT IN (?, ?)",
                     [(key, *sorted(REPORTER_OBJECT_FIELDS)) for key in keys])


def of_report(conn: Connection, key: int) -> list[Said]:
    return [Said(*row) for row in conn.execute(f"SELECT {_COLUMNS} FROM identifiers WHERE report_key = ? ORDER BY id", (key,))]


def of_reports(conn: Connection, keys: Sequence[int]) -> list[Said]:
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return [Said(*row) for row in conn.execute(
        f"SELECT {_COLUMNS} FROM identifiers WHERE report_key IN ({marks}) ORDER BY report_key, id", list(keys))]


def stations_of(conn: Connection, keys: Sequence[int]) -> dict[int, dict[str, tuple[str, str]]]:
    """report -> station -> (quote, field): the stations and units each report names."""
    found: dict[int, dict[str, tuple[str, str]]] = {}
    for start in range(0, len(keys), 500):
        part = list(keys[start : start + 500])
        marks = ",".join("?" * len(part))
        for report_key, value, quote, field in conn.execute(
            f"SELECT report_key, value, quote, field FROM identifiers WHERE kind = 'station' AND report_key IN ({marks})",
            part,
        ):
            found.setdefault(int(report_key), {}).setdefault(str(value), (str(quote), str(field)))
    return found


def saying(conn: Connection, kind: str, value: str, limit: int = 200) -> list[Said]:
    """Every report that said this identifier (a common one is cut at ``limit``)."""
    return [Said(*row) for row in conn.execute(
        f"SELECT {_COLUMNS} FROM identifiers WHERE kind = ? AND value = ? LIMIT ?", (kind, value, limit))]


def report_forces(conn: Connection, keys: Sequence[int]) -> dict[int, str]:
    """The force each report is about: the analyst's choice, else the reporter's hint."""
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    rows = conn.execute(f"SELECT id, coalesce(force_code, hint_code, '') FROM reports WHERE id IN ({marks})", list(keys))
    return {int(k): str(f) for k, f in rows}


# -- tokens -------------------------------------------------------------------------------


def token_key(conn: Connection) -> bytes | None:
    row = conn.execute("SELECT key FROM token_key WHERE id = 1").fetchone()
    return bytes(row[0]) if row else None


def set_token_key(conn: Connection, key: bytes) -> None:
    conn.execute("INSERT OR IGNORE INTO token_key (id, key) VALUES (1, ?)", (key,))


def insert_tokens(conn: Connection, rows: Iterable[tuple[str, str, str, str, str, str]]) -> None:
    """``(token, kind, reference, force, decision, disposed_at)``."""
    conn.executemany(
        "INSERT INTO disposed_tokens (token, kind, reference, force, decision, disposed_at) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


@dataclass(frozen=True)
class Disposed:
    kind: str
    reference: str
    force: str
    decision: str
    disposed_at: str


def tokens_matching(conn: Connection, tokens: Sequence[str]) -> list[Disposed]:
    if not tokens:
        return []
    marks = ",".join("?" * len(tokens))
    rows = conn.execute(
        f"SELECT DISTINCT kind, reference, force, decision, disposed_at FROM disposed_tokens WHERE token IN ({marks})"
        " ORDER BY disposed_at, reference, kind",
        list(tokens),
    )
    return [Disposed(*row) for row in rows]
