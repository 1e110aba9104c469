"""The people behind the reports, for the statistics' per-officer figures: which reports
the analysts confirmed are about the same person (their red-flag links).

The statistics read the links only through ``confirmed_pairs``, so a change in how red
flags are stored touches this one query. Links are few (each is an analyst's decision),
so they are read whole and joined in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from hotline_tui.store.connection import Connection
from hotline_tui.store.statistics import Cohort


def confirmed_pairs(conn: Connection) -> list[tuple[int, int]]:
    """(report key, report key) of every link an analyst confirmed: the same person."""
    return [(int(a), int(b)) for a, b in conn.execute("SELECT report_a, report_b FROM red_flag_links WHERE confirmed = 1")]


def in_cohort(conn: Connection, cohort: Cohort, keys: Sequence[int]) -> list[tuple[int, str]]:
    """(key, received_at) of those of ``keys`` that are in the cohort: one statement over a
    temporary list of the keys, so a narrowed cohort's clause is worked out once."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS statistics_keys (key INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.statistics_keys")
    conn.executemany("INSERT OR IGNORE INTO temp.statistics_keys (key) VALUES (?)", [(k,) for k in keys])
    where, params = cohort.where()
    try:
        return list(conn.execute(
            f"SELECT r.id, r.received_at FROM temp.statistics_keys t JOIN reports r ON r.id = t.key WHERE {where}", params))
    finally:
        conn.execute("DELETE FROM temp.statistics_keys")
