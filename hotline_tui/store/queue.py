"""The queue's query: filters, sort and one page at a time, all in SQL.

Only the page on screen is ever read, so the queue costs the same at 100 reports and
at 100,000. A report's row carries its whole document, so reading rows is what costs
(tens of microseconds each, seconds for the whole table); the queries avoid it. Every
query walks one narrow covering index, ``reports_received`` (the time received, the id,
then every column a filter tests or a sort orders by), or ``reports_reference``:

- a page sorted by the time or the reference is a walk along that sort's index, which
  reads rows only for the reports it returns;
- every other sort is *grouped*: its column has few values (two channels, 48 forces,
  seven statuses...), and within one value the order is the time received, then the id.
  One walk of ``reports_received`` counts each value's reports (``group_counts``); a page
  then walks it again for the one or two values the page falls in. So those sorts need
  no index of their own, and an import writes a few index entries per report, not ten;
- a count, whatever the filter, is one walk of ``reports_received`` (never the table);
  a search alone is counted in the full-text index itself;
- a search is tested against the index being walked (``+id``), so a common word costs
  no more than a rare one.

A filtered set small enough to sort (``SMALL``) is left to SQLite's planner, which
fetches it through the filter's own index and sorts it: faster than walking a long index
for a few matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hotline_tui.store.connection import Connection

PRIORITY_RANK = "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END"
SMALL = 1_000

# column key -> the ORDER BY terms before the id, which breaks ties so pages never overlap
SORTS: dict[str, tuple[str, ...]] = {
    "reference": ("reference",),
    "received": ("received_at",),
    "channel": ("channel", "received_at"),
    "force": ("coalesce(force_code, hint_code)", "received_at"),
    "behaviours": ("behaviours", "received_at"),
    "status": ("status", "received_at"),
    "priority": (PRIORITY_RANK, "received_at"),
    "red_flags": ("red_flags", "received_at"),
    "assigned": ("assigned_to", "received_at"),
}
# The sorts with an index of their own; the others are grouped by their first term.
WALKED = {"reference": "reports_reference", "received": "reports_received"}

# Migration 9, as shipped: an index for each sort, ordered as its ORDER BY and holding
# every column a filter tests.
SCHEMA = """
DROP INDEX reports_reference;
CREATE INDEX reports_reference ON reports (
    reference, id, received_at, status, channel, behaviour_mask, assigned_to, force_code, hint_code);
DROP INDEX reports_received;
CREATE INDEX reports_received ON reports (
    received_at, id, status, channel, behaviour_mask, assigned_to, force_code, hint_code, priority);
DROP INDEX reports_channel;
CREATE INDEX reports_channel ON reports (
    channel, received_at, id, status, behaviour_mask, assigned_to, force_code, hint_code);
DROP INDEX reports_force;
CREATE INDEX reports_force ON reports (
    coalesce(force_code, hint_code), received_at, id, status, channel, behaviour_mask, assigned_to, force_code, hint_code);
DROP INDEX reports_behaviours;
CREATE INDEX reports_behaviours ON reports (
    behaviours, received_at, id, status, channel, behaviour_mask, assigned_to, force_code, hint_code);
DROP INDEX reports_status;
CREATE INDEX reports_status ON reports (
    status, received_at, id, channel, behaviour_mask, assigned_to, force_code, hint_code);
DROP INDEX reports_priority;
CREATE INDEX reports_priority ON reports (
    CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, received_at, id, status, channel, behaviour_mask,
    assigned_to, force_code, hint_code);
DROP INDEX reports_red_flags;
CREATE INDEX reports_red_flags ON reports (
    red_flags, received_at, id, status, channel, behaviour_mask, assigned_to, force_code, hint_code);
DROP INDEX reports_assigned;
CREATE INDEX reports_assigned ON reports (
    assigned_to, received_at, id, status, channel, behaviour_mask, force_code, hint_code);
"""

# Migration: the grouped sorts' indexes go; reports_received holds every column they
# order by, and the report id, so that the statistics read it too instead of an index
# of their own (statistics.ONE_INDEX).
GROUPED_SORTS = """
DROP INDEX reports_channel;
DROP INDEX reports_force;
DROP INDEX reports_behaviours;
DROP INDEX reports_status;
DROP INDEX reports_priority;
DROP INDEX reports_red_flags;
DROP INDEX reports_assigned;
DROP INDEX reports_received;
CREATE INDEX reports_received ON reports (
    received_at, id, status, channel, behaviour_mask, assigned_to, force_code, hint_code, priority, red_flags, behaviours,
    report_id);
