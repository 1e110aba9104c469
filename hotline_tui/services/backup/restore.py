"""Restoring a backup: checked first, nothing overwritten, nobody let back in by old slots.

Order (``restore_backup``):

1. A security officer proves who they are with their password: against the current
   room's slot file when there is a room (even with its store damaged), else against the
   backup's own slot. Their key opens the backup's store key.
2. The backup is copied into a hidden folder inside the workspace, and the copy is
   checked before anything is replaced: the manifest's signature (the room's signing
   keys), each file's SHA-256, both whole-store integrity checks, the audit chain, and
   the head and counts the manifest names (make.read_back).
3. The copy gets a fresh store key (PRAGMA rekey), so no slot file ever made before,
   the backup's own included, opens the restored store.
4. Who may unlock it (restore_team.py): with a current room, its slot file decides (a
   user removed or disabled since the backup has no slot in it, so stays out); into an
   empty folder, only the officer restoring, and every other user comes back disabled
   until an officer enables them (a new one-time password).
5. The restore is audited in the restored log: the head it came back to, the head of
   the store it replaced (if it could be read), the entries and sealed bundles lost
   since, and where the replaced store was set aside.
6. The current store, its log and its slot file are moved (never copied over, never
   deleted) into ``set-aside-<time>/`` in the workspace, and the restored ones renamed
   into place. Everyone else must have locked or quit first (the presence lock).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import Refused, WorkspaceMissing
from hotline_tui.services.backup import manifest as manifests
from hotline_tui.services.backup.make import read_back
from hotline_tui.services.backup.restore_team import CurrentRoom, read_current_room, settle_team
from hotline_tui.services.people import accounts
from hotline_tui.services.people.workspace_locks import PRESENCE_FILE, alone
from hotline_tui.services.session import timestamp, utc_now
from hotline_tui.store.connection import open_store, rekey
from hotline_tui.store.schema import migrate
from import_export.atomic import publish, sync_path

SET_ASIDE_PREFIX = "set-aside-"
_CURRENT_FILES = ("store.db", "store.db-wal", "store.db-shm", "slots.json", "slots.next.json")


@dataclass(frozen=True)
class RestoreDone:
    workspace: Path
    manifest: manifests.Manifest
    set_aside: Path | None
    kept: tuple[str, ...]       # users who can unlock the restored room
    disabled: tuple[str, ...]   # users who came back disabled
    lost: str                   # what the restored room lacks, in words


def _copy_in(backup: Path, staging: Path) -> None:
    for name in (*manifests.FILES, manifests.MANIFEST, manifests.SIGNATURE):
        source = backup / name
        if not source.is_file():
            raise Refused(f"{backup} is not a complete backup: it has no {name}.")
        shutil.copyfile(source, staging / name)
        sync_path(staging / name)


def _backup_key(staging: Path, name: str, password: str, current: CurrentRoom | None) -> tuple[bytes, slotlib.Slot]:
    """The backup's store key, opened by the officer's key: their current slot's keypair
    (the same unless reset since) or, failing that, their slot in the backup."""
    backup_slot = slotlib.load_slots(staging / manifests.SLOTS).get(name)
    if backup_slot is None:
        raise Refused(f"{name} has no key slot in this backup, so cannot restore it; "
                      "a security officer who was in the room when it was made must.")
    if current is not None and current.private is not None and \
            bytes(current.private.public_key) == backup_slot.public_key:
        return slotlib.unseal_store_key(backup_slot, current.private), backup_slot
    private = slotlib.unwrap_private_key(backup_slot, password)
    return slotlib.unseal_store_key(backup_slot, private), backup_slot


def _aside_folder(workspace: Path, stamp: str) -> Path | None:
    """A new folder name for the current store's files, or None if there are none."""
    if not any((workspace / name).exists() for name in _CURRENT_FILES):
        return None
    folder = workspace / f"{SET_ASIDE_PREFIX}{stamp}"
    number = 1
    while folder.exists():
        number += 1
        folder = workspace / f"{SET_ASIDE_PREFIX}{stamp}-{number}"
    return folder


