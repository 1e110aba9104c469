"""What forces report back about the referrals they received."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hotline_tui.store.connection import Connection

SCHEMA = """
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (referral_id),
    force_code TEXT NOT NULL,
    status TEXT NOT NULL,
    date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    bundle_id TEXT NOT NULL REFERENCES import_bundles (bundle_id),
    document TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX outcomes_referral ON outcomes (referral_id, date);
CREATE INDEX outcomes_status ON outcomes (status, date);
"""


@dataclass(frozen=True)
class OutcomeRow:
    referral_id: str
    force_code: str
    status: str
    date: str
    note: str
    bundle_id: str
    document: str
    imported_at: str


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = list(dict.fromkeys(ids))
    return [unique[start : start + 500] for start in range(0, len(unique), 500)]


def referral_forces(conn: Connection, referral_ids: Sequence[str]) -> dict[str, tuple[str, str, str | None, str]]:
    """referral id -> (force it was sealed to, state, sealed_at, reference), for the ids that exist."""
    found: dict[str, tuple[str, str, str | None, str]] = {}
    for chunk in _chunks(referral_ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute("SELECT referral_id, force_code, state, sealed_at, reference FROM referrals"
                            f" WHERE referral_id IN ({marks})", chunk)
        found.update({rid: (force, state, sealed, reference) for rid, force, state, sealed, reference in rows})
    return found


def held_outcomes(conn: Connection, referral_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """referral id -> its outcomes held, (date, status, note) oldest first."""
    held: dict[str, list[tuple[str, str, str]]] = {}
    for chunk in _chunks(referral_ids):
        marks = ",".join("?" * len(chunk))
        for rid, when, status, note in conn.execute(
            f"SELECT referral_id, date, status, note FROM outcomes WHERE referral_id IN ({marks}) ORDER BY date, id", chunk
        ):
            held.setdefault(rid, []).append((when, status, note))
    return held


def insert_outcomes(conn: Connection, rows: Sequence[OutcomeRow]) -> int:
    """Store the outcomes not already held (a force may send a referral's whole history
    again: the same referral, status, date and note is kept once). Returns how many were new."""
    before = conn.total_changes
    conn.executemany(
        "INSERT INTO outcomes (referral_id, force_code, status, date, note, bundle_id, document, imported_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE NOT EXISTS (SELECT 1 FROM outcomes"
        " WHERE referral_id = ?1 AND status = ?3 AND date = ?4 AND note = ?5)",
        [(r.referral_id, r.force_code, r.status, r.date, r.note, r.bundle_id, r.document, r.imported_at) for r in rows],
    )
    return conn.total_changes - before


def history(conn: Connection, referral_id: str) -> list[tuple[str, str, str, str]]:
    """(date, status, note, imported_at), oldest first."""
    return list(conn.execute(
        "SELECT date, status, note, imported_at FROM outcomes WHERE referral_id = ? ORDER BY date, id", (referral_id,)
    ))


def referral_of_report(conn: Connection, report_key: int) -> tuple[str, str, str, str, str | None] | None:
    """(referral_id, reference, force, state, sealed_at) of the report's referral, if any."""
    row = conn.execute(
        "SELECT f.referral_id, f.reference, f.force_code, f.state, f.sealed_at FROM referrals f"
        " JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?",
        (report_key,),
    ).fetchone()
    return (row[0], row[1], row[2], row[3], row[4]) if row else None


def referral_summary(conn: Connection, referral_id: str) -> tuple[str, str, str | None, str] | None:
    """(reference, force, sealed_at, state) of a referral."""
    row = conn.execute(
        "SELECT reference, force_code, sealed_at, state FROM referrals WHERE referral_id = ?", (referral_id,)
    ).fetchone()
    return (row[0], row[1], row[2], row[3]) if row else None
