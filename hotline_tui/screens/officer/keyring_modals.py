"""Dialogs of the keyring screen: which key file to add, and how to rotate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from hotline_tui.errors import HotlineError
from hotline_tui.reference import forces
from hotline_tui.screens.officer_modals import MODALS_CSS
from hotline_tui.services.keyring.desk import guess_force
from hotline_tui.widgets.menu import Menu
from hotline_tui.widgets.safe_text import safe


@dataclass(frozen=True)
class KeyChoice:
    path: Path
    kind: str  # 'intake' or 'force'
    force: str | None
    name: str | None


class AddKeyScreen(ModalScreen[KeyChoice | None]):
    """Pick a public key file on the media and say whose it is."""
    PURPOSE = (
        "Choose a public key file on the media and say whose it is; next you compare its key id with the "
        "sender over another channel."
    )

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="addkey.cancel")]

    def __init__(self, files: Sequence[Path], shown_as: Sequence[str], check: Callable[[KeyChoice], object]) -> None:
        super().__init__()
        self.files, self.shown_as, self.check = list(files), list(shown_as), check

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog", id="addkey-box"):
            yield Label("Add a key from the media", classes="panel-title")
            yield Static("A minisign .pub (signing) or an age recipient file (.age.pub, .age.txt).", classes="hint")
            yield Menu(*[Option(safe(name), id=str(i)) for i, name in enumerate(self.shown_as)], id="key-files")
            yield Select([("Intake system (signs report bundles)", "intake"), ("Force", "force")],
                         value="intake", allow_blank=False, id="kind")
            yield Select([(f.name, f.code) for f in forces()], prompt="Which force", id="force")
            yield Input(placeholder="Name (optional; default from the file or the force)", id="name")
            yield Button("Next: compare the key id", variant="primary", id="next")
            yield Static("", id="addkey-status", classes="error")

    def on_mount(self) -> None:
        self.query_one("#key-files", OptionList).focus()
        if not self.files:
            self.query_one("#addkey-status", Static).update(Content("No key files on the media (*.pub, *.age.txt)."))

    @on(OptionList.OptionHighlighted, "#key-files")
    def _file_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        code = guess_force(self.files[int(event.option.id or 0)])
        if code:
            self.query_one("#kind", Select).value = "force"
            self.query_one("#force", Select).value = code

    @on(OptionList.OptionSelected, "#key-files")
    def _file_chosen(self) -> None:
        self.query_one("#next", Button).focus()

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        index = self.query_one("#key-files", OptionList).highlighted
        if index is None:
            self.query_one("#addkey-status", Static).update(Content("Choose a key file first."))
            return
        kind = str(self.query_one("#kind", Select).value)
        force = self.query_one("#force", Select).value
        if kind == "force" and not isinstance(force, str):
            self.query_one("#addkey-status", Static).update(Content("Choose the force the key belongs to."))
            return
        name = self.query_one("#name", Input).value.strip() or None
        choice = KeyChoice(self.files[index], kind, force if kind == "force" and isinstance(force, str) else None, name)
        try:
            self.check(choice)
        except HotlineError as exc:  # e.g. already trusted: said here, before the key id is read aloud
            self.query_one("#addkey-status", Static).update(safe(str(exc)))
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


ROTATIONS = {
    "both": "The signing key and the age identity",
    "signing": "The signing key only",
    "age": "The age identity only",
}


class RotateScreen(ModalScreen[tuple[str, str] | None]):
    """Which of the room's keys to replace, and why: ``rotate(which, reason)`` does it (what
    it refuses is shown, the reason kept), then the dialog returns (which, reason)."""
    PURPOSE = (
        "Replace the room's signing key, age identity or both; the old keys are kept, retired. Say why: the "
        "reason goes to the audit log."
    )

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="rotate.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label("Rotate the room's keys", classes="panel-title")
            yield Static(
                "The old keys are kept: retired signing keys still verify referrals already sent, retired age "
                "identities still open bundles already encrypted to them. Give intake systems and forces the new "
                "public keys (you will be asked where to export them).",
                classes="hint",
            )
            yield Select([(label, code) for code, label in ROTATIONS.items()], value="both", allow_blank=False, id="which")
            yield Input(placeholder="Why (recorded in the audit log)", id="reason")
            yield Static("", id="rotate-problem", classes="error")
            yield Button("Rotate", variant="warning", id="rotate")

    def __init__(self, rotate: Callable[[str, str], object]) -> None:
        super().__init__()
        self.rotate = rotate

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#rotate")
    def _submit(self) -> None:
        which, reason = str(self.query_one("#which", Select).value), self.query_one("#reason", Input).value
        try:
            self.rotate(which, reason)
        except HotlineError as exc:
            self.query_one("#rotate-problem", Static).update(safe(str(exc)))
            return
        self.dismiss((which, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SuspectsScreen(ModalScreen[None]):
    """Bundles accepted from revoked keys after their "from" time, with what they fed."""
    PURPOSE = (
        "Bundles the room accepted from a key on or after the time it was revoked from: check what each fed "
        "(reports, outcomes, the statistics) with the sender by another channel."
    )

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="suspects.close")]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(Content(f"{len(self.lines)} suspect bundle(s)"), classes="panel-title")
            with VerticalScroll(id="suspects-body"):
                yield Static(safe("\n\n".join(self.lines)))
            yield Button("Close (escape)", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
