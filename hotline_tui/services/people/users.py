"""Managing the room's people and their key slots.

- Adding a user makes a key slot (sealing the store key, which the security officer's
  session holds) and a personal minisign key; they must change the password first.
- Changing one's password rewrites only one's own slot.
- Resetting someone's password cannot reuse their slot (its private key needs the old
  password), so the security officer makes them a new slot and a new personal key; the
  old personal key can no longer sign, and the audit entry names both key ids.
- Disabling a user deletes their slot from the slot file, so their password opens
  nothing; enabling them again needs a new password, which makes a new slot as a reset
  does. Disabling does not rekey: a copy of an old slot file still opens the store
  until the next rekey, so someone leaving for good is removed, not disabled.
- Removing a user rekeys the store to a fresh key sealed to every remaining slot, so the
  removed user's slot, and any copy of the old slot file, opens nothing new.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from hotline_tui.crypto import slots as slotlib
from hotline_tui.crypto.personal import unwrap_personal_key
from hotline_tui.errors import PasswordRejected, Refused, UnlockFailed, WrongPassword
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.people import accounts
from hotline_tui.services.people.workspace import new_user_row, publish_next_slots
from hotline_tui.services.people.workspace_locks import slots_lock
from hotline_tui.services.permissions import Action, Role, require
from hotline_tui.services.revocation.approvals import withdraw_approvals
from hotline_tui.services.sealed import rolekeys
from hotline_tui.services.security.events import record_refusal
from hotline_tui.services.session import Session
from hotline_tui.store import users as queries
from hotline_tui.store.connection import Connection, rekey, transaction
from hotline_tui.store.users import UserRow
from import_export.minisign import PublicKey, SecretKey

__all__ = [
    "CHANGE_ROLE", "PasswordRejected", "UserInfo", "add_user", "change_password", "delete_disabled_slots", "disable_user",
    "enable_user", "existing_user", "list_users", "need_reason", "personal_public_key", "refuse_last_officer",
    "refuse_self", "remove_user", "reset_password", "unlock_personal_key", "user_info",
]


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: Role
    display_name: str
    disabled: bool
    must_change_password: bool
    personal_key_id: str
    created_at: str
    removed_at: str | None


def user_info(row: UserRow) -> UserInfo:
    return UserInfo(row.name, Role(row.role), row.display_name, row.disabled, row.must_change_password,
                    row.personal_key_id, row.created_at, row.removed_at)


def existing_user(session: Session, name: str) -> UserRow:
    row = queries.get(session.conn, accounts.normalise_name(name))
    if row is None or row.removed_at is not None:
        raise Refused(f"There is no user {name!r}.")
    return row


def refuse_self(session: Session, row: UserRow, what: str) -> None:
    if row.name == session.user.name:
        record_refusal(session, f"user.{what}", row.name, "refused: yourself")
        raise Refused(f"You cannot {what} yourself; ask another security officer.")


def refuse_last_officer(session: Session, row: UserRow, what: str) -> None:
    active_officer = row.role == Role.SECURITY_OFFICER and not row.disabled
    if active_officer and queries.count_active(session.conn, Role.SECURITY_OFFICER) <= 1:
        record_refusal(session, f"user.{what}", row.name, "refused: the last active security officer")
        raise Refused(f"Cannot {what} {row.name}: the room would have no active security officer.")


def need_reason(reason: str, done: str) -> None:
    if not reason.strip():
        raise Refused(f"Say why the user is {done}: every change to a user is recorded with its reason.")


def _save_slot(session: Session, slot: slotlib.Slot) -> None:
    with slots_lock(session.settings):
        slots = slotlib.load_slots(session.settings.slots_path)
        slots[slot.user] = slot
        slotlib.save_slots(session.settings.slots_path, slots)


def _drop_slot(session: Session, name: str) -> bool:
    """Delete ``name``'s slot from the slot file (written atomically); False if it had none."""
    with slots_lock(session.settings):
        slots = slotlib.load_slots(session.settings.slots_path)
        if slots.pop(name, None) is None:
            return False
        slotlib.save_slots(session.settings.slots_path, slots)
    return True


def _fresh_keys(session: Session, row: UserRow, password: str) -> tuple[slotlib.Slot, UserRow]:
    """A new slot and personal key for ``row``'s user, opened by ``password``."""
    accounts.check_password(password)
    slot, private = slotlib.create_slot(row.name, password, session.store_key, session.settings.kdf)
    fresh, _ = new_user_row(row.name, Role(row.role), row.display_name, private, session.now())
    return slot, fresh


def _give_keys(conn: Connection, session: Session, row: UserRow, fresh: UserRow, why: str) -> None:
    """Record ``fresh``'s keys for the user, with a one-time password (commit, then save the
    slot). What the old personal key approved and is not sealed yet must be approved again
    (services/revocation/approvals.py): the seal certifies only the current key."""
    assert fresh.slot_public_key is not None and fresh.personal_secret_wrapped is not None
    queries.replace_keys(conn, row.name, fresh.slot_public_key, fresh.personal_key_id,
                         fresh.personal_public_key, fresh.personal_secret_wrapped)
    queries.set_must_change_password(conn, row.name, True)
    record(conn, session.user.name, "user.reset_password", row.name,
           f"new personal key {fresh.personal_key_id} replaces {row.personal_key_id}", session.clock())
    withdraw_approvals(conn, session, row.personal_key_id, why)


