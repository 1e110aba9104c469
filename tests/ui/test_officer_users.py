"""Users from the keyboard: add one (who must choose a password at first unlock), reset,
disable (the key slot is deleted) and enable (with a new password), remove (the old key
slot no longer opens the store), and the services' refusals shown as they are worded."""

from __future__ import annotations

import pytest
from officer_kit import (
    SIZE,
    cells,
    make_app,
    open_officer_screen,
    pilot_test,
    session_for,
    settle,
    sign_in,
    still,
    type_text,
)
from textual.widgets import DataTable, Input, Static
from uikit import SIZES

from hotline_tui.crypto import slots as slotlib
from hotline_tui.demo.room import DemoRoom
from hotline_tui.errors import WrongPassword
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.officer.user_dialogs import ChangeRoleScreen
from hotline_tui.screens.officer.users_screen import UsersScreen
from hotline_tui.screens.officer_modals import ConfirmScreen, FormScreen
from hotline_tui.screens.password_screen import ChangePasswordScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.store.connection import StoreKeyRejected, open_store

CAROL = "carol-one-time-pw"
def _status(app) -> str:
    return str(app.screen.query_one("#users-status", Static).visual)


async def _add_carol(pilot) -> None:
    """a, name, display name, role (down: supervisor), password twice."""
    await pilot.press("a")
    await settle(pilot)
    for value in ("carol", "Carol Case"):
        await type_text(pilot, value)
        await pilot.press("enter")
        await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()
    for _ in range(2):
        await type_text(pilot, CAROL)
        await pilot.press("enter")
        await pilot.pause()
    await settle(pilot)


async def _select(pilot, name: str) -> None:
    table = pilot.app.screen.query_one("#users", DataTable)
    table.move_cursor(row=cells(table, 0).index(name))
    await pilot.pause()


@pilot_test
async def test_add_a_user_who_must_choose_a_password_at_first_unlock(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await _add_carol(pilot)
        table = app.screen.query_one("#users", DataTable)
        row = cells(table, 0).index("carol")
        assert [str(c) for c in table.get_row_at(row)[:4]] == ["carol", "Carol Case", "Supervisor", "must change password"]
        assert _status(app) == "Added carol: they choose their own password at their first unlock."

        await pilot.press("ctrl+l")
        await settle(pilot)
        await sign_in(pilot, "carol", CAROL)
        assert isinstance(app.screen, ChangePasswordScreen) and app.screen.required
        await pilot.press("escape")
        assert isinstance(app.screen, ChangePasswordScreen)  # no way round it
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles == ["Help", "Lock", "Quit"]  # help, but no way round the new password
        await type_text(pilot, CAROL)
        await pilot.press("enter")
        for _ in range(2):
            await type_text(pilot, "carol-own-choice-2026")
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.session.must_change_password
    carol = session_for(officer_room, "carol", "carol-own-choice-2026")
    assert carol.user.role == "supervisor" and not carol.must_change_password


@pilot_test
async def test_remove_a_user_and_their_old_slot_opens_nothing(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await _add_carol(pilot)
        copy = officer_room.root / "slots-copy.json"
        copy.write_bytes((officer_room.workspace / "slots.json").read_bytes())  # what a thief might have kept
        await _select(pilot, "carol")
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "left the unit")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _status(app) == "Removed carol; the store has a new key."
        table = app.screen.query_one("#users", DataTable)
        assert str(table.get_row_at(cells(table, 0).index("carol"))[3]).startswith("removed 2026-03-20")
    with pytest.raises(WrongPassword):
        session_for(officer_room, "carol", CAROL)
    old = slotlib.load_slots(officer_room.root / "slots-copy.json")["carol"]
    old_key = slotlib.unseal_store_key(old, slotlib.unwrap_private_key(old, CAROL))
    with pytest.raises(StoreKeyRejected):
        open_store(officer_room.workspace / "store.db", old_key)
    officer = session_for(officer_room)
    # Newest first: this unlock, carol's failed try (her name is no longer known), the app's quit, the removal.
    assert [r.action for r in audit.read_log(officer, 5)][1:] == [
        "session.unlock_failed", "session.quit", "store.rekey", "user.remove"]


@pilot_test
async def test_reset_disable_enable_and_the_services_refusals(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await _select(pilot, "officer")
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "test")
        await pilot.press("enter")
        await settle(pilot)
        assert _status(app) == "You cannot disable yourself; ask another security officer."
        assert app.screen.query_one("#users-status").has_class("error")

        await _select(pilot, "ben")
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "ben-reset-pw-2026")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "ben-reset-pw-2026")
        await pilot.press("enter")
        await settle(pilot)
        assert _status(app) == "Reset the password of ben; they change it at their next unlock."

        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "on leave")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#users", DataTable)
        assert str(table.get_row_at(cells(table, 0).index("ben"))[3]) == "disabled"
        assert _status(app) == "Disabled ben: their key slot is deleted; enabling them sets a new password."
        assert "ben" not in slotlib.load_slots(officer_room.workspace / "slots.json")
        await pilot.press("d")
        await settle(pilot)
        for value in ("back", "ben-back-pw-2026", "ben-back-pw-2026"):
            await type_text(pilot, value)
            await pilot.press("enter")
            await pilot.pause()
        await settle(pilot)
        assert _status(app) == "Enabled ben with a new key slot; they change the password at their next unlock."
        assert str(table.get_row_at(cells(table, 0).index("ben"))[3]) == "must change password"
    with pytest.raises(WrongPassword):
        session_for(officer_room, "ben", "ben-reset-pw-2026")
    assert session_for(officer_room, "ben", "ben-back-pw-2026").must_change_password
    actions = [(r.action, r.object) for r in audit.read_log(session_for(officer_room), 10)]
    assert actions == [
        ("session.unlock", "officer"), ("session.unlock", "ben"),
        ("session.unlock_failed", "ben"), ("session.quit", "officer"), ("user.reset_password", "ben"),
        ("user.enable", "ben"), ("user.disable", "ben"), ("user.slot_delete", "ben"), ("user.reset_password", "ben"),
        ("action.refused", "officer"),  # disabling yourself
    ]


