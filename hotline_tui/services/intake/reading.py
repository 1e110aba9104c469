"""Reading report bundles for an import, ahead of storing them, in a second process.

Reading a bundle (every check of the reader, then building its rows) is Python work
that holds the interpreter; storing it is SQLite's work. A large import reads the next
bundles in a child process while this one stores the one before, so on the room's two
cores the two overlap; the first bundles are read here while the child starts. The
child gets the keyring and the room's age identities through its pipe (memory only),
reads the media, writes nothing, and sends back rows or the refusal. A small import is
read in this process: starting a child costs more than it saves.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pyrage

from hotline_tui.services.intake import parent_watch
from hotline_tui.services.intake.rows import PreparedBundle, prepare_reports
from hotline_tui.services.sealed.contact import ContactSealer
from import_export import agekeys
from import_export.bundle import ROOM_LABEL, Keyring
from import_export.errors import BundleRefused
from import_export.reader import read_bundle

# Below this many bytes of bundles, reading here is faster than starting a child.
PARALLEL_FROM_BYTES = 8_000_000
# How far the child reads ahead of the bundle being stored: at least two bundles, more
# while they are small (bytes on the media). Storing pauses at each commit; a child far
# enough ahead keeps reading meanwhile, and storing then finds its next bundles ready.
READ_AHEAD_BUNDLES = 2
READ_AHEAD_BYTES = 8_000_000
HEAD_START = 2  # bundles read in this process while the child starts


@dataclass(frozen=True)
class ReadContext:
    """What reading needs, picklable: the trusted keys, the room's age identities (as
    key text), and the bundle ids already in the store when the import began."""

    keyring: Keyring
    identity_texts: tuple[str, ...]
    imported: frozenset[str]
    contact: ContactSealer  # this import's data key for reporters' contact details


Outcome = PreparedBundle | BundleRefused  # AlreadyImported is a BundleRefused
Pending = deque[tuple[Path, int, Future[Outcome]]]  # each bundle given to the child, its size, its reading


def read_one(path: Path, context: ReadContext, identities: Sequence[pyrage.x25519.Identity]) -> Outcome:
    keyring, imported = context.keyring, context.imported
    try:
        bundle = read_bundle(
            path, keyring, identities, kind="reports", recipient=ROOM_LABEL, already_imported=imported.__contains__
        )
    except BundleRefused as exc:
        return exc
    return prepare_reports(bundle, context.contact)


def read_bundles(
    paths: Sequence[Path], context: ReadContext, *, parallel: bool | None = None,
    while_waiting: Callable[[], bool] | None = None,
) -> Generator[tuple[Path, Outcome], None, None]:
    """Each path with its prepared bundle or its refusal, in order. ``parallel``: read in
    a child process (None: when there is enough to read for it to pay). While the next
    bundle is not read yet, ``while_waiting`` is called again and again (a little work
    each time) until it says it has no more. Closing the generator early (a cancelled
    import) stops the reading."""
    if parallel is None:
        parallel = len(paths) > 1 and sum(_size(p) for p in paths) >= PARALLEL_FROM_BYTES
    if parallel:
        yield from _read_in_child(paths, context, while_waiting)
    else:
        yield from _read_here(paths, context)


def _read_here(paths: Sequence[Path], context: ReadContext) -> Generator[tuple[Path, Outcome], None, None]:
    identities = _identities(context.identity_texts)
    for path in paths:
        yield path, read_one(path, context, identities)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _identities(texts: Sequence[str]) -> list[pyrage.x25519.Identity]:
    return [identity for text in texts for identity in agekeys.parse_identities(text)]


def _read_in_child(
    paths: Sequence[Path], context: ReadContext, while_waiting: Callable[[], bool] | None = None
) -> Generator[tuple[Path, Outcome], None, None]:
    # The first bundles are read here while the child starts (a quarter of a second).
    here, there = paths[:HEAD_START], paths[HEAD_START:]
    queued = deque(there)
    pending: Pending = deque()
    try:
        pool = _start_child(context)
        _submit_ahead(pool, pending, queued)  # the first submit starts the child
    except (OSError, ValueError):  # no child can be started here: read in this process
        yield from _read_here(paths, context)
        return
    done = 0
    try:
        yield from _read_here(here, context)
        while pending:
            yield _next(pending, while_waiting)
            done += 1
            _submit_ahead(pool, pending, queued)
    except BrokenProcessPool:
        # The child died, or could not start (the main script re-runs in a spawned child
        # unless guarded by ``if __name__ == "__main__"``): read the rest here instead.
        yield from _read_here(there[done:], context)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_child(context: ReadContext) -> ProcessPoolExecutor:
    with quiet():
        # spawn, not fork: the app has threads, and a forked child would inherit the
        # store's open connection and every secret in this process's memory.
        return ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=parent_watch.start_child,
            initargs=(os.getpid(), parent_watch.payload(_child_start, context)),
        )


def _submit(pool: ProcessPoolExecutor, path: Path) -> Future[Outcome]:
    with quiet():
        return pool.submit(_child_read, path)


@contextmanager
def quiet() -> Iterator[None]:
    """The null device as sys.stdout and sys.stderr while multiprocessing starts the child
    and its resource tracker: both pass sys.stderr's file descriptor on, and the app has
    replaced sys.stderr by an object without one. Nothing they print belongs on the
    room's screen anyway."""
    with open(os.devnull, "w") as sink, redirect_stderr(sink), redirect_stdout(sink):
        yield


def _submit_ahead(pool: ProcessPoolExecutor, pending: Pending, queued: deque[Path]) -> None:
    """Give the child bundles until it is far enough ahead of storing."""
    while queued and not _far_enough_ahead(pending):
        path = queued.popleft()
        pending.append((path, _size(path), _submit(pool, path)))


def _far_enough_ahead(pending: Pending) -> bool:
    ahead = list(pending)[1:]  # beyond the one to be stored next
    return len(ahead) > READ_AHEAD_BUNDLES and sum(size for _, size, _ in ahead) > READ_AHEAD_BYTES


def _next(pending: Pending, while_waiting: Callable[[], bool] | None = None) -> tuple[Path, Outcome]:
    path, _, future = pending[0]
    while while_waiting is not None and not future.done() and while_waiting():
        pass
    outcome = future.result()  # raises BrokenProcessPool with the entry still queued
    pending.popleft()
    return path, outcome


_child: tuple[ReadContext, list[pyrage.x25519.Identity]] | None = None


def _child_start(context: ReadContext) -> None:
    """Run in the child once it follows its parent (services/intake/parent_watch.py)."""
    global _child
    # The process lives for one import and the documents it parses hold no reference
    # cycles: the collector's passes over them would be wasted work.
    gc.disable()
    # Nothing the child could print belongs on the room's screen (the app draws there).
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.dup2(devnull, 1)
    # The identities parsed, the key text goes: the child keeps one copy of the key, in
    # pyrage's objects, not a second in a string (Python cannot wipe a string).
    identities = _identities(context.identity_texts)
    _child = (dataclasses.replace(context, identity_texts=()), identities)


def _child_read(path: Path) -> Outcome:
    assert _child is not None, "the reading process was not started with a context"
    context, identities = _child
    return read_one(path, context, identities)