def _set_aside(workspace: Path, folder: Path | None) -> None:
    if folder is None:
        return
    folder.mkdir(mode=0o700)  # refused if it appeared meanwhile: nothing is ever merged or overwritten
    for name in [name for name in _CURRENT_FILES if (workspace / name).exists()]:
        os.rename(workspace / name, folder / name)  # a new folder: nothing there to overwrite
    sync_path(folder)
    sync_path(workspace)


def restore_backup(settings: Settings, backup: Path, name: str | None, password: str,
                   clock: Callable[[], datetime] = utc_now) -> RestoreDone:
    """Check ``backup`` and make it the workspace's store (see the module's doc)."""
    backup, workspace = Path(backup), Path(settings.workspace)
    data, _signature = manifests.read_signed(backup)
    made_by = manifests.Manifest.from_bytes(data, "").made_by  # only to default the user; verified below
    name = accounts.normalise_name(name or made_by)
    fresh = not workspace.exists() or not any(workspace.iterdir())
    current = read_current_room(settings, name, password)
    workspace.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        return _restore(settings, backup, name, password, clock, current)
    except BaseException as exc:
        if fresh:  # leave an empty folder as it was, so init or another restore can use it
            (workspace / PRESENCE_FILE).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise Refused(_could_not(settings, exc)) from None
        raise


def _could_not(settings: Settings, exc: OSError) -> str:
    aside = sorted(Path(settings.workspace).glob(f"{SET_ASIDE_PREFIX}*"))
    where = f"; the store it was replacing is in {aside[-1]}" if aside and not settings.store_path.exists() else ""
    return f"The restore could not read or write a file ({exc.strerror or exc}: {exc.filename}){where}. Nothing was overwritten."


def _restore(settings: Settings, backup: Path, name: str, password: str, clock: Callable[[], datetime],
             current: CurrentRoom | None) -> RestoreDone:
    workspace = Path(settings.workspace)
    with alone(settings):
        staging = Path(tempfile.mkdtemp(prefix=".restore-", suffix=".partial", dir=workspace))
        try:
            _copy_in(backup, staging)
            # The digests first, against the manifest as copied (its signature is checked
            # next, with the keys the store holds): nothing altered is read, not even the slots.
            unverified = manifests.Manifest.from_bytes((staging / manifests.MANIFEST).read_bytes(), "")
            manifests.check_files(staging, unverified)
            key, officer_slot = _backup_key(staging, name, password, current)
            manifest = read_back(staging, key, current.signing_keys if current else (), digests_checked=True)
            _check_signer(manifest, current)
            at = timestamp(clock())
            aside = _aside_folder(workspace, at[:19].replace("-", "").replace(":", "") + "Z")
            new_key = os.urandom(slotlib.STORE_KEY_BYTES)
            conn = open_store(staging / manifests.STORE, key)
            try:
                migrate(conn)
                rekey(conn, new_key)
                team = settle_team(conn, staging, manifest, name, officer_slot, new_key, current, backup, settings,
                                   at, aside)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            _set_aside(workspace, aside)
            publish([(staging / manifests.STORE, settings.store_path), (staging / manifests.SLOTS, settings.slots_path)])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreDone(workspace, manifest, aside, team.kept, team.disabled, team.lost)


def _check_signer(manifest: manifests.Manifest, current: CurrentRoom | None) -> None:
    """Over a room whose store can be read, the backup must be signed by one of its keys:
    another room's backup never replaces this one."""
    if current is not None and current.readable and manifest.signed_by not in {k.key_id for k in current.signing_keys}:
        raise Refused(f"This backup was signed by key {manifest.signed_by}, which is not one of this room's signing "
                      "keys: it is another room's backup. Nothing was changed.")


__all__ = ["RestoreDone", "WorkspaceMissing", "restore_backup"]
