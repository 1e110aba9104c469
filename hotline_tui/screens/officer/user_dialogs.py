"""The Users screen's own dialogs: adding a user, and giving one another role. Each keeps
what was typed when something is refused, and shows the refusal in the service's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer_modals import MODALS_CSS, ConfirmScreen
from hotline_tui.services.people.users import UserInfo
from hotline_tui.services.permissions import ROLE_LABELS, Role
from hotline_tui.services.roles import RoleChange
from hotline_tui.widgets.menu import Menu
from hotline_tui.widgets.safe_text import safe
from hotline_tui.wording import a_or_an


class AddUserScreen(ModalScreen[dict[str, str] | None]):
    """Name, display name, role and a one-time password (twice); ``add`` (given them) adds
    the user, and what it refuses is shown here with everything still typed."""
    PURPOSE = (
        "A new user's name, display name, role and a one-time password they change at their first unlock."
    )

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="adduser.cancel")]

    def __init__(self, add: Callable[[dict[str, str]], object]) -> None:
        super().__init__()
        self.add = add

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label("Add a user", classes="panel-title")
            yield Input(placeholder="User name (letters, digits, . _ -)", id="name")
            yield Input(placeholder="Display name", id="display")
            yield Label("Role (up/down, Enter)", classes="hint")
            yield Menu(*[Option(Content(label), id=code) for code, label in ROLE_LABELS.items()], id="role")
            yield Input(placeholder="One-time password (at least 12 characters)", password=True, id="password")
            yield Input(placeholder="The same again", password=True, id="again")
            yield Static("", id="adduser-status", classes="error")
            yield Button("Add user", variant="primary", id="add")

    def on_mount(self) -> None:
        self.query_one("#role", OptionList).highlighted = 0
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["name", "display", "password", "again"]
        if event.input.id == "again":
            self._submit()
        elif event.input.id == "display":
            self.query_one("#role", OptionList).focus()
        elif event.input.id in order:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()

    @on(OptionList.OptionSelected, "#role")
    def _role_chosen(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Button.Pressed, "#add")
    def _submit(self) -> None:
        values = {i: self.query_one(f"#{i}", Input).value for i in ("name", "display", "password", "again")}
        if values.pop("again") != values["password"]:
            self.query_one("#adduser-status", Static).update(Content("The two passwords differ."))
            return
        roles = self.query_one("#role", OptionList)
        values["role"] = str(roles.get_option_at_index(roles.highlighted or 0).id)
        try:
            self.add(values)
        except HotlineError as exc:
            self.query_one("#adduser-status", Static).update(safe(str(exc)))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChangeRoleScreen(ModalScreen[Role | None]):
    """The new role (up/down, Enter), a reason, then a confirmation that says what follows
    (``plan``: the service's check, which refuses what the change would, before asking).
    ``change`` makes it; what it refuses is shown here with the role and reason kept."""
    PURPOSE = (
        "Give a user another role: choose it, say why (for the audit log), and confirm after reading what "
        "follows: their open sessions end and the keys they can open change with the role."
    )

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="role.cancel")]

    def __init__(self, user: UserInfo, plan: Callable[[Role, str], RoleChange],
                 change: Callable[[Role, str], object]) -> None:
        super().__init__()
        self.user, self.plan, self.change = user, plan, change
        self.choices = [Role(code) for code in ROLE_LABELS if code != user.role]

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(safe(f"Change the role of {self.user.name}"), classes="panel-title")
            yield Static(safe(f"{self.user.display_name} is {a_or_an(self.user.role.label.lower())} now. Choose the new role "
                              "(up/down, Enter) and say why; what follows is shown before anything changes."),
                         classes="hint")
            yield Menu(*[Option(Content(role.label), id=str(role)) for role in self.choices], id="new-role")
            yield Input(placeholder="Why (recorded in the audit log)", id="role-reason")
            yield Static("", id="role-problem", classes="error")
            yield Button("Change role…", variant="primary", id="role-submit")

    def on_mount(self) -> None:
        self.query_one("#new-role", OptionList).highlighted = 0
        self.query_one("#new-role", OptionList).focus()

    @on(OptionList.OptionSelected, "#new-role")
    def _role_chosen(self) -> None:
        self.query_one("#role-reason", Input).focus()

    def _chosen(self) -> tuple[Role, str]:
        roles = self.query_one("#new-role", OptionList)
        return self.choices[roles.highlighted or 0], self.query_one("#role-reason", Input).value

    def _problem(self, text: str) -> None:
        self.query_one("#role-problem", Static).update(safe(text))

    @on(Input.Submitted, "#role-reason")
    @on(Button.Pressed, "#role-submit")
    def _submit(self) -> None:
        role, reason = self._chosen()
        try:
            plan = self.plan(role, reason)
        except HotlineError as exc:
            self._problem(str(exc))
            return
        self._problem("")
        question = ConfirmScreen(f"Make {self.user.name} {a_or_an(plan.role.label.lower())}?",
                                 "\n".join([*plan.consequences(), f"Why: {reason.strip()}"]), "Change the role",
                                 warning=True)
        self.app.push_screen(question, lambda yes: self._confirmed(role, reason) if yes else None)

    def _confirmed(self, role: Role, reason: str) -> None:
        try:
            self.change(role, reason)
        except HotlineError as exc:
            self._problem(str(exc))
            return
        self.dismiss(role)

    def action_cancel(self) -> None:
        self.dismiss(None)
