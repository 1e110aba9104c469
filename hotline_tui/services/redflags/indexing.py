"""Making red-flag rows after an import has committed, off its critical path.

An import stores each bundle's reports pending (services/redflags/index.py); this makes
their people and identifiers in small transactions, each taking the next reports of the
pending ranges and shrinking them, so a stop at any moment (a lock, a kill, a crash)
loses nothing: what is left stays pending and the next indexing resumes from it.

``hotline-tui import`` indexes before it exits (``index_pending``, through
``import_bundles``). The app does it in the background on a connection of its own
(``start_indexing``: after unlock, and after an import), pausing while an import runs
and stopping when the session closes; ``indexing_status`` says how far it is, for the
screens to show. Meanwhile a reader that needs one report's rows makes them at once
(``index.ensure_report_indexed``).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from hotline_tui.errors import HotlineError
from hotline_tui.services.intake import parent_watch
from hotline_tui.services.intake.reading import quiet
from hotline_tui.services.redflags.index import Made, Slice, Words, assemble, next_slices, read_words, store_rows
from hotline_tui.services.session import Session
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import Connection, StoreBusy, open_store, transaction
from hotline_tui.store.turns import TurnTaker

BATCH = 250  # reports a transaction: a few tens of milliseconds of the write lock
BUSY_PAUSE = 1.0  # seconds to wait before trying again when the store stayed busy
PARALLEL_FROM = 2_000  # pending reports from which children are worth their start (half a second)
# The app's indexing reads in one child: the app's own process (its UI) then spends a third
# of the CPU it would on the indexing, and keeps a core for the user.
APP_WORKERS = 1


@dataclass(frozen=True)
class IndexProgress:
    done: int
    total: int
    elapsed: float

    def line(self) -> str:
        return f"Red flags: indexing {self.done:,} of {self.total:,} reports"


def index_pending(
    conn: Connection,
    store_path: Path,
    *,
    progress: Callable[[IndexProgress], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    batch: int = BATCH,
    workers: int = 0,
) -> int:
    """Index every pending report, ``batch`` a transaction, letting whoever waits to write
    go between them; stops early (between transactions) when ``should_stop`` says so.
    With ``workers``, the reports' words are read in that many child processes while
    this one stores what they read. Returns how many reports it indexed."""
    started, done = time.monotonic(), 0
    total = index_store.pending_count(conn)
    turns = TurnTaker(store_path)
    readers = Readers(workers if total > PARALLEL_FROM else 0)
    try:
        while total and not should_stop():
            slices = next_slices(conn, batch, readers.ahead)  # read outside the transactions
            if not slices:
                break
            for made in readers.rows(conn, slices):
                with transaction(conn):  # the write lock only to write
                    stored = store_rows(conn, made)
                if not stored:  # another session indexed some of them meanwhile: read the next again
                    break
                done += made.size
                total = done + index_store.pending_count(conn)  # an import may have added some meanwhile
                if progress is not None:
                    progress(IndexProgress(done, total, time.monotonic() - started))
                if turns.someone_waiting():
                    turns.let_waiters_in()
                if should_stop():
                    break
    finally:
        turns.close()
        readers.close()
    return done


class Readers:
    """Child processes that read reports' words (``index.read_words``), or none: then
    this process reads them. A child that cannot start or dies leaves the rest to this
    process; nothing is lost, for nothing is stored until it is read."""

    def __init__(self, workers: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        if workers > 0:
            try:
                with quiet():  # spawn: the app has threads, and a fork would copy its secrets
                    self.pool = ProcessPoolExecutor(
                        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                        initializer=parent_watch.start_child, initargs=(os.getpid(), parent_watch.payload(_ready)))
            except (OSError, ValueError):
                self.pool = None
        self.ahead = 2 * workers if self.pool is not None else 1  # slices given out at a time

    def rows(self, conn: Connection, slices: list[Slice]) -> Iterator[Made]:
        """The rows of each slice, in order, as each is read."""
        futures: list[Future[list[Words]]] = []
        if self.pool is not None:
            try:
                with quiet():
                    futures = [self.pool.submit(read_words, stored) for _, stored in slices]
            except (BrokenProcessPool, RuntimeError):
                self.close()
        for at, (taken, stored) in enumerate(slices):
            words = self._result(futures[at]) if at < len(futures) else None
            yield assemble(conn, words if words is not None else read_words(stored), taken)

    def _result(self, future: Future[list[Words]]) -> list[Words] | None:
        try:
            return future.result()
        except (BrokenProcessPool, CancelledError):  # the child died (or an earlier one did)
            self.close()
            return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
            self.ahead = 1


def _ready() -> None:
    """The children's start: nothing to receive (their work comes with each slice)."""


class Indexer:
    """The app's indexing, in a thread of its own on a connection of its own. What it says
    (``line``) is read from memory, never from the store: the screens ask from the UI's
    thread while a worker of theirs may be using the session's connection."""

    def __init__(self, session: Session) -> None:
        self._path, self._key = session.settings.store_path, session.store_key
        self._stop = threading.Event()
        self.progress: IndexProgress | None = None
        self.problem = ""
        self._thread = threading.Thread(target=self._run, name="redflag-indexing", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the indexing to end; whether it has."""
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def stop(self) -> None:
        """Stop after the transaction in hand (what is left stays pending)."""
        self._stop.set()
        self._thread.join()

    def line(self) -> str:
        """What the screens say: how far it is, why it stopped, or '' once done."""
        if self.problem:
            return (f"Red flags: indexing stopped ({self.problem}); it resumes when the room is next unlocked, and a "
                    "report opened meanwhile is indexed as it opens.")
        if not self.running:
            return ""
        if self.progress is None:
            return "Red flags: indexing the reports just imported…"
        return f"{self.progress.line()} (candidates and escalations count each once indexed)"

    def _heard(self, progress: IndexProgress) -> None:
        self.progress = progress

    def _run(self) -> None:
        try:
            conn = open_store(self._path, self._key)
        except (HotlineError, sqlcipher3.Error):
            self.problem = "the store could not be opened for it"
            return
        try:
            self.progress = IndexProgress(0, index_store.pending_count(conn), 0.0)
            while not self._stop.is_set():
                try:
                    index_pending(conn, self._path, progress=self._heard, should_stop=self._stop.is_set,
                                  workers=APP_WORKERS)
                    return
                except StoreBusy:  # a long write held the store: try again shortly
                    self._stop.wait(BUSY_PAUSE)
        except Exception as exc:  # never a traceback: the screens say it stopped; it resumes on next unlock
            self.problem = str(exc) if isinstance(exc, HotlineError) else f"{type(exc).__name__}"
        finally:
            conn.close()


_INDEXERS: weakref.WeakKeyDictionary[Session, Indexer] = weakref.WeakKeyDictionary()


def start_indexing(session: Session) -> Indexer | None:
    """Index in the background whatever is pending (call from the thread that uses the
    session's connection), unless it is under way already; None when nothing is pending.
    The indexing stops when the session closes."""
    current = _INDEXERS.get(session)
    if current is not None and current.running:
        return current
    if session.closed or not index_store.any_unindexed(session.conn):
        return None
    if current is None:
        session.closing.append(lambda: stop_indexing(session))
    indexer = _INDEXERS[session] = Indexer(session)
    return indexer


def stop_indexing(session: Session) -> None:
    """Stop the background indexing (before an import, and when the session closes)."""
    current = _INDEXERS.get(session)
    if current is not None and current.running:
        current.stop()
