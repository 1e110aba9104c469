"""The store check after unlock, as the user sees it: running, passed, or the room locked.

Each test signs in from the keyboard on a copy of the demo room, with the app's clock
fixed; damage is one flipped byte in a page unlock and the home screen never read.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from textual.widgets import Static
from uikit import (
    NOW,
    PASSWORDS,
    SIZE,
    fixed_clock,
    hold_store_check,
    settings_for,
    settle,
    shown,
    sign_in,
    sign_in_while_checking,
)

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import unlock_screen
from hotline_tui.screens.store_damaged_screen import StoreDamagedScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.store_care import store_check
from hotline_tui.store.connection import transaction

PAGE = 4096


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))


def _store_check_entries(room: DemoRoom) -> list[tuple[str, str]]:
    session = unlock(settings_for(room), "officer", PASSWORDS["officer"], clock=fixed_clock)
    try:
        rows = session.conn.execute("SELECT actor, reason FROM audit WHERE action = 'store.check' ORDER BY seq")
        return [(actor, reason) for actor, reason in rows]
    finally:
        session.close()


def _damage_a_late_page(room: DemoRoom) -> None:
    """A table nothing reads, filled at the end of the file; one byte of it flipped."""
    session = unlock(settings_for(room), "officer", PASSWORDS["officer"], clock=fixed_clock)
    with transaction(session.conn) as conn:
        conn.execute("CREATE TABLE test_filler (x BLOB)")
        conn.execute("INSERT INTO test_filler VALUES (randomblob(400000))")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'test_filler'").fetchone()[0]
    session.close()
    path = Path(room.workspace) / "store.db"
    data = bytearray(path.read_bytes())
    data[(root + 50 - 1) * PAGE + 200] ^= 0xFF
    path.write_bytes(bytes(data))


def _check_line(app) -> str:
    return shown(app.screen.query_one("#store-check", Static))


async def test_home_shows_the_check_running_then_passed(room, make_app, monkeypatch: pytest.MonkeyPatch):
    release = hold_store_check(monkeypatch)
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_while_checking(pilot, "ana")
        assert _check_line(app) == "Store check: running…"
        release.set()
        await settle(pilot)
        assert _check_line(app) == f"Store check: passed at {NOW:%H:%M} UTC"
        assert app.session is not None
        assert "Check the store" not in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("c")  # running it again is the security officer's
        await settle(pilot)
    assert _store_check_entries(room) == [("ana", "passed")]


async def test_the_officer_runs_the_check_again_from_home(room, make_app):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "officer")
        assert _check_line(app) == f"Store check: passed at {NOW:%H:%M} UTC"
        assert "Check the store" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("c")
        await settle(pilot)
        assert _check_line(app) == f"Store check: passed at {NOW:%H:%M} UTC"
        assert [n.message for n in app._notifications][-1].startswith("Store check passed in ")
    assert _store_check_entries(room) == [("officer", "passed"), ("officer", "passed")]


async def test_a_damaged_store_locks_the_app_with_what_to_do(room, make_app):
    _damage_a_late_page(room)
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ana")  # the key check lets it open; the background check does not
        assert isinstance(app.screen, StoreDamagedScreen)
        assert app.session is None and app.sub_title == "Locked"
        problem = shown(app.screen.query_one("#damaged-problem", Static))
        assert "failed its encryption integrity check" in problem
        what_to_do = shown(app.screen.query_one("#damaged-what-to-do", Static))
        assert "Call the security officer" in what_to_do and "restores the store from the last backup" in what_to_do
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.session is None
    assert _store_check_entries(room)[0] == ("ana", f"FAILED: {problem.removeprefix('The store check found damage: ')}")
    logged = (Path(room.workspace) / store_check.FAILURE_FILE).read_text()
    assert "  ana  The store store.db failed its encryption integrity check" in logged


@pytest.mark.parametrize("size", [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")])
def test_the_damaged_store_screen(room, make_app, snap_compare, size):
    """What the analyst sees when the check finds damage: the problem and what to do, whole."""
    _damage_a_late_page(room)
    seen = {}

    async def run_before(pilot):
        await sign_in(pilot, "ana")
        screen = pilot.app.screen
        seen["screen"] = type(screen)
        seen["button"] = screen.query_one("#damaged-ok").region.bottom <= pilot.app.size.height

    assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
    assert seen == {"screen": StoreDamagedScreen, "button": True}
