"""Numbered migrations. The store's version is ``PRAGMA user_version``.

To change the schema, append a new SQL script to ``MIGRATIONS`` (never edit one that
has shipped): migration N is ``MIGRATIONS[N - 1]``. Each runs in its own transaction
together with the version bump, so a store is always at exactly one version.
"""

from __future__ import annotations

from hotline_tui.errors import StoreTooNew
from hotline_tui.store import (
    assessments,
    backups,
    identifiers,
    keyring,
    outcomes,
    queue,
    reports,
    retention,
    rolekeys,
    sealing,
    statistics,
    subjects,
)
from hotline_tui.store.connection import Connection

_M1_WORKSPACE = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('analyst', 'supervisor', 'security_officer')),
    display_name TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    slot_public_key BLOB,              -- the key slot this user must unlock with; NULL once removed
    personal_key_id TEXT NOT NULL,
    personal_public_key TEXT NOT NULL,
    personal_secret_wrapped BLOB,      -- see crypto/personal.py; NULL once removed
    created_at TEXT NOT NULL,
    removed_at TEXT                    -- the row stays so the name is never reused
) STRICT;

CREATE TABLE room_keys (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('signing', 'age')),
    key_id TEXT NOT NULL UNIQUE,       -- minisign key id, or the age recipient
    public_text TEXT NOT NULL,
    secret_text TEXT NOT NULL,         -- only ever inside the encrypted store
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    retired_at TEXT
) STRICT;
CREATE UNIQUE INDEX room_keys_one_active ON room_keys (kind) WHERE active = 1;

CREATE TABLE keyring (
    id INTEGER PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,       -- minisign key id, or the age recipient
    key_type TEXT NOT NULL CHECK (key_type IN ('minisign', 'age')),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('intake', 'force')),
    force TEXT,
    public_text TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'force') = (force IS NOT NULL)),
    CHECK (kind = 'force' OR key_type = 'minisign')
) STRICT;
CREATE INDEX keyring_force ON keyring (force);

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
"""

MIGRATIONS: list[str] = [
    _M1_WORKSPACE,
    reports.SCHEMA,
    assessments.SCHEMA,
    subjects.SCHEMA,
    sealing.SCHEMA,
    outcomes.SCHEMA,
    statistics.SCHEMA,
    retention.SCHEMA,
    queue.SCHEMA,
    reports.SEARCH_BUFFER,
    queue.GROUPED_SORTS,
    statistics.ONE_INDEX,
    reports.SEARCH_CONTENTLESS,
    assessments.APPROVED_STATUS,
    backups.SCHEMA,
    statistics.DISCLOSURE,
    identifiers.SCHEMA,
    statistics.BEHAVIOUR_SUMMARIES,
    keyring.ROOM_KEY_REVOCATION,
    rolekeys.SCHEMA,
    identifiers.VALUE_COUNTS,
    subjects.NARRATIVES_PENDING,
    subjects.HYPHENATED_NAMES,
]


def version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection) -> int:
    """Apply every migration the store lacks, in order; return the new version."""
    current = version(conn)
    if current > len(MIGRATIONS):
        raise StoreTooNew(
            f"This store is at schema version {current}; this program knows {len(MIGRATIONS)}. Use a newer version."
        )
    for number in range(current + 1, len(MIGRATIONS) + 1):
        _apply(conn, number, MIGRATIONS[number - 1])
    return version(conn)


def _apply(conn: Connection, number: int, script: str) -> None:
    # executescript cannot take parameters; the version is an int we produce ourselves.
    try:
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {int(number)};\nCOMMIT;")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
