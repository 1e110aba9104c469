"""Approval and sealing: the signed form of each referral and the bundles written.

A referral's approved document is kept as the exact bytes the supervisor signed, so the
bundle carries those bytes and nothing re-serialises them on the way out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hotline_tui.store.connection import Connection

SCHEMA = """
ALTER TABLE referrals ADD COLUMN approved_key_id TEXT;
ALTER TABLE referrals ADD COLUMN signed_document BLOB;   -- the exact bytes signed
ALTER TABLE referrals ADD COLUMN approval_signature TEXT;  -- minisign signature of them
ALTER TABLE referrals ADD COLUMN sealed_bundle_id TEXT;
ALTER TABLE referrals ADD COLUMN sealed_at TEXT;

CREATE TABLE seal_batches (
    bundle_id TEXT PRIMARY KEY,
    force_code TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_dir TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    referral_ids TEXT NOT NULL,        -- JSON list
    room_key_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('writing', 'sealed', 'abandoned')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    started_by TEXT NOT NULL
) STRICT;
"""


@dataclass(frozen=True)
class ApprovedReferral:
    referral_id: str
    reference: str
    force_code: str
    signed_document: bytes
    approval_signature: str
    approved_by: str
    approved_key_id: str


@dataclass(frozen=True)
class SealBatch:
    bundle_id: str
    force_code: str
    file_name: str
    media_dir: str
    payload_sha256: str
    referral_ids: str
    room_key_id: str
    state: str


def record_approval(
    conn: Connection, referral_id: str, by: str, key_id: str, at: str, document: bytes, signature: str
) -> None:
    conn.execute(
        "UPDATE referrals SET state = 'approved', approved_by = ?, approved_key_id = ?, approved_at = ?,"
        " signed_document = ?, approval_signature = ? WHERE referral_id = ?",
        (by, key_id, at, document, signature, referral_id),
    )
    conn.execute(  # the report says it is approved until the seal makes it 'referred'
        "UPDATE reports SET status = 'approved' WHERE report_id = (SELECT report_id FROM referrals WHERE referral_id = ?)",
        (referral_id,),
    )


def earlier_referrals_of_reports(conn: Connection, keys: Sequence[int], referral_id: str) -> list[str]:
    """Referrals of these reports made before ``referral_id`` (by their HTR number),
    oldest first, leaving out withdrawn ones: the red flags a referral carries."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        "SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id"
        f" WHERE r.id IN ({marks}) AND f.state != 'withdrawn' AND f.referral_id != ?"
        " AND (f.year, f.number) < (SELECT year, number FROM referrals WHERE referral_id = ?)"
        " ORDER BY f.year, f.number",
        (*keys, referral_id, referral_id),
    )
    return [row[0] for row in rows]


def approved_unsealed(conn: Connection, force_code: str | None = None) -> list[ApprovedReferral]:
    sql = (
        "SELECT referral_id, reference, force_code, signed_document, approval_signature, approved_by, approved_key_id"
        " FROM referrals WHERE state = 'approved'"
    )
    params: tuple[str, ...] = ()
    if force_code:
        sql += " AND force_code = ?"
        params = (force_code,)
    return [ApprovedReferral(*row) for row in conn.execute(sql + " ORDER BY approved_at, reference", params)]


def approved_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute("SELECT force_code, count(*) FROM referrals WHERE state = 'approved' GROUP BY force_code")
    return {code: int(n) for code, n in rows}


def start_batch(conn: Connection, batch: SealBatch, at: str, by: str) -> None:
    conn.execute(
        "INSERT INTO seal_batches (bundle_id, force_code, file_name, media_dir, payload_sha256, referral_ids,"
        " room_key_id, state, started_at, started_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'writing', ?, ?)",
        (batch.bundle_id, batch.force_code, batch.file_name, batch.media_dir, batch.payload_sha256,
         batch.referral_ids, batch.room_key_id, at, by),
    )


def finish_batch(conn: Connection, bundle_id: str, state: str, at: str) -> None:
    conn.execute("UPDATE seal_batches SET state = ?, finished_at = ? WHERE bundle_id = ?", (state, at, bundle_id))


def mark_sealed(conn: Connection, referral_ids: Sequence[str], bundle_id: str, at: str) -> None:
    conn.executemany(
        "UPDATE referrals SET state = 'sealed', sealed_bundle_id = ?, sealed_at = ? WHERE referral_id = ? AND state = 'approved'",
        [(bundle_id, at, referral_id) for referral_id in referral_ids],
    )
    conn.executemany(
        "UPDATE reports SET status = 'referred' WHERE report_id = (SELECT report_id FROM referrals WHERE referral_id = ?)",
        [(referral_id,) for referral_id in referral_ids],
    )


def unfinished_batches(conn: Connection) -> list[SealBatch]:
    rows = conn.execute(
        "SELECT bundle_id, force_code, file_name, media_dir, payload_sha256, referral_ids, room_key_id, state"
        " FROM seal_batches WHERE state = 'writing' ORDER BY started_at"
    )
    return [SealBatch(*row) for row in rows]


@dataclass(frozen=True)
class KeyApproval:
    """A referral a personal key approved: waiting to be sealed, or sealed and sent."""

    referral_id: str
    reference: str
    force_code: str
    approved_by: str
    approved_at: str
    state: str  # 'approved', 'sealing' (in a bundle being written now) or 'sealed'
    sealed_at: str | None


def approvals_by_key(conn: Connection, key_id: str) -> list[KeyApproval]:
    return [KeyApproval(*row) for row in conn.execute(
        "SELECT referral_id, reference, force_code, approved_by, approved_at,"
        " CASE WHEN state = 'approved' AND EXISTS (SELECT 1 FROM seal_batches b, json_each(b.referral_ids) j"
        "  WHERE b.state = 'writing' AND j.value = referrals.referral_id) THEN 'sealing' ELSE state END, sealed_at"
        " FROM referrals WHERE approved_key_id = ? AND state IN ('approved', 'sealed')"
        " ORDER BY state, approved_at, reference", (key_id,))]


def withdraw_approval(conn: Connection, referral_id: str) -> None:
    """Back to awaiting approval, its signature and signed bytes dropped (the caller's transaction)."""
    conn.execute(
        "UPDATE referrals SET state = 'awaiting_approval', approved_by = NULL, approved_key_id = NULL,"
        " approved_at = NULL, signed_document = NULL, approval_signature = NULL"
        " WHERE referral_id = ? AND state = 'approved'", (referral_id,))
    conn.execute(
        "UPDATE reports SET status = 'awaiting_approval' WHERE report_id = (SELECT report_id FROM referrals"
        " WHERE referral_id = ?) AND status = 'approved'", (referral_id,))
