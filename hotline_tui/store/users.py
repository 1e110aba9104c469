"""Queries on the users table."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline_tui.store.connection import Connection

_COLUMNS = (
    "name, role, display_name, disabled, must_change_password, slot_public_key, "
    "personal_key_id, personal_public_key, personal_secret_wrapped, created_at, removed_at"
)


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    display_name: str
    disabled: bool
    must_change_password: bool
    slot_public_key: bytes | None
    personal_key_id: str
    personal_public_key: str
    personal_secret_wrapped: bytes | None = field(repr=False)
    created_at: str
    removed_at: str | None


def _row(values: tuple) -> UserRow:
    name, role, display, disabled, must_change, slot_pk, key_id, public, wrapped, created, removed = values
    return UserRow(name, role, display, bool(disabled), bool(must_change), slot_pk, key_id, public, wrapped, created, removed)


def insert(conn: Connection, row: UserRow) -> None:
    conn.execute(
        f"INSERT INTO users ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.name, row.role, row.display_name, int(row.disabled), int(row.must_change_password),
            row.slot_public_key, row.personal_key_id, row.personal_public_key, row.personal_secret_wrapped,
            row.created_at, row.removed_at,
        ),
    )


def get(conn: Connection, name: str) -> UserRow | None:
    found = conn.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", (name,)).fetchone()
    return _row(found) if found else None


def all_users(conn: Connection, include_removed: bool = False) -> list[UserRow]:
    where = "" if include_removed else "WHERE removed_at IS NULL"
    return [_row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM users {where} ORDER BY name")]


def count_active(conn: Connection, role: str) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM users WHERE role = ? AND disabled = 0 AND removed_at IS NULL", (role,)
        ).fetchone()[0]
    )


def set_disabled(conn: Connection, name: str, disabled: bool) -> None:
    conn.execute("UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name))


def set_role(conn: Connection, name: str, role: str) -> None:
    conn.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))


def set_must_change_password(conn: Connection, name: str, flag: bool) -> None:
    conn.execute("UPDATE users SET must_change_password = ? WHERE name = ?", (int(flag), name))


def replace_keys(
    conn: Connection, name: str, slot_public_key: bytes, personal_key_id: str, personal_public_key: str, wrapped: bytes
) -> None:
    conn.execute(
        "UPDATE users SET slot_public_key = ?, personal_key_id = ?, personal_public_key = ?, "
        "personal_secret_wrapped = ? WHERE name = ?",
        (slot_public_key, personal_key_id, personal_public_key, wrapped, name),
    )


def mark_removed(conn: Connection, name: str, at: str) -> None:
    """Keep the row (names in the audit log stay meaningful) but drop every key."""
    conn.execute(
        "UPDATE users SET removed_at = ?, disabled = 1, slot_public_key = NULL, personal_secret_wrapped = NULL "
        "WHERE name = ?",
        (at, name),
    )
