"""The blocking message when the store check, or a read, finds damage; the app is locked."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from hotline_tui.services.store_care.store_check import FAILURE_FILE

WHAT_TO_DO = (
    "The room has been locked so that nothing more is written to it.\n\n"
    "What to do:\n"
    "  1. Stop: do not unlock and keep working in this store.\n"
    "  2. Call the security officer now.\n"
    "  3. The security officer restores the store from the last backup\n"
    "     (store.db with its slots.json) and runs the store check again.\n\n"
    f"The failure is recorded in {FAILURE_FILE} in the workspace,\n"
    "and in the audit log if the store could still take it."
)


class StoreDamagedScreen(ModalScreen[None]):
    PURPOSE = "The store failed its integrity check: what was found and what to do next."
    CSS_PATH = "store_damaged_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "understood", "I understand", id="damaged.ok"),
    ]

    def __init__(self, problem: str, found_by: str = "The store check found damage") -> None:
        super().__init__()
        self.problem = problem
        self.found_by = found_by

    def compose(self) -> ComposeResult:
        with Vertical(id="damaged-box", classes="panel"):
            yield Label("The store is damaged", classes="panel-title error")
            yield Static(Content(f"{self.found_by}: {self.problem}"), id="damaged-problem")
            yield Static(Content(WHAT_TO_DO), id="damaged-what-to-do")
            yield Button("I understand (Enter)", variant="error", id="damaged-ok")

    def on_mount(self) -> None:
        self.query_one("#damaged-ok", Button).focus()

    @on(Button.Pressed, "#damaged-ok")
    def action_understood(self) -> None:
        self.dismiss(None)
