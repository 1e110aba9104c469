"""Role keys: the second layer inside the store (see services/sealed/rolekeys.py).

One X25519 key pair per purpose ('signing': the room's signing keys; 'identity': its age
identities; 'contact': reporters' contact details). The public key is here in clear; the
private key only as grants, each sealed to one user's slot public key. Values under a
purpose are sealed to its public key: the room's secret keys directly
(``room_keys.secret_sealed``), contact details through data keys (``contact_keys``: one
per import, sealed to the purpose's key; each report's details in a SecretBox under it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline_tui.store.connection import Connection

SCHEMA = """
CREATE TABLE role_keys (
    purpose TEXT PRIMARY KEY CHECK (purpose IN ('signing', 'identity', 'contact')),
    generation INTEGER NOT NULL,       -- +1 at each rotation (after a removal)
    public_key BLOB NOT NULL,
    created_at TEXT NOT NULL,
    rotate_due INTEGER NOT NULL DEFAULT 0 CHECK (rotate_due IN (0, 1))
) STRICT;
CREATE TABLE role_key_grants (
    purpose TEXT NOT NULL REFERENCES role_keys (purpose) ON DELETE CASCADE,
    user TEXT NOT NULL,
    generation INTEGER NOT NULL,
    slot_public_key BLOB NOT NULL,     -- the slot it is sealed to: a reset makes it stale
    sealed_private BLOB NOT NULL,      -- SealedBox(slot public key) of the purpose's private key
    PRIMARY KEY (purpose, user)
) STRICT;
CREATE TABLE contact_keys (
    id INTEGER PRIMARY KEY,
    sealed_key BLOB NOT NULL,          -- SealedBox(contact public key) of a 32-byte SecretBox key
    created_at TEXT NOT NULL
) STRICT;
ALTER TABLE room_keys ADD COLUMN secret_sealed BLOB;   -- SealedBox(signing or identity public key)
ALTER TABLE reports ADD COLUMN contact_key INTEGER;    -- contact_keys.id
ALTER TABLE reports ADD COLUMN contact_sealed BLOB;    -- SecretBox of the contact details (JSON)
"""


@dataclass(frozen=True)
class RoleKey:
    purpose: str
    generation: int
    public_key: bytes
    rotate_due: bool


@dataclass(frozen=True)
class Grant:
    purpose: str
    user: str
    generation: int
    slot_public_key: bytes
    sealed_private: bytes = field(repr=False)


def role_key(conn: Connection, purpose: str) -> RoleKey | None:
    found = conn.execute(
        "SELECT purpose, generation, public_key, rotate_due FROM role_keys WHERE purpose = ?", (purpose,)
    ).fetchone()
    return RoleKey(found[0], found[1], found[2], bool(found[3])) if found else None


def put_role_key(conn: Connection, purpose: str, generation: int, public_key: bytes, at: str) -> None:
    conn.execute(
        "INSERT INTO role_keys (purpose, generation, public_key, created_at, rotate_due) VALUES (?, ?, ?, ?, 0) "
        "ON CONFLICT (purpose) DO UPDATE SET generation = excluded.generation, public_key = excluded.public_key, "
        "created_at = excluded.created_at, rotate_due = 0",
        (purpose, generation, public_key, at),
    )


def mark_rotate_due(conn: Connection, purpose: str) -> None:
    conn.execute("UPDATE role_keys SET rotate_due = 1 WHERE purpose = ?", (purpose,))


def grants(conn: Connection, purpose: str) -> list[Grant]:
    rows = conn.execute(
        "SELECT purpose, user, generation, slot_public_key, sealed_private FROM role_key_grants WHERE purpose = ?",
        (purpose,),
    )
    return [Grant(*row) for row in rows]


def grant_of(conn: Connection, purpose: str, user: str) -> Grant | None:
    found = conn.execute(
        "SELECT purpose, user, generation, slot_public_key, sealed_private FROM role_key_grants "
        "WHERE purpose = ? AND user = ?", (purpose, user),
    ).fetchone()
    return Grant(*found) if found else None


def put_grant(conn: Connection, grant: Grant) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO role_key_grants (purpose, user, generation, slot_public_key, sealed_private) "
        "VALUES (?, ?, ?, ?, ?)",
        (grant.purpose, grant.user, grant.generation, grant.slot_public_key, grant.sealed_private),
    )


def drop_grant(conn: Connection, purpose: str, user: str) -> None:
    conn.execute("DELETE FROM role_key_grants WHERE purpose = ? AND user = ?", (purpose, user))


def drop_grants_of(conn: Connection, user: str) -> None:
    conn.execute("DELETE FROM role_key_grants WHERE user = ?", (user,))


def holders(conn: Connection, roles: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """(name, slot public key) of every enabled, current user with one of ``roles``."""
    marks = ", ".join("?" * len(roles))
    return [(n, k) for n, k in conn.execute(
        f"SELECT name, slot_public_key FROM users WHERE role IN ({marks}) AND disabled = 0 AND removed_at IS NULL "
        "AND slot_public_key IS NOT NULL ORDER BY name", roles,
    )]


# -- what is sealed under a purpose -------------------------------------------------------


def sealed_room_secrets(conn: Connection, kind: str) -> list[tuple[str, bytes]]:
    """(key_id, secret_sealed) of every room key of ``kind`` ('signing' or 'age')."""
    return [(k, s) for k, s in conn.execute(
        "SELECT key_id, secret_sealed FROM room_keys WHERE kind = ? AND secret_sealed IS NOT NULL", (kind,))]


def plain_room_secrets(conn: Connection, kind: str) -> list[tuple[str, str]]:
    """(key_id, secret_text) of room keys still in clear (a store from before role keys)."""
    return [(k, s) for k, s in conn.execute(
        "SELECT key_id, secret_text FROM room_keys WHERE kind = ? AND secret_sealed IS NULL", (kind,))]


def set_room_secret(conn: Connection, key_id: str, sealed: bytes) -> None:
    conn.execute("UPDATE room_keys SET secret_sealed = ?, secret_text = '' WHERE key_id = ?", (sealed, key_id))


def contact_keys(conn: Connection) -> list[tuple[int, bytes]]:
    return [(i, k) for i, k in conn.execute("SELECT id, sealed_key FROM contact_keys ORDER BY id")]


def contact_key(conn: Connection, key_id: int) -> bytes | None:
    found = conn.execute("SELECT sealed_key FROM contact_keys WHERE id = ?", (key_id,)).fetchone()
    return found[0] if found else None


def add_contact_key(conn: Connection, sealed: bytes, at: str) -> int:
    cursor = conn.execute("INSERT INTO contact_keys (sealed_key, created_at) VALUES (?, ?)", (sealed, at))
    return int(cursor.lastrowid or 0)


def reseal_contact_key(conn: Connection, key_id: int, sealed: bytes) -> None:
    conn.execute("UPDATE contact_keys SET sealed_key = ? WHERE id = ?", (sealed, key_id))


def report_contact(conn: Connection, report_key: int) -> tuple[int | None, bytes | None]:
    found = conn.execute("SELECT contact_key, contact_sealed FROM reports WHERE id = ?", (report_key,)).fetchone()
    return (found[0], found[1]) if found else (None, None)
