"""Retention: how long reports of each status are kept, which are past it, and deleting them.

A report's age for retention counts from its last event: received, decided, sealed to a
force, or the latest outcome the force sent about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hotline_tui.store.connection import Connection

SCHEMA = """
CREATE TABLE retention_periods (
    status TEXT PRIMARY KEY,
    days INTEGER NOT NULL CHECK (days > 0),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
) STRICT;
"""

# The later of the report's own events, as text that sorts by time (dates and RFC 3339 alike).
LAST_EVENT = """max(
    r.received_at,
    coalesce((SELECT decided_at FROM assessments a WHERE a.report_key = r.id), ''),
    coalesce((SELECT f.sealed_at FROM referrals f WHERE f.report_id = r.report_id), ''),
    coalesce((SELECT max(o.date) FROM referrals f JOIN outcomes o ON o.referral_id = f.referral_id
              WHERE f.report_id = r.report_id), '')
)"""
_DUE = f"""
FROM reports r JOIN retention_periods p ON p.status = r.status
WHERE substr({LAST_EVENT}, 1, 10) < date(?, '-' || p.days || ' days')
"""


def periods(conn: Connection) -> dict[str, tuple[int, str, str]]:
    """status -> (days, set_by, set_at)."""
    return {s: (int(d), b, a) for s, d, b, a in conn.execute("SELECT status, days, set_by, set_at FROM retention_periods")}


def set_period(conn: Connection, status: str, days: int, by: str, at: str) -> None:
    conn.execute(
        "INSERT INTO retention_periods (status, days, set_by, set_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (status) DO UPDATE SET days = excluded.days, set_by = excluded.set_by, set_at = excluded.set_at",
        (status, days, by, at),
    )


def clear_period(conn: Connection, status: str) -> None:
    conn.execute("DELETE FROM retention_periods WHERE status = ?", (status,))


def due_count(conn: Connection, today: str) -> int:
    return int(conn.execute(f"SELECT count(*) {_DUE}", (today,)).fetchone()[0])


def due_page(conn: Connection, today: str, offset: int, limit: int) -> list[tuple[Any, ...]]:
    """(key, reference, status, received_at, last event, days kept) of reports past retention, oldest first."""
    return list(conn.execute(
        f"SELECT r.id, r.reference, r.status, r.received_at, {LAST_EVENT} AS last, p.days {_DUE}"
        " ORDER BY last, r.id LIMIT ? OFFSET ?",
        (today, limit, offset),
    ))


def due_keys(conn: Connection, today: str, keys: Sequence[int]) -> list[tuple[int, str]]:
    """Of ``keys``, (key, status) of those still past retention on ``today``."""
    found: list[tuple[int, str]] = []
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found += [(int(k), s) for k, s in conn.execute(f"SELECT r.id, r.status {_DUE} AND r.id IN ({marks})", [today, *chunk])]
    return found


def all_due_keys(conn: Connection, today: str) -> list[int]:
    return [int(k) for (k,) in conn.execute(f"SELECT r.id {_DUE} ORDER BY r.id", (today,))]


def delete_reports(conn: Connection, keys: Sequence[int]) -> None:
    """Delete the reports and everything held about them, in the caller's transaction.

    Cascades take attachments, assessments, red-flag links and the subject index; the
    full-text row, outcomes and referral go here by hand (FTS5 has no foreign keys, and
    referrals and outcomes have none that cascade). ``secure_delete`` overwrites the
    freed pages; the full-text index removes the words at once ('secure-delete')."""
    rows = [(k,) for k in keys]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS deleting (key INTEGER PRIMARY KEY, report_id TEXT)")
    conn.execute("DELETE FROM temp.deleting")
    conn.executemany("INSERT INTO temp.deleting (key, report_id) SELECT id, report_id FROM reports WHERE id = ?", rows)
    conn.execute(
        "DELETE FROM outcomes WHERE referral_id IN (SELECT f.referral_id FROM referrals f"
        " JOIN temp.deleting d ON d.report_id = f.report_id)"
    )
    conn.execute("DELETE FROM referrals WHERE report_id IN (SELECT report_id FROM temp.deleting)")
    conn.executemany("DELETE FROM report_search WHERE rowid = ?", rows)
    conn.executemany("DELETE FROM reports WHERE id = ?", rows)
    conn.execute("DELETE FROM temp.deleting")
