"""Export of the statistics to media: a CSV of every figure and a readable summary.

Only counts, codes, force names, dates and days: nothing of any report's text, no
reporter data, no report references. Written atomically (a reader never sees half a
file) and recorded in the audit log.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services import audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Statistics
from hotline_tui.services.statistics_figures import Figure, days_text, figures, force_name
from hotline_tui.store.connection import transaction
from import_export.atomic import write_atomic

CSV_HEADER = ("period_start", "period_end", "force", "section", "figure", "code", "count", "median_days", "p90_days")


@dataclass(frozen=True)
class StatisticsExport:
    csv_path: Path
    summary_path: Path
    figures: int


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


def _file_stem(stats: Statistics) -> str:
    period = stats.period
    force = f"-{period.force}" if period.force else ""
    return f"statistics-{period.start.isoformat()}-to-{period.end.isoformat()}{force}"


def export_statistics(session: Session, stats: Statistics, out_dir: Path) -> StatisticsExport:
    """Write ``<stem>.csv`` and ``<stem>.txt`` to ``out_dir`` (the media)."""
    require(session, Action.EXPORT_STATISTICS)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise Refused(f"{out_dir} is not a folder: choose the removable media to write to.")
    stem = _file_stem(stats)
    csv_path, summary_path = out_dir / f"{stem}.csv", out_dir / f"{stem}.txt"
    table = statistics_csv(stats)
    write_atomic(csv_path, table.encode("utf-8"))
    write_atomic(summary_path, statistics_summary(stats).encode("utf-8"))
    count = table.count("\n") - 1
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "statistics.exported", str(out_dir),
                     f"{csv_path.name} and {summary_path.name}: {count} figures for {_scope(stats)}", session.now())
    return StatisticsExport(csv_path, summary_path, count)
