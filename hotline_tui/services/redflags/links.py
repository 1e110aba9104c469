"""The analyst's verdict on a red-flag candidate: the same person, or not.

A confirmed link (``red_flag_links.confirmed = 1``) means: the two reports are about the
same person. Statistics count officers through them, and a later referral carries the
linked referrals; a same-reporter join is never recorded as one.
"""

from __future__ import annotations

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import assessments as assessment_store
from hotline_tui.store.connection import Connection, transaction


def decide_link(session: Session, key: int, other_key: int, confirmed: bool) -> None:
    """Confirm or reject that two reports are about the same person. Only the analyst who
    holds ``key`` decides; both reports' red-flag counts follow."""
    require(session, Action.ASSESS)
    if key == other_key:
        raise Refused("A report cannot be linked to itself.")
    conn = session.conn
    with transaction(conn):
        mine = assessment_store.report_head(conn, key)
        other = assessment_store.report_head(conn, other_key)
        if mine is None or other is None:
            raise Refused("That report is no longer in the store.")
        if mine.assigned_to != session.user.name or mine.status != "in_assessment":
            raise Refused(f"Take report {mine.reference} first: only the analyst assessing it decides its red flags.")
        assessment_store.set_link(conn, key, other_key, confirmed, session.user.name, session.now())
        assessment_store.refresh_red_flag_count(conn, key)
        assessment_store.refresh_red_flag_count(conn, other_key)
        verdict = "confirmed" if confirmed else "rejected"
        audit.record(conn, session.user.name, f"redflag.{verdict}", f"reports {mine.reference} and {other.reference}",
                     f"same person {verdict} by the analyst", at=session.now())


def confirmed_links(conn: Connection, key: int) -> list[int]:
    return sorted(other for other, confirmed in assessment_store.links_of(conn, key).items() if confirmed)