# -- adding and listing ---------------------------------------------------------------


def add_user(
    session: Session, name: str, role: Role | str, initial_password: str, display_name: str | None = None
) -> UserInfo:
    require(session, Action.MANAGE_USERS)
    name, role = accounts.check_name(name), Role(role)
    display = accounts.check_display_name(display_name or name)
    accounts.check_password(initial_password)
    if queries.get(session.conn, name) is not None:
        raise Refused(f"The name {name!r} is taken (names of removed users are never reused).")
    slot, private = slotlib.create_slot(name, initial_password, session.store_key, session.settings.kdf)
    at = session.now()
    row, _ = new_user_row(name, role, display, private, at)
    with transaction(session.conn) as conn:
        queries.insert(conn, row)
        record(conn, session.user.name, "user.add", name,
               f"role {Role(role).label.lower()}; personal key {row.personal_key_id}", at)
    _save_slot(session, slot)
    rolekeys.settle(session)  # the role keys this officer holds, granted to the new user
    return user_info(row)


def list_users(session: Session, include_removed: bool = False) -> list[UserInfo]:
    require(session, Action.MANAGE_USERS)
    return [user_info(row) for row in queries.all_users(session.conn, include_removed)]


# -- passwords ------------------------------------------------------------------------


def change_password(session: Session, old_password: str, new_password: str) -> None:
    """The signed-in user's own password: one slot rewritten, nothing else. The one thing
    a one-time password allows."""
    session.check_current(choosing_password=True)
    name = session.user.name
    with slots_lock(session.settings):
        slots = slotlib.load_slots(session.settings.slots_path)
        try:
            private = slotlib.unwrap_private_key(slots[name], old_password)
        except (KeyError, WrongPassword):
            raise PasswordRejected("The current password is wrong.") from None
        accounts.check_password(new_password)
        if new_password == old_password:
            raise PasswordRejected("Choose a password different from the current one.")
        slots[name] = slotlib.rewrap(slots[name], private, new_password, session.settings.kdf)
        slotlib.save_slots(session.settings.slots_path, slots)
    with transaction(session.conn) as conn:
        queries.set_must_change_password(conn, name, False)
        record(conn, name, "user.change_password", name, "", session.clock())
    session.user = dataclasses.replace(session.user, must_change_password=False)


def reset_password(session: Session, name: str, new_password: str, *,
                   why: str = "replaced by a password reset") -> UserInfo:
    """A security officer gives someone a new slot, new personal key and a one-time password.
    ``why`` the old personal key was replaced, for the approvals it signed that go back."""
    require(session, Action.MANAGE_USERS)
    row = existing_user(session, name)
    refuse_self(session, row, "reset the password of")
    if row.disabled:
        # A slot for a disabled user would open the store again; enabling makes one.
        raise Refused(f"{row.name} is disabled: enable them, which sets a new password.")
    slot, fresh = _fresh_keys(session, row, new_password)
    with transaction(session.conn) as conn:
        _give_keys(conn, session, row, fresh, why)
    _save_slot(session, slot)
    rolekeys.settle(session)  # grants sealed to the new slot
    return user_info(existing_user(session, row.name))


CHANGE_ROLE = "change the role of"


def check_may(session: Session, name: str, what: str) -> None:
    """Refuse now what ``what`` ('remove', 'disable', 'reset the password of', 'change the
    role of') would refuse for ``name`` (yourself, the last security officer, a disabled
    user's reset), before the security officer types a reason or a password for it."""
    require(session, Action.MANAGE_USERS)
    row = existing_user(session, name)
    refuse_self(session, row, what)
    if what in ("remove", "disable", CHANGE_ROLE):
        refuse_last_officer(session, row, what)
    if what == "reset the password of" and row.disabled:
        raise Refused(f"{row.name} is disabled: enable them, which sets a new password.")


# -- disabling and removing -----------------------------------------------------------


def disable_user(session: Session, name: str, reason: str = "") -> None:
    """Refuses unlock from now on and deletes the user's key slot, so their password opens
    nothing; ``enable_user`` with a new password undoes it. No rekey: for someone
    leaving, use remove_user, so that no copy of an old slot file opens the store."""
    require(session, Action.MANAGE_USERS)
    row = existing_user(session, name)
    refuse_self(session, row, "disable")
    refuse_last_officer(session, row, "disable")
    need_reason(reason, "disabled")
    with transaction(session.conn) as conn:
        # Inside the transaction: if the slot cannot be deleted, the user stays enabled;
        # if the commit fails after it, they are locked out, never the other way round.
        if _drop_slot(session, row.name):
            record(conn, session.user.name, "user.slot_delete", row.name, "disabled", session.clock())
        queries.set_disabled(conn, row.name, True)
        rolekeys.forget_user(session, conn, row.name)
        record(conn, session.user.name, "user.disable", row.name, reason, session.clock())


