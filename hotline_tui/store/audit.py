"""Queries on the audit table. The hashing rules live in services/audit_trail/chain.py."""

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


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log view shows: each text field matches anywhere, ignoring case
    (``text`` in the object or the reason); ``since`` inclusive and ``until`` exclusive
    bounds on ``at`` (RFC 3339 text, so a date like ``2026-03-14`` works as a bound)."""

    actor: str = ""
    action: str = ""
    text: str = ""
    since: str | None = None
    until: str | None = None


def _where(flt: AuditFilter) -> tuple[str, list[str]]:
    clauses: list[str] = []
    params: list[str] = []
    for column, value in (("actor", flt.actor), ("action", flt.action)):
        if value.strip():
            clauses.append(f"instr(lower({column}), lower(?)) > 0")
            params.append(value.strip())
    if flt.text.strip():
        clauses.append("(instr(lower(object), lower(?)) > 0 OR instr(lower(reason), lower(?)) > 0)")
        params += [flt.text.strip()] * 2
    if flt.since:
        clauses.append("at >= ?")
        params.append(flt.since)
    if flt.until:
        clauses.append("at < ?")
        params.append(flt.until)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_filtered(conn: Connection, flt: AuditFilter) -> int:
    where, params = _where(flt)
    return int(conn.execute(f"SELECT count(*) FROM audit{where}", params).fetchone()[0])


def page_filtered(conn: Connection, flt: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
    """Newest first: ``limit`` matching entries after skipping ``offset``."""
    where, params = _where(flt)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM audit{where} ORDER BY seq DESC LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return [AuditRow(*values) for values in rows]


def contiguous_between(conn: Connection, since: str, until: str) -> list[AuditRow]:
    """Every entry from the first to the last (by seq) with ``since <= at < until``, the
    ones between them included whatever their time, oldest first: an export never has a
    hole where an entry's time is out of order (e.g. a failed unlock recorded later)."""
    first, last = conn.execute("SELECT min(seq), max(seq) FROM audit WHERE at >= ? AND at < ?", (since, until)).fetchone()
    if first is None:
        return []
    rows = conn.execute(f"SELECT {_COLUMNS} FROM audit WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last))
    return [AuditRow(*values) for values in rows]


def between(conn: Connection, since: str, until: str) -> list[AuditRow]:
    """Every entry with ``since <= at < until``, oldest first (for an export)."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM audit WHERE at >= ? AND at < ? ORDER BY seq", (since, until))
    return [AuditRow(*values) for values in rows]
