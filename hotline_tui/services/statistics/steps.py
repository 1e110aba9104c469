"""The drill-down's detail: a report's referral and what its force reported, with the days
between each step (dates, statuses and counts only: never a note, never a report's text)."""

from __future__ import annotations

from datetime import date

from hotline_tui.reference import OUTCOME_STATUSES, label_of
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.statistics.figures import force_name
from hotline_tui.store import outcomes as store


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def referral_steps(session: Session, report_key: int, received_at: str) -> list[str]:
    """One line a step: the referral, then each outcome with the days since the step before
    and since the report (whole UTC days)."""
    require(session, Action.VIEW_STATISTICS)
    found = store.referral_of_report(session.conn, report_key)
    if found is None:
        return ["Not referred."]
    referral_id, reference, force, state, sealed_at = found
    if state != "sealed" or sealed_at is None:
        return [f"{reference} to {force_name(force)}: {state.replace('_', ' ')}, not sealed yet."]
    first = _day(received_at)
    previous = _day(sealed_at)
    lines = [f"{reference} sealed to {force_name(force)} {previous.isoformat()}, {_days((previous - first).days)} "
             "after the report"]
    history = store.history(session.conn, referral_id)
    for when, status, _note, _imported in history:
        day = _day(when)
        lines.append(f"  {day.isoformat()}  {label_of(OUTCOME_STATUSES, status)}: +{_days((day - previous).days)}"
                     f" ({_days((day - first).days)} from the report)")
        previous = day
    if not history:
        lines.append("  No outcome from the force yet.")
    return lines
