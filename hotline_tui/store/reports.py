"""Reports, their attachments, imported bundles and the quarantine: schema and queries.

A report's document is stored exactly as received (JSON text); the columns beside it
are what the queue sorts and filters on. The full-text index (FTS5) lives inside the
encrypted store like everything else.
"""

from __future__ import annotations

from collections.abc import Sequence

from hotline_tui.store.connection import Connection

SCHEMA = """
CREATE TABLE import_bundles (
    bundle_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    signer_key_id TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    created TEXT NOT NULL,
    item_count INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
) STRICT;

CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL UNIQUE,
    reference TEXT NOT NULL,
    bundle_id TEXT NOT NULL REFERENCES import_bundles (bundle_id),
    channel TEXT NOT NULL,
    received_at TEXT NOT NULL,
    force_hint TEXT NOT NULL DEFAULT '',    -- the reporter's words
    hint_code TEXT,                         -- the force those words most likely mean
    force_code TEXT,                        -- the assessed force; NULL until assessed
    behaviours TEXT NOT NULL DEFAULT '',    -- the reporter's choice, comma-joined codes
    behaviour_mask INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'new',
    priority TEXT NOT NULL DEFAULT 'normal',
    assigned_to TEXT,
    red_flags INTEGER NOT NULL DEFAULT 0,
    has_contact INTEGER NOT NULL DEFAULT 0,
    document TEXT NOT NULL,                 -- the report exactly as received
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX reports_received ON reports (received_at);
CREATE INDEX reports_reference ON reports (reference);
CREATE INDEX reports_status ON reports (status, received_at);
CREATE INDEX reports_channel ON reports (channel, received_at);
CREATE INDEX reports_force ON reports (coalesce(force_code, hint_code), received_at);
CREATE INDEX reports_priority ON reports (priority, received_at);
CREATE INDEX reports_red_flags ON reports (red_flags, received_at);
CREATE INDEX reports_assigned ON reports (assigned_to, received_at);
CREATE INDEX reports_behaviours ON reports (behaviours);

CREATE TABLE report_attachments (
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    member TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
) STRICT;
CREATE INDEX report_attachments_report ON report_attachments (report_id);

-- rowid = reports.id; notes grows with the analyst's notes later.
CREATE VIRTUAL TABLE report_search USING fts5 (narrative, subjects, notes, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    payload BLOB NOT NULL,
    signature BLOB,
    check_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    refused_at TEXT NOT NULL,
    refused_by TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'deleted'))
) STRICT;
"""


# The bulk inserts take plain tuples, in these columns' order: a large import builds
# hundreds of thousands in its reading process and pickles them across to this one, and
# named tuples pickle and unpickle three times slower.
REPORT_COLUMNS = (
    "report_id", "reference", "bundle_id", "channel", "received_at", "force_hint", "hint_code", "behaviours",
    "behaviour_mask", "has_contact", "document",
)
# One report as the store holds it: the document (the last column) and the queue's columns.
ReportRow = tuple[str, str, str, str, str, str, str | None, str, int, bool, str]
ContactColumns = tuple[int | None, bytes | None]  # contact_key, contact_sealed (services/sealed/contact.py)
SearchRow = tuple[str, str, str]  # narrative, subjects, notes: what the full-text index holds of a report
AttachmentRow = tuple[str, str, str, str, bytes]  # report_id, name, media_type, member, data


