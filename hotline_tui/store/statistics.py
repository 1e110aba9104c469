"""The statistics' queries: month summaries and narrow covering indexes, so no figure
reads a report's pages, and no figure steps through every report each time.

Each page read is a decryption, and a report's row carries its whole document, so the
queries here read covering indexes (the reports' columns come from reports_received). Whole
months come from ``statistics_months`` and ``statistics_nfa``: counts per month,
channel, status, force and red flag, recomputed from the reports index for the months
marked stale (a report changed, was deleted, or is newer than the summaries). The ends
of a period that are not whole months are counted from the index directly.

A cohort is the reports *received* in a period (``start`` inclusive, ``end`` exclusive,
both ``YYYY-MM-DD``), optionally about one force (the assessed force, or until then the
force the reporter's hint names, as in the queue). Every figure follows that cohort:
what became of the reports received in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hotline_tui.store.connection import Connection, transaction

SCHEMA = """
ALTER TABLE assessments ADD COLUMN nfa_reason TEXT
    GENERATED ALWAYS AS (CAST(json_extract(form, '$.nfa_reason') AS TEXT)) VIRTUAL;
ALTER TABLE referrals ADD COLUMN categories TEXT
    GENERATED ALWAYS AS (CAST(json_extract(document, '$.categories') AS TEXT)) VIRTUAL;

CREATE INDEX reports_statistics ON reports (status, received_at, channel, force_code, hint_code, red_flags, report_id);
CREATE INDEX assessments_statistics ON assessments (report_key, decision, nfa_reason);
CREATE INDEX referrals_statistics ON referrals (state, report_id, force_code, sealed_at, referral_id, categories);
CREATE INDEX outcomes_statistics ON outcomes (referral_id, status, date);

