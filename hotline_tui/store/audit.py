"""Queries on the audit table. The hashing rules live in services/audit.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hotline_tui.store.connection import Connection

_COLUMNS = "seq, at, actor, action, object, reason, prev_hash, hash"


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    action: str
    object: str
    reason: str
    prev_hash: str
    hash: str


def last(conn: Connection) -> AuditRow | None:
    found = conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return AuditRow(*found) if found else None


def insert(conn: Connection, row: AuditRow) -> None:
    conn.execute(
        f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row.seq, row.at, row.actor, row.action, row.object, row.reason, row.prev_hash, row.hash),
    )


def iterate(conn: Connection) -> Iterator[AuditRow]:
    for values in conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq"):
        yield AuditRow(*values)


def page(conn: Connection, limit: int, before_seq: int | None = None) -> list[AuditRow]:
    """Newest first, ``limit`` entries older than ``before_seq``."""
    bound = before_seq if before_seq is not None else 1 << 62
    rows = conn.execute(f"SELECT {_COLUMNS} FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?", (bound, limit))
    return [AuditRow(*values) for values in rows]
