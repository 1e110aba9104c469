"""Report text is shown literally: markup is not parsed, terminal controls are made visible."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList, Static
from uikit import (
    PASSWORDS,
    SIZE,
    fixed_clock,
    open_session,
    plain_reports,
    rendered,
    settings_for,
    settle,
    shown,
    table_lines,
    write_reports_bundle,
)

from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.screens.triage.report_screen import ReportScreen
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.workspace import unlock
from hotline_tui.widgets.paged_table import PagedTable

CLICK = "[@click=app.quit]x[/]"
STYLE = "[bold red]fake[/]"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
CLEAR = "\x1b[2J"
HOSTILE = {  # reference -> (narrative, what the narrative panel must show)
    "PAC-2026-900001": (CLICK, CLICK),
    "PAC-2026-900002": (f"Code {OSC52} end", "Code ␛]52;c;SGVsbG8=␇ end"),
    "PAC-2026-900003": (f"{CLEAR}Screen cleared", "␛[2JScreen cleared"),
}


@pytest.fixture
def hostile_room(room):
    """The demo room with only three hostile reports imported, from a bundle signed by the demo intake key."""
    reports = plain_reports(3, reference_start=900001)
    for report in reports:
        report["narrative"] = HOSTILE[report["reference"]][0]
    reports[0]["force_hint"] = CLICK
    reports[0]["subjects"][0]["name"] = STYLE
    write_reports_bundle(room, reports, room.root / "hostile-media")
    session = unlock(settings_for(room), "ana", PASSWORDS["ana"], clock=fixed_clock)
    try:
        summary = import_bundles(session, [room.root / "hostile-media"])
    finally:
        session.close()
    assert (summary.imported, summary.reports_added) == (1, 3), [r.reason for r in summary.results]
    return room


async def open_queue(pilot) -> QueueScreen:
    await open_session(pilot, "ana")
    await pilot.press("down", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, QueueScreen)
    return pilot.app.screen


async def test_queue_and_report_view_show_text_literally(hostile_room, make_app):
    app = make_app(hostile_room)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        lines = table_lines(queue.query_one(PagedTable))
        references = [line.split()[0] for line in lines[1:] if line]
        assert sorted(references) == sorted(HOSTILE)
        # The queue row: the reporter's force hint, markup and all, as text.
        [row] = [line for line in lines if line.startswith("PAC-2026-900001")]
        assert f"≈ {CLICK}" in row
        await pilot.click(PagedTable, offset=(45, lines.index(row)))  # on the would-be link
        await settle(pilot)
        assert app.is_running and app.screen is queue

        for reference, (_, expected) in HOSTILE.items():
            queue.query_one(PagedTable).cursor = references.index(reference)
            await pilot.press("enter")
            await settle(pilot)
            report = app.screen
            assert isinstance(report, ReportScreen)
            assert report.detail.document["reference"] == reference
            narrative = report.query_one("#narrative", Static)
            assert shown(narrative) == expected
            painted = rendered(narrative)
            assert expected in painted
            assert "\x1b" not in painted and "\x07" not in painted
            assert not any("\x1b" in shown(widget) for widget in report.query(Static))
            inset = narrative.content_region.offset - narrative.region.offset
            await pilot.click("#narrative", offset=inset)  # where a live link would start
            await settle(pilot)
            assert app.is_running and app.return_code is None and app.screen is report
            if reference == "PAC-2026-900001":
                assert STYLE in shown(report.query_one("#subjects", Static))
                assert STYLE in rendered(report.query_one("#subjects", Static))
                assert f"Force hint {CLICK}" in shown(report.query_one("#report-header", Static))
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is queue


async def test_media_and_file_names_shown_literally(room, make_app):
    """Folder and file names come from the stick: controls visible wherever they are shown."""
    stick = room.root / "stick\x1b]52;c;SGk=\x07[b]x"
    stick.mkdir()
    (stick / "evil\x1b[2J[b]x.tar.age").write_bytes(b"not a bundle")
    app = make_app(room, media=(room.media, stick))
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        media = app.screen.query_one("#media-list", Static)
        assert "stick␛]52;c;SGk=␇[b]x  (1 bundle)" in shown(media)
        assert "\x1b" not in rendered(media)

        await pilot.press("enter")  # Import report bundles
        await settle(pilot)
        options = app.screen.query_one("#media-list", OptionList)
        assert str(options.get_option_at_index(1).prompt) == "stick␛]52;c;SGk=␇[b]x (1)"
        assert "\x1b" not in rendered(options)
        options.highlighted = 1
        await settle(pilot)
        bundles = app.screen.query_one("#bundles", DataTable)
        [row] = [[str(cell) for cell in bundles.get_row_at(0)]]
        assert row[1] == "evil␛[2J[b]x"
        assert row[3].startswith("✘ evil␛[2J[b]x.tar.age.minisig is missing beside the bundle")

        await pilot.press("n")
        await settle(pilot)
        results = app.screen.query_one("#results", Static)
        line = shown(results)
        assert line.startswith("refused   evil␛[2J[b]x: outer signature: evil␛[2J[b]x.tar.age.minisig is missing")
        assert "\x1b" not in rendered(results) and "\x1b" not in rendered(bundles)
        assert app.is_running
