"""Writers take turns: a long import never shuts another session out of the store.

A real second process imports a stick, slowed so its one batch holds the store's write
lock for several seconds, longer than the waiting session is allowed to wait. Another
session unlocks and writes meanwhile: the import lets it in after the bundle in hand,
so it never waits long and never sees SQLite's "database is locked"; the import still
finishes with every bundle whole.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlcipher3
from deskkit import PASSWORDS, Demo
from stickkit import BUNDLES, check_whole_or_absent, make_stick

from hotline_tui.errors import StoreBusy
from hotline_tui.services import users
from hotline_tui.services.permissions import Role
from hotline_tui.store import connection
from hotline_tui.store.connection import transaction

REPO = Path(__file__).resolve().parents[2]
SLOW_IMPORT = """
import sys, time
from pathlib import Path
from hotline_tui.config import KdfParams, Settings
from hotline_tui.services import importing
from hotline_tui.services.workspace import unlock

write = importing._write_prepared
def slow_write(*args):
    added = write(*args)
    print("stored", flush=True)
    time.sleep(0.3)  # a bundle that takes a while: the batch holds the write lock ~6 s
    return added
importing._write_prepared = slow_write
importing.COMMIT_EVERY_SECONDS = 3600.0  # one batch for the whole stick
settings = Settings(Path(sys.argv[1]), kdf=KdfParams.for_tests())
session = unlock(settings, "ana", sys.stdin.readline().rstrip("\\n"))
summary = importing.import_bundles(session, [Path(sys.argv[2])], commit_every=10**9)
print("done", summary.imported, summary.refused, flush=True)
session.close()
"""


def _start_slow_import(demo: Demo, stick: Path) -> subprocess.Popen[str]:
    password = stick.with_name("password")
    password.write_text(PASSWORDS["ana"] + "\n")
    with password.open("rb") as stdin:
        proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_IMPORT, str(demo.room.workspace), str(stick)],
            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "stored\n"  # the import's batch is open and holds the lock
    return proc


def test_a_session_writes_during_a_long_import_without_waiting_for_its_batch(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, tampered = make_stick(demo, tmp_path / "stick")
    monkeypatch.setattr(connection, "WRITE_WAIT_SECONDS", 1.5)  # far less than the import's batch
    proc = _start_slow_import(demo, tmp_path / "stick")
    waits = []
    started = time.monotonic()
    officer = demo.unlock("officer")  # unlock writes its audit entry: BEGIN IMMEDIATE
    waits.append(time.monotonic() - started)
    try:
        for number in range(3):
            started = time.monotonic()
            users.add_user(officer, f"temp{number}", Role.ANALYST, "a-long-one-time-password")
            waits.append(time.monotonic() - started)
    finally:
        officer.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == f"done {BUNDLES - 1} 1"
    assert max(waits) < 1.0, waits  # at most a bundle (0.3 s) and the commit, not the batch
    session = demo.unlock("ana")
    try:
        assert check_whole_or_absent(session, good, tampered) == BUNDLES - 1
        names = {info.name for info in users.list_users(demo.unlock("officer"))}
        assert {"temp0", "temp1", "temp2"} <= names
    finally:
        session.close()


def test_a_write_that_stays_blocked_says_the_store_is_busy_and_changes_nothing(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "WRITE_WAIT_SECONDS", 0.3)
    officer = demo.unlock("officer")
    blocker = sqlcipher3.connect(str(demo.room.workspace / "store.db"), isolation_level=None)
    blocker.execute(f"PRAGMA key = \"x'{officer.store_key.hex()}'\"")
    blocker.execute("BEGIN IMMEDIATE")  # a writer that never lets go
    try:
        with pytest.raises(StoreBusy) as refused:
            users.add_user(officer, "tina", Role.ANALYST, "a-long-one-time-password")
        assert "locked" not in str(refused.value)
        assert "another session" in str(refused.value) and "Nothing was changed" in str(refused.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with transaction(officer.conn):
        pass
    assert "tina" not in {info.name for info in users.list_users(officer)}
    officer.close()
