"""Unlock: user name and password; the key derivation runs in a worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, LoadingIndicator, Static

from hotline_tui.config import Settings
from hotline_tui.demo.room import DemoCredential
from hotline_tui.errors import StoreBusy, UnlockFailed
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.security import guard
from hotline_tui.services.session import Session, utc_now
from hotline_tui.widgets.steady_footer import SteadyFooter


def held_line(settings: Settings, name: str) -> str:
    """The lockout line for ``name`` (held or slowed after wrong passwords), or ''."""
    name = name.strip().lower()
    for hold in guard.holds(settings, utc_now()):
        if hold.user == name:
            if hold.held_until:
                return (f"{name} is held after {hold.failures} wrong passwords until {hold.held_until[11:16]} UTC; "
                        "a security officer can lift it (Users, h).")
            return (f"{hold.failures} wrong passwords in a row for {name}: "
                    f"the next try must wait until {hold.next_try[11:19]} UTC.")
    return ""


WRONG = "Wrong user name or password."


class UnlockScreen(Screen[None]):
    PURPOSE = (
        "Unlock the triage room: your user name, then your password. Your password opens your own key slot; "
        "nothing is readable until then."
    )
    CSS_PATH = "unlock_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear", id="unlock.clear"),
        # Priority: decided as each key arrives, so the keys that follow (a password
        # manager types the name, Tab, the password at once) reach the next field.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id="unlock.next_field"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True,
                id="unlock.previous_field"),
        Binding("enter", "next_field", "Next field", show=False, priority=True, id="unlock.enter"),
    ]

    class Unlocked(Message):
        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    def __init__(
        self, settings: Settings, demo_credentials: Sequence[DemoCredential] = (), notice: str = "", *, user: str = ""
    ) -> None:
        super().__init__()
        self.settings = settings
        self.demo_credentials = demo_credentials
        self.notice = notice  # why the app locked, and where unlocking returns to
        self.user = user  # who it locked on: their name is filled in, the password asked

    def compose(self) -> ComposeResult:
        yield Header()
        with Center():
            with Vertical(id="unlock-box", classes="panel"):
                yield Label("Unlock the triage room", classes="panel-title")
                yield Static(Content(f"Workspace: {self.settings.workspace}"), classes="hint")
                yield Input(placeholder="User name", id="user")
                yield Input(placeholder="Password", password=True, id="password")
                yield Button("Unlock", id="unlock", variant="primary")
                yield LoadingIndicator(id="busy")
                yield Static("", id="status")
            if self.demo_credentials:
                with Vertical(id="demo-box", classes="panel"):
                    yield Label("Demo room: these accounts exist only in this demo", classes="panel-title")
                    for cred in self.demo_credentials:
                        yield Static(Content(f"{cred.role:<18} {cred.name:<12} password: {cred.password}"))
        yield SteadyFooter()

    def on_mount(self) -> None:
        # A toast (e.g. "Locked") would cover the fields or the demo accounts at 100x30;
        # what the user must know is said in the status line below the fields.
        self.app.clear_notifications()
        self.query_one("#busy").display = False
        if self.user:
            self.query_one("#user", Input).value = self.user
            self.query_one("#password", Input).focus()
        else:
            self.query_one("#user", Input).focus()
        if self.notice:
            self._status(self.notice, error=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":  # Enter in the password waits for the keys before it: it unlocks
            return self.focused is self.query_one("#user", Input)
        return True

    def action_next_field(self) -> None:
        """Enter in the user name moves to the password, and says if that user is held."""
        self.set_focus(self.query_one("#password", Input))  # at once: Widget.focus waits its turn
        held = held_line(self.settings, self.query_one("#user", Input).value)
        if held:
            self._status(held, error=True)

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#unlock")
    def _submit(self) -> None:
        name = self.query_one("#user", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not name or not password:
            self._status("Enter your user name and password.", error=True)
            return
        self._busy(True)
        self._status("Unlocking… deriving your key")
        self._unlock(name, password)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _unlock(self, name: str, password: str) -> None:
        try:
            session = unlock(self.settings, name, password)
        except (UnlockFailed, StoreBusy) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._succeeded, session)

    def _succeeded(self, session: Session) -> None:
        self._busy(False)
        self.query_one("#password", Input).value = ""
        self.post_message(self.Unlocked(session))

    def _failed(self, message: str) -> None:
        self._busy(False)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self._status(message, error=True)

    def _busy(self, busy: bool) -> None:
        self.query_one("#busy").display = busy
        for widget_id in ("#user", "#password", "#unlock"):
            self.query_one(widget_id).disabled = busy

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Content(text))
        status.set_class(error, "error")

    def action_clear(self) -> None:
        self.query_one("#password", Input).value = ""
        self.query_one("#user", Input).value = ""
        self.query_one("#user", Input).focus()
        self._status("")
