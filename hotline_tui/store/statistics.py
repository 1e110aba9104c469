"""The statistics' queries: narrow covering indexes, so no figure reads a report's pages.

Each page read is a decryption, and a report's row carries its whole document, so every
query here is answered from an index holding just the columns it needs (migration 7):
a statistic over 100k reports reads a few MB of index, never the documents.

A cohort is the reports *received* in a period (``start`` inclusive, ``end`` exclusive,
both ``YYYY-MM-DD``), optionally about one force (the assessed force, or until then the
force the reporter's hint names, as in the queue). Every figure follows that cohort:
what became of the reports received in the period.

Reports deleted under the retention rules leave their counts in ``statistics_archive``
(one row per day received, channel, status, force, measure, value and, for the timing
measures, whole days), which the statistics add in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hotline_tui.store.connection import Connection

SCHEMA = """
ALTER TABLE assessments ADD COLUMN nfa_reason TEXT
    GENERATED ALWAYS AS (CAST(json_extract(form, '$.nfa_reason') AS TEXT)) VIRTUAL;
ALTER TABLE referrals ADD COLUMN categories TEXT
    GENERATED ALWAYS AS (CAST(json_extract(document, '$.categories') AS TEXT)) VIRTUAL;

CREATE INDEX reports_statistics ON reports (received_at, channel, status, force_code, hint_code, red_flags, report_id);
CREATE INDEX assessments_statistics ON assessments (report_key, decision, nfa_reason);
CREATE INDEX referrals_statistics ON referrals (state, report_id, force_code, sealed_at, referral_id, categories);
CREATE INDEX outcomes_statistics ON outcomes (referral_id, status, date);

CREATE TABLE statistics_archive (
    day TEXT NOT NULL,              -- YYYY-MM-DD the deleted reports were received
    channel TEXT NOT NULL,
    status TEXT NOT NULL,           -- the reports' status when deleted
    force_code TEXT NOT NULL,       -- the assessed force, or the hint's; '' if neither
    measure TEXT NOT NULL,          -- see ARCHIVE_MEASURES
    value TEXT NOT NULL DEFAULT '', -- a category, an NFA reason or an outcome status
    days INTEGER NOT NULL DEFAULT -1,  -- whole days, for the timing measures
    count INTEGER NOT NULL,
    PRIMARY KEY (day, channel, status, force_code, measure, value, days)
) STRICT, WITHOUT ROWID;

-- FTS5 removes a deleted row's words from its index at once (not at the next merge).
INSERT INTO report_search (report_search, rank) VALUES ('secure-delete', 1);
"""

DECIDED = ("awaiting_approval", "referred", "no_further_action", "duplicate", "information_only")
REMOVALS = ("dismissed", "resigned_or_retired")
ARCHIVE_MEASURES = (
    "report", "red_flagged", "nfa_reason", "passed_on", "category", "days_to_referral", "outcome", "removal",
    "days_to_outcome",
)
# Whole calendar days between two RFC 3339 times or dates.
_DAYS = "CAST(julianday(substr({b}, 1, 10)) - julianday(substr({a}, 1, 10)) AS INTEGER)"


@dataclass(frozen=True)
class Cohort:
    start: str  # YYYY-MM-DD, inclusive
    end: str  # YYYY-MM-DD, exclusive
    force: str | None = None

    def where(self, alias: str = "r") -> tuple[str, list[Any]]:
        clause = f"{alias}.received_at >= ? AND {alias}.received_at < ?"
        params: list[Any] = [self.start, self.end]
        if self.force:
            clause += f" AND coalesce({alias}.force_code, {alias}.hint_code) = ?"
            params.append(self.force)
        return clause, params


def report_groups(conn: Connection, cohort: Cohort) -> list[tuple[str, str, str, str, int, int]]:
    """(month, channel, status, force, red-flagged 0/1, count) over the cohort."""
    where, params = cohort.where()
    return list(conn.execute(
        "SELECT substr(r.received_at, 1, 7), r.channel, r.status, coalesce(r.force_code, r.hint_code, ''),"
        f" r.red_flags > 0, count(*) FROM reports r INDEXED BY reports_statistics WHERE {where}"
        " GROUP BY 1, 2, 3, 4, 5",
        params,
    ))


def nfa_reasons(conn: Connection, cohort: Cohort) -> list[tuple[str, int]]:
    """(reason code, count) of the cohort's reports closed with no further action."""
    where, params = cohort.where()
    return list(conn.execute(
        "SELECT coalesce(a.nfa_reason, ''), count(*) FROM reports r INDEXED BY reports_statistics"
        " JOIN assessments a INDEXED BY assessments_statistics ON a.report_key = r.id"
        f" WHERE {where} AND r.status = 'no_further_action' AND a.decision = 'no_further_action' GROUP BY 1",
        params,
    ))


def referred_reports(conn: Connection, cohort: Cohort) -> list[tuple[str, str]]:
    """(report_id, received_at) of the cohort's referred reports."""
    where, params = cohort.where()
    return list(conn.execute(
        f"SELECT r.report_id, r.received_at FROM reports r INDEXED BY reports_statistics WHERE {where}"
        " AND r.status = 'referred'",
        params,
    ))


def sealed_referrals(conn: Connection) -> list[tuple[str, str, str, str, str]]:
    """(report_id, referral_id, force, sealed_at, categories JSON) of every sealed referral,
    read in one pass of a covering index (joined to the cohort by the caller: probing it
    once per report would read its pages in random order)."""
    return list(conn.execute(
        "SELECT report_id, referral_id, force_code, sealed_at, coalesce(categories, '[]')"
        " FROM referrals INDEXED BY referrals_statistics WHERE state = 'sealed'"
    ))


