"""Statistics: the answer to "how many officers reported through the hotline are removed,
and how fast", per officer and per report, for a period (and one force, category or
behaviour); by force (with a force x month table and how each force answers), by
category, by month; charts of removals and of each time; every figure; each opened to
the reports behind it; exports (internal, or for publication) signed and audited."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, Select, Static, TabbedContent, TabPane

from hotline_tui.errors import HotlineError
from hotline_tui.reference import BEHAVIOURS, CATEGORIES, forces, label_of
from hotline_tui.screens.officer_modals import ChooseMediumScreen, Field, FormScreen
from hotline_tui.screens.statistics.statistics_modals import ExportKindScreen
from hotline_tui.screens.statistics.statistics_views import chart_titles, fill, removals_chart, time_chart
from hotline_tui.services.intake.media import media_for
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics, compute
from hotline_tui.services.statistics.disclosure import set_threshold, threshold
from hotline_tui.services.statistics.export import export_statistics
from hotline_tui.services.statistics.figures import Figure, days_text, figures, force_name
from hotline_tui.services.statistics.publication import export_publication
from hotline_tui.services.statistics.tables import (
    FORCE_MONTH_MEASURES,
    Cell,
    Table,
    answer_table,
    category_table,
    force_month_table,
    force_table,
    month_table,
    silent_lines,
    time_table,
)
from hotline_tui.widgets.charts import bar_rows, month_chart
from hotline_tui.widgets.safe_text import safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter

HELP = "Per officer: people, through the analysts' confirmed red flags. Enter opens the reports behind a row."
CHART_WIDTH = 44
TABS = ("answer", "forces", "categories", "months", "charts", "figures")


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, whole months back to the first of the month."""
    first = date(today.year - 1, today.month, 1) + timedelta(days=32)
    return first.replace(day=1), today


def month_series(stats: Statistics) -> tuple[list[str], list[tuple[str, list[int]]]]:
    months = sorted(stats.by_month)
    return months, [(channel, [stats.by_month[m][channel] for m in months]) for channel in ("phone", "online")]


def _options(table: tuple[object, ...]) -> list[tuple[str, str]]:
    return [(entry.label, entry.code) for entry in table]  # type: ignore[attr-defined]


