"""The last look before a referral leaves the room: at sealing, each approved referral is
read again as its force will read it (the signed JSON and its rendering), against its
report with the contact details, by today's checks. One approved before a check learnt
a disguise is not written: its approval is withdrawn (audited), it waits for approval
again, where the review names the leak and the supervisor returns it to the analyst.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.revocation.approvals import WITHDRAWN
from hotline_tui.services.sanitiser.referral import force_leaks
from hotline_tui.services.sealed.contact import full_document
from hotline_tui.services.session import Session
from hotline_tui.store import sealing as store
from hotline_tui.store.connection import transaction


def _report(session: Session, referral_id: str) -> dict[str, Any] | None:
    row = session.conn.execute(
        "SELECT r.id, r.document FROM reports r JOIN referrals f ON f.report_id = r.report_id WHERE f.referral_id = ?",
        (referral_id,)).fetchone()
    if row is None:
        return None
    try:
        found = full_document(session, int(row[0]))
    except Refused:  # no grant of the contact key: the rest of the report still counts
        found = None
    document: dict[str, Any] = found[1] if found else json.loads(row[1])
    return document


def hold_back_leaks(session: Session, force_name: str, referrals: Sequence[store.ApprovedReferral]) -> None:
    """Raise Refused, withdrawing their approvals, if any referral identifies its reporter."""
    held: list[tuple[store.ApprovedReferral, list[str]]] = []
    for referral in referrals:
        report = _report(session, referral.referral_id)
        leaks = force_leaks(json.loads(referral.signed_document), report) if report is not None else []
        if leaks:
            held.append((referral, leaks))
    if not held:
        return
    at = session.now()
    with transaction(session.conn) as conn:
        for referral, leaks in held:
            store.withdraw_approval(conn, referral.referral_id)
            audit.record(conn, session.user.name, WITHDRAWN, f"referral {referral.reference}",
                         "held back at sealing, it would identify the reporter: " + "; ".join(leaks), at)
    named = "; ".join(f"{r.reference} ({'; '.join(leaks)})" for r, leaks in held)
    raise Refused(f"{force_name}: nothing was written. These referrals would identify the reporter and are back "
                  f"awaiting approval (return them to the analyst): {named}. Seal again for the others.")
