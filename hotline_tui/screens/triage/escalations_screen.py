"""People reported independently three times or more (red-flag escalation), from the
queue (e), whose ▲ marks the reports about them.

Enter opens the person's subject's file.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from hotline_tui.reference import short_force_name
from hotline_tui.screens.triage.subject_file_screen import SubjectFileScreen
from hotline_tui.services.redflags.escalation import THRESHOLD, escalations
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter


class EscalationsScreen(Screen[None]):
    PURPOSE = (f"People the room holds {THRESHOLD} or more independent reports about (different reporters), joined by"
               " confirmed red-flag links or a shared registration, phone, e-mail or handle. Enter opens the file.")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="escalations.back")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.found = escalations(session)
        self._narrow: bool | None = None  # the width the rows were written for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(f"Reported independently {THRESHOLD} times or more (Enter opens the subject's file)",
                    classes="panel-title")
        yield DataTable[Text](id="escalations", cursor_type="row", zebra_stripes=True)
        yield Static(f"{len(self.found)} people.", classes="hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "Red-flag escalations"
        table = self.query_one("#escalations", DataTable)
        table.add_columns("Independent", "Reports", "Joined by", "Forces")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        """The rows for the width there is now: narrow, the forces as the room says them, so they fit whole."""
        self._narrow = self.app.size.width < 130
        table = self.query_one("#escalations", DataTable)
        row = table.cursor_row
        table.clear()
        for item in self.found:
            forces = [short_force_name(name) if self._narrow else name for name in item.forces]
            table.add_row(Text(str(item.independent)), Text(str(len(item.reports))), safe_cell(item.why, 50),
                          safe_cell(", ".join(forces), 60))
        table.move_cursor(row=row)

    def on_resize(self) -> None:
        if self._narrow is not None and self._narrow != (self.app.size.width < 130):
            self._fill()

    @on(DataTable.RowSelected, "#escalations")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.found):
            reports = self.found[event.cursor_row].reports
            self.app.push_screen(SubjectFileScreen(self.session, reports[0], reports[1:]))

    def action_back(self) -> None:
        self.dismiss()
