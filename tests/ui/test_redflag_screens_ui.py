"""Red flags on screen: Enter on a candidate opens it beside the report to compare, c there
confirms; the subject's file opens from the compare view, the assessment and the report
view, with every joined report on one timeline and the identifiers they gave."""

from __future__ import annotations

from typing import Any

import pytest
from test_assessment_ui import desk, document, jump, reports_about, services, still, take
from textual.widgets import DataTable, Select
from uikit import open_queue, settle, shown

from hotline_tui.reference import short_force_name
from hotline_tui.screens.triage.compare_screen import CompareScreen
from hotline_tui.screens.triage.queue_screen import COLUMNS, QueueScreen, QueueSource
from hotline_tui.screens.triage.report_screen import ReportScreen
from hotline_tui.screens.triage.subject_file_screen import SubjectFileScreen
from hotline_tui.store import assessments as store
from hotline_tui.widgets.paged_table import PagedTable

__all__ = ["desk"]
SIZES = [(100, 30), (160, 48)]


def _officer(desk: Any) -> tuple[list[int], int, str]:
    ana = services(desk, "ana")
    try:
        *earlier, latest = reports_about(ana, 5)
        return earlier, latest, document(ana, latest)["subjects"][0]["name"].split()[-1]
    finally:
        ana.close()


async def _compare_first(pilot: Any, latest: int, name: str) -> CompareScreen:
    await open_queue(pilot)
    await take(pilot, latest, search=name)
    await jump(pilot, "redflags")
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_enter_on_a_candidate_compares_it_beside_the_report(desk, make_app, snap_compare, size):
    earlier, latest, name = _officer(desk)
    seen: dict[str, Any] = {}

    async def run_before(pilot):
        screen = await _compare_first(pilot, latest, name)
        seen["candidate"] = screen.candidate.key
        seen["why"] = shown(screen.query_one("#compare-why"))
        seen["theirs"] = shown(screen.query_one("#theirs-text"))
        still(pilot)

    assert snap_compare(make_app(desk), terminal_size=size, run_before=run_before)
    assert seen["candidate"] in earlier
    assert "\u201c" in seen["why"] and " / " in seen["why"]  # the words of both reports
    assert "Narrative" in seen["theirs"]


async def test_c_in_the_compare_view_confirms_and_the_file_joins_both(desk, make_app):
    earlier, latest, name = _officer(desk)
    async with make_app(desk).run_test(size=(160, 48)) as pilot:
        screen = await _compare_first(pilot, latest, name)
        other = screen.candidate.key
        await pilot.press("c")
        await settle(pilot)
        assert store.links_of(pilot.app.session.conn, latest) == {other: True}
        table = pilot.app.screen.query_one("#redflags", DataTable)
        assert "✔ confirmed" in [str(cell) for cell in table.get_row_at(0)]
        await pilot.press("ctrl+o")
        await settle(pilot)
        file = pilot.app.screen
        assert isinstance(file, SubjectFileScreen)
        assert set(file.file.reports) == {latest, other}
        timeline = file.query_one("#file-timeline", DataTable)
        shown_refs = {str(timeline.get_row_at(row)[1]) for row in range(timeline.row_count)}
        assert set(file.file.references) <= shown_refs
        await pilot.press("enter")  # the first event's report opens
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportScreen)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert pilot.app.screen.__class__.__name__ == "AssessmentScreen"


async def test_x_in_the_compare_view_rejects_and_escape_decides_nothing(desk, make_app):
    _earlier, latest, name = _officer(desk)
    async with make_app(desk).run_test(size=(160, 48)) as pilot:
        screen = await _compare_first(pilot, latest, name)
        other = screen.candidate.key
        await pilot.press("escape")
        await settle(pilot)
        assert store.links_of(pilot.app.session.conn, latest) == {}
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert store.links_of(pilot.app.session.conn, latest) == {other: False}


