"""Who may unlock a restored room, and what the restore writes into its audit log.

A backup's slot file opens the backup for everyone who was in the room when it was
made, including anyone removed since. So the restored store gets a new key (restore.py)
and only these slots are sealed to it:

- restoring over a room: the slots of the current room's slot file whose keypair is the
  one the restored store names for that user. Removing or disabling someone deletes
  their slot from that file, so they stay out; a user reset since the backup, or whose
  slot is gone, comes back disabled, to be enabled with a new one-time password.
- into an empty folder (the room is gone): only the officer restoring. Everyone else
  comes back disabled, so an officer enables each one after checking they are still on
  the team.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nacl.public import PrivateKey

from hotline_tui.config import Settings
from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import PermissionDenied, Refused, StoreDamaged
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.backup import manifest as manifests
from hotline_tui.services.permissions import Role
from hotline_tui.services.sealed.rolekeys import PURPOSES, entitled
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store import rolekeys as role_store
from hotline_tui.store import users as user_store
from hotline_tui.store.connection import Connection, open_reader, transaction
from hotline_tui.wording import moment
from import_export.minisign import PublicKey

OFFICERS_ONLY = "Only a security officer of this room can restore a backup over it."


@dataclass
class CurrentRoom:
    """What the room being replaced can still tell: always its slot file, and its store's
    keys, head and log when the store can be read (it may be why we restore)."""

    slots: dict[str, slotlib.Slot]
    private: PrivateKey | None
    store_key: bytes = field(repr=False, default=b"")
    readable: bool = False
    problem: str = ""
    signing_keys: list[PublicKey] = field(default_factory=list)
    # Out of the room even if the slot file still has their slot: removed or disabled in
    # its store, or left out of a removal's next slot file that was not published yet.
    gone: set[str] = field(default_factory=set)


def read_current_room(settings: Settings, name: str, password: str) -> CurrentRoom | None:
    """None for an empty folder; else the officer's proof of identity against the room's
    slot file (WrongPassword if it fails) and what its store still says."""
    if not settings.slots_path.exists():
        if settings.store_path.exists():
            raise Refused(f"{settings.workspace} has a store but no key slots: move it away first, or restore "
                          "into an empty folder.")
        return None
    slots = slotlib.load_slots(settings.slots_path)
    slot = slots.get(name)
    if slot is None:
        slotlib.equalise_timing(settings.kdf)
        raise PermissionDenied(OFFICERS_ONLY)
    private = slotlib.unwrap_private_key(slot, password)
    current = CurrentRoom(slots, private, slotlib.unseal_store_key(slot, private))
    if settings.next_slots_path.exists():
        current.gone |= set(slots) - set(slotlib.load_slots(settings.next_slots_path))
    try:
        conn = open_reader(settings.store_path, current.store_key)
        try:
            row = user_store.get(conn, name)
            if row is None or row.role != Role.SECURITY_OFFICER or row.disabled or row.removed_at:
                raise PermissionDenied(OFFICERS_ONLY)
            current.signing_keys = [PublicKey.from_text(r.public_text) for r in keyring_store.room_keys(conn, "signing")]
            current.gone |= {r.name for r in user_store.all_users(conn, include_removed=True) if r.removed_at or r.disabled}
            current.readable = True
        finally:
            conn.close()
    except StoreDamaged as exc:
        current.problem = str(exc)
    except Exception as exc:  # a damaged page read: the store is why we restore
        if isinstance(exc, (PermissionDenied, Refused)):
            raise
        current.problem = f"the store could not be read ({type(exc).__name__})"
    return current


def lost_since(settings: Settings, current: CurrentRoom | None, manifest: manifests.Manifest) -> str:
    """In words: what the replaced store held after the backup's head."""
    if current is None:
        return "restored into an empty folder: nothing to compare with"
    if not current.readable:
        return (f"the store it replaced could not be read ({current.problem}): whatever happened after entry "
                f"{manifest.audit_seq} is lost; dispatch notes naming an audit head after it show referrals sealed since")
    try:
        return _lost_from(settings, current, manifest)
    except Exception as exc:  # a damaged page the checks on open did not read: the store is why we restore
        return (f"the store it replaced could not be read to the end ({type(exc).__name__}): whatever happened after "
                f"entry {manifest.audit_seq} is lost; dispatch notes naming an audit head after it show referrals "
                "sealed since")


