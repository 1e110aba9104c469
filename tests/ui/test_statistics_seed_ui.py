"""The published figures on screen: a store with the seed's proportions (1,988 calls and
890 online reports, 867 pieces of intelligence passed on, 728 to the Met and 139 to
other forces) shows exactly those figures; retention from the keyboard deletes the
reports past their period and the figures stay the same; snapshots of both screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from statskit import open_as
from textual.widgets import DataTable, Input, Select
from uikit import SIZE, fixed_clock, open_session, settle, type_text

from hotline_tui.app import HotlineApp
from hotline_tui.demo.bulk import build, seed_plans
from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import unlock_screen
from hotline_tui.screens.officer.retention_screen import RetentionScreen
from hotline_tui.screens.statistics.statistics_screen import StatisticsScreen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.widgets.paged_table import PagedTable


@pytest.fixture
def seed_room(room: DemoRoom, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """The demo room (no reports imported) with the seed's data written into its store."""
    import functools

    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    officer = open_as(room, "officer")
    try:
        build(officer.conn, seed_plans(), now=datetime(2024, 3, 1, tzinfo=UTC))
    finally:
        officer.close()
    return room


def rows_of(screen: StatisticsScreen) -> list[list[str]]:
    table = screen.query_one("#figures", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def count(rows: list[list[str]], section: str, label: str) -> int:
    (row,) = [r for r in rows if r[0] == section and r[1] == label]
    return int(row[2].replace(",", ""))


async def show_seed_period(pilot) -> StatisticsScreen:  # type: ignore[no-untyped-def]
    await open_session(pilot, "officer")
    pilot.app.open_action("statistics")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatisticsScreen)
    start = screen.query_one("#from", Input)
    start.value = ""
    start.focus()
    await type_text(pilot, "2022-11-01")
    end = screen.query_one("#to", Input)
    end.value = ""
    end.focus()
    await type_text(pilot, "2024-02-29")
    await pilot.press("enter")
    await settle(pilot)
    screen.query_one("#figures", DataTable).focus()
    for field in screen.query(Input):
        field.cursor_blink = False
    await settle(pilot)
    return screen


async def test_the_screen_shows_the_published_figures(seed_room: DemoRoom, make_app: Callable[..., HotlineApp]) -> None:
    async with make_app(seed_room).run_test(size=SIZE) as pilot:
        rows = rows_of(await show_seed_period(pilot))
    assert count(rows, "Contacts", "By phone") == 1988
    assert count(rows, "Contacts", "Online") == 890
    assert count(rows, "Contacts", "All contacts") == 2878
    assert count(rows, "Intelligence passed on", "Passed on to forces") == 867
    assert count(rows, "Passed on, by force", "Metropolitan Police Service") == 728
    others = [int(r[2]) for r in rows if r[0] == "Passed on, by force" and r[1] != "Metropolitan Police Service"]
    assert sum(others) == 139


async def test_one_force_chosen(seed_room: DemoRoom, make_app: Callable[..., HotlineApp]) -> None:
    async with make_app(seed_room).run_test(size=SIZE) as pilot:
        screen = await show_seed_period(pilot)
        screen.query_one("#force", Select).value = "metropolitan"
        await settle(pilot)
        rows = rows_of(screen)
    assert count(rows, "Intelligence passed on", "Passed on to forces") == 728
    assert [r[1] for r in rows if r[0] == "Passed on, by force"] == ["Metropolitan Police Service"]


async def test_retention_deletes_past_reports_and_the_figures_stay(
    seed_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    officer = open_as(seed_room, "officer")
    nfa = officer.conn.execute("SELECT count(*) FROM reports WHERE status = 'no_further_action'").fetchone()[0]
    officer.close()
    app = make_app(seed_room)
    async with app.run_test(size=SIZE) as pilot:
        before = rows_of(await show_seed_period(pilot))
        app.pop_screen()
        app.open_action("retention")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetentionScreen)

        def offered() -> list[str]:
            return [key.key for key in screen.query("FooterKey") if key.display]

        assert "d" not in offered()  # nothing past its period yet: nothing to delete
        screen.query_one("#periods", DataTable).move_cursor(row=1)  # no further action
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "365")
        await pilot.press("enter")
        await settle(pilot)
        due = screen.query_one("#due", PagedTable)
        assert due.row_count == nfa  # decided in 2022-24; the clock says November 2026
        assert "d" in offered()
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert due.row_count == 0
        app.pop_screen()
        after = rows_of(await show_seed_period_again(pilot))
    assert after == before
    officer = open_as(seed_room, "officer")
    try:
        left = officer.conn.execute("SELECT count(*) FROM reports WHERE status = 'no_further_action'").fetchone()[0]
        entries = officer.conn.execute("SELECT action, reason FROM audit WHERE action LIKE 'retention.%'").fetchall()
    finally:
        officer.close()
    assert left == 0
    assert [a for a, _ in entries] == ["retention.set", "retention.deleted"]
    assert f"{nfa} no further action (kept 365 days)" in entries[1][1]


async def show_seed_period_again(pilot) -> StatisticsScreen:  # type: ignore[no-untyped-def]
    pilot.app.open_action("statistics")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatisticsScreen)
    screen.query_one("#from", Input).value = "2022-11-01"
    end = screen.query_one("#to", Input)
    end.value = "2024-02-29"
    end.focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


class TestSeedStatistics:
    """The statistics screen over the published figures' proportions, Nov 2022 to Feb 2024."""

    def test_snapshot(self, seed_room: DemoRoom, make_app: Callable[..., HotlineApp], snap_compare) -> None:  # type: ignore[no-untyped-def]
        """2,878 contacts, 867 passed on, 728 of them to the Met; charts by month, force and category."""
        assert snap_compare(make_app(seed_room), terminal_size=SIZE, run_before=show_seed_period)


class TestRetentionScreen:
    """The retention screen after a period is set: the periods and the reports past them."""

    def test_snapshot(self, seed_room: DemoRoom, make_app: Callable[..., HotlineApp], snap_compare) -> None:  # type: ignore[no-untyped-def]
        """No further action kept 365 days; the reports past it listed by reference and dates."""

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await open_session(pilot, "officer")
            pilot.app.open_action("retention")
            await settle(pilot)
            pilot.app.screen.query_one("#periods", DataTable).move_cursor(row=1)
            await pilot.press("e")
            await settle(pilot)
            await type_text(pilot, "365")
            await pilot.press("enter")
            await settle(pilot)

        assert snap_compare(make_app(seed_room), terminal_size=SIZE, run_before=run_before)
