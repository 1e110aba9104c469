"""Queries on the keyring (keys the room trusts) and room_keys (the room's own keys)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline_tui.store.connection import Connection

# Migration: a room key revoked as compromised (replaced at once, and refused from then on).
ROOM_KEY_REVOCATION = """
ALTER TABLE room_keys ADD COLUMN revoked_at TEXT;
ALTER TABLE room_keys ADD COLUMN revoked_reason TEXT NOT NULL DEFAULT '';
"""

_KEYRING = "key_id, key_type, name, kind, force, public_text, added_by, added_at, revoked_at, revoked_reason"
_ROOM = "kind, key_id, public_text, secret_text, active, created_at, retired_at, secret_sealed"


@dataclass(frozen=True)
class KeyringRow:
    key_id: str
    key_type: str  # 'minisign' or 'age'
    name: str
    kind: str  # 'intake' or 'force'
    force: str | None
    public_text: str
    added_by: str
    added_at: str
    revoked_at: str | None = None
    revoked_reason: str = ""


@dataclass(frozen=True)
class RoomKeyRow:
    kind: str  # 'signing' or 'age'
    key_id: str
    public_text: str
    secret_text: str = field(repr=False)  # '' once sealed (services/sealed/rolekeys.py)
    active: bool
    created_at: str
    retired_at: str | None
    secret_sealed: bytes | None = field(default=None, repr=False)


def insert_trusted(conn: Connection, row: KeyringRow) -> None:
    conn.execute(
        f"INSERT INTO keyring ({_KEYRING}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.key_id, row.key_type, row.name, row.kind, row.force, row.public_text,
            row.added_by, row.added_at, row.revoked_at, row.revoked_reason,
        ),
    )


def trusted(conn: Connection) -> list[KeyringRow]:
    return [KeyringRow(*r) for r in conn.execute(f"SELECT {_KEYRING} FROM keyring ORDER BY kind, force, name, key_id")]


def trusted_by_id(conn: Connection, key_id: str) -> KeyringRow | None:
    found = conn.execute(f"SELECT {_KEYRING} FROM keyring WHERE key_id = ?", (key_id,)).fetchone()
    return KeyringRow(*found) if found else None


def revoke(conn: Connection, key_id: str, at: str, reason: str) -> None:
    conn.execute("UPDATE keyring SET revoked_at = ?, revoked_reason = ? WHERE key_id = ?", (at, reason, key_id))


def insert_room_key(conn: Connection, row: RoomKeyRow) -> None:
    conn.execute(
        f"INSERT INTO room_keys ({_ROOM}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row.kind, row.key_id, row.public_text, row.secret_text, int(row.active), row.created_at, row.retired_at,
         row.secret_sealed),
    )


def room_keys(conn: Connection, kind: str) -> list[RoomKeyRow]:
    """Every room key of a kind, the active one first, then the retired newest first."""
    rows = conn.execute(
        f"SELECT {_ROOM} FROM room_keys WHERE kind = ? ORDER BY active DESC, created_at DESC, id DESC", (kind,)
    )
    return [RoomKeyRow(k, i, p, s, bool(a), c, r, x) for k, i, p, s, a, c, r, x in rows]


def retire_room_key(conn: Connection, kind: str, at: str) -> None:
    conn.execute("UPDATE room_keys SET active = 0, retired_at = ? WHERE kind = ? AND active = 1", (at, kind))


def revoke_room_key(conn: Connection, key_id: str, at: str, reason: str) -> None:
    conn.execute("UPDATE room_keys SET revoked_at = ?, revoked_reason = ? WHERE key_id = ?", (at, reason, key_id))


def room_revocations(conn: Connection) -> dict[str, tuple[str, str]]:
    """key_id -> (revoked_at, reason) of the room's own keys revoked as compromised."""
    rows = conn.execute("SELECT key_id, revoked_at, revoked_reason FROM room_keys WHERE revoked_at IS NOT NULL")
    return {key_id: (at, reason) for key_id, at, reason in rows}