def _lost_from(settings: Settings, current: CurrentRoom, manifest: manifests.Manifest) -> str:
    conn = open_reader(settings.store_path, current.store_key)
    try:
        seq, digest = audit.head(conn)
        at_backup = conn.execute("SELECT hash FROM audit WHERE seq = ?", (manifest.audit_seq,)).fetchone()
        sealed = [object_ for (object_,) in conn.execute(
            "SELECT object FROM audit WHERE seq > ? AND action = 'seal.sealed' ORDER BY seq", (manifest.audit_seq,))]
    finally:
        conn.close()
    text = f"the store it replaced had reached entry {seq} ({digest}): {_entries(seq - manifest.audit_seq)} lost"
    if at_backup is None or at_backup[0] != manifest.audit_hash:
        text += f"; its log does not hold this backup's head {manifest.head} (it went another way)"
    if sealed:
        text += f"; sealed for forces since the backup: {', '.join(sealed)}"
    return text


@dataclass
class Team:
    kept: tuple[str, ...]
    disabled: tuple[str, ...]
    lost: str


def _keep(row: user_store.UserRow, officer: str, officer_slot: slotlib.Slot,
          current: CurrentRoom | None) -> slotlib.Slot | None:
    """The slot that may open the restored store for ``row``'s user, if any."""
    if current is not None:
        if row.name in current.gone:
            return None
        slot = current.slots.get(row.name)
        if slot is not None and slot.public_key == row.slot_public_key:
            return slot
    if row.name == officer and officer_slot.public_key == row.slot_public_key:
        return officer_slot
    return None


def settle_team(conn: Connection, staging: Path, manifest: manifests.Manifest, officer: str, officer_slot: slotlib.Slot,
                new_key: bytes, current: CurrentRoom | None, backup: Path, settings: Settings, at: str,
                aside: Path | None) -> Team:
    """Seal the new key to the slots that may open it, disable the rest, audit it all, and
    write the new slot file into ``staging``."""
    rows = [r for r in user_store.all_users(conn) if r.removed_at is None]
    mine = next((r for r in rows if r.name == officer), None)
    if mine is None or mine.role != Role.SECURITY_OFFICER or mine.disabled:
        raise PermissionDenied(f"{officer} is not an active security officer in this backup, so cannot restore it.")
    slots: dict[str, slotlib.Slot] = {}
    disabled: list[str] = []
    lost = lost_since(settings, current, manifest)
    why = ("restored into an empty folder: enable each user after checking they are still on the team"
           if current is None else
           "restored from a backup: no matching key slot in the room it replaced (removed, disabled or reset since)")
    with transaction(conn):
        audit.record(conn, officer, "store.restore", f"backup {backup.name}",
                     f"came back to entry {manifest.head} made {moment(manifest.made_at, seconds=True)} "
                     f"by {manifest.made_by}; {lost}; "
                     + (f"the store it replaced is set aside in {aside}" if aside else "nothing was set aside"), at)
        for row in rows:
            slot = _keep(row, officer, officer_slot, current)
            if slot is not None and not row.disabled:
                slots[row.name] = slotlib.reseal(slot, new_key)
            elif not row.disabled:
                user_store.set_disabled(conn, row.name, True)
                role_store.drop_grants_of(conn, row.name)  # as a disable does: their role keys' grants go too
                for purpose in PURPOSES:  # and, as a removal does, the keys they held are renewed at the next unlock
                    if entitled(row.role, purpose) and role_store.role_key(conn, purpose) is not None:
                        role_store.mark_rotate_due(conn, purpose)
                audit.record(conn, officer, "user.disable", row.name, why, at)
                disabled.append(row.name)
        audit.record(conn, officer, "store.rekey", "store", "restore: a new key, sealed only to the slots kept", at)
    slotlib.save_slots(staging / manifests.SLOTS, slots)
    return Team(tuple(sorted(slots)), tuple(disabled), lost)


def _entries(count: int) -> str:
    count = max(count, 0)
    return f"{count} audit entr{'y' if count == 1 else 'ies'}"
