"""Locks between sessions on one workspace (two windows, or the app and a script).

Each is an exclusive ``flock`` on a small file in the workspace folder. The OS drops a
lock when its holder exits or is killed, so a crash never leaves a stale lock, and the
files themselves mean nothing: they are never removed (removing one would let two
sessions lock two different files).

- The seal lock: ``recover`` treats every batch left 'writing' as interrupted, so with two
  sessions sealing at once one would settle the other's live batch. Recovery and sealing
  hold it; a second session is refused at once.
- The slots lock: the slot file is read, changed and written back whole; two sessions
  doing that at once (an officer disabling a user while the user changes their password)
  would undo one another. Each change holds it, and a second one waits its turn (a
  change takes a password derivation, about half a second).
- The presence lock: every open session holds it shared, so a restore (which sets the
  store aside) can tell whether anyone still has the room open, and refuse until they
  have locked or quit (``others_present``).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.errors import Refused, SealingBusy

BUSY = "Another session is sealing on this workstation; wait for it to finish, then try again."


def _open(path: Path, what: str) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise Refused(f"Cannot open the {what} {path.name} in the workspace: {exc.strerror}.") from None


@contextmanager
def _held(path: Path, what: str, *, wait: bool) -> Iterator[None]:
    fd = _open(path, what)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise SealingBusy(BUSY) from None
        yield
    finally:
        # Closing the only descriptor of this open file releases its lock.
        os.close(fd)


@contextmanager
def seal_lock(settings: Settings) -> Iterator[None]:
    """Hold the workspace's seal lock for the block; raise SealingBusy at once if taken."""
    with _held(settings.seal_lock_path, "seal lock", wait=False):
        yield


@contextmanager
def slots_lock(settings: Settings) -> Iterator[None]:
    """Hold the slot file's lock for the block, waiting for another holder to finish."""
    with _held(settings.slots_lock_path, "slots lock", wait=True):
        yield


PRESENCE_FILE = "sessions.lock"


def hold_presence(settings: Settings) -> int | None:
    """A descriptor holding the presence lock shared for an open session (close it to let
    go); None where the folder cannot take the lock file (the session opens regardless)."""
    try:
        fd = os.open(Path(settings.workspace) / PRESENCE_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


@contextmanager
def alone(settings: Settings, own: int | None = None) -> Iterator[None]:
    """Hold the presence lock exclusively for the block; Refused at once if another session
    has the room open. ``own`` is the caller's own session's descriptor, let go first."""
    if own is not None:
        fcntl.flock(own, fcntl.LOCK_UN)
    fd = _open(Path(settings.workspace) / PRESENCE_FILE, "session lock")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Refused("Someone else has this room open: everyone must lock or quit the app "
                          "(and no import or other command may be running) before a restore.") from None
        yield
    finally:
        os.close(fd)
        if own is not None:
            fcntl.flock(own, fcntl.LOCK_SH)


GUARD_LOCK_FILE = "unlock-guard.lock"


@contextmanager
def guard_lock(settings: Settings) -> Iterator[None]:
    """Hold the unlock guard's lock (failed tries, holds) while its file is read and rewritten."""
    with _held(Path(settings.workspace) / GUARD_LOCK_FILE, "unlock guard lock", wait=True):
        yield
