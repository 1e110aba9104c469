"""Unlock, role homes, lock and idle auto-lock, driven from the keyboard."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input, OptionList, Static
from uikit import SIZE, open_session, settle, shown, sign_in, type_text

from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.screens.triage.report_screen import ReportScreen
from hotline_tui.screens.unlock_screen import UnlockScreen

IMPORT, QUEUE, PASSWORD = "Import report bundles", "Report queue", "Change my password"
ROLE_HOMES = [  # (user, subtitle, actions offered, actions not offered)
    pytest.param("ana", "Ana (ana) · Analyst", [IMPORT, QUEUE, PASSWORD], ["Approve referrals"], id="analyst"),
    pytest.param("sam", "Sam (sam) · Supervisor", [IMPORT, QUEUE, PASSWORD], [], id="supervisor"),
    pytest.param("officer", "Olu Officer (officer) · Security officer", [QUEUE, PASSWORD], [IMPORT], id="security-officer"),
]


def action_labels(app) -> list[str]:
    options = app.screen.query_one("#action-list", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.mark.parametrize(("name", "subtitle", "offered", "not_offered"), ROLE_HOMES)
async def test_unlock_lands_on_the_roles_home(room, make_app, name, subtitle, offered, not_offered):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await sign_in(pilot, name)
        assert isinstance(app.screen, HomeScreen)
        assert app.session is not None and app.session.user.name == name
        assert app.sub_title == subtitle
        actions = action_labels(app)
        assert [a for a in actions if a in offered] == offered
        assert not set(actions) & set(not_offered)
        assert actions[0] == offered[0]  # highlighted: Enter opens it
        media = shown(app.screen.query_one("#media-list", Static))
        assert media == "media  (8 bundles)  room/media"


@pytest.mark.parametrize(
    ("name", "password"),
    [pytest.param("ana", "not-her-password", id="wrong-password"), pytest.param("nobody", "ana-demo-2026!", id="unknown-user")],
)
async def test_refusal_says_only_wrong_name_or_password(room, make_app, name, password):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, name, password)
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        assert app.session is None
        assert shown(screen.query_one("#status", Static)) == "Wrong user name or password."
        assert screen.query_one("#status").has_class("error")
        # The password is cleared and focused for another try; the name stays.
        assert screen.query_one("#password", Input).value == ""
        assert screen.focused is screen.query_one("#password", Input)
        assert screen.query_one("#user", Input).value == name
        assert not app._notifications, "a refusal shows one message, on the screen, and nothing else"


async def test_empty_fields_ask_for_both(room, make_app):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ana")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert shown(app.screen.query_one("#status", Static)) == "Enter your user name and password."
        assert app.session is None


async def test_ctrl_l_locks_and_closes_the_session(room, make_app):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "ana")
        session = app.session
        assert session is not None and not session.closed
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert app.session is None and session.closed
        assert app.sub_title == "Locked"
        assert len(app.screen_stack) == 2
        assert not app._notifications  # no toast over the fields or the demo accounts
        # The unlock screen is fresh: nothing typed before is left in it.
        assert app.screen.query_one("#user", Input).value == ""
        await open_session(pilot, "ana")
        assert isinstance(app.screen, HomeScreen)


async def test_lock_from_deep_in_the_stack(imported_room, make_app):
    """Locking from the report view pops the queue and home on the way: neither may touch the closed store."""
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        await pilot.press("down", "enter")  # Report queue
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        session = app.session
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert session is not None and session.closed
        assert app.is_running and app.return_code is None


async def test_idle_session_locks_itself(room, make_app):
    app = make_app(room, idle_lock_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        session = app.session
        app._last_input = time.monotonic()  # a key this instant (a loaded machine may be slow to get here)
        app._check_idle()  # just used: stays open
        assert app.session is session
        app._last_input = time.monotonic() - 1.5  # the last key or click was 1.5 s ago
        app._check_idle()  # what the app's interval timer calls
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert session is not None and session.closed


async def test_a_key_press_keeps_the_session_open(room, make_app):
    app = make_app(room, idle_lock_seconds=1)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        app._last_input = time.monotonic() - 5
        await pilot.press("down")
        app._check_idle()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.session is not None and not app.session.closed
