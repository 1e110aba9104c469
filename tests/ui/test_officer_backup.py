"""Backups from the keyboard: home says none was made, b writes one to the medium (read
back and checked), home then shows it, and p sets when home warns."""

from __future__ import annotations

import json

import pytest
from officer_kit import (
    make_app,
    open_from_home,
    open_officer_screen,
    pilot_test,
    settle,
    sign_in,
    still,
    text_of,
    type_text,
)
from textual.widgets import DataTable
from uikit import SIZES

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.officer import backup_screen
from hotline_tui.screens.officer.backup_screen import BackupScreen
from hotline_tui.screens.officer_modals import ChooseMediumScreen, FormScreen


async def _back_up(pilot) -> None:
    await open_officer_screen(pilot, "Backups", BackupScreen)
    await pilot.press("b")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChooseMediumScreen)
    await pilot.press("enter")  # room/media
    await settle(pilot)


@pilot_test
async def test_a_backup_from_the_screen_is_written_checked_and_shown_on_home(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, HomeScreen)
        line = text_of(app, "#backup-line")
        assert line.startswith("No backup made yet") and app.screen.query_one("#backup-line").has_class("error")
        await open_from_home(pilot, "Backups")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "written, read back and checked" in text_of(app, "#backup-progress")
        assert app.screen.query_one("#backups", DataTable).row_count == 1
        await pilot.press("escape")
        await settle(pilot)
        assert text_of(app, "#backup-line").startswith("Last good backup: 2026-03-20 10:00 UTC, room-backup-20260320T100000Z")
        assert not app.screen.query_one("#backup-line").has_class("error")
    made = officer_room.media / "room-backup-20260320T100000Z"
    assert sorted(p.name for p in made.iterdir()) == ["manifest.json", "manifest.json.minisig", "slots.json", "store.db"]
    assert json.loads((made / "manifest.json").read_text())["made_by"] == "officer"


@pilot_test
async def test_the_warning_period_keeps_a_wrong_value_in_the_form(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_officer_screen(pilot, "Backups", BackupScreen)
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "400")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # still open, saying what is wrong
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "7")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BackupScreen) and "(warning after 7 days)" in text_of(app, "#backup-state")


class TestBackupScreen:
    @pytest.mark.parametrize("size", SIZES)
    def test_choose_the_medium(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """b: which medium the backup goes to."""
        seen = {}

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Backups", BackupScreen)
            await pilot.press("b")
            await settle(pilot)
            seen["screen"] = type(pilot.app.screen)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)
        assert seen["screen"] is ChooseMediumScreen

    @pytest.mark.parametrize("size", SIZES)
    def test_after_a_backup(self, officer_room: DemoRoom, snap_compare, size, monkeypatch) -> None:
        """The backup just made: the line and progress saying so, and the list of backups.
        Its size is masked: it changes with every table the schema gains."""
        monkeypatch.setattr(backup_screen, "_size", lambda size: "#.# MB")

        async def run_before(pilot) -> None:
            await _back_up(pilot)
            still(pilot)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)


@pilot_test
async def test_locking_mid_backup_waits_for_it_to_be_checked_and_recorded(
    officer_room: DemoRoom, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from hotline_tui.services.backup import make

    copy = make.copy_store
    monkeypatch.setattr(make, "copy_store", lambda *args: (time.sleep(1.0), copy(*args)))  # a larger store
    from officer_kit import session_for

    from hotline_tui.services.backup.status import recent_backups

    app = make_app(officer_room)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_officer_screen(pilot, "Backups", BackupScreen)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("enter", "ctrl+l")  # start it, and lock at once
        await settle(pilot)
        assert app.session is None
    officer = session_for(officer_room)
    try:
        assert [row.name for row in recent_backups(officer)] == ["room-backup-20260320T100000Z"]
    finally:
        officer.close()
