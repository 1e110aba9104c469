"""Help on every screen (?, f1, the command palette) and each screen's keys in the palette."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import Screen
from textual.widgets import Input, Static
from uikit import open_queue, open_session, settle, shown, type_text

import hotline_tui.screens
from hotline_tui.screens.help_screen import HelpScreen
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.triage.queue_screen import QueueScreen


def _help_shown(pilot) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return shown(screen.query_one("#help-text", Static))


async def test_question_mark_on_home_lists_its_keys_and_purpose(room, make_app):
    async with make_app(room).run_test(size=(100, 30)) as pilot:
        await open_session(pilot, "ana")
        await pilot.press("question_mark")
        await settle(pilot)
        text = _help_shown(pilot)
        assert text.startswith("What waits for you")
        assert "r                Refresh" in text
        assert "Check store" not in text  # an analyst cannot run it on demand: not offered
        assert "? / f1" in text and "^l               Lock" in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_f1_on_the_queue_lists_what_the_focus_allows(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = _help_shown(pilot)
        for line in ("a                Assess", "/                Search", "esc              Back", "Where the cursor is"):
            assert line in text
        await pilot.press("f1")  # f1 again closes it
        assert isinstance(pilot.app.screen, QueueScreen)


async def test_question_mark_in_a_field_is_typed_not_help(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("slash")
        await type_text(pilot, "who?")
        assert screen.query_one("#search", Input).value == "who?"
        assert pilot.app.screen is screen


async def test_help_and_the_screens_keys_in_the_command_palette(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        titles = {command.title for command in pilot.app.get_system_commands(screen)}
        assert {"Help", "Assess", "Sort column", "Search", "Report queue", "Lock"} <= titles
        assert "Back" not in titles  # escape does that
        await pilot.press("ctrl+p")
        await type_text(pilot, "Help")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert _help_shown(pilot).startswith("Every report in the store")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await type_text(pilot, "Reverse")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.sort, screen.descending) == ("received", False)  # the action ran on the queue


def test_every_screen_says_what_it_is_for():
    missing = []
    for module_info in pkgutil.walk_packages(hotline_tui.screens.__path__, "hotline_tui.screens."):
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and not getattr(cls, "PURPOSE", ""):
                missing.append(name)
    assert missing == []


async def test_the_home_menu_stops_at_its_ends(room, make_app):
    async with make_app(room).run_test(size=(100, 30)) as pilot:
        await open_session(pilot, "ana")
        menu = pilot.app.screen.query_one("#action-list")
        await pilot.press("up")
        assert menu.highlighted == 0  # not "Change my password" at the bottom
        await pilot.press(*["down"] * (menu.option_count + 2))
        assert menu.highlighted == menu.option_count - 1


async def test_the_home_counts_stop_at_their_ends(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        await open_session(pilot, "ana")
        counts = pilot.app.screen.query_one("#waiting-list")
        counts.focus()
        first = str(counts.get_option_at_index(0).prompt)
        assert first.startswith("Reports on people reported 3+ times")
        await pilot.press("up", "enter")  # the first count, not "Reports in the store" at the bottom
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)
        assert pilot.app.screen.title == "Report queue: ▲ reported 3+ times"
        assert shown(pilot.app.screen.query_one("#queue-count", Static)) == f"{first.split()[-1]} reports"


async def test_unlock_name_tab_password_typed_at_once_land_in_their_fields(room, make_app):
    from hotline_tui.screens.unlock_screen import UnlockScreen

    async with make_app(room).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, UnlockScreen)
        await pilot.press(*"ana", "tab", *"ana-demo-2026!")  # as a password manager types them
        assert screen.query_one("#user", Input).value == "ana"
        assert screen.query_one("#password", Input).value == "ana-demo-2026!"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
