"""The reports behind one figure of the statistics: references, dates and codes (never
their text), paged from SQL; under the list, the report under the cursor's referral and
each outcome with its date and the days between; Enter opens a report for those who may
read it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from hotline_tui.errors import HotlineError
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics, drill_count, drill_page
from hotline_tui.services.statistics.figures import Figure, force_name
from hotline_tui.services.statistics.steps import referral_steps
from hotline_tui.services.triage.queue import STATUS_LABELS
from hotline_tui.store.statistics_drill import Selector
from hotline_tui.widgets.paged_table import Column, PagedTable, Row
from hotline_tui.widgets.steady_footer import SteadyFooter

COLUMNS = [
    Column("reference", "Reference", 17),
    Column("received", "Received", 16),
    Column("channel", "Channel", 7),
    Column("force", "Force (≈ hint)", 30),
    Column("status", "Status", 17),
    Column("red_flags", "Flags", 5),
]


class FigureSource:
    """The row source of a figure: count and pages straight from SQL."""

    def __init__(self, session: Session, period: Period, selector: Selector) -> None:
        self.session, self.period, self.selector = session, period, selector

    def count(self) -> int:
        return drill_count(self.session, self.period, self.selector)

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [
            Row(int(key), [
                str(reference), str(received)[:16].replace("T", " "), str(channel),
                force_name(str(force)) if assessed else f"≈ {force_name(str(force))}" if force else "—",
                STATUS_LABELS.get(str(status), str(status)), str(flags) if flags else "",
            ])
            for key, reference, received, channel, force, assessed, status, flags
            in drill_page(self.session, self.period, self.selector, offset, limit)
        ]


class DrillScreen(Screen[None]):
    PURPOSE = "The reports behind one figure of the statistics; Enter opens one."
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="drill.back")]
    DEFAULT_CSS = """
    DrillScreen #drill-note { height: auto; padding: 0 1; }
    DrillScreen PagedTable { height: 1fr; }
    DrillScreen #drill-steps { height: auto; max-height: 9; padding: 0 1; border-top: solid $primary 40%; }
    """

    def __init__(self, session: Session, stats: Statistics, figure: Figure) -> None:
        super().__init__()
        self.session, self.stats, self.figure = session, stats, figure

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(Content(f"{self.figure.section}: {self.figure.label}"), classes="panel-title", id="drill-title")
        yield Static("", id="drill-note", classes="hint")
        yield PagedTable(COLUMNS, id="drill-reports", choosable=can(self.session, Action.VIEW_REPORT))
        yield Static("", id="drill-steps")
        yield SteadyFooter()

    def on_mount(self) -> None:
        assert self.figure.selector is not None
        table = self.query_one(PagedTable)
        table.set_source(FigureSource(self.session, self.stats.period, self.figure.selector))
        table.focus()
        listed = table.row_count
        note = f"{listed:,} report(s) received {self.stats.period.start} to {self.stats.period.end}."
        if listed < self.figure.count:
            note += (f" The figure counts {self.figure.count:,}: the other {self.figure.count - listed:,} were deleted "
                     "under the retention rules, and only their counts remain.")
        if can(self.session, Action.VIEW_REPORT):
            note += " Enter opens a report."
        self.query_one("#drill-note", Static).update(Content(note))

    @on(PagedTable.CursorMoved)
    def _steps(self, event: PagedTable.CursorMoved) -> None:
        table = self.query_one(PagedTable)
        row = table.row_at(table.cursor)
        if row is None:
            self.query_one("#drill-steps", Static).update("")
            return
        try:
            lines = referral_steps(self.session, row.row_id, str(row.cells[1]))
        except HotlineError as exc:
            lines = [str(exc)]
        self.query_one("#drill-steps", Static).update(Content("\n".join(lines)))

    @on(PagedTable.RowChosen)
    def _open(self, event: PagedTable.RowChosen) -> None:
        if not can(self.session, Action.VIEW_REPORT):
            self.notify("A security officer sees the counts and references, never a report's content.",
                        severity="warning")
            return
        from hotline_tui.screens.triage.report_screen import ReportScreen

        try:
            screen = ReportScreen(self.session, event.row_id)
        except HotlineError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.app.push_screen(screen)

    def action_back(self) -> None:
        self.app.pop_screen()
