"""The queue's query: filters, sort and one page at a time, all in SQL.

Only the page on screen is ever read, so the queue costs the same at 100 reports and
at 100,000. Every sortable column has an index (see reports.SCHEMA).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline_tui.store.connection import Connection

# column key -> SQL expression; the id breaks ties so pages never overlap.
SORTS: dict[str, str] = {
    "reference": "reference",
    "received": "received_at",
    "channel": "channel",
    "force": "coalesce(force_code, hint_code)",
    "behaviours": "behaviours",
    "status": "status",
    "priority": "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END",
    "red_flags": "red_flags",
    "assigned": "assigned_to",
}
COLUMNS = (
    "id, reference, received_at, channel, coalesce(force_code, hint_code), force_code IS NOT NULL, force_hint,"
    " behaviours, status, priority, red_flags, assigned_to"
)


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    channel: str | None = None
    force: str | None = None          # a force code: the assessed force, or the reporter's hint
    behaviour_bit: int | None = None  # see services.queue.BEHAVIOUR_BITS
    received_from: str | None = None  # inclusive, RFC 3339 prefix (a date is enough)
    received_to: str | None = None    # exclusive
    assigned_to: str | None = None
    search: str = ""


def fts_query(text: str) -> str:
    """Each word of the user's text as a quoted FTS5 phrase (so no FTS syntax reaches
    SQLite from a user), all required, the last one as a prefix."""
    words = [w.replace('"', '""') for w in text.split() if w.strip('"')]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _where(f: QueueFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("status", f.status), ("channel", f.channel), ("assigned_to", f.assigned_to)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.force:
        # Until a report is assessed its force is the one the reporter's hint names.
        clauses.append("coalesce(force_code, hint_code) = ?")
        params.append(f.force)
    if f.behaviour_bit:
        clauses.append("(behaviour_mask & ?) != 0")
        params.append(f.behaviour_bit)
    if f.received_from:
        clauses.append("received_at >= ?")
        params.append(f.received_from)
    if f.received_to:
        clauses.append("received_at < ?")
        params.append(f.received_to)
    query = fts_query(f.search)
    if query:
        clauses.append("id IN (SELECT rowid FROM report_search WHERE report_search MATCH ?)")
        params.append(query)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(conn: Connection, f: QueueFilter) -> int:
    where, params = _where(f)
    return int(conn.execute(f"SELECT count(*) FROM reports{where}", params).fetchone()[0])


def page(
    conn: Connection, f: QueueFilter, sort: str, descending: bool, offset: int, limit: int
) -> list[tuple[Any, ...]]:
    where, params = _where(f)
    direction = "DESC" if descending else "ASC"
    order = f"{SORTS[sort]} {direction}, id {direction}"
    sql = f"SELECT {COLUMNS} FROM reports{where} ORDER BY {order} LIMIT ? OFFSET ?"
    return list(conn.execute(sql, [*params, limit, offset]))
