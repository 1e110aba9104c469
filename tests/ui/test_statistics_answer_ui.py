"""The statistics screen's answer from the keyboard, on the demo room with history: the
tables show what the service computes, a force x month cell opens to its reports and the
drill-down shows each report's referral and outcomes with the days between; the measure
changes with m; a supervisor sets the publication threshold (audited), an officer cannot;
the publication export from the keyboard holds no report text and no day-level date;
snapshots of the answer, by force and charts at 100x30 and 160x48."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from statskit import history_room, history_template, open_as, report_texts
from test_statistics_ui import export_from_keyboard, open_statistics, table_rows
from textual.widgets import DataTable, Input, Label, Static
from uikit import SIZE, settle, shown

from hotline_tui.app import HotlineApp
from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.statistics.statistics_drill import DrillScreen
from hotline_tui.services.statistics import Period, compute
from hotline_tui.widgets.paged_table import PagedTable

__all__ = ["history_room", "history_template"]  # fixtures
DEFAULT = Period(date(2025, 12, 1), date(2026, 11, 20))  # the screen's default period at the fixed clock


def numbers(row: list[str]) -> list[str]:
    return [cell.replace(",", "") for cell in row[1:]]


async def test_the_answer_on_screen_is_the_services(history_room: DemoRoom,
                                                    make_app: Callable[..., HotlineApp]) -> None:
    officer = open_as(history_room, "officer")
    try:
        answer = compute(officer, DEFAULT).answer
    finally:
        officer.close()
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_statistics(pilot, "officer")
        rows = {r[0]: numbers(r) for r in table_rows(screen.query_one("#answer", DataTable))}
        silent = shown(screen.query_one("#silent", Static))
    assert rows["Reported"] == [str(answer.officers["reported"]), str(answer.reports["reported"])]
    assert rows["Referred to a force"] == [str(answer.officers["referred"]), str(answer.reports["referred"])]
    assert rows["Investigated"] == [str(answer.officers["investigation"]), str(answer.reports["investigation"])]
    assert answer.reports["referred"] > 0 and answer.reports["investigation"] > 0
    assert "Forces that have not answered:" in silent and "sent unanswered, the oldest for" in silent


async def test_a_force_month_cell_opens_to_its_reports_and_their_outcomes(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_statistics(pilot, "sam")
        await pilot.press("2")
        await settle(pilot)
        grid = screen.query_one("#force-month", DataTable)
        assert app.focused is grid
        title = str(screen.query_one("#force-month-title", Label).render())
        assert title.startswith("Referred to a force, by force and month received")
        first = table_rows(grid)[0]
        column = next(i for i, cell in enumerate(first[1:-1], 1) if cell not in ("0", ""))
        grid.move_cursor(row=0, column=column)
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert drill.query_one(PagedTable).row_count == int(first[column])
        steps = shown(drill.query_one("#drill-steps", Static))
        assert re.match(r"HTR-\d{4}-\d{6} sealed to .+ \d{4}-\d{2}-\d{2}, \d+ days? after the report", steps)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert str(screen.query_one("#force-month-title", Label).render()).startswith("Investigated, by force")


async def test_the_threshold_is_the_supervisors(history_room: DemoRoom, make_app: Callable[..., HotlineApp]) -> None:
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(pilot, "sam")
        await pilot.press("t")
        await settle(pilot)
        field = app.screen.query_one("#field-threshold", Input)
        assert field.value == "5"
        field.value = "1"
        await pilot.press("enter")
        await settle(pilot)
        assert "from 2 to 50" in shown(app.screen.query_one("#form-problem", Static))  # the form stays, says why
        field.value = "7"
        await pilot.press("enter")
        await settle(pilot)
    sam = open_as(history_room, "sam")
    try:
        entry = sam.conn.execute("SELECT actor, reason FROM audit WHERE action = 'statistics.threshold_set'").fetchone()
    finally:
        sam.close()
    assert tuple(entry) == ("sam", "5 -> 7")
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_statistics(pilot, "officer")
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is screen


async def test_the_publication_from_the_keyboard(history_room: DemoRoom, make_app: Callable[..., HotlineApp]) -> None:
    out = await export_from_keyboard(history_room, make_app, "publication-stick", "down", "enter")
    stem = "statistics-2025-12-to-2026-10-publication"  # the whole months of the default period
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.csv", f"{stem}.csv.minisig", f"{stem}.txt",
                                                     f"{stem}.txt.minisig"]
    published = (out / f"{stem}.txt").read_text("utf-8") + (out / f"{stem}.csv").read_text("utf-8")
    officer = open_as(history_room, "officer")
    try:
        leaked = [t for t in report_texts(officer) if t in published]
    finally:
        officer.close()
    assert leaked == [] and "PAC-" not in published and "HTR-" not in published
    assert not re.search(r"\d{4}-\d{2}-\d{2}", published)
    assert "fewer than 5" in published and "Officers and reports" in published


class TestAnswerSnapshots:
    """The answer, by force and the charts, as the security officer, at both sizes."""

    @pytest.mark.parametrize("size", [(100, 30), (160, 48)])
    @pytest.mark.parametrize("tab", ["1", "2", "5"])
    def test_snapshot(self, history_room: DemoRoom, make_app: Callable[..., HotlineApp], snap_compare,  # type: ignore[no-untyped-def]
                      tab: str, size: tuple[int, int]) -> None:
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await open_statistics(pilot, "officer")
            await pilot.press(tab)
            await settle(pilot)
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False

        assert snap_compare(make_app(history_room), terminal_size=size, run_before=run_before)


    def test_wide(self, history_room: DemoRoom, make_app: Callable[..., HotlineApp], snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The answer on a wide terminal (220x60), where its tables have room."""

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await open_statistics(pilot, "officer")
            for field in pilot.app.screen.query(Input):
                field.cursor_blink = False

        assert snap_compare(make_app(history_room), terminal_size=(220, 60), run_before=run_before)


class TestDrillSnapshots:
    """The reports behind 'Investigated', with the first one's referral and outcomes, at both sizes."""

    @pytest.mark.parametrize("size", [(100, 30), (160, 48)])
    def test_snapshot(self, history_room: DemoRoom, make_app: Callable[..., HotlineApp], snap_compare,  # type: ignore[no-untyped-def]
                      size: tuple[int, int]) -> None:
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await open_statistics(pilot, "sam")
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            assert isinstance(pilot.app.screen, DrillScreen)

        assert snap_compare(make_app(history_room), terminal_size=size, run_before=run_before)
