"""Approvals signed with a personal key that is no longer its supervisor's.

An approval is the supervisor's signature over the referral's exact bytes, and the seal
certifies the supervisor's *current* key for the force to check it against. So when a
personal key is replaced (revoked as compromised, or a password reset or an enable,
which make a new key), what it approved and the room has not sealed yet goes back to
"awaiting approval": a supervisor must approve it again with a valid key (never the
analyst who assessed it). What was sealed already was sent: it is listed as suspect when
the key was compromised, so the officer can warn those forces; so is one in the bundle a
seal is writing at that moment (it goes out as approved).
"""

from __future__ import annotations

from hotline_tui.reference import force_by_code
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.session import Session
from hotline_tui.store import sealing as queries
from hotline_tui.store.connection import Connection
from hotline_tui.store.sealing import KeyApproval
from hotline_tui.wording import moment

WITHDRAWN = "referral.approval_withdrawn"
MOST_LISTED = 8  # referrals named in a confirmation; the rest counted


def _force(code: str) -> str:
    force = force_by_code(code)
    return force.name if force else code


def approval_line(approval: KeyApproval) -> str:
    if approval.state == "sealing":
        return (f"{approval.reference} to {_force(approval.force_code)}, approved by {approval.approved_by} "
                f"{moment(approval.approved_at)}, in the bundle being sealed now")
    if approval.state == "sealed":
        return (f"{approval.reference} to {_force(approval.force_code)}, approved by {approval.approved_by} "
                f"{moment(approval.approved_at)}, sealed {moment(approval.sealed_at)}")
    return f"{approval.reference} for {_force(approval.force_code)}, approved by {approval.approved_by} " \
           f"{moment(approval.approved_at)}"


def waiting_and_sealed(session: Session, key_id: str) -> tuple[list[KeyApproval], list[KeyApproval]]:
    approvals = queries.approvals_by_key(session.conn, key_id)
    return [a for a in approvals if a.state == "approved"], [a for a in approvals if a.state != "approved"]


def listed(lines: list[str]) -> list[str]:
    shown = [f"  {line}" for line in lines[:MOST_LISTED]]
    return shown + ([f"  and {len(lines) - MOST_LISTED} more"] if len(lines) > MOST_LISTED else [])


def withdraw_approvals(conn: Connection, session: Session, key_id: str, why: str) -> list[KeyApproval]:
    """In the caller's transaction: every unsealed approval signed with ``key_id`` back to
    awaiting approval, each audited. Returns them."""
    waiting = [a for a in queries.approvals_by_key(conn, key_id) if a.state == "approved"]
    for approval in waiting:
        queries.withdraw_approval(conn, approval.referral_id)
        record(conn, session.user.name, WITHDRAWN, f"referral {approval.reference}",
               f"approved by {approval.approved_by} with key {key_id}, {why}: a supervisor must approve it again",
               session.clock())
    return waiting
