"""An unlocked workspace: the open store, who is using it, and the clock."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlcipher3
from nacl.public import PrivateKey

from hotline_tui.config import Settings
from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import HotlineError
from hotline_tui.services.permissions import Role
from hotline_tui.store.connection import Connection, fold_wal, is_damage
from hotline_tui.store.turns import only_holder
from hotline_tui.wording import a_or_an


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    """How the store writes times: UTC RFC 3339 with microseconds, sortable as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    display_name: str
    must_change_password: bool
    personal_key_id: str


class SessionClosed(HotlineError):
    """The session was locked; unlock again."""


class SessionRevoked(SessionClosed):
    """A security officer changed this user (disabled, removed, reset, another role): the
    session ends at its next action; the message says why in plain words."""


class PasswordChangeRequired(HotlineError):
    """The user is on a one-time password: choosing their own is all it allows."""


REMOVED = "A security officer removed your account: this session has ended."
REVOKED = "session.revoked"  # the audit entry for a session a change to its user ended
# The user's state as the store has it now, read at every action (one indexed row).
_CURRENT_STATE = "SELECT role, disabled, removed_at, slot_public_key, must_change_password FROM users WHERE name = ?"


@dataclass(eq=False)
class Session:
    settings: Settings
    conn: Connection = field(repr=False)
    user: User
    store_key: bytes = field(repr=False)
    clock: Callable[[], datetime] = field(default=utc_now, repr=False)
    closed: bool = False
    # The store key as sealed in this user's slot when the session got it. A removal
    # reseals every slot to a new key, so a different seal in the slot file tells a re-key
    # under this session from damage (services/store_care/store_loss.py). Not secret: only the
    # slot's private key opens it.
    slot_seal: bytes = field(default=b"", repr=False)
    # The store can no longer be read with this session (re-keyed or damaged): every
    # service refuses from then on, so nothing more is written through it before it closes.
    store_lost: bool = False
    # Holds the workspace's presence lock shared while the session is open (see
    # services/people/workspace_locks.py: a restore refuses while anyone has the room open).
    presence: int | None = field(default=None, repr=False)
    # The public key of the slot this session unlocked with: a reset (or an enable) gives
    # the user a new slot, which ends sessions opened with the old one.
    slot_public_key: bytes = field(default=b"", repr=False)
    # Why a change to the user ended this session ('' while it stands); the app locks with it.
    revoked: str = ""
    # The slot's private key (it opens this user's grants of role keys, see
    # services/sealed/rolekeys.py) and the role keys opened so far, by purpose.
    slot_private: PrivateKey | None = field(default=None, repr=False)
    role_keys: dict[str, tuple[int, PrivateKey]] = field(default_factory=dict, repr=False)
    # The last report opened with its contact details, for the checks that run at each
    # keystroke (services/sealed/contact.py); dropped on close.
    opened_report: tuple[int, str, dict[str, Any]] | None = field(default=None, repr=False)
    # What runs in the background on the store beside this session (the red-flag
    # indexing: services/redflags/indexing.py), stopped first when it closes.
    closing: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def must_change_password(self) -> bool:
        return self.user.must_change_password

    def now(self) -> str:
        return timestamp(self.clock())

    def check_open(self) -> None:
        if self.closed:
            raise SessionClosed("The workspace is locked.")
        if self.revoked:
            raise SessionRevoked(self.revoked)
        if self.store_lost:
            raise SessionClosed("The store can no longer be read with this session; unlock again.")

    def check_current(self, *, choosing_password: bool = False) -> None:
        """Every action starts here: the user's state is read again from the store, so a
        disable, removal, role change or password reset made by another session ends this
        one at its next action; each refusal is audited (but for a removed user's: the store
        was re-keyed without them). On a one-time password the only action is choosing a
        password (``choosing_password``); anything else is refused, audited."""
        if self.revoked and not self.closed and self.revoked != REMOVED:
            self._record_revoked(self.revoked)
        self.check_open()
        try:
            row = self.conn.execute(_CURRENT_STATE, (self.user.name,)).fetchone()
        except sqlcipher3.DatabaseError as exc:
            if is_damage(exc) and self._slot_gone():  # removed: the store was re-keyed without them
                self.revoked = REMOVED
                raise SessionRevoked(REMOVED) from None
            raise
        reason = self._revocation(row)
        if reason:
            self.revoked = reason
            self._record_revoked(reason)
            raise SessionRevoked(reason)
        if row[4] and not choosing_password:
            message = "You are on a one-time password: choose your own password before anything else."
            self.record_refusal("one-time password", message)
            raise PasswordChangeRequired(message)

    def _revocation(self, row: tuple | None) -> str:
        """Why the store's row for this user ends the session, in words for them; '' if it does not."""
        if row is None or row[2] is not None:
            return REMOVED
        role, disabled, _, slot_public_key, _ = row
        if disabled:
            return "A security officer disabled your account: this session has ended."
        if self.slot_public_key and slot_public_key != self.slot_public_key:
            return ("A security officer reset your password: this session has ended. "
                    "Unlock with the one-time password they give you.")
        if role != self.user.role:
            return (f"A security officer made you {a_or_an(Role(role).label.lower())}: this session has ended. "
                    "Unlock again to work in that role.")
        return ""

    def _slot_gone(self) -> bool:
        try:
            return self.user.name not in slotlib.load_slots(self.settings.slots_path)
        except HotlineError:
            return False

    def record_refusal(self, what: str, why: str) -> None:
        """An audit entry for something this session was refused, as every refusal is
        recorded (services/security/events.py: action.refused, its own transaction)."""
        from hotline_tui.services.security.events import record_refusal  # it imports this module

        record_refusal(self, what, self.user.name, why)

    def _record_revoked(self, reason: str) -> None:
        from hotline_tui.services.audit_trail.chain import record  # audit imports this module
        from hotline_tui.store.connection import transaction

        with transaction(self.conn) as conn:
            record(conn, self.user.name, REVOKED, self.user.name, reason, self.clock())

    def take_key(self, store_key: bytes, slot_seal: bytes) -> None:
        """The store was re-keyed through this session: it now opens with ``store_key``,
        sealed as ``slot_seal`` in this user's slot."""
        self.store_key, self.slot_seal = store_key, slot_seal

    def alone(self) -> bool:
        """No other session has the workspace open (its presence lock, services/people/workspace_locks.py)."""
        return self.presence is None or only_holder(self.presence)

    def close(self) -> None:
        """Close the store. Python cannot wipe bytes, so the key is dropped, not zeroed."""
        if self.closed:
            return
        for stop in self.closing:
            with contextlib.suppress(Exception):  # the lock goes on whatever a background task says
                stop()
        self.closed = True
        self.store_key = b""
        self.slot_private, self.role_keys, self.opened_report = None, {}, None
        with contextlib.suppress(sqlcipher3.Error):
            # Fold the WAL into the file so no stale copy of a page lingers beside it.
            fold_wal(self.conn, alone=self.alone())
        self.conn.close()
        if self.presence is not None:
            os.close(self.presence)
            self.presence = None

    lock = close
