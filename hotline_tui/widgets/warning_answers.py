"""The sanitiser's warnings on an assessment, each answered: reworded, or kept with a reason.

The widget holds the analyst's answers (they are saved with the draft and submitted
with the assessment); what counts as answered is the ``sanitiser.answers`` module's
business, which ``submit`` checks again.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from hotline_tui.services.sanitiser.answers import KEPT, MIN_REASON, REWORDED, FieldWarning, WarningAnswer, answer_to
from hotline_tui.widgets.safe_text import SafeText, safe, safe_cell


class KeepReasonPrompt(ModalScreen[str | None]):
    """Why the warning may stand: the reason goes to the audit log and to the supervisor."""

    PURPOSE = ("Say why a warning of the sanitiser may stand: the reason goes to the audit log and to the "
               "supervisor who approves.")

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="keep.cancel")]
    DEFAULT_CSS = """
    KeepReasonPrompt { align: center middle; }
    #keep-box { width: 84; max-width: 100%; height: auto; }
    #keep-box Input { margin-top: 1; }
    #keep-error { color: $error; }
    """

    def __init__(self, warning: FieldWarning, reason: str = "") -> None:
        super().__init__()
        self.warning = warning
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="keep-box", classes="panel"):
            yield Label("Keep this warning, with a reason", classes="panel-title")
            yield SafeText(self.warning.describe(), id="keep-warning")
            yield Static("Say why it cannot point at the reporter (the supervisor reads it; it stays in the room). "
                         "Enter keeps it, Esc goes back.", classes="hint")
            yield Input(self.reason, placeholder=f"Reason (at least {MIN_REASON} characters)", id="keep-reason")
            yield Static("", id="keep-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self) -> None:
        reason = self.query_one(Input).value.strip()
        if len(reason) < MIN_REASON:  # the dialog stays, with what was typed
            self.query_one("#keep-error", Static).update(
                f"Say a little more: at least {MIN_REASON} characters ({len(reason)} so far).")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WarningTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep", "Keep with a reason", id="warnings.keep"),
        Binding("enter", "keep", "Keep with a reason", show=False, id="warnings.keep_enter"),
        Binding("w", "reword", "Reword it", id="warnings.reword"),
    ]

    def action_keep(self) -> None:
        parent = self.parent
        if isinstance(parent, WarningAnswers):
            parent.keep_highlighted()

    def action_reword(self) -> None:
        parent = self.parent
        if isinstance(parent, WarningAnswers):
            parent.reword_highlighted()


class WarningAnswers(Vertical):
    """The warnings standing now, with the answer each has."""

    DEFAULT_CSS = """
    WarningAnswers { height: auto; }
    WarningAnswers WarningTable { height: auto; max-height: 10; }
    """

    class Changed(Message):
        """An answer was given: the form must be saved."""

    class Reword(Message):
        def __init__(self, warning: FieldWarning) -> None:
            super().__init__()
            self.warning = warning

    def __init__(self, answers: list[WarningAnswer], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.answers = list(answers)
        self.warnings: list[FieldWarning] = []
        self._rows: list[tuple[str, ...]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="warnings-title", classes="hint")
        yield WarningTable(id="warnings", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one(WarningTable).add_columns("Answer", "Found", "Where", "Warning")
        self.display = False

    def show(self, warnings: list[FieldWarning]) -> None:
        """Repaint only when what is shown changes (this runs on every keystroke)."""
        self.warnings = warnings
        rows = [(w.where, w.flag.message, w.flag.text, self._answer_words(w)) for w in warnings]
        if rows == self._rows:
            return
        self._rows = rows
        table = self.query_one(WarningTable)
        cursor = table.cursor_row
        table.clear()
        for where, message, text, answer in rows:
            table.add_row(safe_cell(answer, 40), safe_cell(text, 24), safe_cell(where, 18), safe_cell(message, 90))
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))
        open_count = sum(1 for w in warnings if not self._settled(w))
        title = (f"⚠ {len(warnings)} warning(s), {open_count} to answer: on the list, k keeps one with a reason, "
                 "w takes you to reword it." if open_count else f"✔ {len(warnings)} warning(s), each answered.")
        self.query_one("#warnings-title", Static).update(safe(title))
        self.display = bool(warnings)

    def _settled(self, warning: FieldWarning) -> bool:
        answer = answer_to(warning, self.answers)
        return bool(answer and answer.settles)

    def _answer_words(self, warning: FieldWarning) -> str:
        answer = answer_to(warning, self.answers)
        if answer is None:
            return "not answered"
        if answer.answer == KEPT:
            return f"kept: {answer.reason}"
        return "rewording: still there"

    def _highlighted(self) -> FieldWarning | None:
        table = self.query_one(WarningTable)
        return self.warnings[table.cursor_row] if 0 <= table.cursor_row < len(self.warnings) else None

    def keep_highlighted(self) -> None:
        warning = self._highlighted()
        if warning is None:
            return
        previous = answer_to(warning, self.answers)

        def kept(reason: str | None) -> None:
            if reason:
                self.answers.append(WarningAnswer.of(warning, KEPT, reason))
                self._rows = []
                self.post_message(self.Changed())

        self.app.push_screen(KeepReasonPrompt(warning, previous.reason if previous else ""), kept)

    def reword_highlighted(self) -> None:
        warning = self._highlighted()
        if warning is None:
            return
        self.answers.append(WarningAnswer.of(warning, REWORDED))
        self._rows = []
        self.post_message(self.Changed())
        self.post_message(self.Reword(warning))
