"""Outcome bundles from forces: what became of the referrals the room sent them.

A force may only report on referrals that were sealed to that force: an outcome bundle
signed by one force's key that names another force's referral (or an unknown one) is
refused as a whole, like any other bad bundle, with the line and referral named.
The UI and ``hotline-tui import --kind outcomes`` both call ``import_outcomes``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from hotline_tui.reference import OUTCOME_STATUSES, force_by_code, label_of
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.importing import (
    BundleListing,
    BundleResult,
    ImportProgress,
    ImportSummary,
    describe,
    find_bundles,
    import_kind,
    list_bundles,
    room_identities,
    run_imports,
)
from hotline_tui.services.keyring.keys import build_keyring
from hotline_tui.services.permissions import Action, require, require_any
from hotline_tui.services.revocation import refuse_if_revoked
from hotline_tui.services.session import Session
from hotline_tui.store import outcomes as store
from hotline_tui.store import reports as bundles_store
from hotline_tui.store.connection import transaction
from import_export.bundle import PAYLOAD_SUFFIX, Keyring
from import_export.errors import BundleRefused
from import_export.outcome_rules import HeldOutcome, ReferralFacts, check_outcomes
from import_export.reader import Bundle
from import_export.wording import counted


def _force_name(code: str) -> str:
    force = force_by_code(code)
    return force.name if force else code


def _check_referrals(session: Session, bundle: Bundle) -> str:
    """The force the signer speaks for, after checking every outcome against the rules
    the force's own tool keeps (import_export/outcome_rules.py): its own sealed referral,
    no date before the sealing or more than a day ahead, no silent going back."""
    force = bundle.outer.signer.force
    if not force:
        raise BundleRefused("documents", f"{bundle.outer.signer.name} is not a force's key")
    ids = [str(doc["referral_id"]) for doc in bundle.documents]
    held = store.held_outcomes(session.conn, ids)
    facts = {
        rid: ReferralFacts(rid, sent_to, sealed_at if state == "sealed" else None,
                           [HeldOutcome(*row) for row in held.get(rid, [])], reference)
        for rid, (sent_to, state, sealed_at, reference) in store.referral_forces(session.conn, ids).items()
    }
    check_outcomes(bundle.documents, facts, force=force, now=session.clock(), force_name=_force_name)
    return force


def store_outcome_bundle(session: Session, bundle: Bundle, path: Path) -> int:
    """Check an outcome bundle the reader accepted against the referrals and the rules,
    and store it in one transaction (a savepoint inside another); BundleRefused if not."""
    at = session.now()
    force = _check_referrals(session, bundle)
    rows = [
        store.OutcomeRow(doc["referral_id"], force, doc["status"], doc["date"], doc.get("note") or "",
                         bundle.bundle_id, json.dumps(doc, ensure_ascii=False), at)
        for doc in bundle.documents
    ]
    outer = bundle.outer
    with transaction(session.conn) as conn:
        refuse_if_revoked(conn, outer.signer.key_id)
        bundles_store.insert_bundle(conn, bundle.bundle_id, bundle.kind, outer.signer.key_id, outer.signer.name,
                                    outer.comment.created, len(rows), path.name, at, session.user.name)
        added = store.insert_outcomes(conn, rows)
        again = f"; {len(rows) - added} already held" if added < len(rows) else ""
        audit.record(conn, session.user.name, "outcomes.imported", f"bundle {bundle.bundle_id}",
                     f"{counted(added, 'outcomes')} from {_force_name(force)} in {path.name}, signed by {outer.signer.name} "
                     f"({outer.signer.key_id}){again}", at)
    return added


def import_outcome_bundle(
    session: Session, keyring: Keyring, identities: Sequence[pyrage.x25519.Identity], path: Path, quarantine: bool = True
) -> BundleResult:
    return import_kind(session, keyring, identities, path, "outcomes", store_outcome_bundle, quarantine)


def list_outcome_bundles(session: Session, folder: Path) -> list[BundleListing]:
    """The outcome bundles on a medium (and any whose signature fails); nothing decrypted."""
    return list_bundles(session, folder, kind="outcomes")


def import_outcomes(
    session: Session,
    paths: Sequence[Path],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    quarantine: bool = True,
) -> ImportSummary:
    require(session, Action.IMPORT_OUTCOMES)
    keyring, identities = build_keyring(session), room_identities(session)
    return run_imports(
        find_bundles(paths),
        lambda path: import_outcome_bundle(session, keyring, identities, path, quarantine),
        progress=progress, cancelled=cancelled,
    )


def describe_outcomes(result: BundleResult) -> str:
    """One line per bundle, as ``importing.describe`` says it, counting outcomes."""
    if result.status == "imported":
        return f"imported  {result.path.name.removesuffix(PAYLOAD_SUFFIX)}: {counted(result.reports_added, 'outcomes')}"
    return describe(result)


# -- what became of a referral ----------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeEntry:
    date: str
    status: str
    note: str  # the force's words: shown literally
    imported_at: str

    @property
    def label(self) -> str:
        return label_of(OUTCOME_STATUSES, self.status)


@dataclass(frozen=True)
class ReferralOutcomes:
    referral_id: str
    reference: str
    force_code: str
    force_name: str
    state: str
    sealed_at: str | None
    history: list[OutcomeEntry]


def outcome_history(session: Session, referral_id: str) -> list[OutcomeEntry]:
    """Each outcome the force sent, oldest first."""
    require_any(session, Action.VIEW_REPORT, Action.VIEW_STATISTICS, Action.IMPORT_OUTCOMES)
    return [OutcomeEntry(*row) for row in store.history(session.conn, referral_id)]


def referral_outcomes(session: Session, report_key: int) -> ReferralOutcomes | None:
    """The report's referral and its outcome history, or None if it was never referred."""
    require(session, Action.VIEW_REPORT)
    found = store.referral_of_report(session.conn, report_key)
    if found is None:
        return None
    referral_id, reference, force, state, sealed_at = found
    return ReferralOutcomes(referral_id, reference, force, _force_name(force), state, sealed_at,
                            outcome_history(session, referral_id))


