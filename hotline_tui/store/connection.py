"""The one way the room opens its SQLCipher store.

Raw 256-bit key (never a passphrase: the password work is done once, in the key slots),
SQLCipher silenced so nothing reaches stderr under the UI, plaintext kept off disk
(temporary tables in memory, secure delete), durable writes (WAL, full sync), and the key
checked (page 1 and the schema) before anything else is read.

The two whole-store checks (``check_integrity``) are not run on open: on a store of
100,000 reports they take seconds, and SQLCipher already verifies each page's HMAC when it
reads it, so a damaged page is never silently used. They find damage in pages not read
yet; services/store_care/store_check.py runs them on a reader of their own (``open_reader``) after
unlock, and headless commands run them before they write (see ``unlock(full_check=...)``).

The connection is in autocommit mode (``isolation_level=None``); each unit of work runs
inside ``transaction(conn)``. ``check_same_thread`` is off because the UI opens the
store in a worker thread and uses it from the main one; one session owns one
connection and uses it from one thread at a time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from hotline_tui.errors import StoreBusy, StoreDamaged
from hotline_tui.store import turns
from import_export.atomic import sync_path

if TYPE_CHECKING:
    # sqlcipher3 ships no type hints; its Connection has exactly sqlite3's interface.
    from sqlite3 import Connection
else:
    Connection = sqlcipher3.Connection
KEY_BYTES = 32
_savepoints = count(1)
# How long a session's write waits for another session's (an import lets waiting writers
# in after the bundle in hand, store/turns.py; a seal commits each force's batch). Past
# this the user is told the store is busy, and nothing was changed.
WRITE_WAIT_SECONDS = 30.0
BUSY_MESSAGE = (
    "The store stayed busy for {seconds:.0f} seconds: another session (an import or a seal) is writing. "
    "Nothing was changed; try again in a moment."
)


class _RoomConnection(sqlcipher3.Connection):
    """A connection that knows where its workspace's writers take turns (store/turns.py)."""

    turns_path: Path | None = None


class StoreKeyRejected(StoreDamaged):
    """The key does not open the store: the wrong key, or page 1 is damaged."""


