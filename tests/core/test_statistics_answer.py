"""The answer (per officer and per report, how fast, by force, category and month, how
each force answers) computed from the hand-built history of statshistory.py, every figure
worked out by hand in the test."""

from __future__ import annotations

from dataclasses import replace

import pytest
from corekit import Room
from statshistory import QUARTER, build_history

from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Statistics, Timing, compute, drill_count
from hotline_tui.services.statistics.tables import (
    all_tables,
    answer_table,
    force_month_table,
    force_table,
    month_table,
    silent_lines,
    time_table,
)


@pytest.fixture
def stats(room: Room, officer: Session) -> Statistics:
    build_history(officer)
    return compute(officer, QUARTER)


def timing(count: int, median: float, p90: int) -> Timing:
    return Timing(count, median, p90)


def test_per_report_and_per_officer(stats: Statistics) -> None:
    answer = stats.answer
    # reports: R1-R7; referred R1 R2 R3 R4 R7; investigated R1 R2 R7 (R7 through criminal, dismissal);
    # misconduct R1 (proceedings) and R7 (a dismissal needs a hearing); criminal R7; dismissed R1 R7; resigned R2
    assert dict(answer.reports) == {"reported": 7, "referred": 5, "investigation": 3, "misconduct": 2, "criminal": 1,
                                    "dismissed": 2, "resigned": 1}
    # people P1 {R1,R3}, P2 {R2,R7}, P4, P5 {R5,R6}: four; referred P1 P2 P4; investigated P1 P2;
    # misconduct P1 (R1) P2 (R7); criminal P2; dismissed P1 P2; resigned P2
    assert dict(answer.officers) == {"reported": 4, "referred": 3, "investigation": 2, "misconduct": 2, "criminal": 1,
                                     "dismissed": 2, "resigned": 1}


def test_days_per_report(stats: Statistics) -> None:
    days = {stage: Timing.of(counter) for stage, counter in stats.answer.days_reports.items()}
    # to referral: R1 5, R2 7, R3 4, R4 1, R7 2 -> [1 2 4 5 7]: median 4, 90% (5th of 5) 7
    assert days["referred"] == timing(5, 4, 7)
    # to the first investigation: R1 01-05..01-20 15, R2 01-08..02-04 27, R7 01-20..02-10 21 -> median 21, 90% 27
    assert days["investigation"] == timing(3, 21, 27)
    # to dismissal: R1 01-05..02-25 51, R7 01-20..03-10 49 -> median 50, 90% (2nd of 2) 51
    assert days["dismissed"] == timing(2, 50, 51)
    assert days["resigned"] == timing(1, 52, 52)  # R2 01-08..03-01


def test_days_per_officer_run_from_the_first_report_about_the_person(stats: Statistics) -> None:
    days = {stage: Timing.of(counter) for stage, counter in stats.answer.days_officers.items()}
    # P1 from R1 01-05: referral 01-10 5, investigation 01-20 15, dismissed 02-25 51
    # P2 from R2 01-08: referral 01-15 7, investigation 02-04 27, dismissed (R7) 03-10 61, resigned 03-01 52
    # P4 from 02-10: referral 02-11 1
    assert days["referred"] == timing(3, 5, 7)
    assert days["investigation"] == timing(2, 21, 27)
    assert days["dismissed"] == timing(2, 56, 61)
    assert days["resigned"] == timing(1, 52, 52)


def test_by_force_category_month_and_force_by_month(stats: Statistics) -> None:
    answer = stats.answer
    assert dict(answer.by_force["kent"]) == {"referred": 3, "investigation": 2, "misconduct": 1, "dismissed": 1,
                                             "resigned": 1}
    assert dict(answer.by_force["essex"]) == {"referred": 2, "investigation": 1, "misconduct": 1, "criminal": 1,
                                              "dismissed": 1}
    assert dict(answer.by_category["theft_and_fraud"]) == {"referred": 3, "investigation": 2, "misconduct": 2,
                                                           "criminal": 1, "dismissed": 2}
    assert dict(answer.by_month["2026-01"]) == {"referred": 3, "investigation": 3, "misconduct": 2, "criminal": 1,
                                                "dismissed": 2, "resigned": 1}
    assert dict(answer.by_month["2026-02"]) == {"referred": 2}
    assert answer.force_month[("kent", "2026-02")] == {"referred": 1}
    assert answer.force_month[("essex", "2026-01")]["dismissed"] == 1
    assert Timing.of(answer.removal_days_by_force["kent"]) == timing(1, 51, 51)
    assert Timing.of(answer.removal_days_by_force["essex"]) == timing(1, 49, 49)


