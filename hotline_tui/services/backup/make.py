"""Making a backup while people work.

``OUT_DIR/room-backup-<UTC time>/`` holds ``store.db`` (SQLite's online backup of the
store: one consistent snapshot, taken while imports and users carry on, still encrypted
with the store key), ``slots.json`` (the key slots that open it, as they were), and the
signed manifest (manifest.py). The folder is written under a hidden temporary name,
every file synced, then renamed into place and the parent synced; it is then read back
(signature, file digests, both integrity checks, audit chain, head and counts) before
it is recorded and reported as done. A backup that fails its read-back is deleted, never
left under its final name.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.backup import manifest as manifests
from hotline_tui.services.backup.contents import check_store_copy, count_contents, describe_counts, room_signing_keys
from hotline_tui.services.backup.manifest import Manifest
from hotline_tui.services.keyring.keys import room_signing_key
from hotline_tui.services.people.workspace_locks import slots_lock
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import backups as store
from hotline_tui.store.connection import copy_store, open_reader, transaction
from hotline_tui.store.schema import version
from import_export.atomic import publish, sync_path, write_temp
from import_export.minisign import PublicKey, SecretKey

PREFIX = "room-backup-"


@dataclass(frozen=True)
class BackupMade:
    path: Path
    manifest: Manifest

    @property
    def size(self) -> int:
        return sum(size for size, _ in self.manifest.files.values())


def backup_name(made_at: str) -> str:
    """``room-backup-20260314T090000Z`` from an RFC 3339 UTC time."""
    return PREFIX + made_at[:19].replace("-", "").replace(":", "") + "Z"


def make_backup(session: Session, out_dir: Path, say: Callable[[str], None] = lambda _: None) -> BackupMade:
    """Write, read back and record a backup of the store into ``out_dir``."""
    require(session, Action.BACK_UP)
    session.check_open()
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise Refused(f"{out_dir} is not a folder: insert the medium or make the folder, then try again.")
    made_at = session.now()
    final = out_dir / backup_name(made_at)
    if final.exists():
        raise Refused(f"{final.name} is already in {out_dir}; wait a second and try again.")
    signing = room_signing_key(session)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=out_dir))
    except OSError as exc:
        raise Refused(f"Cannot write to {out_dir}: {exc.strerror or exc}.") from None
    try:
        made = _write(session, staging, made_at, signing, say)
        staging.rename(final)
        sync_path(out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise Refused(f"Cannot write the backup to {out_dir}: {exc.strerror or exc}; nothing was kept.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    say("reading the backup back")
    try:
        checked = read_back(final, session.store_key)
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    if checked != made:
        shutil.rmtree(final, ignore_errors=True)
        raise Refused("The backup read back differs from what was written; nothing was kept. Try another medium.")
    _record(session, final, made)
    return BackupMade(final, made)


def _write(session: Session, staging: Path, made_at: str, signing: SecretKey, say: Callable[[str], None]) -> Manifest:
    # The slot lock keeps a removal's rekey out between the snapshot and the slots copy,
    # so the slots copied are the ones that open the snapshot.
    with slots_lock(session.settings):
        say("copying the store (online backup)")
        copy_store(session.settings.store_path, session.store_key, staging / manifests.STORE)
        slots = session.settings.slots_path.read_bytes()
    _publish(staging, manifests.SLOTS, slots)
    conn = open_reader(staging / manifests.STORE, session.store_key)
    try:
        seq, digest = audit.head(conn)
        counts, schema = count_contents(conn), version(conn)
    finally:
        conn.close()
    files = {name: manifests.file_digest(staging / name) for name in manifests.FILES}
    manifest = Manifest(made_at, session.user.name, schema, seq, digest, counts, files, signing.key_id)
    data, signature = manifests.sign(manifest, signing)
    _publish(staging, manifests.MANIFEST, data)
    _publish(staging, manifests.SIGNATURE, signature)
    say(f"wrote {describe_counts(counts)}")
    return manifest


def _publish(folder: Path, name: str, data: bytes) -> None:
    publish([(write_temp(folder, name, data), folder / name)])


def read_back(folder: Path, key: bytes, trusted: Sequence[PublicKey] = (), *, digests_checked: bool = False) -> Manifest:
    """Every check a restore runs, on the backup as it lies on the medium: the manifest's
    signature by one of the room's signing keys (those the backup's own store holds,
    which only the store key could have written, and ``trusted``), each file's digest,
    then the store copy's checks. ``digests_checked``: the files were checked against
    these very manifest bytes already (a restore does, before it reads the slots)."""
    data, signature = manifests.read_signed(folder)
    manifest = manifests.verify(data, signature, [*room_signing_keys(folder / manifests.STORE, key), *trusted])
    if not digests_checked:
        manifests.check_files(folder, manifest)
    check_store_copy(folder, key, manifest)
    return manifest


def _record(session: Session, final: Path, made: Manifest) -> None:
    size = sum(size for size, _ in made.files.values())
    row = store.BackupRow(final.name, str(final.parent), made.made_at, session.user.name, made.audit_seq,
                          made.audit_hash, made.counts.get("reports", 0), size)
    with transaction(session.conn) as conn:
        store.insert(conn, row)
        audit.record(conn, session.user.name, "backup.made", f"backup {final.name}",
                     f"to {final.parent}; head {made.head}; {describe_counts(made.counts)}; read back and checked",
                     session.clock())
