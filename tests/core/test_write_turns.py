"""Writers take turns: a long import never shuts another session out of the store.

A real second process imports a stick, slowed so its one batch holds the store's write
lock for several seconds, longer than the waiting session is allowed to wait. Another
session unlocks and writes meanwhile: the import lets it in after the bundle in hand,
so it never waits long and never sees SQLite's "database is locked"; the import still
finishes with every bundle whole.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlcipher3
from deskkit import Demo
from stickkit import BUNDLES, check_whole_or_absent, make_stick, start_slow_import

from hotline_tui.errors import StoreBusy
from hotline_tui.services.people import users
from hotline_tui.services.permissions import Role
from hotline_tui.store import connection
from hotline_tui.store.connection import transaction


def test_a_session_writes_during_a_long_import_without_waiting_for_its_batch(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, tampered = make_stick(demo, tmp_path / "stick")
    monkeypatch.setattr(connection, "WRITE_WAIT_SECONDS", 1.5)  # far less than the import's batch
    proc = start_slow_import(demo, tmp_path / "stick")
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


def test_closing_while_another_session_is_open_leaves_the_log_to_the_last_one(demo: Demo) -> None:
    """Emptying the log takes the write lock while it copies; with others working that
    would hold their writes, so only the last session to close empties it."""
    wal = demo.room.workspace / "store.db-wal"
    first, second = demo.unlock("ana"), demo.unlock("ben")
    first.close()
    assert wal.stat().st_size > 0  # ben is still working: left for him
    second.close()
    assert not wal.exists() or wal.stat().st_size == 0