def test_how_each_force_answers(stats: Statistics) -> None:
    kent, essex = stats.answer.responses["kent"], stats.answer.responses["essex"]
    # kent acknowledged R1 after 2 days, R2 after 1, R3 after 3; first outcome R1 10, R2 20 days after sealing
    assert (kent.sealed, Timing.of(kent.acknowledged), Timing.of(kent.first_outcome)) == \
        (3, timing(3, 2, 3), timing(2, 15, 20))
    assert (kent.unanswered, kent.oldest_unanswered) == (0, None)
    # essex: R7 acknowledged after 8 days, first outcome after 19; R4 never answered, sealed 02-11
    assert (Timing.of(essex.acknowledged), Timing.of(essex.first_outcome)) == (timing(1, 8, 8), timing(1, 19, 19))
    assert essex.unanswered == 1 and essex.oldest_unanswered is not None
    assert stats.today.toordinal() - essex.oldest_unanswered == 31


def test_one_force_category_or_behaviour(officer: Session, stats: Statistics) -> None:
    kent = compute(officer, replace(QUARTER, force="kent")).answer
    # R1 R2 R3 R5 R6: people P1 {R1,R3}, P2 (R2; R7 is essex's), P5 {R5,R6}
    assert (kent.reports["reported"], kent.officers["reported"]) == (5, 3)
    assert (kent.reports["referred"], kent.officers["referred"]) == (3, 2)
    assert (kent.reports["dismissed"], kent.officers["dismissed"]) == (1, 1)
    theft = compute(officer, replace(QUARTER, category="theft_and_fraud")).answer
    assert (theft.reports["reported"], theft.officers["reported"]) == (3, 2)  # R1 R3 R7: P1, P2
    assert (theft.reports["dismissed"], theft.officers["dismissed"]) == (2, 2)
    sexual = compute(officer, replace(QUARTER, behaviour="sexual_misconduct")).answer
    assert (sexual.reports["reported"], sexual.reports["resigned"], sexual.reports["dismissed"]) == (1, 1, 0)


def test_a_shorter_period_follows_the_reports_received_in_it(officer: Session, stats: Statistics) -> None:
    february = compute(officer, replace(QUARTER, start=QUARTER.start.replace(month=2),
                                        end=QUARTER.start.replace(month=2, day=28))).answer
    # R3 and R4: R3 is P1's, whose R1 (January) is outside: P1 counts once, from R3
    assert dict(february.reports) == {"reported": 2, "referred": 2}
    assert february.officers["reported"] == 2
    assert Timing.of(february.days_officers["referred"]) == timing(2, 2.5, 4)  # R4 1, R3 4


def test_every_cell_opens_to_as_many_reports(officer: Session, stats: Statistics) -> None:
    opened = 0
    for table in all_tables(stats):
        for row in table.rows:
            for cell in row.cells:
                if cell.selector is not None and cell.kind == "count":
                    assert drill_count(officer, QUARTER, cell.selector) == cell.value, (table.key, row.label)
                    opened += 1
    answer = {row.code: row for row in answer_table(stats).rows}
    assert drill_count(officer, QUARTER, answer["dismissed"].selector) == 2  # type: ignore[arg-type]
    assert opened > 40


def test_the_tables_read_as_worked_out(stats: Statistics) -> None:
    times = {row.code: [c.value for c in row.cells] for row in time_table(stats).rows}
    assert times["dismissed"] == [2, 56, 61, 2, 50, 51]
    grid = force_month_table(stats, "referred")
    assert grid.columns == ["2026-01", "2026-02", "Total"]
    assert [(row.label, [c.value for c in row.cells]) for row in grid.rows] == [
        ("Kent Police", [2, 1, 3]), ("Essex Police", [1, 1, 2]), ("Total", [3, 2, 5])]
    forces = {row.code: [c.value for c in row.cells] for row in force_table(stats).rows}
    # referred..resigned, removal median, ack median, first outcome median, unanswered, silent for days
    assert forces["essex"] == [2, 1, 1, 1, 1, 0, 49, 8, 19, 1, 31]
    assert forces["kent"] == [3, 2, 1, 0, 1, 1, 51, 2, 15, 0, None]
    assert silent_lines(stats) == ["Essex Police: 1 of 2 sent unanswered, the oldest for 31 days"]
    months = {row.label: [c.value for c in row.cells] for row in month_table(stats).rows}
    assert months["2026-03"] == [2, 0, 0, 0, 0, 0, 0, None, None]
    assert months["Total"][:7] == [7, 5, 3, 2, 1, 2, 1] and months["Total"][7:] == [50, 51]
