"""The reports behind a figure: each figure of the statistics names a ``Selector``, a
clause over the cohort's reports, so it can be opened to the list (keys and codes only,
never a report's text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline_tui.store.connection import Connection
from hotline_tui.store.statistics import DECIDED, Cohort
from hotline_tui.store.statistics_archive import STAGE_STATUSES


@dataclass(frozen=True)
class Selector:
    """Which of the cohort's reports a figure counts: ``kind`` names a clause below."""

    kind: str
    value: str = ""
    cutoff: str = ""  # 'silent_force': sealed before this time
    extra: str = ""  # 'stage': narrowed to 'force:CODE', 'category:CODE', 'month:YYYY-MM' or 'force_month:CODE/YYYY-MM'


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


def _stage_where(selector: Selector) -> tuple[str, list[Any]]:
    """Reports whose sealed referral reached a stage of the statistics' answer, narrowed."""
    clause, params = "f.state = 'sealed'", []
    narrow, _, value = selector.extra.partition(":")
    if narrow == "force_month":
        value, _, month = value.partition("/")
        narrow = "force"
        clause += " AND f.report_id IN (SELECT report_id FROM reports WHERE substr(received_at, 1, 7) = ?)"
        params.append(month)
    if narrow == "force":
        clause += " AND f.force_code = ?"
        params.append(value)
    elif narrow == "category":
        clause += " AND EXISTS (SELECT 1 FROM json_each(coalesce(f.categories, '[]')) WHERE value = ?)"
        params.append(value)
    elif narrow == "month":
        clause += " AND f.report_id IN (SELECT report_id FROM reports WHERE substr(received_at, 1, 7) = ?)"
        params.append(value)
    if selector.value != "referred":
        statuses = STAGE_STATUSES[selector.value]
        clause += (" AND EXISTS (SELECT 1 FROM outcomes o WHERE o.referral_id = f.referral_id AND o.status IN"
                   f" ({', '.join('?' * len(statuses))}))")
        params += list(statuses)
    return f"r.report_id IN (SELECT f.report_id FROM referrals f WHERE {clause})", params


def _drill_where(cohort: Cohort, selector: Selector) -> tuple[str, list[Any]]:
    if selector.kind == "stage":
        where, params = cohort.where()
        stage, more = _stage_where(selector)
        return f"{where} AND {stage}", params + more
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
