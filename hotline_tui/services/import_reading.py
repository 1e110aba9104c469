"""Reading report bundles for an import, one bundle ahead, in a second process.

Reading a bundle (every check of the reader, then building its rows) is Python work
that holds the interpreter; storing it is SQLite's work. A large import reads bundle
n+1 in a child process while this one stores bundle n, so on the room's two cores the
two overlap. The child gets the keyring and the room's age identities through its pipe
(memory only), reads the media, writes nothing, and sends back rows or the refusal. A
small import is read in this process: starting a child costs more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyrage

from hotline_tui.services.import_rows import PreparedBundle, prepare_reports
from import_export import agekeys
from import_export.bundle import ROOM_LABEL, Keyring
from import_export.errors import BundleRefused
from import_export.reader import read_bundle

# Below this many bytes of bundles, reading here is faster than starting a child.
PARALLEL_FROM_BYTES = 8_000_000
READ_AHEAD = 2  # bundles read or being read beyond the one being stored


@dataclass(frozen=True)
class ReadContext:
    """What reading needs, picklable: the trusted keys, the room's age identities (as
    key text), and the bundle ids already in the store when the import began."""

    keyring: Keyring
    identity_texts: tuple[str, ...]
    imported: frozenset[str]


Outcome = PreparedBundle | BundleRefused  # AlreadyImported is a BundleRefused


def read_one(path: Path, keyring: Keyring, identities: Sequence[pyrage.x25519.Identity], imported: frozenset[str]) -> Outcome:
    try:
        bundle = read_bundle(
            path, keyring, identities, kind="reports", recipient=ROOM_LABEL, already_imported=imported.__contains__
        )
    except BundleRefused as exc:
        return exc
    return prepare_reports(bundle)


def read_bundles(paths: Sequence[Path], context: ReadContext) -> Generator[tuple[Path, Outcome], None, None]:
    """Each path with its prepared bundle or its refusal, in order. Closing the iterator
    early (a cancelled import) stops the reading."""
    if len(paths) > 1 and sum(_size(p) for p in paths) >= PARALLEL_FROM_BYTES:
        yield from _read_in_child(paths, context)
        return
    identities = _identities(context.identity_texts)
    for path in paths:
        yield path, read_one(path, context.keyring, identities, context.imported)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _identities(texts: Sequence[str]) -> list[pyrage.x25519.Identity]:
    return [identity for text in texts for identity in agekeys.parse_identities(text)]


def _read_in_child(paths: Sequence[Path], context: ReadContext) -> Generator[tuple[Path, Outcome], None, None]:
    # spawn, not fork: the app has threads, and a forked child would inherit the store's
    # open connection and every secret in this process's memory.
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_child_start, initargs=(context,)
    )
    pending: list[tuple[Path, Future[Outcome]]] = []
    upcoming = iter(paths)
    try:
        for path in upcoming:
            pending.append((path, pool.submit(_child_read, path)))
            if len(pending) > READ_AHEAD:
                done_path, future = pending.pop(0)
                yield done_path, future.result()
        for done_path, future in pending:
            yield done_path, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_child: tuple[ReadContext, list[pyrage.x25519.Identity]] | None = None


def _child_start(context: ReadContext) -> None:
    global _child
    # The process lives for one import and the documents it parses hold no reference
    # cycles: the collector's passes over them would be wasted work.
    gc.disable()
    _child = (context, _identities(context.identity_texts))


def _child_read(path: Path) -> Outcome:
    assert _child is not None, "the reading process was not started with a context"
    context, identities = _child
    return read_one(path, context.keyring, identities, context.imported)
