"""The statistics screen's dialogs: which export, and the publication's threshold."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.screens.officer_modals import MODALS_CSS
from hotline_tui.widgets.menu import Menu

EXPORTS = {
    "internal": ("Internal: exact figures", "Every figure and every cell exactly, for the room and its oversight."),
    "publication": ("For publication: disclosure control",
                    "Whole months only; counts below {n} shown as 'fewer than {n}', and whatever would reveal them "
                    "withheld."),
}


class ExportKindScreen(ModalScreen[str | None]):
    """Internal or for publication; both are signed by the room's key and audited."""

    PURPOSE = "Choose which export of the statistics to write; both are signed by the room's key and audited."
    CSS_PATH = MODALS_CSS
    DEFAULT_CSS = "ExportKindScreen { align: center middle; } ExportKindScreen #export-kind { height: auto; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="export_kind.cancel")]

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold

    def compose(self) -> ComposeResult:
        with Vertical(classes="panel dialog"):
            yield Label("Export the statistics", classes="panel-title")
            yield Static(Content("Both exports are signed by the room's key (check them with stock minisign and "
                                 "triage-room.pub) and recorded in the audit log."), classes="hint")
            yield Menu(*[Option(Content(f"{title}\n  {hint.format(n=self.threshold)}"), id=kind)
                         for kind, (title, hint) in EXPORTS.items()], id="export-kind")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