def enable_user(session: Session, name: str, new_password: str, reason: str = "") -> UserInfo:
    """Undo a disable with a new slot and personal key under a one-time ``new_password``
    (disabling deleted the old slot, so it is a reset)."""
    require(session, Action.MANAGE_USERS)
    row = existing_user(session, name)
    refuse_self(session, row, "enable")
    if not row.disabled:
        raise Refused(f"{row.name} is not disabled.")
    need_reason(reason, "enabled")
    slot, fresh = _fresh_keys(session, row, new_password)
    with transaction(session.conn) as conn:
        queries.set_disabled(conn, row.name, False)
        record(conn, session.user.name, "user.enable", row.name, reason, session.clock())
        _give_keys(conn, session, row, fresh, "replaced when they were enabled again")
    # After the commit, as a reset does: if the slot is not written they stay locked out.
    _save_slot(session, slot)
    rolekeys.settle(session)
    return user_info(existing_user(session, row.name))


def delete_disabled_slots(session: Session) -> list[str]:
    """Delete the slots disabled users still have (disabled before disabling deleted
    them). Returns their names."""
    require(session, Action.MANAGE_USERS)
    disabled = [row.name for row in queries.all_users(session.conn) if row.disabled]
    with slots_lock(session.settings):
        slots = slotlib.load_slots(session.settings.slots_path)
        stale = sorted(name for name in disabled if name in slots)
        if not stale:
            return []
        with transaction(session.conn) as conn:
            for name in stale:
                record(conn, session.user.name, "user.slot_delete", name, "disabled before disabling deleted slots",
                       session.clock())
            slotlib.save_slots(session.settings.slots_path, {n: s for n, s in slots.items() if n not in stale})
    return stale


def _remaining_slots(session: Session, leaving: str, new_key: bytes) -> dict[str, slotlib.Slot]:
    """Every other current user's slot, resealed to the new key (stale slots are dropped)."""
    remaining = {}
    for name, slot in slotlib.load_slots(session.settings.slots_path).items():
        row = queries.get(session.conn, name)
        if name != leaving and row and row.removed_at is None and row.slot_public_key == slot.public_key:
            remaining[name] = slotlib.reseal(slot, new_key)
    return remaining


def remove_user(session: Session, name: str, reason: str = "") -> None:
    """Remove a user and rekey the store. Crash-safe order: (1) slots.next.json holds the
    new key for everyone else, (2) the removal is committed, (3) PRAGMA rekey, (4)
    slots.next.json replaces slots.json. Unlock finishes the work after a crash at any step."""
    require(session, Action.MANAGE_USERS)
    row = existing_user(session, name)
    refuse_self(session, row, "remove")
    refuse_last_officer(session, row, "remove")
    need_reason(reason, "removed")
    new_key = os.urandom(slotlib.STORE_KEY_BYTES)
    with slots_lock(session.settings):
        remaining = _remaining_slots(session, row.name, new_key)
        slotlib.save_slots(session.settings.next_slots_path, remaining)
        with transaction(session.conn) as conn:
            queries.mark_removed(conn, row.name, session.now())
            rolekeys.forget_user(session, conn, row.name, held_as=row.role)  # after: no new grant for them
            record(conn, session.user.name, "user.remove", row.name, reason, session.clock())
            record(conn, session.user.name, "store.rekey", "store", f"removal of {row.name}", session.clock())
        rekey(session.conn, new_key)
        mine = remaining.get(session.user.name)
        session.take_key(new_key, mine.sealed_store_key if mine else b"")
        publish_next_slots(session.settings)


# -- personal keys --------------------------------------------------------------------


def unlock_personal_key(session: Session, password: str) -> SecretKey:
    """The signed-in user's personal signing key; asks for the password every time."""
    session.check_current()
    name = session.user.name
    slot = slotlib.load_slots(session.settings.slots_path).get(name)
    row = queries.get(session.conn, name)
    if slot is None or row is None or row.personal_secret_wrapped is None or row.slot_public_key != slot.public_key:
        raise UnlockFailed("Your key slot does not match the store: ask a security officer to reset your password.")
    try:
        private = slotlib.unwrap_private_key(slot, password)
    except WrongPassword:  # signed in already: only the password can be wrong
        raise WrongPassword("Wrong password: your signing key stays locked.") from None
    return unwrap_personal_key(row.personal_secret_wrapped, private, name)


def personal_public_key(session: Session, name: str) -> PublicKey:
    """A user's current personal public key (what the room certifies in referral bundles)."""
    session.check_current()
    row = queries.get(session.conn, accounts.normalise_name(name))
    if row is None:
        raise Refused(f"There is no user {name!r}.")
    return PublicKey.from_text(row.personal_public_key)
