"""The quarantine: report bundles an import refused, kept (inside the encrypted store)
for a security officer to inspect, re-verify, release for import, or delete.

Everything works on the stored bytes, in memory: inspecting runs the verification
service on them, and releasing runs the bundle reader and then the import service's
own storing code, in one transaction with the release.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services import audit
from hotline_tui.services.importing import room_identities, store_report_bundle
from hotline_tui.services.keys import build_keyring
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.verification import Verification, verify_bytes
from hotline_tui.store import quarantine as queries
from hotline_tui.store import reports as report_store
from hotline_tui.store.connection import transaction
from hotline_tui.store.quarantine import HeldBytes, QuarantineRow
from import_export.bundle import ROOM_LABEL
from import_export.errors import AlreadyImported, BundleRefused
from import_export.reader import read_bundle_bytes

__all__ = ["QuarantineRow", "Released", "delete", "inspect", "items", "release"]


@dataclass(frozen=True)
class Released:
    item_id: int
    bundle_id: str
    reports_added: int


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
    return verify_bytes(session, held.file_name, held.payload, held.signature, what=f"quarantine #{item_id} {held.file_name}")


def _refused(session: Session, item_id: int, name: str, reason: str) -> Refused:
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "quarantine.release_refused", f"quarantine #{item_id} {name}", reason,
                     session.clock())
    return Refused(f"Still refused, kept in quarantine: {reason}")


def release(session: Session, item_id: int) -> Released:
    """Import the held bundle if it now passes every check; it leaves the quarantine in
    the same transaction that stores its reports. Refused: it stays held, and says why."""
    require(session, Action.MANAGE_QUARANTINE)
    held = _held(session, item_id)
    try:
        bundle = read_bundle_bytes(
            held.payload, held.signature, build_keyring(session), room_identities(session), name=held.file_name,
            kind="reports", recipient=ROOM_LABEL,
            already_imported=lambda bundle_id: report_store.bundle_imported(session.conn, bundle_id),
        )
        with transaction(session.conn) as conn:
            added = store_report_bundle(session, bundle, Path(held.file_name))
            queries.close(conn, item_id, "released")
            audit.record(conn, session.user.name, "quarantine.released", f"quarantine #{item_id} {held.file_name}",
                         f"bundle {bundle.bundle_id}: {added} reports imported", session.clock())
    except AlreadyImported as exc:
        raise _refused(session, item_id, held.file_name, f"{exc.detail}; delete this copy") from None
    except BundleRefused as exc:
        raise _refused(session, item_id, held.file_name, exc.reason) from None
    return Released(item_id, bundle.bundle_id, added)


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
