"""A store the session can no longer read, as the user sees it: locked, with what happened
and what to do, never a traceback.

"Another workstation" is a second session on the same workspace, opened by the test: the
security officer removes ben there, which re-keys the store under the app's session.
Damage is the store file's pages after the first overwritten while the app has it open,
so the next page the app reads fails its HMAC.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from uikit import (
    PASSWORDS,
    SIZE,
    fixed_clock,
    hold_store_check,
    open_queue,
    settings_for,
    settle,
    shown,
    sign_in,
    sign_in_while_checking,
    type_text,
)

from hotline_tui.app import HotlineApp
from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.assessment import AssessmentScreen
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.intake.import_screen import ImportScreen
from hotline_tui.screens.store_damaged_screen import StoreDamagedScreen
from hotline_tui.screens.triage.report_screen import ReportScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.store_care import store_check
from hotline_tui.services.store_care.store_loss import REKEYED_NOTICE
from hotline_tui.store import assessments

PAGE = 4096


def _remove_ben_elsewhere(room: DemoRoom) -> None:
    officer = unlock(settings_for(room), "officer", PASSWORDS["officer"], clock=fixed_clock)
    try:
        users.remove_user(officer, "ben", "left the unit")
    finally:
        officer.close()


def _overwrite_all_but_page_1(room: DemoRoom) -> None:
    path = Path(room.workspace) / "store.db"
    size = path.stat().st_size
    with path.open("r+b") as store:
        store.seek(PAGE)
        store.write(os.urandom(size - PAGE))


def _status(app: HotlineApp) -> str:
    return shown(app.screen.query_one("#status", Static))


async def _assert_locked_as_rekeyed(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, HotlineApp)
    assert app.is_running
    assert isinstance(app.screen, UnlockScreen) and app.session is None and app.sub_title == "Locked"
    assert _status(app) == REKEYED_NOTICE
    await sign_in(pilot, "ana")  # the new key is in her slot: the same password opens it
    assert isinstance(app.screen, HomeScreen) and app.session is not None


@pytest.mark.parametrize("keys", [("end",), ("enter",)], ids=["a page not read yet", "opening a report"])
async def test_a_rekey_elsewhere_locks_the_queue_with_what_to_do(imported_room, make_app, keys):
    """End runs the table's action on the App's own loop; Enter opens a report screen,
    whose mount reads the store."""
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        _remove_ben_elsewhere(imported_room)
        await pilot.press(*keys)
        await settle(pilot)
        assert not any(isinstance(screen, ReportScreen) for screen in app.screen_stack)
        await _assert_locked_as_rekeyed(pilot)
    assert not (Path(imported_room.workspace) / store_check.FAILURE_FILE).exists()  # not taken for damage


async def test_a_rekey_while_assessing_keeps_what_was_saved(imported_room, make_app):
    """The keystroke after the rekey cannot be saved; locking does not try again (its draft
    save is refused, not a second crash), and the draft saved before is there after unlock."""
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await pilot.press("a")  # assess the report under the cursor
        await settle(pilot)
        assert isinstance(app.screen, AssessmentScreen)
        key = app.screen.assessment.key
        await pilot.press("f8")  # the summary
        await type_text(pilot, "Seen")
        await settle(pilot)
        _remove_ben_elsewhere(imported_room)
        await type_text(pilot, "!")
        await settle(pilot)
        await _assert_locked_as_rekeyed(pilot)
        draft = assessments.draft(app.session.conn, key)
        assert draft is not None and json.loads(draft.form)["summary"] == "Seen"


async def test_a_rekey_found_by_a_worker_locks_with_what_to_do(room, make_app):
    """The import runs in a worker that lets the store's error go (exit_on_error=False)."""
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ana")
        await pilot.press("enter")  # her first action: Import report bundles
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen) and app.screen.listings
        _remove_ben_elsewhere(room)
        await pilot.press("n")  # import every new bundle
        await settle(pilot)
        await _assert_locked_as_rekeyed(pilot)


async def test_a_rekey_before_the_store_check_is_not_taken_for_damage(room, make_app, monkeypatch):
    release = hold_store_check(monkeypatch)
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_while_checking(pilot, "ana")
        _remove_ben_elsewhere(room)
        release.set()  # the check's reader, on the old key, cannot open the store
        await settle(pilot)
        await _assert_locked_as_rekeyed(pilot)
    assert not (Path(room.workspace) / store_check.FAILURE_FILE).exists()


async def test_damage_found_by_a_screen_locks_as_damaged(imported_room, make_app):
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)  # the store check after unlock passed: the damage comes later
        _overwrite_all_but_page_1(imported_room)
        await pilot.press("slash", "b")  # searching reads the full-text index, never read yet
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, StoreDamagedScreen)
        assert app.session is None and app.sub_title == "Locked"
        problem = shown(app.screen.query_one("#damaged-problem", Static))
        assert problem.startswith("Reading the store failed: ")
        assert "Call the security officer" in shown(app.screen.query_one("#damaged-what-to-do", Static))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
    logged = (Path(imported_room.workspace) / store_check.FAILURE_FILE).read_text()
    assert logged.endswith(f"  ana  {problem}\n")
