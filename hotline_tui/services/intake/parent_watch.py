"""A child process that ends with its parent, however the parent ends (kill -9 included).

A pool's child never sees its parent go through its pipes (it holds both ends of them),
so, on Linux, the kernel sends it SIGKILL when the parent dies (PR_SET_PDEATHSIG), and
everywhere a thread sees it re-parented within a fifth of a second. This module imports
nothing of the room, so a spawned child runs it first, before it loads the code (and
receives the keys) it was started for: ``start_child`` is the pool's initializer, and
the real initializer and its arguments follow, pickled, once the watch is set.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1  # linux/prctl.h
POLL_SECONDS = 0.2


def payload(initializer: Callable[..., None], *args: Any) -> bytes:
    """What ``start_child`` runs once the watch is set (pickled here, in the parent)."""
    return pickle.dumps((initializer, args))


def start_child(parent: int, pickled: bytes) -> None:
    follow_parent(parent)
    initializer, args = pickle.loads(pickled)
    initializer(*args)


def follow_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
