"""Helpers for the core tests: a small room with cheap key derivation, a fixed clock, three roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import passwords_chosen
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.permissions import Role
from hotline_tui.services.session import Session
from hotline_tui.store.connection import transaction

PASSWORDS = {
    "olivia": "officer-password-1",
    "ann": "analyst-password-1",
    "sam": "supervisor-password-1",
}
PAGE = 4096  # SQLCipher's page size
ROLES = {"olivia": Role.SECURITY_OFFICER, "ann": Role.ANALYST, "sam": Role.SUPERVISOR}


class FixedClock:
    """Deterministic times: each call one second after the last."""

    def __init__(self) -> None:
        self._ticks = count()

    def __call__(self) -> datetime:
        return datetime(2026, 3, 14, 9, 0, tzinfo=UTC) + timedelta(seconds=next(self._ticks))


@dataclass
class Room:
    settings: Settings
    clock: FixedClock

    def unlock(self, name: str, password: str | None = None) -> Session:
        return unlock(self.settings, name, password or PASSWORDS[name], self.clock)


def make_room(workspace: Path) -> Room:
    settings = Settings(workspace, kdf=KdfParams.for_tests())
    clock = FixedClock()
    session = create_workspace(settings, "olivia", PASSWORDS["olivia"], "Olivia Officer", clock)
    try:
        users.add_user(session, "ann", Role.ANALYST, PASSWORDS["ann"], "Ann Analyst")
        users.add_user(session, "sam", Role.SUPERVISOR, PASSWORDS["sam"], "Sam Supervisor")
        passwords_chosen(session, ["ann", "sam"], "test room")
    finally:
        session.close()
    return Room(settings, clock)


def fill_late_pages(session: Session) -> int:
    """A table unlock never reads, its 100 overflow pages at the end of the file; one of
    their numbers. Closes the session (which folds the WAL into the file)."""
    session.conn.execute("VACUUM")  # no free pages: the filler's pages follow its root page
    with transaction(session.conn) as conn:
        conn.execute("CREATE TABLE test_filler (x BLOB)")
        conn.execute("INSERT INTO test_filler VALUES (randomblob(400000))")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'test_filler'").fetchone()[0]
    session.close()
    return int(root) + 50


def flip_byte(path: Path, page: int) -> None:
    """One byte of ``page`` (numbered from 1) flipped in the store file: its HMAC fails."""
    data = bytearray(path.read_bytes())
    assert len(data) >= page * PAGE
    data[(page - 1) * PAGE + 200] ^= 0xFF
    path.write_bytes(bytes(data))