def _key_pragma(name: str, key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the store key must be 32 bytes")
    return f"PRAGMA {name} = \"x'{key.hex()}'\""


def _silence(conn: Connection) -> None:
    # Both are process-wide in SQLCipher; set before the key so a failed key is quiet too.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA cipher_log = off")


def _check_key(conn: Connection, path: Path) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        raise StoreKeyRejected(
            f"The store {path.name} does not open with this key: it is damaged or belongs to other key slots."
        ) from None


def _apply_pragmas(conn: Connection) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    # 64 MiB of decrypted pages (SQLite's default is 2 MiB): at 100,000 reports the queue's
    # indexes stay in memory instead of being read and decrypted again on every page.
    conn.execute("PRAGMA cache_size = -65536")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreDamaged(f"The store refused write-ahead logging (journal mode {mode}).")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")


def is_damage(exc: BaseException) -> bool:
    """A page failed its HMAC or its structure: SQLite's CORRUPT and NOTADB, which sqlcipher3
    raises as the bare DatabaseError (its subclasses mean other trouble: locks, bad SQL)."""
    return type(exc) is sqlcipher3.DatabaseError


def check_integrity(conn: Connection, path: Path) -> None:
    """Every page's HMAC, then SQLite's own structure check; refuse on any complaint."""
    try:
        cipher_problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if cipher_problems:
            raise StoreDamaged(
                f"The store {path.name} failed its encryption integrity check "
                f"({len(cipher_problems)} damaged or altered page(s)); restore it from a backup."
            )
        result = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlcipher3.DatabaseError:
        raise StoreDamaged(
            f"The store {path.name} is damaged and cannot be read; restore it from a backup."
        ) from None
    if result != [("ok",)]:
        raise StoreDamaged(
            f"The store {path.name} failed its integrity check ({len(result)} problem(s)); restore it from a backup."
        )


def _keyed(target: str, key: bytes, *, uri: bool = False, turns_at: Path | None = None) -> Connection:
    """A connection (autocommit, usable from any one thread at a time), silenced, given the key."""
    conn = sqlcipher3.connect(target, uri=uri, isolation_level=None, check_same_thread=False,
                              timeout=WRITE_WAIT_SECONDS, factory=_RoomConnection)
    conn.turns_path = turns.turns_path(turns_at) if turns_at is not None else None
    try:
        _silence(conn)
        conn.execute(_key_pragma("key", key))
    except BaseException:
        conn.close()
        raise
    return conn


def open_store(path: Path, key: bytes) -> Connection:
    """Open (or create, if the file is empty) the store; raise StoreDamaged if the key does
    not open it. The whole-store checks are the caller's to run (see the module's doc)."""
    path = Path(path)
    conn = _keyed(str(path), key, turns_at=path)
    try:
        _check_key(conn, path)
        _apply_pragmas(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def open_reader(path: Path, key: bytes) -> Connection:
    """A read-only second connection to an existing store, beside the session's writer
    (WAL lets it read a consistent snapshot while the writer commits)."""
    path = Path(path)
    conn = _keyed(f"{path.resolve().as_uri()}?mode=ro", key, uri=True)
    try:
        _check_key(conn, path)
        conn.execute("PRAGMA temp_store = MEMORY")
        # The structure check walks every b-tree; a big cache makes it ~35% faster at 100k reports.
        conn.execute("PRAGMA cache_size = -65536")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception. Nested use becomes a
    savepoint, so a service can call another service's transactional helper."""
    if conn.in_transaction:
        name = f"sp{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    begin_write(conn)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def copy_store(source: Path, key: bytes, target: Path) -> None:
    """SQLite's online backup of the store at ``source`` into the new file ``target``:
    one consistent snapshot (one step, so one read transaction: writers go on meanwhile),
    encrypted with the same key, in rollback-journal mode (a single file), synced."""
    reader = open_reader(source, key)
    try:
        _create_private(target)
        copy = _keyed(str(target), key)
        try:
            reader.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        reader.close()
    sync_path(target)


def _create_private(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def is_busy(exc: BaseException) -> bool:
    """SQLite's BUSY or LOCKED: another connection holds what this one waited for."""
    return isinstance(exc, sqlcipher3.OperationalError) and "locked" in str(exc)


def begin_write(conn: Connection) -> None:
    """BEGIN IMMEDIATE, taking its turn behind a long writer (store/turns.py); if the store
    stays busy past the connection's wait, StoreBusy with what to do, never SQLite's words."""
    with turns.waiting(getattr(conn, "turns_path", None)):
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError as exc:
            if is_busy(exc):
                raise StoreBusy(BUSY_MESSAGE.format(seconds=WRITE_WAIT_SECONDS)) from None
            raise


def fold_wal(conn: Connection, *, alone: bool) -> None:
    """Copy the write-ahead log into the store; empty it too if this is the only session
    on the store (``alone``). Another session present, only the copy: emptying the log
    takes the write lock while every page left in it is copied and synced, seconds after
    a large import, and everyone else's writes would wait that long. The last session to
    close empties it."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    if alone:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def rekey(conn: Connection, new_key: bytes) -> None:
    """Re-encrypt every page with ``new_key``, then fold the WAL back into the file so no
    page under the old key is left in it."""
    if conn.in_transaction:
        raise RuntimeError("rekey must run outside a transaction")
    conn.execute(_key_pragma("rekey", new_key))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class BackgroundCheckpoints:
    """While a long write runs on ``conn`` (a large import), copy the write-ahead log
    into the store from a thread of its own, on a second connection, after each commit
    the writer reports (``committed``). The copy's disk writes then overlap the writer's
    next work instead of stalling its commits; the writer's automatic checkpoints are
    off meanwhile, and one last checkpoint on leaving copies the rest, and empties the
    log if the session is the only one open (``alone``, see ``fold_wal``). A PASSIVE
    checkpoint never waits for the writer, and SQLite releases the GIL while it runs."""

    def __init__(self, conn: Connection, path: Path, key: bytes, alone: Callable[[], bool] = lambda: False) -> None:
        self.conn, self.alone = conn, alone
        self._checkpointer = _keyed(str(path), key)  # it writes (into the store file): not open_reader
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="store-checkpoints", daemon=True)
        self._autocheckpoint = 1000

    def __enter__(self) -> BackgroundCheckpoints:
        self._autocheckpoint = int(self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._thread.start()
        return self

    def committed(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            with suppress(sqlcipher3.Error):  # busy, or the store closed under it: the last checkpoint catches up
                self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def __exit__(self, *_exc: object) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._checkpointer.close()
        with suppress(sqlcipher3.Error):  # the session may have been locked (closed) meanwhile
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {self._autocheckpoint}")
            fold_wal(self.conn, alone=self.alone())