@pytest.mark.parametrize("size", [*SIZES, (220, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_subject_file_from_the_compare_view(desk, make_app, snap_compare, size):
    _earlier, latest, name = _officer(desk)
    seen: dict[str, Any] = {}

    async def run_before(pilot):
        await _compare_first(pilot, latest, name)
        await pilot.press("f")
        await settle(pilot)
        file = pilot.app.screen
        assert isinstance(file, SubjectFileScreen)
        seen["heading"] = shown(file.query_one("#file-heading"))
        seen["rows"] = file.query_one("#file-timeline", DataTable).row_count
        still(pilot)

    assert snap_compare(make_app(desk), terminal_size=size, run_before=run_before)
    assert "report(s) about this person" in seen["heading"] and seen["rows"] >= 1


async def _escalated_queue_from_home(pilot: Any, name: str = "ana") -> QueueScreen:
    """Sign in, and Enter on home's first count: the reports about people reported 3+ times."""
    from textual.widgets import OptionList
    from uikit import open_session

    await open_session(pilot, name)
    waiting = pilot.app.screen.query_one("#waiting-list", OptionList)
    first = str(waiting.get_option_at_index(0).prompt)
    assert first.startswith("Reports on people reported 3+ times")
    waiting.focus()
    waiting.highlighted = 0
    await pilot.press("enter")
    await settle(pilot)
    queue = pilot.app.screen
    assert isinstance(queue, QueueScreen)
    assert int(first.split()[-1]) == queue.query_one(PagedTable).row_count > 0  # the count opens what it counts
    return queue


def _flags(queue: QueueScreen) -> list[str]:
    """The flags column of every row the queue lists."""
    table = queue.query_one(PagedTable)
    assert isinstance(table.source, QueueSource)
    flags = [column.key for column in COLUMNS].index("red_flags")
    return [row.cells[flags] for row in table.source.rows(0, table.row_count)]


async def test_home_opens_the_reports_of_people_reported_independently_again_marked_then_their_file(desk, make_app):
    from hotline_tui.screens.triage.escalations_screen import EscalationsScreen

    async with make_app(desk).run_test(size=(160, 48)) as pilot:
        queue = await _escalated_queue_from_home(pilot)
        assert queue.query_one("#status", Select).value == "escalated"
        table = queue.query_one(PagedTable)
        assert all(cell.startswith("▲") for cell in _flags(queue))  # every row listed is marked
        await pilot.press("e")  # the people behind them
        await settle(pilot)
        listing = pilot.app.screen
        assert isinstance(listing, EscalationsScreen) and listing.found
        assert isinstance(table.source, QueueSource)
        assert {key for found in listing.found for key in found.reports} == table.source.escalated
        await pilot.press("enter")
        await settle(pilot)
        file = pilot.app.screen
        assert isinstance(file, SubjectFileScreen)
        assert set(listing.found[0].reports) <= set(file.file.reports) and len(file.file.reports) >= 3
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert pilot.app.screen is queue
        queue.query_one("#status", Select).clear()  # any status again: the marked among the rest
        await settle(pilot)
        flags = _flags(queue)
        assert len(flags) > len(listing.found[0].reports)
        assert 0 < sum(flag.startswith("▲") for flag in flags) < len(flags)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["ana", "sam"], ids=["analyst", "supervisor"])
def test_the_escalated_reports_from_home(desk, make_app, snap_compare, size, name):
    seen: dict[str, Any] = {}

    async def run_before(pilot):
        queue = await _escalated_queue_from_home(pilot, name)
        seen["flags"] = _flags(queue)
        still(pilot)

    assert snap_compare(make_app(desk), terminal_size=size, run_before=run_before)
    assert seen["flags"] and all(flag.startswith("▲") for flag in seen["flags"])


async def test_the_security_officer_sees_no_escalation_in_the_queue(desk, make_app):
    from uikit import open_session

    async with make_app(desk).run_test(size=(160, 48)) as pilot:
        await open_session(pilot, "officer")
        pilot.app.open_action("queue")
        await settle(pilot)
        queue = pilot.app.screen
        assert isinstance(queue, QueueScreen)
        choices = [value for _label, value in queue.query_one("#status", Select)._options]
        assert "escalated" not in choices
        assert not any("▲" in flag for flag in _flags(queue))
        await pilot.press("e")
        await settle(pilot)
        assert pilot.app.screen is queue


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_people_behind_the_escalated_reports(desk, make_app, snap_compare, size):
    """e in the escalated queue: each person reported independently 3+ times."""
    from hotline_tui.screens.triage.escalations_screen import EscalationsScreen

    seen: dict[str, Any] = {}

    async def run_before(pilot):
        await _escalated_queue_from_home(pilot)
        await pilot.press("e")
        await settle(pilot)
        seen["screen"] = pilot.app.screen
        still(pilot)

    assert snap_compare(make_app(desk), terminal_size=size, run_before=run_before)
    assert isinstance(seen["screen"], EscalationsScreen) and seen["screen"].found


async def test_the_escalated_peoples_forces_follow_the_width(desk, make_app):
    """Short names at 100 columns, whole names once the terminal is widened (not only as it opened)."""
    from uikit import rendered

    async with make_app(desk).run_test(size=(100, 30)) as pilot:
        await _escalated_queue_from_home(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = pilot.app.screen
        full = screen.found[0].forces[0]
        table = screen.query_one("#escalations")
        assert short_force_name(full) in rendered(table) and full != short_force_name(full)
        assert full not in rendered(table)
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert full in rendered(table)
