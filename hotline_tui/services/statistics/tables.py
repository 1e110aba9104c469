"""The answer as tables: one model for the screen, the internal export and the publication
export (which applies disclosure control to these same cells), so the three never differ.

A cell is a count, days (a median or 90th percentile, with the count behind it), or
nothing. Each row, and each cell of the force x month table, names the reports behind it
(a ``Selector``) for the drill-down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from hotline_tui.reference import CATEGORIES, label_of
from hotline_tui.services.statistics import Statistics, Timing
from hotline_tui.services.statistics.answer import STAGE_LABELS, STAGES, Answer
from hotline_tui.services.statistics.figures import force_name
from hotline_tui.store.statistics_drill import Selector

ANSWER_ROWS = ("reported", *STAGES)
TIME_ROWS = {
    "referred": "To referral", "investigation": "To first investigation",
    "dismissed": "To removal (dismissed)", "resigned": "To resigning or retiring",
}
COUNT_STAGES = ("referred", "investigation", "misconduct", "criminal", "dismissed", "resigned")
SHORT = {"referred": "Referred", "investigation": "Investig.", "misconduct": "Misconduct", "criminal": "Criminal",
         "dismissed": "Dismissed", "resigned": "Resigned"}


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    kind: str = "count"  # 'count', 'days' (behind: the count it stands on) or 'text'
    behind: int = 0
    text: str = ""
    selector: Selector | None = None


@dataclass
class Row:
    label: str
    code: str
    cells: list[Cell]
    selector: Selector | None = None
    total: bool = False  # a totals row: the sum of the rows above it


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    total_column: bool = False  # the last column is the sum of the count columns before it


def stage_selector(stage: str, narrow: str = "") -> Selector:
    if stage == "reported":
        return Selector("all")
    return Selector("stage", stage, extra=narrow)


def _days(timing: Timing) -> list[Cell]:
    return [Cell(timing.count), Cell(timing.median, "days", timing.count), Cell(timing.p90, "days", timing.count)]


def answer_table(stats: Statistics) -> Table:
    table = Table("answer", "Officers and reports, and what became of them", ["Officers", "Reports"])
    answer = stats.answer
    for stage in ANSWER_ROWS:
        table.rows.append(Row(STAGE_LABELS[stage], stage, [Cell(answer.officers[stage]), Cell(answer.reports[stage])],
                              stage_selector(stage)))
    return table


def time_table(stats: Statistics) -> Table:
    table = Table("timeliness", "How fast: whole days from the first report, median and 90% within",
                  ["Officers", "O. median", "O. 90%≤", "Reports", "R. median", "R. 90%≤"])
    answer = stats.answer
    for stage, label in TIME_ROWS.items():
        officers, reports = Timing.of(answer.days_officers.get(stage, Counter())), Timing.of(
            answer.days_reports.get(stage, Counter()))
        table.rows.append(Row(label, stage, _days(officers) + _days(reports), stage_selector(stage)))
    return table


def _stage_rows(groups: Mapping[str, Counter[str]], label: object, narrow: str) -> list[Row]:
    rows = []
    for code in sorted(groups, key=lambda c: (-groups[c]["referred"], str(label(c)))):  # type: ignore[operator]
        counts = groups[code]
        rows.append(Row(str(label(code)), code,  # type: ignore[operator]
                        [Cell(counts[s], selector=stage_selector(s, f"{narrow}:{code}")) for s in COUNT_STAGES],
                        stage_selector("referred", f"{narrow}:{code}")))
    return rows


def _total_row(rows: list[Row], width: int) -> Row:
    sums = [sum(int(r.cells[i].value or 0) for r in rows) for i in range(width)]
    return Row("Total", "", [Cell(n) for n in sums], total=True)


def category_table(stats: Statistics) -> Table:
    table = Table("by_category", "By category (a referral of two categories counts in each)",
                  [SHORT[s] for s in COUNT_STAGES])
    table.rows = _stage_rows(stats.answer.by_category, lambda c: label_of(CATEGORIES, c), "category")
    return table


def month_table(stats: Statistics) -> Table:
    table = Table("by_month", "By month received", ["Reports", *(SHORT[s] for s in COUNT_STAGES),
                                                      "Removal days", "90% ≤"])
    answer = stats.answer
    months = sorted(set(stats.by_month) | set(answer.by_month))
    for month in months:
        counts = answer.by_month.get(month, Counter())
        removal = Timing.of(answer.removal_days_by_month.get(month, Counter()))
        cells = [Cell(sum(stats.by_month[month].values()) if month in stats.by_month else 0)]
        cells += [Cell(counts[s], selector=stage_selector(s, f"month:{month}")) for s in COUNT_STAGES]
        cells += [Cell(removal.median, "days", removal.count), Cell(removal.p90, "days", removal.count)]
        table.rows.append(Row(month, month, cells, Selector("month", month)))
    if table.rows:
        total = _total_row(table.rows, 1 + len(COUNT_STAGES))
        removal = Timing.of(sum(answer.removal_days_by_month.values(), Counter()))
        total.cells += [Cell(removal.median, "days", removal.count), Cell(removal.p90, "days", removal.count)]
        table.rows.append(total)
    return table


def force_table(stats: Statistics) -> Table:
    """Per force: what its referrals reached, and how it answers the room."""
    table = Table("by_force", "By force: what became of the referrals, and how the force answers",
                  [*(SHORT[s] for s in COUNT_STAGES), "Removal days", "Ack. days", "1st outcome", "Unanswered",
                   "For days"])
    answer = stats.answer
    rows = _stage_rows(answer.by_force, force_name, "force")
    for row in rows:
        removal = Timing.of(answer.removal_days_by_force.get(row.code, Counter()))
        response = answer.responses.get(row.code)
        ack = Timing.of(response.acknowledged) if response else Timing(0, None, None)
        first = Timing.of(response.first_outcome) if response else Timing(0, None, None)
        silent = (stats.today.toordinal() - response.oldest_unanswered
                  if response and response.oldest_unanswered is not None else None)
        row.cells += [Cell(removal.median, "days", removal.count), Cell(ack.median, "days", ack.count),
                      Cell(first.median, "days", first.count), Cell(response.unanswered if response else 0),
                      Cell(silent, "days", response.unanswered if response else 0)]
    table.rows = rows
    if rows:
        total = _total_row(rows, len(COUNT_STAGES))
        none = Cell(None, "days")
        total.cells += [none, none, none, Cell(sum(int(r.cells[-2].value or 0) for r in rows)), none]
        table.rows.append(total)
    return table


FORCE_MONTH_MEASURES = ("referred", "investigation", "dismissed", "resigned")


def force_month_table(stats: Statistics, measure: str = "referred") -> Table:
    """Forces down, months received across, one measure in the cells; totals both ways."""
    answer = stats.answer
    months = sorted({month for _, month in answer.force_month})
    table = Table(f"force_month_{measure}", f"{STAGE_LABELS[measure]}, by force and month received",
                  [*months, "Total"], total_column=True)
    forces = sorted({force for force, _ in answer.force_month}, key=lambda f: (-answer.by_force[f][measure], force_name(f)))
    for force in forces:
        counts = [answer.force_month.get((force, month), Counter())[measure] for month in months]
        cells = [Cell(n, selector=stage_selector(measure, f"force_month:{force}/{month}"))
                 for n, month in zip(counts, months, strict=True)]
        table.rows.append(Row(force_name(force), force, [*cells, Cell(sum(counts))],
                              stage_selector(measure, f"force:{force}")))
    if table.rows:
        table.rows.append(_total_row(table.rows, len(months) + 1))
    return table


def silent_lines(stats: Statistics) -> list[str]:
    """Forces that have not answered, and for how long: the longest wait first."""
    answer: Answer = stats.answer
    waiting = [(stats.today.toordinal() - r.oldest_unanswered, force, r) for force, r in answer.responses.items()
               if r.unanswered and r.oldest_unanswered is not None]
    return [f"{force_name(force)}: {r.unanswered} of {r.sealed} sent unanswered, the oldest for {days} days"
            for days, force, r in sorted(waiting, key=lambda w: (-w[0], -w[2].unanswered, force_name(w[1])))]


def all_tables(stats: Statistics) -> list[Table]:
    return [answer_table(stats), time_table(stats), force_table(stats),
            *(force_month_table(stats, m) for m in FORCE_MONTH_MEASURES), category_table(stats), month_table(stats)]
