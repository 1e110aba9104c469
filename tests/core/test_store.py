"""The one connection recipe: pragmas, transactions, migrations, and refusing damage."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from corekit import PASSWORDS, Room

from hotline_tui.errors import StoreDamaged, StoreTooNew, UnlockFailed
from hotline_tui.services.people.workspace import unlock
from hotline_tui.store import reports, schema
from hotline_tui.store.connection import BackgroundCheckpoints, StoreKeyRejected, open_store, rekey, transaction


@pytest.fixture
def store(tmp_path: Path):
    key = os.urandom(32)
    conn = open_store(tmp_path / "s.db", key)
    schema.migrate(conn)
    yield conn, key, tmp_path / "s.db"
    conn.close()


def test_pragmas(store) -> None:
    conn, _, _ = store
    values = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
              for name in ("journal_mode", "synchronous", "secure_delete", "foreign_keys", "temp_store",
                           "cipher_log_level")}
    assert values == {"journal_mode": "wal", "synchronous": 2, "secure_delete": 1, "foreign_keys": 1,
                      "temp_store": 2, "cipher_log_level": "NONE"}
    assert conn.isolation_level is None


def test_migrations_bring_the_store_to_the_latest_version(store) -> None:
    conn, _, _ = store
    assert schema.version(conn) == len(schema.MIGRATIONS)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "room_keys", "keyring", "audit"} <= tables
    assert schema.migrate(conn) == len(schema.MIGRATIONS)  # idempotent


def test_the_search_index_keeps_its_words_but_no_copy_of_the_text_after_migrating(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "s.db", os.urandom(32))
    contentless = schema.MIGRATIONS.index(reports.SEARCH_CONTENTLESS) + 1
    for number, script in enumerate(schema.MIGRATIONS[: contentless - 1], start=1):
        schema._apply(conn, number, script)
    conn.execute("INSERT INTO report_search (rowid, narrative, subjects, notes) VALUES (7, 'a bribe at the desk', 'Smith', '')")
    assert schema.migrate(conn) == len(schema.MIGRATIONS)
    assert conn.execute("SELECT rowid FROM report_search WHERE report_search MATCH 'bribe'").fetchall() == [(7,)]
    assert conn.execute("SELECT narrative, subjects FROM report_search").fetchall() == [(None, None)]
    assert "report_search_content" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.execute("DELETE FROM report_search WHERE rowid = 7")
    assert conn.execute("SELECT count(*) FROM report_search WHERE report_search MATCH 'smith'").fetchone() == (0,)
    conn.close()


def test_a_newer_store_is_refused(store) -> None:
    conn, _, _ = store
    conn.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) + 1}")
    with pytest.raises(StoreTooNew):
        schema.migrate(conn)


def test_a_failing_migration_leaves_the_version_alone(store, monkeypatch: pytest.MonkeyPatch) -> None:
    conn, _, _ = store
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, "CREATE TABLE ok (x);", "CREATE TABLE (broken"])
    with pytest.raises(Exception, match="syntax"):
        schema.migrate(conn)
    assert schema.version(conn) == len(schema.MIGRATIONS) - 1 and not conn.in_transaction


def test_transaction_commits_or_rolls_back_and_nests(store) -> None:
    conn, _, _ = store
    with transaction(conn):
        conn.execute("INSERT INTO audit VALUES (1, 'a', 'b', 'c', 'd', '', 'e', 'f')")
        with pytest.raises(ValueError), transaction(conn):
            conn.execute("INSERT INTO audit VALUES (2, 'a', 'b', 'c', 'd', '', 'e', 'f')")
            raise ValueError
    with pytest.raises(ValueError), transaction(conn):
        conn.execute("INSERT INTO audit VALUES (3, 'a', 'b', 'c', 'd', '', 'e', 'f')")
        raise ValueError
    assert [r[0] for r in conn.execute("SELECT seq FROM audit")] == [1]
    assert not conn.in_transaction


def test_wrong_key_is_refused_quietly(store, capfd: pytest.CaptureFixture[str]) -> None:
    _, _, path = store
    with pytest.raises(StoreKeyRejected, match="does not open with this key"):
        open_store(path, os.urandom(32))
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_rekey_changes_the_key(store) -> None:
    conn, old, path = store
    new = os.urandom(32)
    rekey(conn, new)
    conn.close()
    with pytest.raises(StoreKeyRejected):
        open_store(path, old)
    open_store(path, new).close()


def test_background_checkpoints_copy_each_commit_into_the_store(store) -> None:
    conn, key, path = store
    conn.execute("CREATE TABLE blobs (data BLOB)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    with BackgroundCheckpoints(conn, path, key, alone=lambda: True) as checkpoints:
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        with transaction(conn):
            conn.executemany("INSERT INTO blobs VALUES (?)", [(os.urandom(4000),) for _ in range(500)])
        assert path.stat().st_size == size  # committed to the log only
        checkpoints.committed()
        deadline = time.monotonic() + 10
        while path.stat().st_size == size and time.monotonic() < deadline:
            time.sleep(0.01)
        assert path.stat().st_size > size + 1_000_000  # the thread copied the commit into the store
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert Path(f"{path}-wal").stat().st_size == 0  # alone on the store: the last checkpoint emptied the log
    assert conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 500


def _flip_a_data_page(path: Path) -> None:
    """16 bytes flipped three quarters in: a table's page, past the schema's at the start
    (a damaged schema page is refused before any check, as a wrong key)."""
    data = bytearray(path.read_bytes())
    at = len(data) * 3 // 4
    data[at:at + 16] = bytes(b ^ 0xFF for b in data[at:at + 16])
    path.write_bytes(bytes(data))


def test_damaged_store_is_refused_by_a_full_check(room: Room, capfd: pytest.CaptureFixture[str]) -> None:
    """Headless commands check the whole store at unlock (the app, after: test_store_check.py)."""
    path = room.settings.store_path
    assert path.stat().st_size >= 8 * 4096, "needs pages beyond the first"
    _flip_a_data_page(path)
    with pytest.raises(StoreDamaged, match="integrity check") as refused:
        unlock(room.settings, "ann", PASSWORDS["ann"], room.clock, full_check=True)
    assert isinstance(refused.value, UnlockFailed)
    assert "restore it from a backup" in str(refused.value)
    assert capfd.readouterr().err == ""


def test_damaged_first_page_is_refused(room: Room) -> None:
    path = room.settings.store_path
    data = bytearray(path.read_bytes())
    data[100:116] = bytes(16)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamaged, match="damaged"):
        room.unlock("ann")