def history_text(referral: ReferralOutcomes) -> str:
    """The referral's line and its outcomes, one a line (notes are the force's words)."""
    sent = f"sealed {referral.sealed_at[:10]}" if referral.sealed_at else referral.state.replace("_", " ")
    lines = [f"{referral.reference} to {referral.force_name}, {sent}"]
    if referral.state == "sealed" and not referral.history:
        lines.append("No outcome from the force yet.")
    for entry in referral.history:
        lines.append(f"{entry.date[:10]}  {entry.label}" + (f": {entry.note}" if entry.note else ""))
    return "\n".join(lines)



def referrals_outcomes(session: Session, referral_ids: Sequence[str]) -> list[ReferralOutcomes]:
    """Of these referrals (a referral's red flags), those sealed, each with what its force reported."""
    require(session, Action.VIEW_REPORT)
    found = []
    for referral_id in referral_ids:
        row = store.referral_summary(session.conn, referral_id)
        if row is not None and row[3] == "sealed":
            reference, force, state, sealed_at = row[0], row[1], row[3], row[2]
            found.append(ReferralOutcomes(referral_id, reference, force, _force_name(force), state, sealed_at,
                                          outcome_history(session, referral_id)))
    return found


def linked_details(session: Session, referral_ids: Sequence[str]) -> list[dict[str, Any]]:
    """What a referral tells its force of each earlier one (FORMATS.md ``linked_referral_details``):
    the room's reference, the force, when it was sent, and each outcome's status and date.
    Not the notes: those are another force's words, for the room."""
    details: list[dict[str, Any]] = []
    for referral_id in referral_ids:
        row = store.referral_summary(session.conn, referral_id)
        if row is None:
            continue
        reference, force, sealed_at, _state = row
        history = store.history(session.conn, referral_id)
        outcomes = [{"status": status, "date": date[:10]} for date, status, _note, _at in history]
        details.append({"referral_id": referral_id, "reference": reference, "force": force,
                        **({"date": sealed_at[:10]} if sealed_at else {}), "outcomes": outcomes})
    return details