def _problem(app) -> str:
    return str(app.screen.query_one("#role-problem", Static).visual)


async def _role_dialog_for_ana(pilot, reason: str = "") -> None:
    """r on ana's row, Supervisor chosen (Enter), the reason typed, Enter: the check runs."""
    await _select(pilot, "ana")
    await pilot.press("r")
    await settle(pilot)
    await pilot.press("enter")
    await type_text(pilot, reason)
    await pilot.press("enter")
    await settle(pilot)


@pilot_test
async def test_change_a_role_refused_for_yourself_then_checked_confirmed_and_audited(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await _select(pilot, "officer")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)  # refused before anything is asked
        assert _status(app) == "You cannot change the role of yourself; ask another security officer."

        await _role_dialog_for_ana(pilot)  # no reason: refused, the dialog stays
        assert isinstance(app.screen, ChangeRoleScreen)
        assert _problem(app) == "Say why the user is given another role: every change to a user is recorded with its reason."
        await type_text(pilot, "promoted by the board")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one("#confirm-body", Static).visual)
        assert body.splitlines() == [
            "ana (Ana): Analyst → Supervisor.",
            "Any session they have open ends at its next action; they unlock again in the new role.",
            "They are given the room's signing key (sealing referrals, managing keys) now.",
            "Why: promoted by the board"]
        await pilot.press("n")  # not yet: back to the dialog, everything kept
        await settle(pilot)
        assert isinstance(app.screen, ChangeRoleScreen)
        assert app.screen.query_one("#role-reason", Input).value == "promoted by the board"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert _status(app) == "ana is now a supervisor; any session they have open ends at its next action."
        table = app.screen.query_one("#users", DataTable)
        assert str(table.get_row_at(cells(table, 0).index("ana"))[2]) == "Supervisor"
    assert session_for(officer_room, "ana").user.role == "supervisor"
    entries = [(r.action, r.object, r.reason) for r in audit.read_log(session_for(officer_room), 6)]
    assert ("user.change_role", "ana", "analyst to supervisor: promoted by the board") in entries
    assert ("action.refused", "officer", "user.change the role of: refused: yourself") in entries


class TestUsersScreen:
    @pytest.mark.parametrize("size", SIZES)
    def test_change_role_refused_without_a_reason(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """The dialog after Enter with no reason: Supervisor still chosen, the refusal shown."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Users", UsersScreen)
            await _role_dialog_for_ana(pilot)
            still(pilot)
            assert _problem(pilot.app).startswith("Say why the user is given another role")

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_change_role_confirmation(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """What follows from making ana a supervisor, asked before anything changes."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Users", UsersScreen)
            await _role_dialog_for_ana(pilot, "promoted by the board")
            still(pilot)
            assert isinstance(pilot.app.screen, ConfirmScreen)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)

    def test_users(self, officer_room: DemoRoom, snap_compare) -> None:
        """The demo's five users, and carol just added: she must change her password."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Users", UsersScreen)
            await _add_carol(pilot)
            still(pilot)

        assert snap_compare(make_app(officer_room), terminal_size=SIZE, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("step", ["reason", "confirm"])
    def test_remove_ben(self, officer_room: DemoRoom, snap_compare, size, step) -> None:
        """x on ben: the reason asked (typed), then what removing does, to confirm."""
        seen = {}

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Users", UsersScreen)
            await _select(pilot, "ben")
            await pilot.press("x")
            await settle(pilot)
            await type_text(pilot, "left the unit")
            if step == "confirm":
                await pilot.press("enter")
                await settle(pilot)
            still(pilot)
            seen["screen"] = type(pilot.app.screen)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)
        assert seen["screen"] is (ConfirmScreen if step == "confirm" else FormScreen)

    @pytest.mark.parametrize("size", SIZES)
    def test_add_user(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """The add-user dialog half filled: name, display name, the role list; at 30 rows
        too, with its button."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Users", UsersScreen)
            await pilot.press("a")
            await settle(pilot)
            await type_text(pilot, "carol")
            await pilot.press("enter")
            await pilot.pause()
            await type_text(pilot, "Carol Case")
            await pilot.press("enter")
            await settle(pilot)
            still(pilot)
            assert pilot.app.screen.query_one("#name", Input).value == "carol"
            button = pilot.app.screen.query_one("#add")
            assert button.region.bottom <= pilot.app.size.height  # the whole dialog shows

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)

    def test_forced_password_change(self, officer_room: DemoRoom, snap_compare) -> None:
        """A user with a one-time password meets this before anything else."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Users", UsersScreen)
            await _add_carol(pilot)
            await pilot.press("ctrl+l")
            await settle(pilot)
            await sign_in(pilot, "carol", CAROL)
            still(pilot)
            assert isinstance(pilot.app.screen, ChangePasswordScreen)

        assert snap_compare(make_app(officer_room), terminal_size=SIZE, run_before=run_before)


@pilot_test
async def test_a_narrower_terminal_keeps_every_column_whole(officer_room: DemoRoom) -> None:
    """Opened at 160 columns, then the window made 100 wide: the key ids and the dates
    the users were added still show whole."""
    app = make_app(officer_room)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_officer_screen(pilot, "Users", UsersScreen)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        table = app.screen.query_one("#users", DataTable)
        assert sum(column.width + 2 for column in table.columns.values()) <= 100
        assert all(len(key) == 16 for key in cells(table, 4))
