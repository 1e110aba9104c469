"""Every binding of every screen, pressed as each role, as a disabled user and after a
lock: no error escapes to Textual (which would print a traceback with local variables),
and none had to be contained by the app's lock either.

Each screen is opened from the room's actions as its role would; each of its bindings
(and those of a dialog a binding opens) is pressed in turn, the screen reopened after
each, and the app must still run with nothing recorded as a failure.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from uikit import fixed_clock, open_session, settings_for, settle

from hotline_tui.actions import actions_for
from hotline_tui.app import HotlineApp
from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.people.users import disable_user
from hotline_tui.services.people.workspace import unlock

SKIP_KEYS = {"ctrl+q", "ctrl+c"}  # quitting ends the sweep; ctrl+l (lock) is pressed like any other
OWN = ("hotline_tui",)


def _declared(node: object) -> set[tuple[str, str]]:
    """(key, action) of the bindings the room's own classes declare for ``node``."""
    found: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith(OWN):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding):
                    found.update((key.strip(), binding.action) for key in binding.key.split(","))
    return found


def _own_keys(app: HotlineApp) -> list[str]:
    """The keys of the bindings the room declares (screens, widgets, dialogs, the app) that are
    active now, one key each, in order. Textual's own (tab, scrolling, copy) are left out."""
    keys: list[str] = []
    for key, active in app.active_bindings.items():
        if key in SKIP_KEYS or not active.enabled:
            continue
        if (key, active.binding.action) in _declared(active.node):
            keys.append(key)
    return keys


def _assert_no_failure(app: HotlineApp, where: str) -> None:
    assert app.is_running, f"the app stopped at {where}"
    assert app._exception is None, f"an exception escaped at {where}"
    assert app.failures == [], f"{where}: {app.failures}"


async def _open(pilot: Pilot[Any], action_id: str) -> Screen[Any]:
    app = pilot.app
    assert isinstance(app, HotlineApp)
    app.go_home()
    await settle(pilot)
    app.open_action(action_id)
    await settle(pilot)
    return app.screen


async def _sweep_screen(pilot: Pilot[Any], action_id: str, pressed: list[str]) -> None:
    app = pilot.app
    assert isinstance(app, HotlineApp)
    screen = await _open(pilot, action_id)
    for key in [*_own_keys(app), "ctrl+l"]:
        await pilot.press(key)
        await settle(pilot)
        where = f"{type(screen).__name__} key {key}"
        _assert_no_failure(app, where)
        pressed.append(where)
        if app.session is not None and app.screen is not screen:  # a dialog or screen the key opened
            await _sweep_opened(pilot, where)
        if app.session is None:  # the key locked the room: unlock to carry on
            assert isinstance(app.screen, UnlockScreen)
            await open_session(pilot, _user(app))
        if app.screen is not screen:
            screen = await _open(pilot, action_id)


async def _sweep_opened(pilot: Pilot[Any], where: str) -> None:
    """The keys of what a key opened (a dialog, the report from the queue ...), one level."""
    app = pilot.app
    assert isinstance(app, HotlineApp)
    opened = app.screen
    for key in _own_keys(app):
        if app.session is None or app.screen is not opened:
            break
        await pilot.press(key)
        await settle(pilot)
        _assert_no_failure(app, f"{where}, then {key} in {type(opened).__name__}")


def _user(app: HotlineApp) -> str:
    return app.sweep_user  # type: ignore[attr-defined]


def _role_actions() -> list[tuple[str, str]]:
    """(user, action id) for every action each role's home offers."""
    from hotline_tui.actions import ROOM_ACTIONS
    from hotline_tui.services.permissions import allowed

    roles = {"ana": "analyst", "sam": "supervisor", "officer": "security_officer"}
    same_for_both = {"import", "change_password"}  # screens whose keys an analyst and a supervisor share
    return [(name, action.action_id) for name, role in roles.items() for action in ROOM_ACTIONS
            if (action.permission is None or allowed(role, action.permission))
            and not (name == "sam" and action.action_id in same_for_both)]


@pytest.mark.parametrize(("name", "action_id"), _role_actions())
async def test_every_binding_of_every_screen_as_each_role(
    imported_room: DemoRoom, make_app: Any, name: str, action_id: str
) -> None:
    app = make_app(imported_room)
    async with app.run_test(size=(140, 42)) as pilot:
        app.sweep_user = name
        await open_session(pilot, name)
        assert app.session is not None and action_id in {a.action_id for a in actions_for(app.session)}
        pressed: list[str] = []
        await _sweep_screen(pilot, action_id, pressed)
        assert pressed, "the sweep found no keys on the screen"
        _assert_no_failure(app, f"the end of {name}'s sweep of {action_id}")


async def test_every_binding_as_a_disabled_user_and_after_a_lock(imported_room: DemoRoom, make_app: Any) -> None:
    app = make_app(imported_room)
    async with app.run_test(size=(140, 42)) as pilot:
        app.sweep_user = "ben"
        await open_session(pilot, "ben")
        officer = unlock(settings_for(imported_room), "officer", "officer-demo-2026", clock=fixed_clock)
        try:
            disable_user(officer, "ben", "left the team")
        finally:
            officer.close()
        assert app.session is not None
        keys_seen: set[str] = set()
        for action in actions_for(app.session):
            screen = await _open(pilot, action.action_id)
            if app.session is None:
                break  # the session followed the disable and locked: nothing more to press as ben
            for key in _own_keys(app):
                keys_seen.add(key)
                await pilot.press(key)
                await settle(pilot)
                _assert_no_failure(app, f"disabled ben, {type(screen).__name__} key {key}")
                if app.session is None:
                    break
            if app.session is None:
                break
        if app.session is not None:
            await pilot.press("ctrl+l")
            await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        for key in sorted(keys_seen | {"enter", "escape", "a", "r", "ctrl+l"}):
            await pilot.press(key)
            await settle(pilot)
            _assert_no_failure(app, f"locked, key {key}")
