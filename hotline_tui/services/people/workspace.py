"""Creating a workspace and unlocking it.

A workspace folder holds ``store.db`` (SQLCipher, random 256-bit key) with its WAL, and
``slots.json`` (one key slot a user, see crypto/slots.py). During a user's removal a
``slots.next.json`` briefly exists: the slots for the new store key, written before the
rekey so that a crash at any point leaves one slot file that opens the store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from nacl.public import PrivateKey

from hotline_tui.config import Settings
from hotline_tui.crypto import slots as slotlib
from hotline_tui.crypto.personal import wrap_personal_key
from hotline_tui.errors import AccountDisabled, StoreDamaged, UnlockFailed, WorkspaceExists, WrongPassword
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.people import accounts
from hotline_tui.services.people.workspace_locks import hold_presence, slots_lock
from hotline_tui.services.permissions import Role
from hotline_tui.services.sealed import rolekeys
from hotline_tui.services.security import guard
from hotline_tui.services.session import Session, User, utc_now
from hotline_tui.services.store_care import store_check
from hotline_tui.store import users as user_queries
from hotline_tui.store.connection import Connection, StoreKeyRejected, is_damage, open_store, rekey, transaction
from hotline_tui.store.keyring import RoomKeyRow
from hotline_tui.store.schema import migrate
from hotline_tui.store.users import UserRow
from import_export.agekeys import generate_identity, identity_text
from import_export.atomic import publish
from import_export.minisign import SecretKey

__all__ = [
    "AccountDisabled", "Session", "StoreDamaged", "UnlockFailed", "User", "WrongPassword",
    "create_workspace", "publish_next_slots", "unlock",
]

Clock = Callable[[], datetime]


# -- creating -------------------------------------------------------------------------


def _make_folder(workspace: Path) -> None:
    if workspace.exists() and (not workspace.is_dir() or any(workspace.iterdir())):
        raise WorkspaceExists(f"{workspace} already exists and is not empty; choose a new folder.")
    workspace.mkdir(mode=0o700, parents=True, exist_ok=True)


def _create_store_file(path: Path) -> None:
    # Created 0600 before SQLite opens it; SQLite gives the WAL and shm the same mode.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def new_user_row(name: str, role: Role, display_name: str, private: PrivateKey, at: str) -> tuple[UserRow, SecretKey]:
    """A user's row with a fresh personal minisign key wrapped under their slot key."""
    personal = SecretKey.generate()
    row = UserRow(
        name=name, role=str(role), display_name=display_name, disabled=False, must_change_password=True,
        slot_public_key=bytes(private.public_key), personal_key_id=personal.key_id,
        personal_public_key=personal.public_key.to_text(f"personal key of {name}"),
        personal_secret_wrapped=wrap_personal_key(personal, private, name), created_at=at, removed_at=None,
    )
    return row, personal


def create_room_keys(conn: Connection, actor: str, at: str) -> None:
    """The room's minisign signing key and age identity; secrets only inside the store."""
    signing = SecretKey.generate()
    identity = generate_identity()
    recipient = str(identity.to_public())
    rolekeys.insert_room_key(conn, RoomKeyRow(
        "signing", signing.key_id, signing.public_key.to_text("triage room signing key"),
        signing.to_text(None), True, at, None))
    rolekeys.insert_room_key(conn, RoomKeyRow("age", recipient, recipient + "\n", identity_text(identity), True, at, None))
    record(conn, actor, "room_key.create", signing.key_id, "signing key", at)
    record(conn, actor, "room_key.create", recipient, "age identity", at)


def create_workspace(
    settings: Settings, officer_name: str, password: str, display_name: str | None = None, clock: Clock = utc_now
) -> Session:
    """A new room with its first security officer; returns their open session (close it)."""
    name = accounts.check_name(officer_name)
    display = accounts.check_display_name(display_name or name)
    accounts.check_password(password)
    workspace = Path(settings.workspace)
    _make_folder(workspace)
    store_key = os.urandom(slotlib.STORE_KEY_BYTES)
    slot, private = slotlib.create_slot(name, password, store_key, settings.kdf)
    _create_store_file(settings.store_path)
    try:
        conn = open_store(settings.store_path, store_key)
    except BaseException:
        _discard(settings)
        raise
    try:
        migrate(conn)
        session = Session(settings, conn, _placeholder_user(name), store_key, clock, slot_seal=slot.sealed_store_key,
                          slot_public_key=slot.public_key, slot_private=private)
        row = _populate(session, name, display, private)
        slotlib.save_slots(settings.slots_path, {name: slot})
    except BaseException:
        conn.close()
        _discard(settings)
        raise
    session.user = _user(row)
    return session


