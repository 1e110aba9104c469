"""The subject's file: every report, decision, referral and outcome about one person,
across forces, on a timeline, with the identifiers the reports gave and who gave them.

Opened from a red-flag candidate (f in the compare view), from the assessment (ctrl+o)
and from the report view (f). Enter on a timeline row opens that report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from hotline_tui.services.redflags.subject_file import SubjectFile, subject_file
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import SafeText, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter

KIND_LABELS = {"collar": "collar number", "warrant": "warrant number", "registration": "registration",
               "phone": "phone", "email": "e-mail", "handle": "handle", "station": "station or unit"}


def file_heading(found: SubjectFile) -> str:
    forces = ", ".join(found.forces) or "force not known"
    more = " (the first 200 shown)" if found.cut else ""
    joined = "joined by red-flag links or shared identifiers" if len(found.reports) > 1 else "no confirmed links yet"
    return f"{len(found.reports)} report(s){more} about this person, {joined}. Forces: {forces}."


class SubjectFileScreen(Screen[None]):
    PURPOSE = ("Everything the room holds about one person: every report joined by confirmed red-flag links, each"
               " decision, referral and outcome on one timeline, and the identifiers the reports gave.")
    CSS_PATH = "subject_file_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="subject_file.back")]

    def __init__(self, session: Session, key: int, also: Sequence[int] = ()) -> None:
        super().__init__()
        self.session = session
        self.file = subject_file(session, key, also)
        self._row_keys: list[int] = []

    def compose(self) -> ComposeResult:
        found = self.file
        yield Header()
        with VerticalScroll(id="file-body"):
            yield SafeText(file_heading(found), id="file-heading", classes="panel")
            yield Label("Named as", classes="panel-title")
            yield SafeText("\n".join(found.names) or "No name given.", id="file-names", classes="panel")
            yield Label("Timeline (Enter opens the report)", classes="panel-title")
            yield DataTable[Text](id="file-timeline", cursor_type="row", zebra_stripes=True)
            yield Label("Identifiers seen, and which reports said them", classes="panel-title")
            yield DataTable[Text](id="file-identifiers", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = "Subject's file"
        timeline = self.query_one("#file-timeline", DataTable)
        timeline.add_columns("Date", "Report", "Force", "What")
        keys = dict(zip(self.file.references, self.file.reports, strict=True))
        for event in self.file.events:
            timeline.add_row(Text(event.at[:10]), Text(event.reference), safe_cell(event.force, 34),
                             safe_cell(event.what, 90))
            self._row_keys.append(keys.get(event.reference, self.file.key))
        seen = self.query_one("#file-identifiers", DataTable)
        seen.add_columns("Kind", "Value", "Said in", "Words")
        for item in self.file.identifiers:
            value = item.value + (f" ({item.detail})" if item.detail and item.kind != "station" else "")
            seen.add_row(Text(KIND_LABELS.get(item.kind, item.kind)), safe_cell(value, 40),
                         safe_cell(", ".join(item.said_in), 60), safe_cell(item.quote, 70))
        if not self.file.identifiers:
            seen.add_row(Text("none"), Text(""), Text(""), Text(""))
        timeline.focus()

    @on(DataTable.RowSelected, "#file-timeline")
    def _open_report(self, event: DataTable.RowSelected) -> None:
        from hotline_tui.screens.triage.report_screen import ReportScreen  # the report view opens this screen too

        if 0 <= event.cursor_row < len(self._row_keys):
            self.app.push_screen(ReportScreen(self.session, self._row_keys[event.cursor_row]))

    def action_back(self) -> None:
        self.dismiss()
