"""Dialogs keep what was typed and say what is wrong: a refused value never closes them.

Each test types something the service refuses, checks the dialog is still open with
the error and the typed text, then (where it matters) corrects it and checks the store.
The supervisor's return prompt is tested with the approvals (test_approval_ui).
"""

from __future__ import annotations

import officer_kit
from officer_kit import (
    SIZE,
    open_officer_screen,
    pilot_test,
    session_for,
    settle,
    type_text,
)
from textual.widgets import DataTable, Input, Static
from uikit import open_queue, shown

from hotline_tui.screens.officer.keyring_modals import AddKeyScreen, RotateScreen
from hotline_tui.screens.officer.user_dialogs import AddUserScreen
from hotline_tui.screens.officer.users_screen import UsersScreen
from hotline_tui.screens.officer_modals import ConfirmScreen, FormScreen
from hotline_tui.screens.triage.report_screen import ReportScreen, RevealScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.people import users


def _problem(pilot, selector: str) -> str:
    return shown(pilot.app.screen.query_one(selector, Static))


def _field(pilot, selector: str) -> str:
    return pilot.app.screen.query_one(selector, Input).value


@pilot_test
async def test_add_user_keeps_everything_typed_after_a_bad_name_and_a_short_password(officer_room) -> None:
    async with officer_kit.make_app(officer_room).run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await pilot.press("a")
        await settle(pilot)
        for value in ("9carol", "Carol Case"):
            await type_text(pilot, value)
            await pilot.press("enter")
        await pilot.press("down", "enter")  # supervisor
        for value in ("short", "short"):
            await type_text(pilot, value)
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddUserScreen)
        assert _problem(pilot, "#adduser-status").startswith("A user name is 1 to 32 characters")
        assert (_field(pilot, "#name"), _field(pilot, "#display"), _field(pilot, "#password")) == (
            "9carol", "Carol Case", "short")

        pilot.app.screen.query_one("#name", Input).value = "carol"
        await pilot.press("enter")  # on the last field: submit again
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddUserScreen)
        assert _problem(pilot, "#adduser-status") == "A password needs at least 12 characters."
        assert _field(pilot, "#display") == "Carol Case"

        for selector in ("#password", "#again"):
            pilot.app.screen.query_one(selector, Input).value = "carol-one-time-pw"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, UsersScreen)
    added = [u for u in users.list_users(session_for(officer_room)) if u.name == "carol"]
    assert [(u.display_name, u.role.value) for u in added] == [("Carol Case", "supervisor")]


@pilot_test
async def test_reset_password_too_short_stays_open(officer_room) -> None:
    async with officer_kit.make_app(officer_room).run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await pilot.press("p")  # the cursor is on ana
        await settle(pilot)
        for value in ("too-short", "too-short"):
            await type_text(pilot, value)
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FormScreen)
        assert _problem(pilot, "#form-problem") == "A password needs at least 12 characters."
        assert _field(pilot, "#field-password") == "too-short"


@pilot_test
async def test_removing_yourself_is_refused_before_a_reason_is_asked(officer_room) -> None:
    async with officer_kit.make_app(officer_room).run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        table = pilot.app.screen.query_one("#users", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=names.index("officer"))
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, UsersScreen), "no reason asked for what will be refused"
        assert _problem(pilot, "#users-status") == "You cannot remove yourself; ask another security officer."


@pilot_test
async def test_revoke_keeps_the_reason_after_a_bad_time(officer_room) -> None:
    async with officer_kit.make_app(officer_room).run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring")
        await pilot.press("v")
        await settle(pilot)
        await type_text(pilot, "laptop stolen")
        await pilot.press("enter")
        await type_text(pilot, "19/03/2026")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FormScreen)
        assert _problem(pilot, "#form-problem") == "Write the time as YYYY-MM-DD HH:MM (UTC), or leave it empty for now."
        assert _field(pilot, "#field-reason") == "laptop stolen"
    assert "keyring.revoke" not in [entry.action for entry in audit.read_log(session_for(officer_room), 5)]


@pilot_test
async def test_rotate_without_a_reason_stays_open(officer_room) -> None:
    async with officer_kit.make_app(officer_room).run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RotateScreen)
        assert _problem(pilot, "#rotate-problem") == "Say why the keys are rotated."


@pilot_test
async def test_a_key_already_trusted_is_refused_before_its_id_is_read_aloud(officer_room) -> None:
    async with officer_kit.make_app(officer_room).run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring")
        for _ in range(2):
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("down", "enter", "enter")  # city-of-london.pub
            await settle(pilot)
            if isinstance(pilot.app.screen, ConfirmScreen):  # the first time: compare, add
                await pilot.press("y")
                await settle(pilot)
        assert isinstance(pilot.app.screen, AddKeyScreen)
        assert "is already in the keyring" in _problem(pilot, "#addkey-status")


async def test_reveal_keeps_the_reason_when_it_is_too_short(imported_room, make_app) -> None:
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        queue = await open_queue(pilot)
        queue.query_one("#search", Input).value = ""
        report = next(i for i in range(50) if _has_contact(queue, i))
        queue.query_one("#queue").cursor = report
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportScreen)
        await pilot.press("v")
        await settle(pilot)
        await type_text(pilot, "need it")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RevealScreen)
        assert _problem(pilot, "#reveal-problem").startswith("Say why you need the reporter's details")
        assert _field(pilot, "#reason") == "need it"
        await type_text(pilot, " to arrange a safe call back")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportScreen)
        assert shown(pilot.app.screen.query_one("#reporter", Static)).startswith("Revealed (recorded in the audit log)")


def _has_contact(queue, index: int) -> bool:
    from hotline_tui.services.triage.queue import report_detail

    row = queue.query_one("#queue").row_at(index)
    return row is not None and report_detail(queue.session, row.row_id).has_contact

