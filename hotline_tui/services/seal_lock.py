"""The seal lock: one session at a time recovers and seals on a workspace.

``recover`` treats every batch left 'writing' as interrupted; with two sessions sealing
at once (two windows, or the app and a script), one would settle the other's live batch.
So recovery and sealing run under an exclusive, non-blocking ``flock`` on
``seal.lock`` in the workspace folder. The OS drops the lock when its holder exits or
is killed, so a crash never leaves a stale lock, and the file itself means nothing:
it is never removed (removing it would let two sessions lock two different files).
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


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise Refused(f"Cannot open the seal lock {path.name} in the workspace: {exc.strerror}.") from None


@contextmanager
def seal_lock(settings: Settings) -> Iterator[None]:
    """Hold the workspace's seal lock for the block; raise SealingBusy at once if taken."""
    fd = _open(settings.seal_lock_path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SealingBusy(BUSY) from None
        yield
    finally:
        # Closing the only descriptor of this open file releases its lock.
        os.close(fd)
