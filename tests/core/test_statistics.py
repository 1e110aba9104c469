"""The statistics service against counts taken straight from the store, on a store with
the published figures' proportions (demo/bulk.py); retention keeps the counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from corekit import Room

from hotline_tui.demo.bulk import SEED_MET, SEED_ONLINE, SEED_PHONE, SEED_REFERRED, build, seed_plans
from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics, compute, drill_count
from hotline_tui.services.statistics.figures import figures
from hotline_tui.services.store_care.retention import DueList, delete_due, retention_periods, set_retention

SEED = Period(date(2022, 11, 1), date(2024, 2, 29))


@pytest.fixture
def seeded(room: Room, officer: Session) -> Session:
    build(officer.conn, seed_plans())
    return officer


def scalar(session: Session, sql: str, *params: object) -> int:
    return int(session.conn.execute(sql, params).fetchone()[0])


def test_the_published_figures(seeded: Session) -> None:
    stats = compute(seeded, SEED)
    assert (stats.contacts["phone"], stats.contacts["online"], stats.total_contacts) == (SEED_PHONE, SEED_ONLINE, 2878)
    assert stats.passed_on == SEED_REFERRED == 867
    assert stats.passed_by_force["metropolitan"] == SEED_MET == 728
    assert stats.passed_on - stats.passed_by_force["metropolitan"] == 139


def _direct(session: Session, start: str, end: str, force: str | None) -> dict[str, object]:
    """The figures counted straight from the tables, without the summaries or indexes."""
    where = "r.received_at >= ? AND r.received_at < ?" + (" AND coalesce(r.force_code, r.hint_code) = ?" if force else "")
    params = (start, end, *([force] if force else []))
    rows = session.conn.execute(f"SELECT r.channel, r.status, r.red_flags, r.report_id FROM reports r WHERE {where}", params)
    reports = rows.fetchall()
    sealed = session.conn.execute(
        f"SELECT f.referral_id, f.force_code FROM referrals f JOIN reports r ON r.report_id = f.report_id"
        f" WHERE f.state = 'sealed' AND {where}", params).fetchall()
    ids = {rid for rid, _ in sealed}
    outcomes = Counter(status for rid, status in set(session.conn.execute("SELECT referral_id, status FROM outcomes"))
                       if rid in ids)
    nfa = Counter(reason for (reason,) in session.conn.execute(
        f"SELECT json_extract(a.form, '$.nfa_reason') FROM assessments a JOIN reports r ON r.id = a.report_key"
        f" WHERE a.decision = 'no_further_action' AND {where}", params))
    return {
        "contacts": Counter(channel for channel, *_ in reports),
        "assessed": sum(1 for _, status, *_ in reports if status not in ("new", "in_assessment")),
        "red_flagged": sum(1 for _, _, flags, _ in reports if flags),
        "passed_by_force": Counter(force for _, force in sealed),
        "outcomes": outcomes,
        "nfa_reasons": nfa,
    }


def _figures(stats: Statistics) -> dict[str, object]:
    return {
        "contacts": +stats.contacts, "assessed": stats.assessed, "red_flagged": stats.red_flagged,
        "passed_by_force": +stats.passed_by_force, "outcomes": +stats.outcomes, "nfa_reasons": +stats.nfa_reasons,
    }


@pytest.mark.parametrize(("start", "end", "force"), [
    ("2022-11-01", "2024-02-29", None),          # whole months, all forces
    ("2023-02-11", "2023-09-17", None),          # a part month at each end
    ("2023-03-01", "2023-12-31", "metropolitan"),
    ("2023-05-05", "2023-05-20", "metropolitan"),  # inside one month
])
def test_figures_equal_direct_counts(seeded: Session, start: str, end: str, force: str | None) -> None:
    period = Period(date.fromisoformat(start), date.fromisoformat(end), force)
    stats = compute(seeded, period)
    assert _figures(stats) == _direct(seeded, period.cohort.start, period.cohort.end, force)


def test_every_figure_opens_to_as_many_reports(seeded: Session) -> None:
    stats = compute(seeded, Period(date(2023, 2, 11), date(2023, 9, 17)))
    for figure in figures(stats):
        if figure.selector is not None:
            assert drill_count(seeded, stats.period, figure.selector) == figure.count, figure.label


def test_one_behaviour_from_the_summaries_and_the_ends(seeded: Session) -> None:
    """Every seed report says 'corruption': the behaviour's figures are the whole's, from whole
    months (their behaviour summaries) and part months alike; another behaviour has none."""
    part = Period(date(2023, 2, 11), date(2023, 9, 17))
    for period in (SEED, part):
        whole, corruption = compute(seeded, period), compute(seeded, replace(period, behaviour="corruption"))
        assert _figures(corruption) == _figures(whole) and corruption.passed_on == whole.passed_on
    assert compute(seeded, replace(SEED, behaviour="discrimination")).total_contacts == 0


def test_the_summaries_follow_changes(seeded: Session) -> None:
    before = compute(seeded, SEED)
    key = scalar(seeded, "SELECT id FROM reports WHERE status = 'new' AND received_at LIKE '2023-06%' LIMIT 1")
    with seeded.conn:
        seeded.conn.execute("UPDATE reports SET status = 'information_only' WHERE id = ?", (key,))
    after = compute(seeded, SEED)
    assert after.assessed == before.assessed + 1


def test_an_analyst_sees_no_statistics(room: Room, seeded: Session) -> None:
    ann = room.unlock("ann")
    with pytest.raises(PermissionDenied):
        compute(ann, SEED)


def test_retention_deletes_past_reports_and_keeps_their_counts(room: Room, seeded: Session) -> None:
    before = compute(seeded, SEED)
    set_retention(seeded, "no_further_action", 365)
    set_retention(seeded, "referred", 300)  # outcomes run to spring 2025; the clock says March 2026
    due = DueList(seeded)
    expected = scalar(seeded, "SELECT count(*) FROM reports WHERE status IN ('no_further_action', 'referred')"
                              " AND received_at < '2024-03-01'")
    assert due.count() == expected > 0
    listed = due.page(0, 5)
    assert all(row.status in ("no_further_action", "referred") for row in listed)
    doomed = [row.key for row in due.page(0, expected)]
    referred = [rid for (rid,) in seeded.conn.execute(
        "SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.status = 'referred'")]
    deleted = delete_due(seeded)
    assert sum(deleted.values()) == expected
    marks = ",".join("?" * len(doomed))
    for table, column in (("reports", "id"), ("report_search", "rowid"), ("assessments", "report_key"),
                          ("subject_index", "report_key")):
        assert scalar(seeded, f"SELECT count(*) FROM {table} WHERE {column} IN ({marks})", *doomed) == 0, table
    assert scalar(seeded, f"SELECT count(*) FROM outcomes WHERE referral_id IN ({','.join('?' * len(referred))})",
                  *referred) == 0
    assert scalar(seeded, "SELECT count(*) FROM referrals") == 0
    after = compute(seeded, SEED)
    assert _figures(after) == _figures(before)
    assert (after.passed_on, after.removals, after.investigations, after.nfa) == \
        (before.passed_on, before.removals, before.investigations, before.nfa)
    assert after.to_referral == before.to_referral
    # the answer per report survives too (per officer goes with the links of deleted reports)
    assert +after.answer.reports == +before.answer.reports and before.answer.reports["investigation"] > 0
    assert {s: +c for s, c in after.answer.days_reports.items()} == {s: +c for s, c in before.answer.days_reports.items()}
    assert {f: +c for f, c in after.answer.by_force.items() if +c} == {f: +c for f, c in before.answer.by_force.items() if +c}
    assert after.archived == expected
    entry = seeded.conn.execute("SELECT actor, object, reason FROM audit WHERE action = 'retention.deleted'").fetchone()
    assert entry[0] == "olivia" and entry[1] == f"{expected} reports" and "counts kept" in entry[2]
    with pytest.raises(Refused):
        delete_due(seeded)


def test_retention_is_for_the_security_officer_and_decided_reports(room: Room, officer: Session) -> None:
    with pytest.raises(Refused):
        set_retention(officer, "new", 30)
    with pytest.raises(Refused):
        set_retention(officer, "duplicate", 0)
    set_retention(officer, "duplicate", 90)
    assert {p.status: p.days for p in retention_periods(officer)}["duplicate"] == 90
    set_retention(officer, "duplicate", None)
    assert {p.status: p.days for p in retention_periods(officer)}["duplicate"] is None
    sam = room.unlock("sam")
    with pytest.raises(PermissionDenied):
        set_retention(sam, "duplicate", 90)