def first_outcomes(conn: Connection) -> list[tuple[str, str, str]]:
    """(referral_id, status, first date of that status) for every outcome held."""
    return list(conn.execute(
        "SELECT referral_id, status, min(date) FROM outcomes INDEXED BY outcomes_statistics GROUP BY referral_id, status"
    ))


def archive(conn: Connection, cohort: Cohort) -> list[tuple[str, str, str, str, str, str, int, int]]:
    """(measure, value, month, channel, status, force, days, count) of deleted reports in the cohort."""
    clause = "day >= ? AND day < ?"
    params: list[Any] = [cohort.start, cohort.end]
    if cohort.force:
        clause += " AND force_code = ?"
        params.append(cohort.force)
    return list(conn.execute(
        "SELECT measure, value, substr(day, 1, 7), channel, status, force_code, days, sum(count)"
        f" FROM statistics_archive WHERE {clause} GROUP BY 1, 2, 3, 4, 5, 6, 7",
        params,
    ))


# -- folding deleted reports into the archive -----------------------------------------------

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


def fold_into_archive(conn: Connection, keys: Sequence[int]) -> None:
    """Add the counts of these reports (about to be deleted) to the archive; in the caller's transaction."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS retiring (key INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.retiring")
    conn.executemany("INSERT INTO temp.retiring (key) VALUES (?)", [(k,) for k in keys])
    for fold in _FOLDS:
        conn.execute(_FOLD.format(**fold))
    conn.execute("DELETE FROM temp.retiring")


# -- the reports behind a figure ---------------------------------------------------------------


@dataclass(frozen=True)
class Selector:
    """Which of the cohort's reports a figure counts: ``kind`` names a clause below."""

    kind: str
    value: str = ""
    cutoff: str = ""  # 'silent_force': sealed before this time


_SEALED_IDS = "SELECT report_id FROM referrals WHERE state = 'sealed'"
_WITH_OUTCOME = (
    "SELECT f.report_id FROM referrals f JOIN outcomes o ON o.referral_id = f.referral_id"
    " WHERE f.state = 'sealed' AND o.status IN ({marks})"
)
_CLAUSES: dict[str, str] = {
    "all": "1",
    "channel": "r.channel = ?",
    "month": "substr(r.received_at, 1, 7) = ?",
    "month_channel": "substr(r.received_at, 1, 7) || '/' || r.channel = ?",
    "assessed": f"r.status IN ({', '.join(repr(s) for s in DECIDED)})",
    "status": "r.status = ?",
    "nfa_reason": "r.status = 'no_further_action' AND r.id IN (SELECT report_key FROM assessments"
                  " WHERE decision = 'no_further_action' AND coalesce(nfa_reason, '') = ?)",
    "passed_on": f"r.report_id IN ({_SEALED_IDS})",
    "passed_on_force": f"r.report_id IN ({_SEALED_IDS} AND force_code = ?)",
    "passed_on_month": f"r.report_id IN ({_SEALED_IDS}) AND substr(r.received_at, 1, 7) = ?",
    "category": f"r.report_id IN ({_SEALED_IDS} AND EXISTS (SELECT 1 FROM json_each(coalesce(categories, '[]'))"
                " WHERE value = ?))",
    "outcome": "r.report_id IN (" + _WITH_OUTCOME.format(marks="?") + ")",
    "removal": "r.report_id IN (" + _WITH_OUTCOME.format(marks="'dismissed', 'resigned_or_retired'") + ")",
    "red_flagged": "r.red_flags > 0",
    "silent_force": f"r.report_id IN ({_SEALED_IDS} AND force_code = ? AND sealed_at < ?"
                    " AND referral_id NOT IN (SELECT referral_id FROM outcomes))",
}
_PARAMS = {
    "channel", "month", "month_channel", "status", "nfa_reason", "passed_on_force", "passed_on_month", "category", "outcome",
}
DRILL_COLUMNS = (
    "r.id, r.reference, r.received_at, r.channel, coalesce(r.force_code, r.hint_code, ''), r.force_code IS NOT NULL,"
    " r.status, r.red_flags"
)


def _drill_where(cohort: Cohort, selector: Selector) -> tuple[str, list[Any]]:
    if selector.kind not in _CLAUSES:
        raise ValueError(f"unknown figure {selector.kind!r}")
    where, params = cohort.where()
    if selector.kind in _PARAMS:
        params.append(selector.value)
    elif selector.kind == "silent_force":
        params += [selector.value, selector.cutoff]
    return f"{where} AND {_CLAUSES[selector.kind]}", params


def drill_count(conn: Connection, cohort: Cohort, selector: Selector) -> int:
    where, params = _drill_where(cohort, selector)
    return int(conn.execute(f"SELECT count(*) FROM reports r WHERE {where}", params).fetchone()[0])


def drill_page(conn: Connection, cohort: Cohort, selector: Selector, offset: int, limit: int) -> list[tuple[Any, ...]]:
    """The reports behind a figure, oldest first: keys and codes only, never their text."""
    where, params = _drill_where(cohort, selector)
    return list(conn.execute(
        f"SELECT {DRILL_COLUMNS} FROM reports r WHERE {where} ORDER BY r.received_at, r.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ))
