"""Small dialogs the security officer's screens share. Each returns data with
``dismiss``; the calling screen hands it to a service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
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
from hotline_tui.services.intake.media import Medium
from hotline_tui.widgets.menu import Menu
from hotline_tui.widgets.safe_text import safe

# Absolute, so subclasses in other feature folders find it (Textual resolves a relative
# CSS_PATH beside the subclass's own module).
MODALS_CSS = Path(__file__).with_name("officer_modals.tcss")

class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; ``body`` is shown literally (it may quote outside text). Enter
    presses the focused button: "no" unless ``ahead`` (what the user already asked for
    and only confirms, such as signing or sealing)."""
    PURPOSE = "A question to answer before anything is done: y for yes, n or escape for no."

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, body: str, yes: str = "Yes", *, warning: bool = False, no: str = "No",
                 ahead: bool = False) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.warning = title, body, yes, warning
        self.no, self.ahead = no, ahead

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(Content(self.title_text), classes="panel-title")
            yield Static(safe(self.body), id="confirm-body")
            yield Button(f"{self.yes} (y)", variant="warning" if self.warning else "primary", id="yes")
            yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.ahead else "#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass(frozen=True)
class Field:
    name: str
    placeholder: str
    value: str = ""
    password: bool = False


class FormScreen(ModalScreen[dict[str, str] | None]):
    """A few text fields; Enter moves on, Enter on the last one submits. ``check`` (given
    the values) returns what is wrong, or '' to go on; ``act`` then does the work, and
    what it refuses (a ``HotlineError``) is shown too. Either way the form stays open with
    everything typed, and closes only when the work is done."""
    PURPOSE = (
        "Fill in the fields; Enter moves to the next and submits on the last. If something is wrong the form "
        "stays open and says what."
    )

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="form.cancel")]

    def __init__(self, title: str, hint: str, fields: Sequence[Field], submit: str = "OK",
                 check: Callable[[dict[str, str]], str] | None = None,
                 act: Callable[[dict[str, str]], object] | None = None) -> None:
        super().__init__()
        self.title_text, self.hint, self.fields, self.submit = title, hint, list(fields), submit
        self.check, self.act = check, act

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(Content(self.title_text), classes="panel-title")
            yield Static(safe(self.hint), classes="hint")
            for field in self.fields:
                yield Input(field.value, placeholder=field.placeholder, password=field.password, id=f"field-{field.name}")
            yield Static("", id="form-problem", classes="error")
            yield Button(self.submit, variant="primary", id="submit")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self._submit()

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        values = {field.name: self.query_one(f"#field-{field.name}", Input).value for field in self.fields}
        problem = self.check(values) if self.check else ""
        if not problem and self.act:
            try:
                self.act(values)
            except HotlineError as exc:
                problem = str(exc)
        if problem:
            self.query_one("#form-problem", Static).update(safe(problem))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseMediumScreen(ModalScreen[Path | None]):
    """Which removable medium to write to."""
    PURPOSE = "Choose the removable medium to write to."

    CSS_PATH = MODALS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="medium.cancel")]

    def __init__(self, title: str, media: Sequence[Medium], hint: str = "") -> None:
        super().__init__()
        self.title_text, self.media, self.hint = title, list(media), hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label(Content(self.title_text), classes="panel-title")
            if self.hint:
                yield Static(safe(self.hint), classes="hint")
            if not self.media:
                yield Static("No removable media seen. Insert a stick, or start with --media DIR.", classes="error")
            yield Menu(*[Option(safe(f"{m.label}  {m.path}"), id=str(i)) for i, m in enumerate(self.media)],
                             id="media-choice")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.media[int(event.option.id or 0)].path)

    def action_cancel(self) -> None:
        self.dismiss(None)
