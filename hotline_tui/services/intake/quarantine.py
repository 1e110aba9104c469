"""The quarantine: bundles an import refused (reports or forces' outcomes), kept inside
the encrypted store for a security officer to inspect, re-verify, release, or delete.

Everything works on the stored bytes, in memory, and follows the bundle's own kind:
inspecting runs the verification service and then the import's own checks for that kind
(in a transaction that is rolled back), so it says what the import would say; releasing
runs the bundle reader and then that kind's storing code, in one transaction with the
release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.importing import room_identities, store_report_bundle
from hotline_tui.services.keyring.keys import build_keyring
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.verifying.verification import FAIL, NOTE, PASS, Line, Verification, check_bytes, record_verification
from hotline_tui.store import quarantine as queries
from hotline_tui.store import reports as report_store
from hotline_tui.store.connection import transaction
from hotline_tui.store.quarantine import HeldBytes, QuarantineRow
from import_export.bundle import ROOM_LABEL
from import_export.errors import AlreadyImported, BundleRefused
from import_export.reader import Bundle, read_bundle_bytes
from import_export.wording import a_or_an, counted

__all__ = ["QuarantineRow", "Released", "delete", "inspect", "items", "release"]


@dataclass(frozen=True)
class Released:
    item_id: int
    bundle_id: str
    reports_added: int  # reports or outcomes, as ``kind`` says
    kind: str = "reports"


def _storers() -> dict[str, Callable[[Session, Bundle, Path], int]]:
    from hotline_tui.services.referrals.outcomes import store_outcome_bundle  # outcomes imports importing, as this does

    return {"reports": store_report_bundle, "outcomes": store_outcome_bundle}


class _DryRun(Exception):
    """Raised inside the inspection's transaction so that nothing it stored stays."""


def items(session: Session, include_done: bool = False) -> list[QuarantineRow]:
    require(session, Action.MANAGE_QUARANTINE)
    return queries.items(session.conn, include_done)


def _held(session: Session, item_id: int) -> HeldBytes:
    held = queries.held_bytes(session.conn, item_id)
    if held is None:
        raise Refused(f"The quarantine holds no item #{item_id}.")
    if held.state != "held":
        raise Refused(f"Item #{item_id} was already {held.state}.")
    return held


def inspect(session: Session, item_id: int) -> Verification:
    """Every check on the held bytes, as the keyring stands now (so adding a missing key
    and inspecting again is the re-verification). Recorded as 'bundle.verified'."""
    require(session, Action.MANAGE_QUARANTINE)
    held = _held(session, item_id)
    result = check_bytes(session, held.file_name, held.payload, held.signature)
    if result.ok and result.contents_checked:
        result.lines.append(_import_check(session, held))
    record_verification(session, f"quarantine #{item_id} {held.file_name}", result)
    return result


def _read(session: Session, held: HeldBytes) -> Bundle:
    return read_bundle_bytes(
        held.payload, held.signature, build_keyring(session), room_identities(session), name=held.file_name,
        recipient=ROOM_LABEL, already_imported=lambda bundle_id: report_store.bundle_imported(session.conn, bundle_id),
    )


def _store(session: Session, bundle: Bundle, name: str) -> int:
    storer = _storers().get(bundle.kind)
    if storer is None:
        raise BundleRefused("trusted comment", f"{a_or_an(bundle.kind)} bundle is for a force to open; the room imports none")
    return storer(session, bundle, Path(name))


def _import_check(session: Session, held: HeldBytes) -> Line:
    """What importing the bundle now would say, found by storing it and rolling back."""
    try:
        bundle = _read(session, held)
        with transaction(session.conn):
            added = _store(session, bundle, held.file_name)
            raise _DryRun
    except _DryRun:
        return Line("import", PASS,
                    f"every check of importing this {bundle.kind} bundle passes: it would add {counted(added, bundle.kind)}")
    except AlreadyImported as exc:
        return Line("import", NOTE, f"{exc.detail}; delete this copy")
    except BundleRefused as exc:
        return Line("import", FAIL, exc.reason)


def _refused(session: Session, item_id: int, name: str, reason: str) -> Refused:
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "quarantine.release_refused", f"quarantine #{item_id} {name}", reason,
                     session.clock())
    return Refused(f"Still refused, kept in quarantine: {reason}")


def release(session: Session, item_id: int) -> Released:
    """Import the held bundle, as its own kind, if it now passes every check; it leaves
    the quarantine in the same transaction that stores its reports or outcomes. Refused: it stays held, and says why."""
    require(session, Action.MANAGE_QUARANTINE)
    held = _held(session, item_id)
    try:
        bundle = _read(session, held)
        with transaction(session.conn) as conn:
            added = _store(session, bundle, held.file_name)
            queries.close(conn, item_id, "released")
            audit.record(conn, session.user.name, "quarantine.released", f"quarantine #{item_id} {held.file_name}",
                         f"bundle {bundle.bundle_id}: {counted(added, bundle.kind)} imported", session.clock())
    except AlreadyImported as exc:
        raise _refused(session, item_id, held.file_name, f"{exc.detail}; delete this copy") from None
    except BundleRefused as exc:
        raise _refused(session, item_id, held.file_name, exc.reason) from None
    return Released(item_id, bundle.bundle_id, added, bundle.kind)


def delete(session: Session, item_id: int, reason: str) -> None:
    """Drop the held bytes for good (the store's secure delete zeroes them); the record of
    what was held, and why it went, stays."""
    require(session, Action.MANAGE_QUARANTINE)
    if not reason.strip():
        raise Refused("Say why the bundle is deleted.")
    held = _held(session, item_id)
    with transaction(session.conn) as conn:
        queries.close(conn, item_id, "deleted")
        audit.record(conn, session.user.name, "quarantine.deleted", f"quarantine #{item_id} {held.file_name}",
                     reason.strip(), session.clock())
