"""Disclosure control, worked by hand: primary suppression, secondary suppression so no
hidden cell can be worked out from the totals, days on too few cases; the threshold is a
supervisor's, audited."""

from __future__ import annotations

import pytest
from corekit import Room

from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services.session import Session
from hotline_tui.services.statistics.disclosure import FEWER, WITHHELD, control, set_threshold, threshold
from hotline_tui.services.statistics.tables import Cell, Row, Table


def grid(rows: list[list[int]], *, totals: bool = True) -> Table:
    """Rows of counts with a total column and a totals row added."""
    table = Table("t", "t", [f"m{i}" for i in range(len(rows[0]))] + ["Total"], total_column=True)
    for number, values in enumerate(rows):
        table.rows.append(Row(f"r{number}", "", [Cell(v) for v in [*values, sum(values)]]))
    if totals:
        sums = [sum(col) for col in zip(*rows, strict=True)]
        table.rows.append(Row("Total", "", [Cell(v) for v in [*sums, sum(sums)]], total=True))
    return table


def test_a_small_count_is_hidden_with_the_next_smallest_of_its_row_and_column() -> None:
    #        m0  m1  m2 | total
    # r0     10   3  20 |  33     3 < 5: fewer; r0 then hides its next smallest, 10 (withheld)
    # r1     12   8   9 |  29     column m1 (3, 8, total 11) hides 8; column m0 (10, 12) hides 12;
    # total  22  11  29 |  62     r1 now hides 12 and 8: two, nothing more
    hidden = control(grid([[10, 3, 20], [12, 8, 9]]), 5)
    assert hidden == {(0, 1): FEWER, (0, 0): WITHHELD, (1, 1): WITHHELD, (1, 0): WITHHELD}
    for group in ([(0, 0), (0, 1), (0, 2), (0, 3)], [(1, 0), (1, 1), (1, 2), (1, 3)],
                  [(0, 0), (1, 0), (2, 0)], [(0, 1), (1, 1), (2, 1)], [(0, 2), (1, 2), (2, 2)]):
        assert sum(1 for p in group if p in hidden) != 1, group


def test_zeros_are_shown_and_never_used_to_hide() -> None:
    # r0: 0 2 0 | 2: the 2 is fewer; no other non-zero in the row: the row's total (2, itself fewer) is hidden
    hidden = control(grid([[0, 2, 0]], totals=False), 5)
    assert hidden == {(0, 1): FEWER, (0, 3): FEWER}
    assert control(grid([[0, 7, 0]], totals=False), 5) == {}


def test_a_threshold_of_three() -> None:
    assert control(grid([[10, 3, 20]], totals=False), 3) == {}
    assert control(grid([[10, 2, 20]], totals=False), 3) == {(0, 1): FEWER, (0, 0): WITHHELD}


def test_days_on_too_few_cases_are_withheld() -> None:
    table = Table("d", "d", ["n", "median"], rows=[Row("a", "", [Cell(4), Cell(12.5, "days", 4)]),
                                                     Row("b", "", [Cell(9), Cell(30.0, "days", 9)])])
    assert control(table, 5) == {(0, 0): FEWER, (0, 1): WITHHELD}


def test_the_threshold_is_a_supervisors_and_audited(room: Room, officer: Session) -> None:
    assert threshold(officer).value == 5
    with pytest.raises(PermissionDenied):
        set_threshold(officer, 10)
    sam = room.unlock("sam")
    with pytest.raises(Refused):
        set_threshold(sam, 1)
    set_threshold(sam, 10)
    assert (threshold(sam).value, threshold(sam).set_by) == (10, "sam")
    entry = sam.conn.execute("SELECT actor, reason FROM audit WHERE action = 'statistics.threshold_set'").fetchone()
    assert tuple(entry) == ("sam", "5 -> 10")
