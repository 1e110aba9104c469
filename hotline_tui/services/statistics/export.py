"""The internal export of the statistics, exact figures, for the room and its oversight:
a CSV of every figure, a CSV of every cell of the answer's tables, and a readable summary,
each signed by the room's key (signed.py) and recorded in the audit log.

Only counts, codes, force names, dates and days: nothing of any report's text, no
reporter data, no report references.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics
from hotline_tui.services.statistics.figures import Figure, days_text, figures, force_name
from hotline_tui.services.statistics.signed import table_text, tables_csv, write_signed
from hotline_tui.services.statistics.tables import Cell, all_tables, silent_lines
from hotline_tui.store.connection import transaction
from import_export.bundle import to_the_second

CSV_HEADER = ("period_start", "period_end", "force", "section", "figure", "code", "count", "median_days", "p90_days")


@dataclass(frozen=True)
class StatisticsExport:
    csv_path: Path
    summary_path: Path
    figures: int
    paths: list[Path]  # every file written, signatures included


def _scope(stats: Statistics) -> str:
    period = stats.period
    force = force_name(period.force) if period.force else "all forces"
    return f"{period.start.isoformat()} to {period.end.isoformat()}, {force}"


def statistics_csv(stats: Statistics) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    period = stats.period
    for figure in figures(stats):
        timing = figure.timing
        writer.writerow((
            period.start.isoformat(), period.end.isoformat(), period.force or "", figure.section, figure.label,
            figure.code, figure.count, days_text(timing.median) if timing else "", days_text(timing.p90) if timing else "",
        ))
    return out.getvalue()


def _line(figure: Figure, width: int) -> str:
    text = f"  {figure.label:<{width}} {figure.count:>8,}"
    if figure.timing and figure.timing.count:
        text += f"   median {days_text(figure.timing.median)} days, 90% within {days_text(figure.timing.p90)} days"
    return text


def statistics_summary(stats: Statistics) -> str:
    """The figures under their headings, as a person reads them."""
    rows = figures(stats, months=False)
    width = max((len(f.label) for f in rows), default=10)
    lines = [
        "Anti-corruption and abuse reporting service: statistics",
        f"Reports received {_scope(stats)}; figures as at {stats.today.isoformat()}.",
        "Each figure counts reports received in the period and what became of them.",
        "Days are whole calendar days: from the report to the referral being sent, and from",
        "the referral to the first outcome of each kind the force reported.",
    ]
    if stats.archived:
        lines.append(f"Includes {stats.archived:,} reports since deleted under the retention rules (counts only).")
    section = None
    for figure in rows:
        if figure.section != section:
            section = figure.section
            lines += ["", section]
        lines.append(_line(figure, width))
    if not stats.silent:
        lines += ["", f"Every force has sent outcomes for referrals older than {stats.silent_after_days} days."]
    lines += ["", "By month received (phone / online / passed on):"]
    for month in sorted(stats.by_month):
        counts = stats.by_month[month]
        lines.append(f"  {month}  {counts['phone']:>6,} {counts['online']:>6,} {stats.passed_by_month[month]:>6,}")
    return "\n".join(lines) + "\n"


def scope_stem(period: Period) -> str:
    parts = [period.force, f"category-{period.category}" if period.category else None,
             f"behaviour-{period.behaviour}" if period.behaviour else None]
    return "".join(f"-{p}" for p in parts if p)


def _file_stem(stats: Statistics) -> str:
    period = stats.period
    return f"statistics-{period.start.isoformat()}-to-{period.end.isoformat()}{scope_stem(period)}"


def _csv_cell(_r: int, _c: int, cell: Cell) -> str:
    return "" if cell.value is None else f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value)


def summary_with_tables(stats: Statistics) -> str:
    lines = [statistics_summary(stats).rstrip("\n"), "", "The answer (per officer: people through the analysts'",
             "confirmed red-flag links; per report: every report)."]
    for table in all_tables(stats):
        lines += ["", *table_text(table)]
    silent = silent_lines(stats)
    if silent:
        lines += ["", "Forces that have not answered", *(f"  {line}" for line in silent)]
    return "\n".join(lines) + "\n"


def export_statistics(session: Session, stats: Statistics, out_dir: Path) -> StatisticsExport:
    """Write ``<stem>.csv``, ``<stem>-tables.csv`` and ``<stem>.txt`` with their signatures to ``out_dir``."""
    require(session, Action.EXPORT_STATISTICS)
    stem = _file_stem(stats)
    table = statistics_csv(stats)
    files = {
        f"{stem}.csv": table.encode("utf-8"),
        f"{stem}-tables.csv": tables_csv([(t, _csv_cell) for t in all_tables(stats)]),
        f"{stem}.txt": summary_with_tables(stats).encode("utf-8"),
    }
    comment = f"kind=internal from={stats.period.start} to={stats.period.end} at={to_the_second(session.now())}"
    paths = write_signed(session, Path(out_dir), files, comment)
    count = table.count("\n") - 1
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "statistics.exported", str(out_dir),
                     f"internal, exact: {', '.join(files)} (signed): {count} figures for {_scope(stats)}", session.now())
    return StatisticsExport(Path(out_dir) / f"{stem}.csv", Path(out_dir) / f"{stem}.txt", count, paths)
