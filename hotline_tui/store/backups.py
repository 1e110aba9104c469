"""The record of backups made and checked, and the officer's warning period (services/backup/)."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.store.connection import Connection

SCHEMA = """
CREATE TABLE backups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                -- the backup's folder name
    location TEXT NOT NULL,            -- the folder it was written into
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL,
    audit_seq INTEGER NOT NULL,
    audit_hash TEXT NOT NULL,
    reports INTEGER NOT NULL,
    bytes INTEGER NOT NULL
) STRICT;
CREATE TABLE backup_policy (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    warn_after_days INTEGER NOT NULL CHECK (warn_after_days BETWEEN 1 AND 365),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
) STRICT;
"""


@dataclass(frozen=True)
class BackupRow:
    name: str
    location: str
    made_at: str
    made_by: str
    audit_seq: int
    audit_hash: str
    reports: int
    bytes: int


def insert(conn: Connection, row: BackupRow) -> None:
    conn.execute(
        "INSERT INTO backups (name, location, made_at, made_by, audit_seq, audit_hash, reports, bytes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row.name, row.location, row.made_at, row.made_by, row.audit_seq, row.audit_hash, row.reports, row.bytes),
    )


_COLUMNS = "name, location, made_at, made_by, audit_seq, audit_hash, reports, bytes"


def recent(conn: Connection, limit: int) -> list[BackupRow]:
    """The newest first."""
    return [BackupRow(*row) for row in conn.execute(f"SELECT {_COLUMNS} FROM backups ORDER BY id DESC LIMIT ?", (limit,))]


def last(conn: Connection) -> BackupRow | None:
    rows = recent(conn, 1)
    return rows[0] if rows else None


def warn_after_days(conn: Connection) -> int | None:
    found = conn.execute("SELECT warn_after_days FROM backup_policy WHERE one = 1").fetchone()
    return int(found[0]) if found else None


def set_warn_after_days(conn: Connection, days: int, by: str, at: str) -> None:
    conn.execute(
        "INSERT INTO backup_policy (one, warn_after_days, set_by, set_at) VALUES (1, ?, ?, ?)"
        " ON CONFLICT (one) DO UPDATE SET warn_after_days = excluded.warn_after_days,"
        " set_by = excluded.set_by, set_at = excluded.set_at",
        (days, by, at),
    )
