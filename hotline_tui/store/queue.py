"""The queue's query: filters, sort and one page at a time, all in SQL.

Only the page on screen is ever read, so the queue costs the same at 100 reports and
at 100,000. A report's row carries its whole document, so reading rows is what costs
(tens of microseconds each, seconds for the whole table); the queries avoid it:

- each sort has an index that orders exactly as its ORDER BY (the column, the time
  received, the id) and then holds every column a filter tests, so a page is a walk
  along one index that reads rows only for the reports it returns;
- a count, whatever the filter, is one scan of ``reports_received`` (never the table);
  a search alone is counted in the full-text index itself;
- a search is tested against the index being walked (``+id``), so a common word costs
  no more than a rare one.

A filtered set small enough to sort (``SMALL``) is left to SQLite's planner, which
fetches it through the filter's own index and sorts it: faster than walking a long index
for a few matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline_tui.store.connection import Connection

PRIORITY_RANK = "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END"
SMALL = 1_000

# column key -> (its index, the ORDER BY terms before the id, which breaks ties so pages never overlap)
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "reference": ("reports_reference", ("reference",)),
    "received": ("reports_received", ("received_at",)),
    "channel": ("reports_channel", ("channel", "received_at")),
    "force": ("reports_force", ("coalesce(force_code, hint_code)", "received_at")),
    "behaviours": ("reports_behaviours", ("behaviours", "received_at")),
    "status": ("reports_status", ("status", "received_at")),
    "priority": ("reports_priority", (PRIORITY_RANK, "received_at")),
    "red_flags": ("reports_red_flags", ("red_flags", "received_at")),
    "assigned": ("reports_assigned", ("assigned_to", "received_at")),
}
_FILTERED = "received_at, status, channel, behaviour_mask, assigned_to, force_code, hint_code"


def _index(name: str, terms: tuple[str, ...], extra: str = "") -> str:
    # Columns a filter tests that are already among the terms are not repeated.
    rest = [c for c in _FILTERED.split(", ") if c not in terms] + ([extra] if extra else [])
    return f"DROP INDEX {name};\nCREATE INDEX {name} ON reports ({', '.join((*terms, 'id', *rest))});\n"


# Migration: the indexes above (they replace reports.SCHEMA's, which ordered by the
# column and the time but held no filter columns). reports_received also holds the
# priority, for the home screen's count of urgent reports.
SCHEMA = "".join(_index(name, terms, "priority" if name == "reports_received" else "") for name, terms in SORTS.values())


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
        clauses.append("+id IN (SELECT rowid FROM report_search WHERE report_search MATCH ?)")
        params.append(query)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_query(f: QueueFilter) -> tuple[str, list[Any]]:
    query = fts_query(f.search)
    if query and f == QueueFilter(search=f.search):
        # A search alone: every report has its one row in the full-text index, no other row is there.
        return "SELECT count(*) FROM report_search WHERE report_search MATCH ?", [query]
    where, params = _where(f)
    return f"SELECT count(*) FROM reports INDEXED BY reports_received{where}", params


def count(conn: Connection, f: QueueFilter) -> int:
    sql, params = count_query(f)
    return int(conn.execute(sql, params).fetchone()[0])


def page_query(f: QueueFilter, sort: str, descending: bool, matching: int) -> tuple[str, list[Any]]:
    """The SELECT for a page of the filter's ``matching`` reports, and its parameters
    before LIMIT and OFFSET."""
    where, params = _where(f)
    index, terms = SORTS[sort]
    if sort == "force" and f.force:
        # One force: the column is constant. SQLite sees that for a column, not for this
        # expression, and would sort what the index already orders.
        terms = terms[1:]
    walk = f" INDEXED BY {index}" if matching > SMALL else ""
    direction = "DESC" if descending else "ASC"
    order = ", ".join(f"{term} {direction}" for term in (*terms, "id"))
    return f"SELECT {COLUMNS} FROM reports{walk}{where} ORDER BY {order} LIMIT ? OFFSET ?", params


def page(
    conn: Connection, f: QueueFilter, sort: str, descending: bool, offset: int, limit: int, matching: int | None = None
) -> list[tuple[Any, ...]]:
    """One page; ``matching`` is the filter's count if the caller knows it (else counted)."""
    sql, params = page_query(f, sort, descending, count(conn, f) if matching is None else matching)
    return list(conn.execute(sql, [*params, limit, offset]))
