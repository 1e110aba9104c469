"""Time from password to an open session with the production key-derivation cost.

Prints the Argon2id derivation alone, and the whole unlock (load slots, derive, unwrap,
unseal, open the store, key check, migrations check, audit entry): best and median of 5,
on an empty store and on a store of ``--count`` reports (100,000 by default: about 300 MB,
filled in a child process as bench/report_queue.py fills it, with one user added whose
slot has the production cost). The goal is a whole unlock within 1.5 s on the room's
workstation. Then the whole-store checks the app runs in the background after unlock
(services/store_care/store_check.py), timed on their own reader while the session is open.

    python bench/unlock.py [--count 100000] [--store DIR]   (--count 0: the empty store only;
                                                              --store keeps the filled store for reuse)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.crypto import kdf
from hotline_tui.crypto.slots import load_slots
from hotline_tui.demo.room import passwords_chosen
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.store_care import store_check

RUNS = 5
PASSWORD = "a bench password of some length"  # the same as bench/report_queue.py's
GOAL = 1.5


def _times(work: Callable[[], object], runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def _line(label: str, times: list[float]) -> str:
    return f"{label:<44} best {min(times):.3f} s   median {statistics.median(times):.3f} s"


def _verdict(times: list[float]) -> str:
    return f"goal {GOAL} s: {'met' if statistics.median(times) <= GOAL else 'NOT met'}"


def empty_store(params: KdfParams) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "room", kdf=params)
        session = create_workspace(settings, "olivia", PASSWORD)
        for n in range(5):  # a room of a realistic size, so the slot file is not trivial
            users.add_user(session, f"user{n}", "analyst", PASSWORD)
        session.close()
        derive = _times(lambda: kdf.derive(PASSWORD, kdf.new_salt(), params))
        whole = _times(lambda: unlock(settings, "olivia", PASSWORD).close())
    print(_line("derive only", derive))
    print(_line("password to open session (empty store)", whole))
    print(_verdict(whole))


def _fill(workspace: Path, count: int) -> None:
    """In a child, as bench/report_queue.py fills its store (its users' slots have the test cost)."""
    started = time.perf_counter()
    filler = Path(__file__).with_name("report_queue.py")
    subprocess.run([sys.executable, str(filler), "--fill", str(workspace), "--count", str(count)], check=True)
    print(f"filled a store with {count:,} reports in {time.perf_counter() - started:.1f} s")


def _add_bench_user(settings: Settings) -> None:
    """A user whose slot has the production cost, so the large store's unlock is the real one."""
    if "bench" in load_slots(settings.slots_path):
        return
    session = unlock(settings, "olivia", PASSWORD)
    try:
        users.add_user(session, "bench", "analyst", PASSWORD)
        passwords_chosen(session, ["bench"], "bench")
    finally:
        session.close()


def large_store(workspace: Path, count: int, params: KdfParams) -> None:
    if not (workspace / "slots.json").exists():
        _fill(workspace, count)
    settings = Settings(workspace, kdf=params)
    _add_bench_user(settings)
    size = settings.store_path.stat().st_size / 2**20
    whole = _times(lambda: unlock(settings, "bench", PASSWORD).close())
    print(_line(f"password to open session ({size:.0f} MB store)", whole))
    print(_verdict(whole))
    session = unlock(settings, "bench", PASSWORD)
    try:
        checks = []
        for _ in range(2):
            outcome = store_check.check_store(settings.store_path, session.store_key)
            assert outcome is not None and outcome.passed, outcome
            checks.append(outcome.seconds)
    finally:
        session.close()
    print(_line("background store check (both, own reader)", checks) + "   (after unlock; was part of it)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="reports in the large store (0: skip it)")
    parser.add_argument("--store", type=Path, help="a folder to keep the filled workspace in (filled if empty)")
    args = parser.parse_args()
    params = KdfParams.production()
    print(f"Argon2id t={params.time_cost} m={params.memory_cost // 1024} MiB p={params.parallelism}")
    empty_store(params)
    if args.count:
        with tempfile.TemporaryDirectory() as tmp:
            large_store(args.store or Path(tmp) / "workspace", args.count, params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