def _discard(settings: Settings) -> None:
    """Undo a failed creation: only the files creation makes, in a folder that was empty."""
    store = settings.store_path
    for path in (store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm"), settings.slots_path):
        path.unlink(missing_ok=True)


def _placeholder_user(name: str) -> User:
    return User(name, Role.SECURITY_OFFICER, name, True, "")


def _populate(session: Session, name: str, display: str, private: PrivateKey) -> UserRow:
    at = session.now()
    with transaction(session.conn) as conn:
        record(conn, name, "workspace.create", Path(session.settings.workspace).name, "", at)
        row, _ = new_user_row(name, Role.SECURITY_OFFICER, display, private, at)
        # They chose this password themselves, at init: not a one-time password to change.
        row = dataclasses.replace(row, must_change_password=False)
        user_queries.insert(conn, row)
        record(conn, name, "user.add", name,
               f"role {Role.SECURITY_OFFICER.label.lower()}; personal key {row.personal_key_id}", at)
        # The role keys first, so the room's secret keys are sealed from their first write.
        rolekeys.create(session, conn, "signing")
        rolekeys.create(session, conn, "identity")
        create_room_keys(conn, name, at)
    return row


# -- unlocking ------------------------------------------------------------------------


def unlock(settings: Settings, name: str, password: str, clock: Clock = utc_now, *, full_check: bool = False) -> Session:
    """Password to open session: derive, unwrap, unseal, open the store and check its key.

    ``full_check`` also runs both whole-store checks before anything is written (headless
    commands); the app runs them after unlock instead (services/store_care/store_check.py).
    A wrong password and an unknown name raise the same WrongPassword, after the same work.
    """
    name = accounts.normalise_name(name)
    guard.check(settings, name, clock())  # held or too soon: refused before any key derivation
    slot = slotlib.load_slots(settings.slots_path).get(name)
    if slot is None:
        slotlib.equalise_timing(settings.kdf)
        guard.note_failure(settings, None, "wrong password for a user name the room does not know", clock())
        raise WrongPassword()
    try:
        private = slotlib.unwrap_private_key(slot, password)
    except WrongPassword:
        said = guard.note_failure(settings, name, "wrong password", clock())
        raise WrongPassword(WrongPassword().args[0] + said) from None
    conn, store_key, slot = _open(settings, slot, private)
    session: Session | None = None
    try:
        if full_check:
            store_check.check_before_writing(conn, settings, name, clock)
        try:
            session = _start_session(settings, conn, name, slot, private, store_key, clock)
        except AccountDisabled:
            guard.note_failure(settings, name, "right password, but the account is disabled", clock())
            raise
        events, dropped = guard.pending_events(settings)
        with transaction(conn):
            _record_failed_unlocks(conn, events, dropped)
            record(conn, name, "session.unlock", name, "", session.clock())
            if full_check:
                record(conn, name, store_check.AUDIT_ACTION, settings.store_path.name, "passed", session.clock())
        guard.clear_events(settings, len(events))
        guard.note_success(settings, name)
    except BaseException as exc:
        if session is not None:
            session.close()  # lets go of its presence lock too
        else:
            conn.close()
        if is_damage(exc):  # a page the key check did not read failed its HMAC: refuse as damaged
            raise StoreDamaged(f"The store {settings.store_path.name} is damaged and cannot be read; "
                               "restore it from a backup.") from None
        raise
    return session


def _record_failed_unlocks(conn: Connection, events: list[dict[str, str]], dropped: int) -> None:
    """The failed unlocks kept beside the store since the last unlock, into the audit log."""
    if dropped:
        record(conn, "(unlock screen)", "session.unlock_failed", "(several users)",
               f"{dropped} older failed unlock(s) were not kept: over {guard.MAX_EVENTS} since the last unlock")
    for event in events:
        user = str(event.get("user") or "")
        record(conn, user or "(unlock screen)", "session.unlock_failed", user or "(a user name the room does not know)",
               str(event.get("what", "")), str(event.get("at") or "") or None)


def _start_session(
    settings: Settings, conn: Connection, name: str, slot: slotlib.Slot, private: PrivateKey, store_key: bytes,
    clock: Clock,
) -> Session:
    migrate(conn)
    row = _check_user(conn, name, slot)
    session = Session(settings, conn, _user(row), store_key, clock, slot_seal=slot.sealed_store_key,
                      presence=hold_presence(settings), slot_public_key=slot.public_key, slot_private=private)
    _finish_pending_removal(session, private)
    rolekeys.settle(session)
    return session


def _open(settings: Settings, slot: slotlib.Slot, private: PrivateKey) -> tuple[Connection, bytes, slotlib.Slot]:
    """Open with the key from slots.json; if a removal crashed after its rekey, the key
    from slots.next.json opens it instead, and that file becomes slots.json. Returns the
    connection, the key and the slot it came from."""
    key = slotlib.unseal_store_key(slot, private)
    try:
        return open_store(settings.store_path, key), key, slot
    except StoreKeyRejected:
        next_slot = _next_slot(settings, slot)
        if next_slot is None:
            raise
    key = slotlib.unseal_store_key(next_slot, private)
    conn = open_store(settings.store_path, key)
    with slots_lock(settings):
        publish_next_slots(settings)
    return conn, key, next_slot


def _next_slot(settings: Settings, slot: slotlib.Slot) -> slotlib.Slot | None:
    if not settings.next_slots_path.exists():
        return None
    candidate = slotlib.load_slots(settings.next_slots_path).get(slot.user)
    return candidate if candidate and candidate.public_key == slot.public_key else None


def publish_next_slots(settings: Settings) -> None:
    """slots.next.json becomes slots.json in one rename (then the folder is synced)."""
    publish([(settings.next_slots_path, settings.slots_path)])


def _check_user(conn: Connection, name: str, slot: slotlib.Slot) -> UserRow:
    row = user_queries.get(conn, name)
    if row is None or row.removed_at is not None:
        raise WrongPassword()
    if row.slot_public_key != slot.public_key:
        raise UnlockFailed("Your key slot does not match the store; ask a security officer to reset your password.")
    if row.disabled:
        raise AccountDisabled("This account is disabled; ask a security officer.")
    return row


def _user(row: UserRow) -> User:
    return User(row.name, Role(row.role), row.display_name, row.must_change_password, row.personal_key_id)


def _finish_pending_removal(session: Session, private: PrivateKey) -> None:
    """slots.json opened the store while slots.next.json exists: a removal stopped before
    its rekey. If the removal was committed, finish it (rekey, publish); if not, the
    next file is stale and goes."""
    settings = session.settings
    if not settings.next_slots_path.exists():
        return
    with slots_lock(settings):
        _settle_pending_removal(session, private)


def _settle_pending_removal(session: Session, private: PrivateKey) -> None:
    settings = session.settings
    if not settings.next_slots_path.exists():  # another session settled it meanwhile
        return
    current = slotlib.load_slots(settings.slots_path)
    pending = slotlib.load_slots(settings.next_slots_path)
    leaving = set(current) - set(pending)
    committed = all((r := user_queries.get(session.conn, n)) is None or r.removed_at for n in leaving)
    mine = pending.get(session.user.name)
    if not leaving or not committed or mine is None or mine.public_key != current[session.user.name].public_key:
        with contextlib.suppress(FileNotFoundError):
            settings.next_slots_path.unlink()
        return
    new_key = slotlib.unseal_store_key(mine, private)
    rekey(session.conn, new_key)
    session.take_key(new_key, mine.sealed_store_key)
    publish_next_slots(settings)
    with transaction(session.conn):
        record(session.conn, session.user.name, "store.rekey", "store", "finished an interrupted removal", session.clock())

