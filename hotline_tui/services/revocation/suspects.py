"""Bundles accepted from a key before it was revoked but on or after its "from" time, what
they fed, and what revoking a key now would do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotline_tui.services.permissions import Action, require_any
from hotline_tui.services.session import Session, timestamp
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store import revocation as queries
from hotline_tui.store.connection import Connection
from hotline_tui.store.revocation import AcceptedBundle
from import_export.errors import BundleRefused


@dataclass(frozen=True)
class SuspectBundle:
    bundle: AcceptedBundle
    revoked_from: str
    revoked_reason: str

    @property
    def fed(self) -> str:
        """What the bundle fed into, in words."""
        b = self.bundle
        if b.kind == "outcomes":
            referrals = ", ".join(b.referrals[:5]) + (" …" if len(b.referrals) > 5 else "")
            return (f"{b.outcomes} outcome(s) of referral(s) {referrals or 'none'}; "
                    "they count in the statistics (timeliness, outcomes by force and officer)")
        return f"{b.reports} report(s) in the queue, {b.decided} of them assessed or decided since"


def suspect_line(suspect: SuspectBundle) -> str:
    b = suspect.bundle
    return (f"{b.file_name}: {b.kind} bundle {b.bundle_id}, signed by {b.signer_name} ({b.signer_key_id}), "
            f"accepted {b.imported_at[:16].replace('T', ' ')} by {b.imported_by} "
            f"(claims it was made {b.created}); fed {suspect.fed}")


def suspect_bundles(session: Session, key_id: str | None = None) -> list[SuspectBundle]:
    """For every revoked key (or one), the bundles it signed that the room accepted on or
    after the revocation's "from" time."""
    require_any(session, Action.MANAGE_KEYS, Action.VERIFY_BUNDLE)
    found = []
    for row in keyring_store.trusted(session.conn):
        if row.revoked_at and row.key_type == "minisign" and key_id in (None, row.key_id):
            found += [SuspectBundle(b, row.revoked_at, row.revoked_reason)
                      for b in queries.accepted_since(session.conn, row.key_id, row.revoked_at)]
    return found


@dataclass(frozen=True)
class Consequences:
    """What revoking a key from a time would do, shown before the officer confirms."""

    key_id: str
    lines: list[str]
    suspects: list[SuspectBundle]


def consequences(session: Session, key_id: str, when: datetime) -> Consequences:
    require_any(session, Action.MANAGE_KEYS)
    row = keyring_store.trusted_by_id(session.conn, key_id)
    at = timestamp(when)
    lines: list[str] = []
    suspects: list[SuspectBundle] = []
    if row is None:
        return Consequences(key_id, [f"Key {key_id} is not in the keyring."], [])
    if row.key_type == "age":
        others = [r for r in keyring_store.trusted(session.conn)
                  if r.force == row.force and r.key_type == "age" and not r.revoked_at and r.key_id != key_id]
        lines.append("No referral is sealed to this recipient from now on."
                     + ("" if others else f" {row.name} has no other recipient: its referrals wait until a new one is added."))
        return Consequences(key_id, lines, [])
    kind = "report" if row.kind == "intake" else "outcome"
    lines.append(f"Every {kind} bundle this key signed that the room has not already accepted is refused from now on, "
                 "whatever time the bundle claims.")
    suspects = [SuspectBundle(b, at, "") for b in queries.accepted_since(session.conn, key_id, at)]
    if suspects:
        reports = sum(s.bundle.reports for s in suspects)
        outcomes = sum(s.bundle.outcomes for s in suspects)
        lines.append(f"{len(suspects)} bundle(s) accepted since {at[:16].replace('T', ' ')} become suspect "
                     f"({reports} report(s), {outcomes} outcome(s)); they are listed on the keyring (s).")
    else:
        lines.append(f"No bundle from this key was accepted since {at[:16].replace('T', ' ')}: none becomes suspect.")
    return Consequences(key_id, lines, suspects)


def refuse_if_revoked(conn: Connection, key_id: str) -> None:
    """Inside the import's write transaction: a revocation recorded after the bundle was
    read still refuses it."""
    row = keyring_store.trusted_by_id(conn, key_id)
    if row is not None and row.revoked_at:
        raise BundleRefused("signer revoked", f"key {key_id} ({row.name}) was revoked while this bundle was being read; "
                            "it is refused like every other bundle that key signed")
