"""An error no screen handles never reaches the terminal as a traceback: the room locks
with a plain notice, and the audit log records the error's class and place, no values."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static
from uikit import PASSWORDS, fixed_clock, open_session, settings_for, settle, shown

from hotline_tui import app as app_module
from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import home_screen
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.store import audit as audit_queries

SECRET = "session-settings-and-key-0123456789abcdef"


def _fail(session: object) -> None:
    key_id = SECRET  # a local variable Textual's traceback would have printed
    raise ValueError(f"cannot count {key_id}")


def _fail_on_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Home's r (refresh) fails; the first count at mount still works."""
    monkeypatch.setattr(HomeScreen, "action_refresh", lambda self: (
        monkeypatch.setattr(home_screen, "waiting_items", _fail), self.refresh_overview()))


async def test_an_unhandled_error_locks_plainly_and_is_audited_without_values(
    room: DemoRoom, make_app: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = home_screen.waiting_items
    _fail_on_refresh(monkeypatch)
    app = make_app(room)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_session(pilot, "ana")
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and app._exception is None and app.session is None
        assert isinstance(app.screen, UnlockScreen)
        notice = shown(app.screen.query_one("#status", Static))
        assert "Something went wrong on the home screen (ValueError)" in notice
        assert "Unlock to carry on" in notice and SECRET not in notice
        monkeypatch.setattr(home_screen, "waiting_items", real)
        await open_session(pilot, "ana")  # unlocking again works
        assert isinstance(app.screen, HomeScreen)
    assert app.return_code in (0, None)
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err and "Traceback" not in out.out + out.err
    officer = unlock(settings_for(room), "officer", PASSWORDS["officer"], clock=fixed_clock)
    try:
        rows = [r for r in audit_queries.iterate(officer.conn) if r.action == "app.failure"]
    finally:
        officer.close()
    assert [(r.actor, r.reason) for r in rows] == [("ana", "ValueError")]
    assert rows[0].object.startswith("hotline_tui/screens/home_screen.py:")
    assert rows[0].object.endswith(" in refresh_overview")
    assert SECRET not in rows[0].object + rows[0].reason


async def test_failing_again_and_again_stops_the_app_with_a_plain_message(
    room: DemoRoom, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_refresh(monkeypatch)
    monkeypatch.setattr(app_module, "FAILURE_WINDOW_SECONDS", 3600)  # however slow the machine
    real = home_screen.waiting_items
    app = make_app(room)
    async with app.run_test(size=(140, 42)) as pilot:
        for _ in range(6):
            if not app.is_running:
                break
            monkeypatch.setattr(home_screen, "waiting_items", real)
            await open_session(pilot, "ana")
            await pilot.press("r")
            await settle(pilot)
    assert app.return_code == 1 and app._exception is None


async def test_locks_idle_locks_and_quits_are_audited(room: DemoRoom, make_app: Any) -> None:
    app = make_app(room)
    async with app.run_test(size=(140, 42)) as pilot:
        await open_session(pilot, "ana")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await open_session(pilot, "ana")
        app._last_input -= 10_000  # away from the desk
        app._check_idle()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await open_session(pilot, "ana")
        await pilot.press("ctrl+q")
        await settle(pilot)
    officer = unlock(settings_for(room), "officer", PASSWORDS["officer"], clock=fixed_clock)
    try:
        rows = [(r.actor, r.action, r.reason) for r in audit_queries.iterate(officer.conn)
                if r.action in ("session.lock", "session.idle_lock", "session.quit")]
    finally:
        officer.close()
    assert rows == [("ana", "session.lock", "locked by the user"), ("ana", "session.idle_lock", "no input for 300 s"),
                    ("ana", "session.quit", "")]
