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

Four sorts are *split* (``SPLITS``): status, priority, red flags and assignee, whose value
is the same for every report an import brings in (new, normal, none, nobody). Their
indexes hold only the other reports (partial indexes), so an import writes four index
entries fewer per report; the reports with the common value come, in the same order,
from ``reports_received`` (within one value the order is the time received, then the
id). A page of a split sort reads its segments in turn: those before the common value,
the common value, those after (reversed when descending).
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


@dataclass(frozen=True)
class Split:
    """A sort whose imported reports all share one value: its index holds the others
    (``partial``), and ``before``/``after`` say which of those sort before or after the
    reports with the common value (``common``), which ``reports_received`` orders."""

    common: str
    partial: str
    before: str | None
    after: str | None


SPLITS: dict[str, Split] = {
    "status": Split("status = 'new'", "status != 'new'", "status < 'new'", "status > 'new'"),
    # Priorities are normal, high and urgent (services/assessment.py): the others rank first.
    "priority": Split("priority = 'normal'", "priority != 'normal'", "priority != 'normal'", None),
    "red_flags": Split("red_flags = 0", "red_flags != 0", "red_flags < 0", "red_flags > 0"),
    "assigned": Split("assigned_to IS NULL", "assigned_to IS NOT NULL", None, "assigned_to IS NOT NULL"),  # NULL first
}


def _partial_index(name: str, terms: tuple[str, ...], partial: str) -> str:
    # The column the partial condition tests is held too (priority is sorted by its rank).
    column = partial.split()[0]
    rest = [c for c in _FILTERED.split(", ") if c not in terms]
    rest += [] if column in (*terms, *rest) else [column]
    return f"DROP INDEX {name};\nCREATE INDEX {name} ON reports ({', '.join((*terms, 'id', *rest))}) WHERE {partial};\n"


# Migration: the split sorts' indexes become partial. reports_received, which orders the
# reports with each split sort's common value, holds every column those sorts test
# (red_flags too), and the report id, so that the statistics can read it instead of an
# index of their own (statistics.ONE_INDEX).
SPLIT_SCHEMA = "".join(_partial_index(SORTS[sort][0], SORTS[sort][1], split.partial) for sort, split in SPLITS.items()) + (
    "DROP INDEX reports_received;\n"
    f"CREATE INDEX reports_received ON reports (received_at, id, {_FILTERED.removeprefix('received_at, ')},"
    " priority, red_flags, report_id);\n"
)


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


def _where(f: QueueFilter, *extra: str) -> tuple[str, list[Any]]:
    """The filter's WHERE clause (and ``extra`` conditions) with its parameters."""
    clauses: list[str] = list(extra)
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
    """The SELECT for a page of the filter's ``matching`` reports in one query, and its
    parameters before LIMIT and OFFSET: a small set, or a sort that is not split."""
    where, params = _where(f)
    index, terms = SORTS[sort]
    if sort == "force" and f.force:
        # One force: the column is constant. SQLite sees that for a column, not for this
        # expression, and would sort what the index already orders.
        terms = terms[1:]
    walk = f" INDEXED BY {index}" if matching > SMALL else ""
    return f"SELECT {COLUMNS} FROM reports{walk}{where} ORDER BY {_order(terms, descending)} LIMIT ? OFFSET ?", params


def _order(terms: tuple[str, ...], descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{term} {direction}" for term in (*terms, "id"))


@dataclass(frozen=True)
class Segment:
    """One stretch of a split sort's order: its count and its page (LIMIT ? OFFSET ? last)."""

    count_sql: str
    page_sql: str
    params: list[Any]


def segments(f: QueueFilter, sort: str, descending: bool) -> list[Segment]:
    """A split sort's segments, in the order the page shows them."""
    split = SPLITS[sort]
    index, terms = SORTS[sort]
    parts = [
        (index, terms, (split.partial, split.before)) if split.before else None,
        ("reports_received", ("received_at",), (split.common,)),
        (index, terms, (split.partial, split.after)) if split.after else None,
    ]
    found: list[Segment] = []
    for part in parts[::-1] if descending else parts:
        if part is None:
            continue
        walked, order, conditions = part
        where, params = _where(f, *conditions)
        source = f"reports INDEXED BY {walked}{where}"
        found.append(Segment(
            f"SELECT count(*) FROM {source}",
            f"SELECT {COLUMNS} FROM {source} ORDER BY {_order(order, descending)} LIMIT ? OFFSET ?",
            params,
        ))
    return found


def page(
    conn: Connection, f: QueueFilter, sort: str, descending: bool, offset: int, limit: int, matching: int | None = None
) -> list[tuple[Any, ...]]:
    """One page; ``matching`` is the filter's count if the caller knows it (else counted)."""
    matching = count(conn, f) if matching is None else matching
    if sort not in SPLITS or matching <= SMALL:
        sql, params = page_query(f, sort, descending, matching)
        return list(conn.execute(sql, [*params, limit, offset]))
    rows: list[tuple[Any, ...]] = []
    for segment in segments(f, sort, descending):
        if offset:  # the page starts past this segment's start: skip it whole if it can
            size = int(conn.execute(segment.count_sql, segment.params).fetchone()[0])
            if offset >= size:
                offset -= size
                continue
        rows += conn.execute(segment.page_sql, [*segment.params, limit - len(rows), offset])
        offset = 0
        if len(rows) == limit:
            break
    return rows
