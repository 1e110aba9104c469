"""Users: add (with a one-time password the user changes at first unlock), reset a
password, disable (which deletes the key slot) or enable (with a new password), remove
(which re-encrypts the store), give another role. The services refuse what would break
a rule (the last security officer, yourself) and say why, before a reason is asked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer.user_dialogs import AddUserScreen, ChangeRoleScreen
from hotline_tui.screens.officer_modals import ConfirmScreen, Field, FormScreen
from hotline_tui.services import roles
from hotline_tui.services.people import users
from hotline_tui.services.people.users import CHANGE_ROLE, UserInfo
from hotline_tui.services.permissions import Role
from hotline_tui.services.revocation.approvals import waiting_and_sealed
from hotline_tui.services.security.holds import lift_hold, unlock_holds
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import safe, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter
from hotline_tui.wording import a_or_an

HELP = (
    "A new user's password, and a reset one, is for one use: they choose their own at their first unlock. "
    "Disable deletes the user's key slot (enabling them sets a new password) but does not re-encrypt the store, "
    "so a copy of an old slot file would still open it: someone leaving for good must be removed, not disabled. "
    "Remove destroys the user's key slot and re-encrypts the store, so no copy of their slot opens it again. "
    "r gives someone another role: their open sessions end and the keys they can open follow the role."
)
DISABLE_HINT = (
    "Their key slot is deleted, so their password opens nothing; enabling them again needs a new password. "
    "If they are leaving for good, remove them instead (x): only removal re-encrypts the store. "
    "The reason goes to the audit log."
)
ENABLE_HINT = (
    "Disabling deleted their key slot, so they get a new one and a new personal key; this password is for one "
    "use at their next unlock. The reason goes to the audit log."
)


def _same_passwords(values: dict[str, str]) -> str:
    return "" if values["password"] == values["again"] else "The two passwords differ."


def _reason_given(values: dict[str, str]) -> str:
    return "" if values["reason"].strip() else "Say why: the reason goes to the audit log."


def state_of(user: UserInfo) -> str:
    if user.removed_at:
        return f"removed {user.removed_at[:10]}"
    if user.disabled:
        return "disabled"
    return "must change password" if user.must_change_password else "active"


USER_COLUMNS = ("User", "Display name", "Role", "State", "Personal key", "Added")
NARROW_WIDTHS = (10, 14, 16, 20, 16, 10)  # "Security officer", "must change password", a key id, a date
WIDE_WIDTHS = (14, 28, 18, 22, 16, 16)


class UsersScreen(Screen[None]):
    PURPOSE = (
        "Everyone who can open the store: add users, reset a password, disable or enable someone, or remove "
        "them for good (which re-encrypts the store), or give them another role."
    )
    CSS_PATH = "users_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add user", id="users.add"),
        Binding("p", "reset", "Reset password", id="users.reset"),
        Binding("d", "toggle_disabled", "Disable/enable", id="users.disable"),
        Binding("x", "remove", "Remove", id="users.remove"),
        Binding("r", "change_role", "Change role", id="users.role"),
        Binding("h", "lift_hold", "Lift unlock hold", id="users.lift_hold"),
        Binding("escape", "back", "Back", id="users.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.users: list[UserInfo] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="users", cursor_type="row", zebra_stripes=True)
        yield Static("", id="users-status", classes="panel")
        yield Static(Content(HELP), id="users-help", classes="hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._add_columns()
        self.reload()
        self.query_one("#users", DataTable).focus()
        self._delete_disabled_slots()

    def _add_columns(self) -> None:
        table = self.query_one("#users", DataTable)
        self._columns_for = self._widths()
        table.clear(columns=True)
        for label, width in zip(USER_COLUMNS, self._columns_for, strict=True):
            table.add_column(label, width=width)

    def on_resize(self) -> None:
        """A terminal made narrower or wider: the columns for its width."""
        if self.is_mounted and self._widths() != getattr(self, "_columns_for", None):
            self._add_columns()
            self.reload()

    def _widths(self) -> tuple[int, ...]:
        """Every column whole at 100 columns (the key id and the state in full, the date
        the user was added), more room for names wider."""
        return NARROW_WIDTHS if self.app.size.width < 130 else WIDE_WIDTHS

    def _delete_disabled_slots(self) -> None:
        """Slots that disabled users kept from before disabling deleted them."""
        try:
            names = users.delete_disabled_slots(self.session)
        except HotlineError as exc:
            self._say(str(exc), error=True)
            return
        if names:
            self._say(f"Deleted the key slots disabled users still had: {', '.join(names)}.")

    def reload(self) -> None:
        self.users = users.list_users(self.session, include_removed=True)
        held = {hold.user: hold for hold in unlock_holds(self.session)}
        table = self.query_one("#users", DataTable)
        row = table.cursor_row
        table.clear()
        for user in self.users:
            state = state_of(user)
            if user.name in held and not user.removed_at:
                hold = held[user.name]
                state = f"held to {hold.held_until[11:16]}" if hold.held_until else f"slowed ({hold.failures} wrong)"
            style = "dim" if user.removed_at else "bold red" if user.disabled else "yellow" if user.must_change_password else ""
            table.add_row(
                Text(user.name), safe_cell(user.display_name, self._widths()[1]), Text(user.role.label), Text(state, style=style),
                Text(user.personal_key_id), Text(user.created_at[: 16 if self._widths()[-1] >= 16 else 10].replace("T", " ")),
            )
        table.move_cursor(row=min(row, max(len(self.users) - 1, 0)))

    def _current(self) -> UserInfo | None:
        row = self.query_one("#users", DataTable).cursor_row
        user = self.users[row] if 0 <= row < len(self.users) else None
        if user is not None and user.removed_at:
            self._say(f"{user.name} was removed; nothing more can be done with that account.", error=True)
            return None
        return user

    def _say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#users-status", Static)
        status.update(safe(text))
        status.set_class(error, "error")
        status.display = bool(text)  # no empty box at rest

    def action_add(self) -> None:
        self.app.push_screen(AddUserScreen(self._add), self._added)

    def _add(self, values: dict[str, str]) -> None:
        """Run by the dialog: what is refused (a bad name, a short password) is shown there."""
        users.add_user(self.session, values["name"], values["role"], values["password"], values["display"] or None)

    def _added(self, values: dict[str, str] | None) -> None:
        if values:
            self._done(f"Added {values['name']}: they choose their own password at their first unlock.")

    def _done(self, text: str) -> None:
        self._say(text)
        self.reload()

    def _allowed(self, user: UserInfo, what: str) -> bool:
        """Refused before any reason or password is typed: yourself, the last officer."""
        try:
            users.check_may(self.session, user.name, what)
        except HotlineError as exc:
            self._say(str(exc), error=True)
            return False
        return True

    def action_lift_hold(self) -> None:
        user = self._current()
        if user is None:
            return
        if user.name not in {hold.user for hold in unlock_holds(self.session)}:
            self._say(f"{user.name} is not held after wrong passwords: nothing to lift.")
            return
        form = FormScreen(f"Lift the unlock hold on {user.name}",
                          "Their wrong passwords are forgotten and they may try again at once. Check first that it "
                          "was them. The reason goes to the audit log.", [Field("reason", "Why")], "Lift",
                          check=_reason_given, act=lambda values: lift_hold(self.session, user.name, values["reason"]))
        self.app.push_screen(form, lambda values: self._done(f"Lifted the unlock hold on {user.name}.") if values else None)

    def action_reset(self) -> None:
        user = self._current()
        if user is None or not self._allowed(user, "reset the password of"):
            return
        waiting, _ = waiting_and_sealed(self.session, user.personal_key_id)
        also = (f" The {len(waiting)} approval(s) their old key signed and the room has not sealed go back to "
                "awaiting approval: a supervisor approves them again." if waiting else "")
        form = FormScreen(
            f"Reset the password of {user.name}",
            "They get a new key slot and personal key; this password is for one use at their next unlock." + also,
            [Field("password", "One-time password (at least 12 characters)", password=True),
             Field("again", "The same again", password=True)],
            "Reset password", check=_same_passwords,
            act=lambda values: users.reset_password(self.session, user.name, values["password"]),
        )
        self.app.push_screen(form, lambda values: self._done(
            f"Reset the password of {user.name}; they change it at their next unlock.") if values else None)

    def action_toggle_disabled(self) -> None:
        user = self._current()
        if user is None:
            return
        if user.disabled:
            form = FormScreen(f"Enable {user.name}", ENABLE_HINT,
                              [Field("reason", "Why"),
                               Field("password", "One-time password (at least 12 characters)", password=True),
                               Field("again", "The same again", password=True)], "Enable",
                              check=lambda v: _reason_given(v) or _same_passwords(v),
                              act=lambda v: users.enable_user(self.session, user.name, v["password"], v["reason"]))
            self.app.push_screen(form, lambda values: self._done(
                f"Enabled {user.name} with a new key slot; they change the password at their next unlock.")
                if values else None)
            return
        if not self._allowed(user, "disable"):
            return
        form = FormScreen(f"Disable {user.name}", DISABLE_HINT, [Field("reason", "Why")], "Disable", check=_reason_given,
                          act=lambda values: users.disable_user(self.session, user.name, values["reason"]))
        self.app.push_screen(form, lambda values: self._done(
            f"Disabled {user.name}: their key slot is deleted; enabling them sets a new password.") if values else None)

    def action_change_role(self) -> None:
        user = self._current()
        if user is None or not self._allowed(user, CHANGE_ROLE):
            return
        dialog = ChangeRoleScreen(user, lambda role, reason: roles.plan_role_change(self.session, user.name, role, reason),
                                  lambda role, reason: roles.change_role(self.session, user.name, role, reason))
        self.app.push_screen(dialog, lambda role: self._role_changed(user, role) if role else None)

    def _role_changed(self, user: UserInfo, role: Role) -> None:
        self._done(f"{user.name} is now {a_or_an(role.label.lower())}; any session they have open ends at its next "
                   "action.")

    def action_remove(self) -> None:
        user = self._current()
        if user is None or not self._allowed(user, "remove"):
            return
        form = FormScreen(
            f"Remove {user.name} for good",
            f"{user.name}'s key slot is destroyed and the store is re-encrypted with a new key for everyone else. "
            "The name is never reused. Type the reason, then confirm.",
            [Field("reason", "Why (recorded in the audit log)")],
            "Remove…", check=_reason_given,
        )
        self.app.push_screen(form, lambda values: self._confirm_remove(user, values["reason"]) if values else None)

    def _confirm_remove(self, user: UserInfo, reason: str) -> None:
        question = ConfirmScreen(f"Remove {user.name}?", f"{user.display_name} ({user.role.label}): {reason}",
                                 "Remove and re-encrypt the store", warning=True)
        self.app.push_screen(question, lambda yes: self._remove(user, reason) if yes else None)

    def _remove(self, user: UserInfo, reason: str) -> None:
        self.busy = True
        self._say(f"Removing {user.name} and re-encrypting the store…")
        self._removing(user, reason)

    @work(thread=True, exclusive=True, group="users-remove", exit_on_error=False)
    def _removing(self, user: UserInfo, reason: str) -> None:
        try:
            users.remove_user(self.session, user.name, reason)
        except HotlineError as exc:
            self.app.call_from_thread(self._removed, str(exc), True)
            return
        self.app.call_from_thread(self._removed, f"Removed {user.name}; the store has a new key.", False)

    def _removed(self, message: str, error: bool) -> None:
        self.busy = False
        self._say(message, error=error)
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.busy or action == "back"

    def action_back(self) -> None:
        if self.busy:
            return
        self.app.pop_screen()