class StatisticsScreen(Screen[None]):
    PURPOSE = (
        "How many reported officers are referred, investigated and removed, and how fast: per officer and per "
        "report, by force, category and month, with charts; open any figure to its reports, and export it "
        "signed, exact for internal use or with small counts suppressed for publication."
    )
    CSS_PATH = "statistics_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open reports", id="statistics.open"),
        Binding("m", "measure", "Measure", id="statistics.measure"),
        Binding("x", "export", "Export", id="statistics.export"),
        Binding("t", "threshold", "Threshold", id="statistics.threshold"),
        Binding("f", "focus_period", "Period", id="statistics.period"),
        *(Binding(str(n), f"tab('{tab}')", "Tabs 1-6" if n == 1 else "", show=n == 1, id=f"statistics.tab{n}")
          for n, tab in enumerate(TABS, 1)),
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
        self.models: dict[str, Table] = {}
        self.measure = FORCE_MONTH_MEASURES[0]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stats-period"):
            yield Label("From", classes="field-label")
            yield Input(self.period.start.isoformat(), placeholder="YYYY-MM-DD", id="from")
            yield Label("to", classes="field-label")
            yield Input(self.period.end.isoformat(), placeholder="YYYY-MM-DD", id="to")
            for name, options, prompt, value in (
                ("force", [(f.name, f.code) for f in forces()], "All forces", self.period.force),
                ("category", _options(CATEGORIES), "Categories", self.period.category),
                ("behaviour", _options(BEHAVIOURS), "Behaviours", self.period.behaviour),
            ):
                select: Select[str] = Select(options, prompt=prompt, id=name)
                if value:
                    select.value = value
                yield select
        yield Static(Content(HELP), id="stats-status", classes="hint")
        with TabbedContent(id="stats-tabs"):
            with TabPane("1 The answer", id="tab-answer"), Horizontal():
                with VerticalScroll(id="answer-tables"):
                    yield DataTable(id="answer", cursor_type="row", zebra_stripes=True)
                    yield Label("", id="timeliness-title", classes="panel-title")
                    yield DataTable(id="timeliness", cursor_type="row", zebra_stripes=True)
                    yield Static("", id="silent")
                with VerticalScroll(id="answer-charts"):
                    yield Label("Removals, by month received", classes="panel-title")
                    yield Static("", id="chart-removals-side")
            with TabPane("2 By force", id="tab-forces"), Vertical():
                yield Label("", id="force-month-title", classes="panel-title")
                yield DataTable(id="force-month", cursor_type="cell", zebra_stripes=True)
                yield DataTable(id="forces", cursor_type="row", zebra_stripes=True)
            with TabPane("3 By category", id="tab-categories"):
                yield DataTable(id="categories", cursor_type="row", zebra_stripes=True)
            with TabPane("4 By month", id="tab-months"):
                yield DataTable(id="months", cursor_type="row", zebra_stripes=True)
            with TabPane("5 Charts", id="tab-charts"), VerticalScroll(id="time-charts"):
                yield Label("Removals, by month received", classes="panel-title")
                yield Static("", id="chart-removals")
                for stage, title in chart_titles():
                    yield Label(title, classes="panel-title")
                    yield Static("", id=f"chart-{stage}")
            with TabPane("6 All figures", id="tab-figures"), Horizontal(id="stats-body"):
                yield DataTable(id="figures", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="charts"):
                    yield Label("Contacts by month received", classes="panel-title")
                    yield Static("", id="chart-months")
                    yield Label("Passed on, by force", classes="panel-title")
                    yield Static("", id="chart-forces")
                    yield Label("Passed on, by category", classes="panel-title")
                    yield Static("", id="chart-categories")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#figures", DataTable)
        for label, width in (("Section", 22), ("Figure", 31), ("Count", 7), ("Median", 6), ("90% ≤", 6)):
            table.add_column(label, width=width)
        self.query_one("#answer", DataTable).focus()
        self.reload()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 150, "-wide")

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
        self.stats = stats
        self.models = {"answer": answer_table(stats), "timeliness": time_table(stats), "forces": force_table(stats),
                       "categories": category_table(stats), "months": month_table(stats)}
        fill(self.query_one("#answer", DataTable), self.models["answer"], 40, heading="Per officer and per report")
        fill(self.query_one("#timeliness", DataTable), self.models["timeliness"], 26, 7)
        self.query_one("#timeliness-title", Label).update(Content(self.models["timeliness"].title))
        fill(self.query_one("#forces", DataTable), self.models["forces"], 28, 8)
        fill(self.query_one("#categories", DataTable), self.models["categories"], 34)
        fill(self.query_one("#months", DataTable), self.models["months"], 10, 8)
        self._show_force_month()
        silent = silent_lines(stats)
        self.query_one("#silent", Static).update(Text("\n".join(
            ["Forces that have not answered:", *(f"  {line}" for line in silent)] if silent else
            ["Every force has answered every referral it was sent in this period."])))
        self._charts(stats)
        self._figures(stats)
        scope = ", ".join(x for x in (force_name(stats.period.force) if stats.period.force else "all forces",
                                      label_of(CATEGORIES, stats.period.category) if stats.period.category else "",
                                      label_of(BEHAVIOURS, stats.period.behaviour) if stats.period.behaviour else "")
                          if x)
        kept = ("; deleted reports count per report only" if stats.archived else "")
        self._say(f"Received {stats.period.start} to {stats.period.end}, {scope}: {stats.total_contacts:,} reports"
                  f"{kept}. {HELP}")

    def _show_force_month(self) -> None:
        if self.stats is None:
            return
        model = force_month_table(self.stats, self.measure)
        self.models["force-month"] = model
        self.query_one("#force-month-title", Label).update(Content(f"{model.title} (m: another measure)"))
        fill(self.query_one("#force-month", DataTable), model, 28, 8)

    def _charts(self, stats: Statistics) -> None:
        removals = removals_chart(stats, CHART_WIDTH)
        self.query_one("#chart-removals", Static).update(removals)
        self.query_one("#chart-removals-side", Static).update(removals)
        for stage, _ in chart_titles():
            self.query_one(f"#chart-{stage}", Static).update(time_chart(stats, stage, CHART_WIDTH + 10))
        months, series = month_series(stats)
        self.query_one("#chart-months", Static).update(month_chart(months, series))
        by_force = [(force_name(code), n) for code, n in stats.passed_by_force.most_common()]
        self.query_one("#chart-forces", Static).update(bar_rows(by_force, CHART_WIDTH))
        by_category = [(label_of(CATEGORIES, code), n) for code, n in stats.passed_by_category.most_common()]
        self.query_one("#chart-categories", Static).update(bar_rows(by_category, CHART_WIDTH))

    def _figures(self, stats: Statistics) -> None:
        self.rows = figures(stats)
        table = self.query_one("#figures", DataTable)
        table.clear()
        for figure in self.rows:
            timing = figure.timing
            table.add_row(
                safe_cell(figure.section, 22), safe_cell(figure.label, 31), Text(f"{figure.count:,}", justify="right"),
                Text(days_text(timing.median) if timing else "", justify="right"),
                Text(days_text(timing.p90) if timing else "", justify="right"),
            )

    # the period ---------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Select.Changed)
    def _period_changed(self) -> None:
        def chosen(name: str) -> str | None:
            value = self.query_one(f"#{name}", Select).value
            return value if isinstance(value, str) else None

        try:
            start = date.fromisoformat(self.query_one("#from", Input).value.strip())
            end = date.fromisoformat(self.query_one("#to", Input).value.strip())
            self.period = Period(start, end, chosen("force"), chosen("category"), chosen("behaviour"))
        except ValueError:
            self.notify("Give the period as two dates, YYYY-MM-DD, the first not after the second.", severity="error")
            return
        self.reload()

    def action_focus_period(self) -> None:
        self.query_one("#from", Input).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"
        focus = {"answer": "#answer", "forces": "#force-month", "categories": "#categories", "months": "#months",
                 "charts": "#time-charts", "figures": "#figures"}[tab]
        self.query_one(focus).focus()  # the charts scroll with the keys too

    def action_measure(self) -> None:
        self.measure = FORCE_MONTH_MEASURES[(FORCE_MONTH_MEASURES.index(self.measure) + 1) % len(FORCE_MONTH_MEASURES)]
        self._show_force_month()

    # drilling down ------------------------------------------------------------------

    @on(DataTable.RowSelected)
    @on(DataTable.CellSelected)
    def _chosen(self, event: DataTable.RowSelected | DataTable.CellSelected) -> None:
        event.stop()
        self._open(event.data_table)

    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable):
            self._open(focused)

    def _open(self, table: DataTable) -> None:
        if self.stats is None:
            return
        if table.id == "figures":
            if self.rows and self.rows[table.cursor_row].selector is not None:
                self._drill(self.rows[table.cursor_row])
            return
        model = self.models.get(table.id or "")
        if model is None or not 0 <= table.cursor_row < len(model.rows):
            return
        row = model.rows[table.cursor_row]
        column = table.cursor_column - 1
        cell = row.cells[column] if table.cursor_type == "cell" and 0 <= column < len(row.cells) else None
        selector = cell.selector if cell is not None and cell.selector is not None else row.selector
        if selector is None:
            return
        label = f"{row.label}, {model.columns[column]}" if cell is not None and cell.selector is not None else row.label
        count = self._count_behind(model, row.cells, cell)
        self._drill(Figure(model.title, label, row.code, count, selector))

    @staticmethod
    def _count_behind(model: Table, cells: list[Cell], cell: Cell | None) -> int:
        """The reports the figure counts: the cell's own count, or the row's reports."""
        if cell is not None and cell.kind == "count":
            return int(cell.value or 0)
        if model.key == "answer":
            return int(cells[1].value or 0)
        if model.key == "timeliness":
            return int(cells[3].value or 0)
        return int(cells[0].value or 0) if cells and cells[0].kind == "count" else 0

    def _drill(self, figure: Figure) -> None:
        from hotline_tui.screens.statistics.statistics_drill import DrillScreen

        assert self.stats is not None
        self.app.push_screen(DrillScreen(self.session, self.stats, figure))

    # exporting ----------------------------------------------------------------------

    def action_export(self) -> None:
        if self.stats is None:
            return
        try:
            limit = threshold(self.session).value
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.push_screen(ExportKindScreen(limit), self._export_kind)

    def _export_kind(self, kind: str | None) -> None:
        if kind is None or self.stats is None:
            return
        stats = self.stats
        hint = ("Exact figures: a CSV of every figure, one of every table cell, a readable summary; each signed."
                if kind == "internal" else "The tables for publication, under disclosure control; each file signed.")
        self.app.push_screen(ChooseMediumScreen("Export the statistics to…", media_for(self.session.settings), hint),
                             lambda folder: self._export(kind, stats, folder) if folder else None)

    def _export(self, kind: str, stats: Statistics, folder: Path) -> None:
        try:
            if kind == "internal":
                written = export_statistics(self.session, stats, folder).paths
            else:
                written = export_publication(self.session, stats.period, folder).paths
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        names = ", ".join(p.name for p in written if not p.name.endswith(".minisig"))
        self.notify(f"Wrote {names}, each with its .minisig, to {folder}.", markup=False)

    def action_threshold(self) -> None:
        if not can(self.session, Action.SET_DISCLOSURE):
            self.notify("Only a supervisor sets the publication's threshold.", severity="warning")
            return
        current = threshold(self.session)
        was = f"set by {current.set_by} {current.set_at[:10]}" if current.set_by else "the default"
        self.app.push_screen(FormScreen(
            "Threshold for publication", f"Counts below it are published as 'fewer than' it; now {current.value} "
            f"({was}).", [Field("threshold", "a whole number from 2 to 50", str(current.value))], "Set",
            check=self._threshold_problem), self._threshold_set)

    def _threshold_problem(self, values: dict[str, str]) -> str:
        text = values["threshold"].strip()
        return "" if text.isdigit() and 2 <= int(text) <= 50 else "Give a whole number from 2 to 50."

    def _threshold_set(self, values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            set_threshold(self.session, int(values["threshold"].strip()))
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"The publication export now shows counts from {values['threshold'].strip()}.")

    def action_back(self) -> None:
        self.app.pop_screen()

    def _say(self, text: str) -> None:
        self.query_one("#stats-status", Static).update(Content(text))
