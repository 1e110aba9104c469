"""An unlocked workspace: the open store, who is using it, and the clock."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlcipher3

from hotline_tui.config import Settings
from hotline_tui.errors import HotlineError
from hotline_tui.services.permissions import Role
from hotline_tui.store.connection import Connection, fold_wal
from hotline_tui.store.turns import only_holder


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
    # under this session from damage (services/store_loss.py). Not secret: only the
    # slot's private key opens it.
    slot_seal: bytes = field(default=b"", repr=False)
    # The store can no longer be read with this session (re-keyed or damaged): every
    # service refuses from then on, so nothing more is written through it before it closes.
    store_lost: bool = False
    # Holds the workspace's presence lock shared while the session is open (see
    # services/workspace_locks.py: a restore refuses while anyone has the room open).
    presence: int | None = field(default=None, repr=False)

    @property
    def must_change_password(self) -> bool:
        return self.user.must_change_password

    def now(self) -> str:
        return timestamp(self.clock())

    def check_open(self) -> None:
        if self.closed:
            raise SessionClosed("The workspace is locked.")
        if self.store_lost:
            raise SessionClosed("The store can no longer be read with this session; unlock again.")

    def take_key(self, store_key: bytes, slot_seal: bytes) -> None:
        """The store was re-keyed through this session: it now opens with ``store_key``,
        sealed as ``slot_seal`` in this user's slot."""
        self.store_key, self.slot_seal = store_key, slot_seal

    def alone(self) -> bool:
        """No other session has the workspace open (its presence lock, services/workspace_locks.py)."""
        return self.presence is None or only_holder(self.presence)

    def close(self) -> None:
        """Close the store. Python cannot wipe bytes, so the key is dropped, not zeroed."""
        if self.closed:
            return
        self.closed = True
        self.store_key = b""
        with contextlib.suppress(sqlcipher3.Error):
            # Fold the WAL into the file so no stale copy of a page lingers beside it.
            fold_wal(self.conn, alone=self.alone())
        self.conn.close()
        if self.presence is not None:
            os.close(self.presence)
            self.presence = None

    lock = close
