"""The export for publication: the answer's tables under disclosure control
(disclosure.py), over whole months only and with no date finer than a month, signed by
the room's key and recorded in the audit log.

The period is the whole months inside the one on screen (a period of 3 January to
20 March publishes February). Everything else the internal export carries (figures by
channel, reasons for no further action, the drill-down) stays in the room.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics, compute
from hotline_tui.services.statistics.disclosure import cell_text, control, threshold
from hotline_tui.services.statistics.export import scope_stem
from hotline_tui.services.statistics.figures import force_name
from hotline_tui.services.statistics.signed import CellText, table_text, tables_csv, write_signed
from hotline_tui.services.statistics.tables import (
    Cell,
    Table,
    answer_table,
    category_table,
    force_month_table,
    force_table,
    month_table,
    time_table,
)
from hotline_tui.store.connection import transaction

NOTES = (
    "Officers are people: reports an analyst confirmed are about the same person count once. Days are",
    "whole days from the first report. 'fewer than {n}': a count from 1 to {m}; 'withheld': hidden so",
    "that a small count cannot be worked out from the totals beside it, or days resting on fewer than {n}",
    "cases. A referral of two categories counts under each.",
)


@dataclass(frozen=True)
class PublicationExport:
    paths: list[Path]
    first_month: str
    last_month: str
    threshold: int
    hidden: int  # cells shown as 'fewer than' or 'withheld'


def whole_months(period: Period) -> Period:
    """The whole months inside ``period``; Refused if there is none."""
    start = period.start if period.start.day == 1 else (period.start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = period.end + timedelta(days=1)
    end = (after if after.day == 1 else after.replace(day=1)) - timedelta(days=1)
    if end < start:
        raise Refused("A publication covers whole months, and this period holds none: set the period from the 1st of a "
                      "month to the last day of the same or a later month.")
    return replace(period, start=start, end=end)


def publication_tables(stats: Statistics) -> list[Table]:
    return [answer_table(stats), time_table(stats), force_table(stats), force_month_table(stats, "referred"),
            force_month_table(stats, "dismissed"), category_table(stats), month_table(stats)]


def _texter(hidden: dict[tuple[int, int], str], limit: int) -> CellText:
    def text(r: int, c: int, cell: Cell) -> str:
        return cell_text(cell, hidden.get((r, c)), limit)

    return text


def _scope(period: Period) -> str:
    parts = [force_name(period.force) if period.force else "all forces"]
    if period.category:
        parts.append(f"category {period.category}")
    if period.behaviour:
        parts.append(f"behaviour reported: {period.behaviour}")
    return ", ".join(parts)


def export_publication(session: Session, period: Period, out_dir: Path) -> PublicationExport:
    """Write ``<stem>-publication.csv`` and ``.txt`` with their signatures to ``out_dir``."""
    require(session, Action.EXPORT_STATISTICS)
    months = whole_months(period)
    stats = compute(session, months)
    limit = threshold(session).value
    controlled = [(table, control(table, limit)) for table in publication_tables(stats)]
    first, last = months.start.isoformat()[:7], months.end.isoformat()[:7]
    stem = f"statistics-{first}-to-{last}{scope_stem(period)}-publication"
    lines = ["Anti-corruption and abuse reporting service: officers reported, and what became of them",
             f"Reports received {first} to {last}, {_scope(period)}; figures as at {stats.today.isoformat()[:7]}.",
             *(note.format(n=limit, m=limit - 1) for note in NOTES)]
    for table, hidden in controlled:
        lines += ["", *table_text(table, _texter(hidden, limit))]
    files = {
        f"{stem}.csv": tables_csv([(table, _texter(hidden, limit)) for table, hidden in controlled]),
        f"{stem}.txt": ("\n".join(lines) + "\n").encode("utf-8"),
    }
    comment = f"kind=publication from={first} to={last} threshold={limit} at={date.fromisoformat(session.now()[:10]):%Y-%m}"
    paths = write_signed(session, Path(out_dir), files, comment)
    hidden_cells = sum(len(hidden) for _, hidden in controlled)
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "statistics.published", str(out_dir),
                     f"for publication, threshold {limit}: {', '.join(files)} (signed), {first} to {last}, "
                     f"{_scope(period)}; {hidden_cells} cells hidden", session.now())
    return PublicationExport(paths, first, last, limit, hidden_cells)
