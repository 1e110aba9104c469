"""Disclosure control for the publication export: no published cell lets a reader single
out a small number of people.

- Primary: a count from 1 to threshold - 1 is shown as "fewer than N" (0 is shown: no one
  can be singled out of nobody).
- Secondary: where cells add up to a total shown beside them (a row with a total column,
  a column with a totals row), a group with exactly one hidden cell would let a reader
  work it out by subtraction; the smallest other non-zero count of the group is hidden
  too ("withheld"), or the total when no other count is left. Repeated until every
  group hides none or at least two.
- Days (a median or 90th percentile) standing on fewer than N cases are withheld.

The threshold is the room's, set by a supervisor (default 5).
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.statistics.tables import Cell, Table
from hotline_tui.store import statistics as store
from hotline_tui.store.connection import transaction

FEWER, WITHHELD = "fewer", "withheld"
MIN_THRESHOLD, MAX_THRESHOLD = 2, 50

Position = tuple[int, int]


@dataclass(frozen=True)
class Threshold:
    value: int
    set_by: str  # '' while the default holds
    set_at: str


def threshold(session: Session) -> Threshold:
    require(session, Action.EXPORT_STATISTICS)
    return Threshold(*store.disclosure_threshold(session.conn))


def set_threshold(session: Session, value: int) -> None:
    """A supervisor sets the smallest count the publication export shows; audited."""
    require(session, Action.SET_DISCLOSURE)
    if not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise Refused(f"The threshold is a whole number from {MIN_THRESHOLD} to {MAX_THRESHOLD}: counts below it are "
                      "published as 'fewer than' it.")
    at = session.now()
    with transaction(session.conn) as conn:
        before = store.disclosure_threshold(conn)[0]
        store.set_disclosure_threshold(conn, value, session.user.name, at)
        audit.record(conn, session.user.name, "statistics.threshold_set", "publication export",
                     f"{before} -> {value}", at)


def _groups(table: Table) -> list[list[Position]]:
    """The additive groups: each list's last position is the total of the others."""
    groups: list[list[Position]] = []
    counted = [[cell.kind == "count" for cell in row.cells] for row in table.rows]
    if table.total_column:
        last = len(table.columns) - 1
        for r in range(len(table.rows)):
            groups.append([(r, c) for c in range(last) if counted[r][c]] + [(r, last)])
    totals = [r for r, row in enumerate(table.rows) if row.total]
    if totals:
        total_row = totals[0]
        for c in range(len(table.columns)):
            if counted[total_row][c]:
                groups.append([(r, c) for r in range(len(table.rows)) if r != total_row and counted[r][c]]
                              + [(total_row, c)])
    return groups


def control(table: Table, limit: int) -> dict[Position, str]:
    """The cells to hide, and why: FEWER (primary) or WITHHELD (secondary, or days on too few)."""
    hidden: dict[Position, str] = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.kind == "count" and isinstance(cell.value, int) and 0 < cell.value < limit:
                hidden[(r, c)] = FEWER
            elif cell.kind == "days" and cell.value is not None and cell.behind < limit:
                hidden[(r, c)] = WITHHELD
    groups = _groups(table)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(1 for p in group if p in hidden) != 1:
                continue
            value = {p: int(table.rows[p[0]].cells[p[1]].value or 0) for p in group}
            members = sorted((value[p], p) for p in group[:-1] if p not in hidden and value[p] > 0)
            pick = members[0][1] if members else group[-1]
            if pick in hidden:  # nothing left to hide with it: the group is all zeros but one
                continue
            hidden[pick] = WITHHELD
            changed = True
    return hidden


def cell_text(cell: Cell, why: str | None, limit: int) -> str:
    if why == FEWER:
        return f"fewer than {limit}"
    if why == WITHHELD:
        return "withheld"
    if cell.value is None:
        return ""
    return f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value)