"""


RETURNED = "report_id IN (SELECT report_id FROM referrals WHERE state = 'returned')"
COLUMNS = (
    "id, reference, received_at, channel, coalesce(force_code, hint_code), force_code IS NOT NULL, force_hint,"
    f" behaviours, status, priority, red_flags, assigned_to, {RETURNED}"
)


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    channel: str | None = None
    force: str | None = None          # a force code: the assessed force, or the reporter's hint
    behaviour_bit: int | None = None  # see services.triage.queue.BEHAVIOUR_BITS
    received_from: str | None = None  # inclusive, RFC 3339 prefix (a date is enough)
    received_to: str | None = None    # exclusive
    assigned_to: str | None = None
    search: str = ""
    statuses: tuple[str, ...] = ()   # any of these (with ``status``, both must hold)
    priority: str | None = None
    returned: bool = False           # a supervisor returned its referral with comments
    held_by: str | None = None       # assigned to this user and still in assessment: in their hands
    among: tuple[int, ...] | None = None  # only these reports (those escalated, say); None: any


def fts_query(text: str) -> str:
    """Each word of the user's text as a quoted FTS5 phrase (so no FTS syntax reaches
    SQLite from a user), all required, the last one as a prefix."""
    words = [w.replace('"', '""') for w in text.split() if w.strip('"')]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _where(f: QueueFilter, *extra: str) -> tuple[str, list[Any]]:
    """The filter's WHERE clause (and ``extra`` conditions) with its parameters."""
    clauses: list[str] = list(extra)
    params: list[Any] = []
    for column, value in (("status", f.status), ("channel", f.channel), ("assigned_to", f.assigned_to)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.statuses:
        clauses.append(f"status IN ({', '.join('?' * len(f.statuses))})")
        params += f.statuses
    if f.priority:
        clauses.append("priority = ?")
        params.append(f.priority)
    if f.returned:
        clauses.append(RETURNED)
    if f.held_by:
        clauses.append("assigned_to = ? AND status = 'in_assessment'")
        params.append(f.held_by)
    if f.among is not None:  # one parameter however many: a JSON list
        clauses.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(f.among))
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


def grouped(sort: str, matching: int) -> bool:
    """Whether a page of ``matching`` reports in this sort is read group by group."""
    return sort not in WALKED and matching > SMALL


def page_query(f: QueueFilter, sort: str, descending: bool, matching: int) -> tuple[str, list[Any]]:
    """The SELECT for a page in one query (a sort with its own index, or a small set), and
    its parameters before LIMIT and OFFSET."""
    where, params = _where(f)
    terms = SORTS[sort]
    walk = f" INDEXED BY {WALKED[sort]}" if sort in WALKED and matching > SMALL else ""
    return f"SELECT {COLUMNS} FROM reports{walk}{where} ORDER BY {_order(terms, descending)} LIMIT ? OFFSET ?", params


def _order(terms: tuple[str, ...], descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{term} {direction}" for term in (*terms, "id"))


def group_counts_query(f: QueueFilter, sort: str, descending: bool) -> tuple[str, list[Any]]:
    key = SORTS[sort][0]
    where, params = _where(f)
    direction = "DESC" if descending else "ASC"
    return f"SELECT {key}, count(*) FROM reports INDEXED BY reports_received{where} GROUP BY 1 ORDER BY 1 {direction}", params


def group_counts(conn: Connection, f: QueueFilter, sort: str, descending: bool) -> list[tuple[Any, int]]:
    """Each value of a grouped sort's column among the filter's reports, with how many
    have it, in the order the pages show them (NULL first ascending, as SQLite sorts)."""
    sql, params = group_counts_query(f, sort, descending)
    return [(value, int(n)) for value, n in conn.execute(sql, params)]


def group_page_query(f: QueueFilter, sort: str, descending: bool) -> tuple[str, list[Any]]:
    """The SELECT for one group's part of a page, and its parameters between the group's
    value (the first) and LIMIT and OFFSET."""
    where, params = _where(f, f"{SORTS[sort][0]} IS ?")
    order = _order(("received_at",), descending)
    return f"SELECT {COLUMNS} FROM reports INDEXED BY reports_received{where} ORDER BY {order} LIMIT ? OFFSET ?", params


def page(
    conn: Connection, f: QueueFilter, sort: str, descending: bool, offset: int, limit: int,
    matching: int | None = None, groups: list[tuple[Any, int]] | None = None,
) -> list[tuple[Any, ...]]:
    """One page; ``matching`` is the filter's count and ``groups`` its ``group_counts`` if
    the caller knows them (else counted)."""
    matching = count(conn, f) if matching is None else matching
    if not grouped(sort, matching):
        sql, params = page_query(f, sort, descending, matching)
        return list(conn.execute(sql, [*params, limit, offset]))
    sql, params = group_page_query(f, sort, descending)
    rows: list[tuple[Any, ...]] = []
    for value, size in group_counts(conn, f, sort, descending) if groups is None else groups:
        if offset >= size:  # the page starts after this group
            offset -= size
            continue
        rows += conn.execute(sql, [value, *params, limit - len(rows), offset])
        offset = 0
        if len(rows) >= limit:
            break
    return rows
