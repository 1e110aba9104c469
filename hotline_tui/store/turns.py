"""Taking turns at writing, so a long import never shuts people out.

SQLite lets one connection write at a time; a second waits in its busy handler, polling,
and an import that commits a batch and begins the next at once would win the lock again
before a waiting user's poll came round. So a session about to begin a write holds a
shared ``flock`` on ``writers.lock`` beside the store while it waits for the store's write
lock (``waiting``), and the import, after each bundle, tries that lock exclusively: if it
cannot have it, someone is waiting, so it commits at once and lets them in before it
begins again (``someone_waiting``, ``let_waiters_in``). A user's write then waits for at
most the bundle in hand, not a whole batch.

The OS drops a lock when its holder exits or is killed, so a crash never leaves a stale
one; the file itself means nothing and is never removed.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TURNS_FILE = "writers.lock"


def turns_path(store_path: Path) -> Path:
    return Path(store_path).parent / TURNS_FILE


def _open(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return None  # a read-only folder: no turns to take, SQLite's busy wait still works


@contextmanager
def waiting(path: Path | None) -> Iterator[None]:
    """Hold a shared lock on ``path`` while waiting for the store's write lock."""
    fd = _open(path) if path is not None else None
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # held exclusively only for an instant, by let_waiters_in
        yield
    finally:
        os.close(fd)


class TurnTaker:
    """The long writer's side (one import): see whether anyone waits, and let them in."""

    def __init__(self, store_path: Path) -> None:
        self._fd = _open(turns_path(store_path))

    def someone_waiting(self) -> bool:
        if self._fd is None:
            return False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        return False

    def let_waiters_in(self) -> None:
        """Call with the store's write lock released: returns once everyone who was waiting
        has begun their write (they let go of the shared lock once they have it)."""
        if self._fd is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def only_holder(fd: int) -> bool:
    """Whether the shared lock held through ``fd`` is the only hold on its file: upgraded
    to exclusive without waiting, then back to shared."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_SH)
    return True
