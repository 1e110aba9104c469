"""What a store copy holds, and the checks a backup passes before it is called good:
both whole-store integrity checks, the audit chain, and the head and counts its signed
manifest names. The backup's read-back and the restore both run them."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from hotline_tui.errors import Refused, StoreDamaged
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.backup.manifest import STORE, Manifest
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store.connection import Connection, check_integrity, open_reader
from hotline_tui.store.schema import version
from import_export.minisign import PublicKey

COUNTED = {
    "reports": "reports", "bundles": "import_bundles", "assessments": "assessments", "referrals": "referrals",
    "outcomes": "outcomes", "users": "users", "audit": "audit",
}


def count_contents(conn: Connection) -> dict[str, int]:
    return {name: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for name, table in COUNTED.items()}


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(name, 0):,} {'audit entries' if name == 'audit' else name}" for name in COUNTED)


def room_signing_keys(path: Path, key: bytes) -> list[PublicKey]:
    """The room's signing keys (active and retired) in the store copy at ``path``."""
    try:
        conn = open_reader(path, key)
    except StoreDamaged as exc:
        raise Refused(f"The backup's store does not open: {exc}") from None
    try:
        return [PublicKey.from_text(row.public_text) for row in keyring_store.room_keys(conn, "signing")]
    except sqlcipher3.DatabaseError:
        raise Refused("The backup's store is damaged: its keys cannot be read; use another backup.") from None
    finally:
        conn.close()


def check_store_copy(folder: Path, key: bytes, manifest: Manifest) -> None:
    """Refuse unless the copy opens with ``key``, passes both integrity checks, its audit
    chain verifies, and its head, counts and schema are the manifest's."""
    path = folder / STORE
    conn = open_reader(path, key)
    try:
        check_integrity(conn, path)
        verdict = audit.verify_chain(conn)
        if not verdict.ok:
            raise Refused(f"The backup's audit log does not verify: {verdict.problem}; use another backup.")
        if audit.head(conn) != (manifest.audit_seq, manifest.audit_hash):
            raise Refused("The backup's audit head is not the one its manifest names; use another backup.")
        if count_contents(conn) != manifest.counts or version(conn) != manifest.schema_version:
            raise Refused("The backup's contents are not what its manifest counts; use another backup.")
    except StoreDamaged as exc:
        raise Refused(f"The backup's store failed its checks: {exc}") from None
    finally:
        conn.close()
