"""What the statistics screen draws: a statistics table model into a DataTable, and the
charts of removals and of each time (days from the first report, per officer)."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.widgets import DataTable

from hotline_tui.reference import short_force_name
from hotline_tui.services.statistics import Statistics
from hotline_tui.services.statistics.answer import STAGE_LABELS
from hotline_tui.services.statistics.signed import plain_cell
from hotline_tui.services.statistics.tables import TIME_ROWS, Table
from hotline_tui.widgets.charts import bar_rows, month_chart
from hotline_tui.widgets.safe_text import safe_cell

BUCKETS = ((7, "within a week"), (30, "8 to 30 days"), (90, "31 to 90 days"), (180, "91 to 180 days"),
           (365, "181 to 365 days"), (None, "over a year"))


def fill(widget: DataTable, table: Table, label_width: int, cell_width: int = 9, heading: str = "") -> None:
    """Replace the widget's columns and rows with the table's (labels literal, numbers right)."""
    widget.clear(columns=True)
    widget.add_column(Text(heading, style="bold"), width=label_width)
    for name in table.columns:
        widget.add_column(Text(name, justify="right"), width=max(cell_width, len(name)))
    for row in table.rows:
        cells = [Text(plain_cell(0, 0, cell), justify="right", style="bold" if row.total else "") for cell in row.cells]
        widget.add_row(safe_cell(_fitting(row.label, label_width), label_width), *cells)


def _fitting(label: str, width: int) -> str:
    """A force's name too long for the column as the room says it ("Avon and Somerset")."""
    return label if len(label) <= width else short_force_name(label)


def removals_chart(stats: Statistics, width: int = 46) -> Text:
    """Removals by month received: dismissed and resigned or retired, stacked."""
    months = sorted(set(stats.by_month) | set(stats.answer.by_month))
    by_month = stats.answer.by_month
    series = [(label, [by_month[m]["dismissed" if key == "d" else "resigned"] if m in by_month else 0 for m in months])
              for key, label in (("d", "dismissed"), ("r", "resigned/retired"))]
    if not any(sum(values) for _, values in series):
        return Text("No removal reported for reports received in this period.")
    return month_chart(months, series, height=6, width=width)


def _buckets(days: Counter[int]) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for value, n in days.items():
        label = next(name for top, name in BUCKETS if top is None or value <= top)
        counts[label] += n
    return [(name, counts[name]) for _, name in BUCKETS]


def time_chart(stats: Statistics, stage: str, width: int = 46) -> Text:
    """How many officers reached ``stage`` within each span of days from the first report."""
    days = stats.answer.days_officers.get(stage, Counter())
    if not days:
        return Text(f"No officer reached '{STAGE_LABELS[stage].lower()}' in this period.")
    return bar_rows(_buckets(days), width, label_width=16)


def chart_titles() -> list[tuple[str, str]]:
    """(stage, title) of each time chart, in the answer's order."""
    return [(stage, f"Days {label.lower()}: officers") for stage, label in TIME_ROWS.items()]
