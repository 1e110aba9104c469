"""Change my password: rewrites only this user's key slot."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from hotline_tui.errors import PasswordRejected
from hotline_tui.services.people.users import change_password
from hotline_tui.services.session import Session


class ChangePasswordScreen(ModalScreen[bool]):
    PURPOSE = (
        "Set a new password for your key slot: your current password, then the new one twice (at least 12 "
        "characters)."
    )
    CSS_PATH = "password_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="password.cancel")]

    def __init__(self, session: Session, *, required: bool = False) -> None:
        super().__init__()
        self.session = session
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="password-box", classes="panel"):
            yield Label("Change your password", classes="panel-title")
            if self.required:
                yield Static("Your password was set by a security officer: choose your own now.", classes="hint")
            yield Input(placeholder="Current password", password=True, id="old")
            yield Input(placeholder="New password (at least 12 characters)", password=True, id="new")
            yield Input(placeholder="New password again", password=True, id="again")
            yield Button("Change password", variant="primary", id="change")
            yield Static("", id="password-status")

    def on_mount(self) -> None:
        self.query_one("#old", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["old", "new", "again"]
        if event.input.id == "again":
            self._submit()
        elif event.input.id in order:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()

    @on(Button.Pressed, "#change")
    def _submit(self) -> None:
        old, new, again = (self.query_one(f"#{i}", Input).value for i in ("old", "new", "again"))
        if new != again:
            self._status("The new passwords differ.")
            return
        self.query_one("#change", Button).disabled = True
        self._status("Changing…", error=False)
        self._change(old, new)

    @work(thread=True, exclusive=True, group="password", exit_on_error=False)
    def _change(self, old: str, new: str) -> None:
        try:
            change_password(self.session, old, new)
        except PasswordRejected as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done)

    def _failed(self, message: str) -> None:
        self.query_one("#change", Button).disabled = False
        self._status(message)

    def _done(self) -> None:
        self.app.notify("Password changed.")
        self.dismiss(True)

    def _status(self, text: str, error: bool = True) -> None:
        status = self.query_one("#password-status", Static)
        status.update(Content(text))
        status.set_class(error, "error")

    def action_cancel(self) -> None:
        if not self.required:
            self.dismiss(False)