CREATE TABLE statistics_months (
    month TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    force_code TEXT NOT NULL,
    flagged INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (month, force_code, channel, status, flagged)
) STRICT, WITHOUT ROWID;
CREATE TABLE statistics_nfa (
    month TEXT NOT NULL,
    force_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (month, force_code, reason)
) STRICT, WITHOUT ROWID;
-- Months whose summaries must be recomputed; reports newer than 'summarised' are too.
CREATE TABLE statistics_stale (month TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
CREATE TABLE statistics_state (one INTEGER PRIMARY KEY CHECK (one = 1), summarised INTEGER NOT NULL) STRICT;
INSERT INTO statistics_state VALUES (1, 0);
CREATE TRIGGER statistics_report_changed AFTER UPDATE OF received_at, channel, status, force_code, hint_code, red_flags
ON reports BEGIN
    INSERT OR IGNORE INTO statistics_stale VALUES (substr(OLD.received_at, 1, 7)), (substr(NEW.received_at, 1, 7));
END;
CREATE TRIGGER statistics_report_deleted AFTER DELETE ON reports BEGIN
    INSERT OR IGNORE INTO statistics_stale VALUES (substr(OLD.received_at, 1, 7));
    UPDATE statistics_state SET summarised = min(summarised, OLD.id - 1);  -- its id may be given again
END;
CREATE TRIGGER statistics_decision_changed AFTER UPDATE OF decision, form ON assessments BEGIN
    INSERT OR IGNORE INTO statistics_stale SELECT substr(received_at, 1, 7) FROM reports WHERE id = NEW.report_key;
END;

CREATE TABLE statistics_archive (
    day TEXT NOT NULL,              -- YYYY-MM-DD the deleted reports were received
    channel TEXT NOT NULL,
    status TEXT NOT NULL,           -- the reports' status when deleted
    force_code TEXT NOT NULL,       -- the assessed force, or the hint's; '' if neither
    measure TEXT NOT NULL,          -- see statistics_archive.MEASURES
    value TEXT NOT NULL DEFAULT '', -- a category, an NFA reason or an outcome status
    days INTEGER NOT NULL DEFAULT -1,  -- whole days, for the timing measures
    count INTEGER NOT NULL,
    PRIMARY KEY (day, channel, status, force_code, measure, value, days)
) STRICT, WITHOUT ROWID;

-- FTS5 removes a deleted row's words from its index at once (not at the next merge).
INSERT INTO report_search (report_search, rank) VALUES ('secure-delete', 1);
"""

# Migration: the statistics read reports_received, which holds their columns since the
# queue's GROUPED_SORTS; one index fewer for an import to write.
ONE_INDEX = "DROP INDEX reports_statistics;"

# Migration: the publication export's disclosure threshold, set by a supervisor.
DISCLOSURE = """
CREATE TABLE statistics_disclosure (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    threshold INTEGER NOT NULL CHECK (threshold >= 2),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
) STRICT;
"""
DEFAULT_THRESHOLD = 5

# Migration: month summaries by the reporter's behaviour (a report counted once under each
# behaviour it carries), read only for one behaviour; every summarised month recomputed.
BEHAVIOUR_SUMMARIES = """
CREATE TABLE statistics_behaviours (
    month TEXT NOT NULL,
    behaviour INTEGER NOT NULL,  -- one bit of reports.behaviour_mask
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    force_code TEXT NOT NULL,
    flagged INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (month, behaviour, force_code, channel, status, flagged)
) STRICT, WITHOUT ROWID;
CREATE TABLE statistics_nfa_behaviours (
    month TEXT NOT NULL,
    behaviour INTEGER NOT NULL,
    force_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (month, behaviour, force_code, reason)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO statistics_stale SELECT DISTINCT month FROM statistics_months;
"""
_BITS = "(SELECT column1 AS bit FROM (VALUES " + ", ".join(f"({1 << n})" for n in range(16)) + "))"

DECIDED = ("awaiting_approval", "approved", "referred", "no_further_action", "duplicate", "information_only")
REMOVALS = ("dismissed", "resigned_or_retired")
_FORCE = "coalesce(r.force_code, r.hint_code, '')"
_FEW_NEW = 2000


@dataclass(frozen=True)
class Cohort:
    start: str  # YYYY-MM-DD, inclusive
    end: str  # YYYY-MM-DD, exclusive
    force: str | None = None
    category: str | None = None  # the referral's category (only referred reports have one)
    behaviour: int | None = None  # a bit of reports.behaviour_mask: what the reporter chose

    @property
    def narrowed(self) -> bool:
        """By category or behaviour: counted from the index, never from the month summaries."""
        return self.category is not None or self.behaviour is not None

    def where(self, alias: str = "r") -> tuple[str, list[Any]]:
        clause = f"{alias}.received_at >= ? AND {alias}.received_at < ?"
        params: list[Any] = [self.start, self.end]
        if self.force:
            clause += f" AND coalesce({alias}.force_code, {alias}.hint_code, '') = ?"
            params.append(self.force)
        if self.behaviour is not None:
            clause += f" AND ({alias}.behaviour_mask & ?) != 0"
            params.append(self.behaviour)
        if self.category is not None:
            # By key, which the reports' covering indexes hold (report_id would read every row).
            clause += (f" AND {alias}.id IN (SELECT k.id FROM referrals c JOIN reports k ON k.report_id = c.report_id"
                       " WHERE c.state = 'sealed' AND EXISTS (SELECT 1 FROM json_each(coalesce(c.categories, '[]'))"
                       " WHERE value = ?))")
            params.append(self.category)
        return clause, params

    def split(self) -> tuple[list[str], list[Cohort]]:
        """The whole months inside the cohort (YYYY-MM), and the cohorts of the ends left over."""
        first = _month_start(self.start, up=True)
        last = _month_start(self.end, up=False)
        if first >= last or self.category is not None:
            return [], [self]
        months, month = [], first
        while month < last:
            months.append(month[:7])
            month = _next_month(month)
        ends = [Cohort(a, b, self.force, behaviour=self.behaviour) for a, b in ((self.start, first), (last, self.end))
                if a < b]
        return months, ends


def _next_month(day: str) -> str:
    moment = date.fromisoformat(day)
    return (date(moment.year + 1, 1, 1) if moment.month == 12 else date(moment.year, moment.month + 1, 1)).isoformat()


def _month_start(day: str, *, up: bool) -> str:
    first = day[:7] + "-01"
    return _next_month(first) if up and first != day else first


# -- the month summaries -------------------------------------------------------------------------


def _groups_sql(where: str, *, by_behaviour: bool = False) -> str:
    """The month summaries' rows; ``by_behaviour``: once for each behaviour bit a report carries."""
    if by_behaviour:
        return (
            f"SELECT substr(r.received_at, 1, 7), b.bit, r.channel, r.status, {_FORCE}, r.red_flags > 0, count(*)"
            f" FROM reports r INDEXED BY reports_received JOIN {_BITS} b ON (r.behaviour_mask & b.bit) != 0"
            f" WHERE {where} GROUP BY 1, 2, 3, 4, 5, 6"
        )
    return (
        f"SELECT substr(r.received_at, 1, 7), r.channel, r.status, {_FORCE}, r.red_flags > 0, count(*)"
        f" FROM reports r INDEXED BY reports_received WHERE {where} GROUP BY 1, 2, 3, 4, 5"
    )


def _nfa_sql(where: str, *, by_behaviour: bool = False) -> str:
    bit, join = ("b.bit, ", f" JOIN {_BITS} b ON (r.behaviour_mask & b.bit) != 0") if by_behaviour else ("", "")
    return (
        f"SELECT substr(r.received_at, 1, 7), {bit}{_FORCE}, coalesce(a.nfa_reason, ''), count(*)"
        f" FROM reports r INDEXED BY reports_received{join} JOIN assessments a INDEXED BY assessments_statistics"
        f" ON a.report_key = r.id WHERE r.status = 'no_further_action' AND a.decision = 'no_further_action'"
        f" AND {where} GROUP BY {'1, 2, 3, 4' if by_behaviour else '1, 2, 3'}"
    )


def refresh(conn: Connection) -> int:
    """Recompute the summaries of the stale months (in one transaction); returns how many."""
    with transaction(conn):
        summarised = int(conn.execute("SELECT summarised FROM statistics_state").fetchone()[0])
        newest = int(conn.execute("SELECT coalesce(max(id), 0) FROM reports").fetchone()[0])
        months = {m for (m,) in conn.execute("SELECT month FROM statistics_stale")}
        if newest > summarised:
            # A few new reports: their own rows. Many (a bulk import): the index, which holds
            # the id too, instead of every page of the reports (each a decryption).
            source = "reports" if newest - summarised <= _FEW_NEW else "reports INDEXED BY reports_received"
            months |= {m for (m,) in conn.execute(
                f"SELECT DISTINCT substr(received_at, 1, 7) FROM {source} WHERE id > ?", (summarised,))}
        for month in sorted(months):
            start = f"{month}-01"
            where, params = "r.received_at >= ? AND r.received_at < ?", [start, _next_month(start)]
            for table in ("statistics_months", "statistics_nfa", "statistics_behaviours", "statistics_nfa_behaviours"):
                conn.execute(f"DELETE FROM {table} WHERE month = ?", (month,))
            conn.execute(f"INSERT INTO statistics_months {_groups_sql(where)}", params)
            conn.execute(f"INSERT INTO statistics_nfa {_nfa_sql(where)}", params)
            conn.execute(f"INSERT INTO statistics_behaviours {_groups_sql(where, by_behaviour=True)}", params)
            conn.execute(f"INSERT INTO statistics_nfa_behaviours {_nfa_sql(where, by_behaviour=True)}", params)
        conn.execute("DELETE FROM statistics_stale")
        conn.execute("UPDATE statistics_state SET summarised = ?", (newest,))
    return len(months)


def _months_where(months: list[str], cohort: Cohort) -> tuple[str, list[Any]]:
    clause, params = "month >= ? AND month <= ?", list[Any]([months[0], months[-1]])
    if cohort.force:
        clause += " AND force_code = ?"
        params.append(cohort.force)
    if cohort.behaviour is not None:
        clause += " AND behaviour = ?"
        params.append(cohort.behaviour)
    return clause, params


def report_groups(conn: Connection, cohort: Cohort) -> list[tuple[str, str, str, str, int, int]]:
    """(month, channel, status, force, red-flagged 0/1, count) over the cohort."""
    months, ends = cohort.split()
    rows: list[tuple[str, str, str, str, int, int]] = []
    if months:
        where, params = _months_where(months, cohort)
        table = "statistics_months" if cohort.behaviour is None else "statistics_behaviours"
        rows += conn.execute(
            f"SELECT month, channel, status, force_code, flagged, sum(count) FROM {table} WHERE {where}"
            " GROUP BY 1, 2, 3, 4, 5", params)
    for end in ends:
        where, params = end.where()
        rows += conn.execute(_groups_sql(where), params)
    return rows


def nfa_reasons(conn: Connection, cohort: Cohort) -> list[tuple[str, int]]:
    """(reason code, count) of the cohort's reports closed with no further action."""
    months, ends = cohort.split()
    rows: list[tuple[str, int]] = []
    if months:
        where, params = _months_where(months, cohort)
        table = "statistics_nfa" if cohort.behaviour is None else "statistics_nfa_behaviours"
        rows += conn.execute(f"SELECT reason, sum(count) FROM {table} WHERE {where} GROUP BY 1", params)
    for end in ends:
        where, params = end.where()
        rows += [(reason, n) for _, _, reason, n in conn.execute(_nfa_sql(where), params)]
    return rows


# -- referrals and outcomes --------------------------------------------------------------------


def referred_reports(conn: Connection, cohort: Cohort) -> list[tuple[str, str, int]]:
    """(report_id, received_at, report key) of the cohort's referred reports."""
    where, params = cohort.where()
    return list(conn.execute(
        f"SELECT r.report_id, r.received_at, r.id FROM reports r INDEXED BY reports_received WHERE r.status = 'referred'"
        f" AND {where}",
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


def outcomes(conn: Connection) -> list[tuple[str, str, str]]:
    """(referral_id, status, date) of every outcome held, in that order (a covering index)."""
    return list(conn.execute(
        "SELECT referral_id, status, date FROM outcomes INDEXED BY outcomes_statistics ORDER BY referral_id, status, date"
    ))


# -- disclosure control --------------------------------------------------------------------------


def disclosure_threshold(conn: Connection) -> tuple[int, str, str]:
    """(threshold, set by, set at); the default until a supervisor sets one."""
    row = conn.execute("SELECT threshold, set_by, set_at FROM statistics_disclosure").fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else (DEFAULT_THRESHOLD, "", "")


def set_disclosure_threshold(conn: Connection, threshold: int, by: str, at: str) -> None:
    conn.execute(
        "INSERT INTO statistics_disclosure (one, threshold, set_by, set_at) VALUES (1, ?, ?, ?)"
        " ON CONFLICT (one) DO UPDATE SET threshold = excluded.threshold, set_by = excluded.set_by, set_at = excluded.set_at",
        (threshold, by, at),
    )
