"""Supervisor approval: the queue of referrals awaiting approval, the review, and the
signature that approves a referral with the supervisor's personal key."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from hotline_tui import reference
from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services import redflags
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.permissions import Action, require, require_not_own_work
from hotline_tui.services.referrals.outcomes import linked_details
from hotline_tui.services.sanitiser import SanitisationFlag, sanitisation_flags
from hotline_tui.services.sanitiser.answers import FieldWarning, WarningAnswer, answer_to, field_warnings
from hotline_tui.services.sanitiser.referral import force_leaks, rendering
from hotline_tui.services.sealed import contact
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import AssessmentForm, force_texts
from hotline_tui.services.triage.queue import ReportDetail, report_detail
from hotline_tui.store import assessments as assessment_store
from hotline_tui.store import sealing as store
from hotline_tui.store.connection import transaction
from import_export import strictjson
from import_export.bundle import to_the_second
from import_export.documents import DocumentInvalid, validate_referral
from import_export.minisign import SecretKey
from import_export.writer import referral_signature

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2}
OWN_WORK_NOTE = "your own — another supervisor must approve"


@dataclass(frozen=True)
class PendingReferral:
    referral_id: str
    reference: str
    force_code: str
    force_name: str
    priority: str
    submitted_at: str
    analyst: str
    report_key: int
    own: bool  # this supervisor assessed it: listed, but only another supervisor may approve

    @property
    def note(self) -> str:
        return OWN_WORK_NOTE if self.own else ""


def approval_queue(session: Session) -> list[PendingReferral]:
    """Awaiting approval, by force, then priority, oldest first."""
    require(session, Action.APPROVE_REFERRAL)
    rows = session.conn.execute(
        "SELECT f.referral_id, f.reference, f.force_code, r.priority, f.submitted_at, f.analyst, r.id"
        " FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE f.state = 'awaiting_approval'"
    )
    pending = []
    for referral_id, ref, force_code, priority, submitted_at, analyst, key in rows:
        force = reference.force_by_code(force_code)
        pending.append(PendingReferral(referral_id, ref, force_code, force.name if force else force_code,
                                       priority, submitted_at, analyst, key, own=analyst == session.user.name))
    return sorted(pending, key=lambda p: (p.force_name, PRIORITY_ORDER.get(p.priority, 3), p.submitted_at))


@dataclass(frozen=True)
class ReferralReview:
    pending: PendingReferral
    document: dict[str, Any]
    text: str
    report: ReportDetail
    flags: list[SanitisationFlag]
    leaks: list[str]
    # Each warning on what the force will read, with the analyst's answer (None: unanswered).
    warnings: list[tuple[FieldWarning, WarningAnswer | None]]

    @property
    def warning_keys(self) -> frozenset[str]:
        return frozenset(w.key for w, _ in self.warnings)


def _pending(session: Session, referral_id: str) -> PendingReferral:
    for item in approval_queue(session):
        if item.referral_id == referral_id:
            return item
    raise Refused("That referral is no longer awaiting approval.")


def _document(session: Session, referral_id: str) -> dict[str, Any]:
    row = session.conn.execute("SELECT document FROM referrals WHERE referral_id = ?", (referral_id,)).fetchone()
    if row is None:
        raise Refused("No such referral.")
    document: dict[str, Any] = json.loads(row[0])
    return document


def document_texts(document: dict[str, Any]) -> list[tuple[str, str]]:
    """What the analyst typed, as the referral carries it (named as the assessment names it)."""
    found = [(label, str(document.get(key) or "")) for label, key in (
        ("The summary", "summary"), ("The priority reason", "priority_reason"), ("When it happened", "when"),
        ("Where it happened", "where"))]
    for number, subject in enumerate(document.get("subjects") or [], 1):
        if isinstance(subject, dict):
            for name in ("name", "rank", "collar_number", "station", "description"):
                found.append((f"Subject {number}'s {name.replace('_', ' ')}", str(subject.get(name, ""))))
    return found


def _answers(session: Session, report_key: int) -> list[WarningAnswer]:
    """The analyst's answers, as submitted with the assessment."""
    draft = assessment_store.draft(session.conn, report_key)
    return AssessmentForm.from_dict(json.loads(draft.form)).answers() if draft else []


