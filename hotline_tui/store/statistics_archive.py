"""The counts deleted reports leave behind: folded into ``statistics_archive`` before the
reports go (retention), and read back by the statistics.

One row per day received, channel, status, force, measure, value and, for the timing
measures, whole days. Measures: 'report', 'red_flagged', 'nfa_reason' (value: the
reason), 'passed_on', 'category' (value: the category), 'days_to_referral' (days),
'outcome' (value: the status; one per referral that reached it), 'removal',
'days_to_outcome' (value: the status; days from the referral to its first such outcome),
'reached' (value: a stage of the statistics' answer; days from the report to the first
day its referral reached it; since the per-officer statistics, so older deletions lack it).
"""

from __future__ import annotations

from collections.abc import Sequence

from hotline_tui.store.connection import Connection
from hotline_tui.store.statistics import Cohort

MEASURES = (
    "report", "red_flagged", "nfa_reason", "passed_on", "category", "days_to_referral", "outcome", "removal",
    "days_to_outcome", "reached",
)
# The stages of services/statistics/answer.py and the statuses that reach each.
STAGE_STATUSES = {
    "investigation": ("investigation_opened", "misconduct_proceedings", "criminal_proceedings", "dismissed",
                      "resigned_or_retired", "other_outcome"),
    "misconduct": ("misconduct_proceedings", "dismissed"),
    "criminal": ("criminal_proceedings",),
    "dismissed": ("dismissed",),
    "resigned": ("resigned_or_retired",),
}
# Whole calendar days between two RFC 3339 times or dates.
_DAYS = "CAST(julianday(substr({b}, 1, 10)) - julianday(substr({a}, 1, 10)) AS INTEGER)"


def archive(conn: Connection, cohort: Cohort) -> list[tuple[str, str, str, str, str, str, int, int]]:
    """(measure, value, month, channel, status, force, days, count) of deleted reports in the cohort
    (none for a cohort narrowed by category or behaviour: the archive keeps neither per report)."""
    if cohort.narrowed:
        return []
    clause = "day >= ? AND day < ?"
    params: list[object] = [cohort.start, cohort.end]
    if cohort.force:
        clause += " AND force_code = ?"
        params.append(cohort.force)
    return list(conn.execute(
        "SELECT measure, value, substr(day, 1, 7), channel, status, force_code, days, sum(count)"
        f" FROM statistics_archive WHERE {clause} GROUP BY 1, 2, 3, 4, 5, 6, 7",
        params,
    ))


_FOLD = """
INSERT INTO statistics_archive (day, channel, status, force_code, measure, value, days, count)
SELECT substr(r.received_at, 1, 10), r.channel, r.status, coalesce(r.force_code, r.hint_code, ''), {measure}, {value},
       {days}, count(*)
FROM temp.retiring t JOIN reports r ON r.id = t.key {joins}
{where}
GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (day, channel, status, force_code, measure, value, days) DO UPDATE SET count = count + excluded.count
"""
_SEALED = "JOIN referrals f ON f.report_id = r.report_id AND f.state = 'sealed'"
_FIRST = (
    _SEALED + " JOIN (SELECT referral_id, status, min(date) AS first FROM outcomes GROUP BY referral_id, status) o"
    " ON o.referral_id = f.referral_id"
)
_FOLDS: tuple[dict[str, str], ...] = (
    {"measure": "'report'", "value": "''", "days": "-1", "joins": "", "where": "WHERE 1"},
    {"measure": "'red_flagged'", "value": "''", "days": "-1", "joins": "", "where": "WHERE r.red_flags > 0"},
    {"measure": "'nfa_reason'", "value": "coalesce(a.nfa_reason, '')", "days": "-1",
     "joins": "JOIN assessments a ON a.report_key = r.id",
     "where": "WHERE r.status = 'no_further_action' AND a.decision = 'no_further_action'"},
    {"measure": "'passed_on'", "value": "''", "days": "-1", "joins": _SEALED, "where": "WHERE 1"},
    {"measure": "'category'", "value": "c.value", "days": "-1",
     "joins": _SEALED + " JOIN json_each(coalesce(f.categories, '[]')) c", "where": "WHERE 1"},
    {"measure": "'days_to_referral'", "value": "''", "days": _DAYS.format(a="r.received_at", b="f.sealed_at"),
     "joins": _SEALED, "where": "WHERE 1"},
    {"measure": "'outcome'", "value": "o.status", "days": "-1", "joins": _FIRST, "where": "WHERE 1"},
    {"measure": "'removal'", "value": "''", "days": "-1", "joins": _SEALED,
     "where": "WHERE EXISTS (SELECT 1 FROM outcomes x WHERE x.referral_id = f.referral_id"
              " AND x.status IN ('dismissed', 'resigned_or_retired'))"},
    {"measure": "'days_to_outcome'", "value": "o.status", "days": _DAYS.format(a="f.sealed_at", b="o.first"),
     "joins": _FIRST, "where": "WHERE 1"},
)

for _stage, _statuses in STAGE_STATUSES.items():
    _first = (f"(SELECT min(x.date) FROM outcomes x WHERE x.referral_id = f.referral_id"
              f" AND x.status IN ({', '.join(repr(s) for s in _statuses)}))")
    _FOLDS += ({"measure": "'reached'", "value": repr(_stage), "days": _DAYS.format(a="r.received_at", b=_first),
                "joins": _SEALED, "where": f"WHERE {_first} IS NOT NULL"},)


def fold_into_archive(conn: Connection, keys: Sequence[int]) -> None:
    """Add the counts of these reports (about to be deleted) to the archive; in the caller's transaction."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS retiring (key INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.retiring")
    conn.executemany("INSERT INTO temp.retiring (key) VALUES (?)", [(k,) for k in keys])
    for fold in _FOLDS:
        conn.execute(_FOLD.format(**fold))
    conn.execute("DELETE FROM temp.retiring")


