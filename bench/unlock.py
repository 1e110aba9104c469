"""Time from password to an open session with the production key-derivation cost.

Prints the Argon2id derivation alone, and the whole unlock (load slots, derive, unwrap,
unseal, open the store, both integrity checks, migrations check, audit entry): best and
median of 5. The goal is a whole unlock within 1.5 s on the room's workstation.

    python bench/unlock.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.crypto import kdf
from hotline_tui.services import users
from hotline_tui.services.workspace import create_workspace, unlock

RUNS = 5
PASSWORD = "a bench password of some length"


def _times(work: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def _line(label: str, times: list[float]) -> str:
    return f"{label:<34} best {min(times):.3f} s   median {statistics.median(times):.3f} s"


def main() -> int:
    params = KdfParams.production()
    print(f"Argon2id t={params.time_cost} m={params.memory_cost // 1024} MiB p={params.parallelism}")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "room", kdf=params)
        session = create_workspace(settings, "olivia", PASSWORD)
        for n in range(5):  # a room of a realistic size, so the slot file is not trivial
            users.add_user(session, f"user{n}", "analyst", PASSWORD)
        session.close()
        derive = _times(lambda: kdf.derive(PASSWORD, kdf.new_salt(), params))
        whole = _times(lambda: unlock(settings, "olivia", PASSWORD).close())
    print(_line("derive only", derive))
    print(_line("password to open session", whole))
    goal = 1.5
    print(f"goal {goal} s: {'met' if statistics.median(whole) <= goal else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