def bundle_imported(conn: Connection, bundle_id: str) -> bool:
    return conn.execute("SELECT 1 FROM import_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone() is not None


# Migration: the full-text index keeps up to 32 MiB of new entries in memory before it
# writes a segment (FTS5's default is 1 MiB): a large import writes a few large segments
# instead of a hundred small ones that must then be merged.
SEARCH_BUFFER = "INSERT INTO report_search (report_search, rank) VALUES ('hashsize', 33554432);"


# Migration: the full-text index keeps no copy of the text it indexes (contentless; the
# documents hold it): an import writes a sixth less, and the index stores nothing more
# to be read than which reports hold which words. Deleting a report's words still works
# (contentless_delete); changing them means writing all three columns again.
SEARCH_CONTENTLESS = """
CREATE VIRTUAL TABLE report_words USING fts5 (
    narrative, subjects, notes, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO report_words (report_words, rank) VALUES ('hashsize', 33554432);
INSERT INTO report_words (report_words, rank) VALUES ('secure-delete', 1);
INSERT INTO report_words (rowid, narrative, subjects, notes) SELECT rowid, narrative, subjects, notes FROM report_search;
DROP TABLE report_search;
ALTER TABLE report_words RENAME TO report_search;
"""


def imported_bundle_ids(conn: Connection) -> frozenset[str]:
    return frozenset(row[0] for row in conn.execute("SELECT bundle_id FROM import_bundles"))


def insert_bundle(
    conn: Connection, bundle_id: str, kind: str, signer_key_id: str, signer_name: str,
    created: str, count: int, file_name: str, at: str, by: str,
) -> None:
    conn.execute(
        "INSERT INTO import_bundles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle_id, kind, signer_key_id, signer_name, created, count, file_name, at, by),
    )


def existing_report_ids(conn: Connection, report_ids: Sequence[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(report_ids), 500):
        chunk = list(report_ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found += [r[0] for r in conn.execute(f"SELECT report_id FROM reports WHERE report_id IN ({marks})", chunk)]
    return found


def insert_reports(
    conn: Connection, rows: Sequence[ReportRow], search: Sequence[SearchRow], at: str, *, subjects_indexed: bool = False,
    contacts: Sequence[ContactColumns] | None = None,
) -> int:
    """Bulk insert, imported ``at``; ``search[i]`` indexes ``rows[i]`` and ``contacts[i]``
    holds its sealed contact details. Returns the first row's id (the others follow in
    order). ``subjects_indexed``: the caller stores the rows' subject index in the same
    transaction (else ``redflags.index_new_reports`` finds them)."""
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM reports").fetchone()[0])
    indexed = int(subjects_indexed)
    tail = (at, indexed)
    sealed = contacts if contacts is not None else [(None, None)] * len(rows)
    # Each row's own fields in order, its sealed contact details, then the id it is given (the FTS row's too).
    columns = (*REPORT_COLUMNS, "contact_key", "contact_sealed", "id", "imported_at", "subjects_indexed")
    conn.executemany(
        f"INSERT INTO reports ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [(*row, *contact, first + i, *tail) for i, (row, contact) in enumerate(zip(rows, sealed, strict=True))],
    )
    conn.executemany(
        "INSERT INTO report_search (narrative, subjects, notes, rowid) VALUES (?, ?, ?, ?)",
        [(*words, first + i) for i, words in enumerate(search)],
    )
    return first


def insert_attachments(conn: Connection, rows: Sequence[AttachmentRow]) -> None:
    conn.executemany(
        "INSERT INTO report_attachments (report_id, name, media_type, member, size, data) VALUES (?, ?, ?, ?, ?, ?)",
        [(report_id, name, media_type, member, len(data), data) for report_id, name, media_type, member, data in rows],
    )


def quarantine_holds(conn: Connection, payload: bytes) -> bool:
    """Whether these exact bytes are already held, so a second import adds no copy."""
    return conn.execute("SELECT 1 FROM quarantine WHERE state = 'held' AND payload = ?", (payload,)).fetchone() is not None


def held_file_names(conn: Connection) -> frozenset[str]:
    """The file names of the bundles held in quarantine (a cheap first test before bytes)."""
    return frozenset(row[0] for row in conn.execute("SELECT DISTINCT file_name FROM quarantine WHERE state = 'held'"))


def insert_quarantine(
    conn: Connection, file_name: str, payload: bytes, signature: bytes | None, check: str, reason: str, at: str, by: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO quarantine (file_name, payload, signature, check_name, reason, refused_at, refused_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (file_name, payload, signature, check, reason, at, by),
    )
    return int(cursor.lastrowid or 0)


def report_document(conn: Connection, report_key: int) -> tuple[str, str] | None:
    """(report_id, document JSON) by the queue's row id."""
    row = conn.execute("SELECT report_id, document FROM reports WHERE id = ?", (report_key,)).fetchone()
    return (row[0], row[1]) if row else None


def report_state(conn: Connection, report_id: str) -> dict[str, object] | None:
    row = conn.execute(
        "SELECT id, reference, status, priority, assigned_to, force_code, red_flags, imported_at, bundle_id"
        " FROM reports WHERE report_id = ?",
        (report_id,),
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "reference", "status", "priority", "assigned_to", "force_code", "red_flags", "imported_at", "bundle_id")
    return dict(zip(keys, row, strict=True))


def attachments_of(conn: Connection, report_id: str) -> list[tuple[int, str, str, int]]:
    """(id, name, media_type, size) of each attachment; the bytes stay in the store."""
    return list(
        conn.execute(
            "SELECT id, name, media_type, size FROM report_attachments WHERE report_id = ? ORDER BY id", (report_id,)
        )
    )


def count_reports(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