def review(session: Session, referral_id: str) -> ReferralReview:
    pending = _pending(session, referral_id)
    document = _document(session, referral_id)
    report = report_detail(session, pending.report_key)
    _, received = contact.full_document(session, pending.report_key) or ("", report.document)  # contact included
    flags = [flag for _, text in force_texts(document) for flag in sanitisation_flags(text, received)]
    shown = dict(document, linked_referral_details=linked_details(session, document.get("linked_referrals") or []))
    answers = _answers(session, pending.report_key)
    warnings = [(w, answer_to(w, answers)) for w in field_warnings(document_texts(document), received)]
    return ReferralReview(pending, document, rendering(shown), report, flags, force_leaks(shown, received), warnings)


def approved_document(document: dict[str, Any], supervisor: str, key_id: str, at: str) -> bytes:
    """The exact bytes the supervisor signs and the force receives."""
    final = dict(document, approved_by={"name": supervisor, "key_id": key_id}, approved_at=at)
    try:
        validate_referral(final)
    except DocumentInvalid as exc:
        raise Refused(f"The referral is not complete ({exc.field}: {exc.message}); return it to the analyst.") from exc
    return strictjson.dumps(final)


def check_may_approve(session: Session, referral_id: str) -> PendingReferral:
    """Raise unless this supervisor may approve it; the screen asks before unlocking a key."""
    require(session, Action.APPROVE_REFERRAL)
    pending = _pending(session, referral_id)
    require_not_own_work(session, pending.analyst, f"referral {pending.reference}")
    return pending


def check_warnings(review_now: ReferralReview, confirmed: Collection[str]) -> None:
    """Raise unless every warning was answered by the analyst and confirmed by the supervisor."""
    open_ones = [w for w, answer in review_now.warnings if answer is None or not answer.settles]
    if open_ones:
        raise Refused("The analyst did not answer every warning (" + "; ".join(w.describe() for w in open_ones)
                      + "): return the referral to them.")
    if not review_now.warning_keys <= set(confirmed):
        raise Refused("Confirm the warnings and the analyst's answers first (c on the review).")


def approve(session: Session, referral_id: str, personal_key: SecretKey, confirmed: Collection[str] = ()) -> None:
    """Sign the referral with the supervisor's own key. Never their own work, never with a
    reporter detail in it, never with a warning unanswered or unconfirmed, whatever the UI shows.
    ``confirmed``: the keys of the warnings the supervisor confirmed on the review."""
    pending = check_may_approve(session, referral_id)
    if personal_key.key_id != session.user.personal_key_id:
        raise PermissionDenied("That key is not your personal key.")
    review_now = review(session, referral_id)
    if review_now.leaks:
        raise Refused("The referral still carries reporter details: " + "; ".join(review_now.leaks))
    check_warnings(review_now, confirmed)
    at = session.now()
    # Links confirmed after the analyst submitted travel too: recompute them now. Only
    # earlier referrals: a link is confirmed both ways, and a later referral is not a
    # red flag the force could already hold.
    linked = store.earlier_referrals_of_reports(
        session.conn, redflags.confirmed_links(session.conn, pending.report_key), referral_id)
    details = linked_details(session, linked)
    document = approved_document(dict(review_now.document, linked_referrals=linked, linked_referral_details=details),
                                 session.user.name, personal_key.key_id, to_the_second(at))
    _, received = contact.full_document(session, pending.report_key) or ("", review_now.report.document)
    leaks = force_leaks(json.loads(document), received)
    if leaks:  # what is signed is what the force reads: checked as signed
        raise Refused("The referral still carries reporter details: " + "; ".join(leaks))
    signature = referral_signature(personal_key, referral_id, pending.force_code, document)
    with transaction(session.conn) as conn:
        store.record_approval(conn, referral_id, session.user.name, personal_key.key_id, at, document, signature)
        audit.record(conn, session.user.name, "referral.approved", f"referral {pending.reference}",
                     f"for {pending.force_name}; signed with key {personal_key.key_id}"
                     + (f"; {len(review_now.warnings)} warnings and the analyst's answers confirmed"
                        if review_now.warnings else ""), at)
