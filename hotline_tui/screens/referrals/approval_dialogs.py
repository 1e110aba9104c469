"""The supervisor's dialogs: confirm what is signed, the password, comments for a return."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static, TextArea

from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer_modals import ConfirmScreen
from hotline_tui.widgets.safe_text import safe

KEEP_KEY_MINUTES = 5


class ConfirmPrompt(ConfirmScreen):
    """Names what is about to be signed or written and asks once more: y or Enter goes
    ahead, n or Esc does not (the officer's confirmation, focused on going ahead)."""

    PURPOSE = "Says exactly what is about to be signed or written, and asks once more before doing it."

    def __init__(self, title: str, body: str, yes: str) -> None:
        super().__init__(title, body, yes, no="Cancel", ahead=True)


@dataclass(frozen=True)
class KeyRequest:
    password: str
    keep_open: bool  # keep the key open for KEEP_KEY_MINUTES this sitting


class KeepOpenBox(Checkbox, inherit_bindings=False):
    """Space ticks it; Enter, as in the password field, unlocks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Tick", show=False),
        Binding("enter", "screen.submit", "Unlock", show=False),
    ]


class PasswordPrompt(ModalScreen[KeyRequest | None]):
    PURPOSE = (
        "Your password unlocks your personal signing key for this approval, or, if you tick the box, for a few "
        "minutes of this sitting; it is never stored."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    DEFAULT_CSS = """
    PasswordPrompt { align: center middle; }
    #prompt-box { width: 74; max-width: 100%; height: auto; }
    #prompt-box Input { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="panel"):
            yield Label("Your password unlocks your personal signing key", classes="panel-title")
            yield Static("Asked for each approval, unless you keep the key open for a few minutes (Tab, Space); "
                         "never stored. Enter unlocks.", classes="hint")
            yield Input(password=True, placeholder="Password", id="prompt-password")
            yield KeepOpenBox(f"Keep my key open for {KEEP_KEY_MINUTES} minutes this sitting", id="prompt-keep")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def action_submit(self) -> None:
        self.dismiss(KeyRequest(self.query_one(Input).value, self.query_one(Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReturnPrompt(ModalScreen[str | None]):
    """The supervisor's comments; ``send`` (given them) returns the referral, and what it
    refuses (no comment, say) is shown here with the comments still typed."""

    PURPOSE = (
        "Say what the analyst must change; the comment goes back with the referral and to the audit log."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Return", id="return.send"),
        Binding("escape", "cancel", "Cancel", id="return.cancel"),
    ]
    DEFAULT_CSS = """
    ReturnPrompt { align: center middle; }
    #return-box { width: 80; height: auto; }
    #return-comments { height: 8; margin-top: 1; }
    """

    def __init__(self, send: Callable[[str], object]) -> None:
        super().__init__()
        self.send = send

    def compose(self) -> ComposeResult:
        with Vertical(id="return-box", classes="panel"):
            yield Label("Return to the analyst", classes="panel-title")
            yield Static("Say what must change (required). ctrl+s sends it back.", classes="hint")
            yield TextArea(id="return-comments")
            yield Static("", id="return-problem", classes="error")
            yield Button("Return (ctrl+s)", id="return-send", variant="warning")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#return-send")
    def action_send(self) -> None:
        comments = self.query_one(TextArea).text
        try:
            self.send(comments)
        except HotlineError as exc:
            self.query_one("#return-problem", Static).update(safe(str(exc)))
            return
        self.dismiss(comments)

    def action_cancel(self) -> None:
        self.dismiss(None)
