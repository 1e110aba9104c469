"""The room's own keys revoked as compromised: replaced at once by new ones, and the
compromised signing key refused from then on (referral bundles it signed no longer verify)."""

from __future__ import annotations

from hotline_tui.errors import KeyRefused
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.keyring.keys import rotate_room_identity, rotate_room_signing_key
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import keyring as queries
from hotline_tui.store.connection import transaction

USES = {"minisign": "signing", "age": "age"}


def _room_key(session: Session, key_id: str) -> queries.RoomKeyRow:
    for kind in USES.values():
        for row in queries.room_keys(session.conn, kind):
            if row.key_id == key_id:
                return row
    raise KeyRefused(f"Key {key_id} is not one of the room's keys.")


def room_key_consequences(session: Session, key_id: str) -> list[str]:
    """What revoking the room's key as compromised does, shown before the officer confirms."""
    require(session, Action.MANAGE_KEYS)
    row = _room_key(session, key_id)
    if key_id in queries.room_revocations(session.conn):
        raise KeyRefused(f"Key {key_id} was already revoked as compromised.")
    if row.kind == "signing":
        sealed = session.conn.execute("SELECT count(*) FROM referrals WHERE state = 'sealed'").fetchone()[0]
        return [
            ("A new signing key replaces it now." if row.active else "It is retired already; it is marked compromised."),
            "Referral bundles, verification reports, audit exports and dispatch notes it signed no longer verify in "
            f"the room (the room has sealed {sealed} referral(s) in all): tell every force to distrust key {key_id}.",
            "Export the new public key (e) and give it to the forces by another channel; referrals waiting are "
            "sealed with the new key.",
        ]
    return [
        ("A new age identity replaces it now." if row.active else "It is retired already; it is marked compromised."),
        "Intake systems and forces must encrypt to the new recipient (e exports it): until they do, their "
        "bundles are still opened with the old identity, because a bundle's signature, not its encryption, "
        "says who sent it; but whoever holds the stolen identity can read what is encrypted to it.",
    ]


def revoke_room_key(session: Session, key_id: str, reason: str) -> None:
    """Revoke one of the room's keys as compromised, replacing it first if it is active."""
    require(session, Action.MANAGE_KEYS)
    if not reason.strip():
        raise KeyRefused("Say why the key is revoked.")
    room_key_consequences(session, key_id)  # refuses an unknown or already revoked key
    row = _room_key(session, key_id)
    if row.active:
        rotate = rotate_room_signing_key if row.kind == "signing" else rotate_room_identity
        rotate(session, f"replaces {key_id}, revoked as compromised: {reason}")
    with transaction(session.conn) as conn:
        queries.revoke_room_key(conn, key_id, session.now(), reason)
        record(conn, session.user.name, "room_key.revoke", key_id, f"compromised: {reason}", session.clock())
