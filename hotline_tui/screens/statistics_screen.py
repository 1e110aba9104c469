"""Statistics: every figure for a period (and optionally a force), charts by month, force
and category, each figure opened to the reports behind it, and an export to media."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static

from hotline_tui.errors import HotlineError
from hotline_tui.reference import CATEGORIES, forces, label_of
from hotline_tui.screens.officer_modals import ChooseMediumScreen
from hotline_tui.services.media import media_for
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics, compute
from hotline_tui.services.statistics.export import export_statistics
from hotline_tui.services.statistics_figures import Figure, days_text, figures, force_name
from hotline_tui.widgets.charts import bar_rows, month_chart
from hotline_tui.widgets.safe_text import safe_cell

HELP = ("Reports received in the period, and what became of them; days: median and 90% within. Enter opens a "
        "figure's reports; x exports the figures to media (counts only).")
CHART_WIDTH = 44


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, whole months back to the first of the month."""
    first = date(today.year - 1, today.month, 1) + timedelta(days=32)
    return first.replace(day=1), today


def month_series(stats: Statistics) -> tuple[list[str], list[tuple[str, list[int]]]]:
    months = sorted(stats.by_month)
    return months, [(channel, [stats.by_month[m][channel] for m in months]) for channel in ("phone", "online")]


class StatisticsScreen(Screen[None]):
    PURPOSE = (
        "Figures for a period and a force: reports received, decisions, referrals and their outcomes, with "
        "charts. Open the reports behind a figure, or export the figures to media."
    )
    CSS_PATH = "statistics_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open reports", id="statistics.open"),
        Binding("x", "export", "Export to media", id="statistics.export"),
        Binding("f", "focus_period", "Period", id="statistics.period"),
        Binding("escape", "back", "Back", id="statistics.back"),
    ]

    def __init__(self, session: Session, period: Period | None = None) -> None:
        super().__init__()
        self.session = session
        if period is None:
            start, end = default_period(date.fromisoformat(session.now()[:10]))
            period = Period(start, end)
        self.period = period
        self.stats: Statistics | None = None
        self.rows: list[Figure] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stats-period"):
            yield Label("From", classes="field-label")
            yield Input(self.period.start.isoformat(), placeholder="YYYY-MM-DD", id="from")
            yield Label("to", classes="field-label")
            yield Input(self.period.end.isoformat(), placeholder="YYYY-MM-DD", id="to")
            options = [(f.name, f.code) for f in forces()]
            force = Select(options, prompt="All forces", id="force")
            if self.period.force:
                force.value = self.period.force
            yield force
        yield Static(Content(HELP), id="stats-status", classes="hint")
        with Horizontal(id="stats-body"):
            yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="charts"):
                yield Label("Contacts by month received", classes="panel-title")
                yield Static("", id="chart-months")
                yield Label("Passed on, by force", classes="panel-title")
                yield Static("", id="chart-forces")
                yield Label("Passed on, by category", classes="panel-title")
                yield Static("", id="chart-categories")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#figures", DataTable)
        for label, width in (("Section", 22), ("Figure", 31), ("Count", 7), ("Median", 6), ("90% ≤", 6)):
            table.add_column(label, width=width)
        table.focus()
        self.reload()

    # computing --------------------------------------------------------------------

    def reload(self) -> None:
        self._say("Counting…")
        self._compute(self.period)

    @work(thread=True, exclusive=True, group="statistics", exit_on_error=False)
    def _compute(self, period: Period) -> None:
        try:
            stats = compute(self.session, period)
        except HotlineError as exc:
            self.app.call_from_thread(self._say, str(exc))
            return
        self.app.call_from_thread(self._show, stats)

    def _show(self, stats: Statistics) -> None:
        self.stats, self.rows = stats, figures(stats)
        table = self.query_one("#figures", DataTable)
        table.clear()
        for figure in self.rows:
            timing = figure.timing
            table.add_row(
                safe_cell(figure.section, 22), safe_cell(figure.label, 31), Text(f"{figure.count:,}", justify="right"),
                Text(days_text(timing.median) if timing else "", justify="right"),
                Text(days_text(timing.p90) if timing else "", justify="right"),
            )
        months, series = month_series(stats)
        self.query_one("#chart-months", Static).update(month_chart(months, series))
        by_force = [(force_name(code), n) for code, n in stats.passed_by_force.most_common()]
        self.query_one("#chart-forces", Static).update(bar_rows(by_force, CHART_WIDTH))
        by_category = [(label_of(CATEGORIES, code), n) for code, n in stats.passed_by_category.most_common()]
        self.query_one("#chart-categories", Static).update(bar_rows(by_category, CHART_WIDTH))
        scope = force_name(stats.period.force) if stats.period.force else "all forces"
        archived = f"; {stats.archived:,} since deleted under retention are counted" if stats.archived else ""
        self._say(f"Received {stats.period.start} to {stats.period.end}, {scope}: {stats.total_contacts:,} contacts"
                  f"{archived}. {HELP}")

    # the period ---------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Select.Changed, "#force")
    def _period_changed(self) -> None:
        try:
            start = date.fromisoformat(self.query_one("#from", Input).value.strip())
            end = date.fromisoformat(self.query_one("#to", Input).value.strip())
            chosen = self.query_one("#force", Select).value
            self.period = Period(start, end, chosen if isinstance(chosen, str) else None)
        except ValueError:
            self.notify("Give the period as two dates, YYYY-MM-DD, the first not after the second.", severity="error")
            return
        self.reload()

    def action_focus_period(self) -> None:
        self.query_one("#from", Input).focus()

    # drilling down and exporting ----------------------------------------------------------

    @on(DataTable.RowSelected, "#figures")
    def _row_chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#figures", DataTable)
        if not self.rows or self.stats is None:
            return
        figure = self.rows[table.cursor_row]
        if figure.selector is None:
            return
        from hotline_tui.screens.statistics_drill import DrillScreen

        self.app.push_screen(DrillScreen(self.session, self.stats, figure))

    def action_export(self) -> None:
        if self.stats is None:
            return
        stats = self.stats
        self.app.push_screen(
            ChooseMediumScreen("Export the statistics to…", media_for(self.session.settings),
                               "A CSV of every figure and a readable summary: counts, codes and dates only."),
            lambda folder: self._export(stats, folder) if folder else None,
        )

    def _export(self, stats: Statistics, folder: Path) -> None:
        try:
            written = export_statistics(self.session, stats, folder)
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Wrote {written.csv_path.name} ({written.figures} figures) and {written.summary_path.name} "
                    f"to {folder}.", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _say(self, text: str) -> None:
        self.query_one("#stats-status", Static).update(Content(text))

