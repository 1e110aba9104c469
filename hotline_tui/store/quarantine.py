"""Queries on the quarantine: refused bundles kept by import (the table is in reports.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline_tui.store.connection import Connection

_COLUMNS = "id, file_name, length(payload), signature IS NOT NULL, check_name, reason, refused_at, refused_by, state"


@dataclass(frozen=True)
class QuarantineRow:
    item_id: int
    file_name: str
    size: int
    has_signature: bool
    check_name: str
    reason: str
    refused_at: str
    refused_by: str
    state: str  # 'held', 'released' or 'deleted'


@dataclass(frozen=True)
class HeldBytes:
    file_name: str
    payload: bytes = field(repr=False)
    signature: bytes | None = field(repr=False)
    state: str


def _row(values: tuple) -> QuarantineRow:
    item_id, name, size, has_sig, check, reason, at, by, state = values
    return QuarantineRow(item_id, name, int(size or 0), bool(has_sig), check, reason, at, by, state)


def items(conn: Connection, include_done: bool = False) -> list[QuarantineRow]:
    """Held bundles, newest first; with ``include_done`` the released and deleted too."""
    where = "" if include_done else " WHERE state = 'held'"
    return [_row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM quarantine{where} ORDER BY id DESC")]


def item(conn: Connection, item_id: int) -> QuarantineRow | None:
    found = conn.execute(f"SELECT {_COLUMNS} FROM quarantine WHERE id = ?", (item_id,)).fetchone()
    return _row(found) if found else None


def held_bytes(conn: Connection, item_id: int) -> HeldBytes | None:
    found = conn.execute("SELECT file_name, payload, signature, state FROM quarantine WHERE id = ?", (item_id,)).fetchone()
    return HeldBytes(found[0], bytes(found[1]), None if found[2] is None else bytes(found[2]), found[3]) if found else None


def close(conn: Connection, item_id: int, state: str) -> None:
    """Mark released or deleted and drop the bytes (secure_delete zeroes the freed pages);
    the row stays as the record of what was held and why."""
    conn.execute("UPDATE quarantine SET state = ?, payload = X'', signature = NULL WHERE id = ?", (state, item_id))
