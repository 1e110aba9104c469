"""Reading bundles ahead in a child process gives exactly what reading here gives.

A large import reads in a spawned child (services/intake/reading.py); these tests make
the child read the demo media (7 good bundles, one altered after signing) and compare
every prepared bundle and every refusal with reading in this process.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from concurrent.futures import Future
from pathlib import Path

import pytest
from deskkit import Demo, copy_demo

from hotline_tui.demo.room import DemoRoom
from hotline_tui.services.intake import reading as import_reading
from hotline_tui.services.intake.importing import find_bundles, import_bundles, room_identity_texts
from hotline_tui.services.intake.reading import ReadContext, read_bundles
from hotline_tui.services.intake.rows import PreparedBundle
from hotline_tui.services.keyring.keys import build_keyring
from hotline_tui.services.sealed.contact import contact_sealer
from hotline_tui.services.session import Session
from hotline_tui.store import reports as report_store
from import_export.errors import AlreadyImported, BundleRefused


def _context(session: Session, imported: frozenset[str] = frozenset()) -> ReadContext:
    return ReadContext(build_keyring(session), room_identity_texts(session), imported, contact_sealer(session))


def _outcomes(paths: list[Path], context: ReadContext, parallel: bool) -> list[tuple[Path, object]]:
    """Each path with its prepared bundle (its contact details opened: each context has a
    data key of its own, each sealing a nonce), or with (class, reason) of its refusal."""
    return [
        (path, (type(outcome).__name__, outcome.reason) if isinstance(outcome, BundleRefused) else _opened(outcome, context))
        for path, outcome in read_bundles(paths, context, parallel=parallel)
    ]


def _opened(bundle: PreparedBundle, context: ReadContext) -> PreparedBundle:
    contacts = [(key is not None, context.contact.open(sealed) if sealed else None) for key, sealed in bundle.contacts]
    assert any(contacts)  # the demo's reports include some with contact details
    return dataclasses.replace(bundle, contacts=contacts)  # type: ignore[arg-type]


@pytest.mark.parametrize("head_start", [0, import_reading.HEAD_START], ids=["all-in-child", "head-start"])
def test_the_child_reads_what_this_process_reads(
    demo: Demo, ana: Session, head_start: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_reading, "HEAD_START", head_start)  # 0: the child reads every bundle
    paths = find_bundles([demo.room.media])
    here = _outcomes(paths, _context(ana), parallel=False)
    child = _outcomes(paths, _context(ana), parallel=True)
    assert child == here
    assert [p for p, _ in child] == paths
    prepared = [o for _, o in child if isinstance(o, PreparedBundle)]
    assert len(prepared) == 7 and sum(len(b.reports) for b in prepared) == 360
    assert all(len(b.search) == len(b.reports) for b in prepared)
    refused = [o for _, o in child if not isinstance(o, PreparedBundle)]
    assert refused == [("BundleRefused", "outer signature: the signature does not match the file (file or signature altered)")]


def test_the_child_skips_bundles_already_imported(demo: Demo, ana: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_reading, "HEAD_START", 0)
    paths = find_bundles([demo.room.media])
    import_bundles(ana, paths)
    context = _context(ana, report_store.imported_bundle_ids(ana.conn))
    outcomes = [outcome for _, outcome in read_bundles(paths, context, parallel=True)]
    assert sum(isinstance(o, AlreadyImported) for o in outcomes) == 7
    assert not any(isinstance(o, PreparedBundle) for o in outcomes)


def test_an_import_read_in_the_child_stores_what_one_read_here_stores(
    template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stored(demo: Demo) -> list[tuple[str, ...]]:
        session = demo.unlock("ana")
        try:
            summary = import_bundles(session, [demo.room.media])
            assert (summary.imported, summary.refused, summary.reports_added) == (7, 1, 360)
            return list(session.conn.execute(
                "SELECT report_id, reference, channel, received_at, hint_code, behaviours, behaviour_mask, has_contact,"
                " document FROM reports ORDER BY report_id"
            ))
        finally:
            session.close()

    here = stored(copy_demo(template, tmp_path / "here"))
    monkeypatch.setattr(import_reading, "PARALLEL_FROM_BYTES", 0)  # every import of two or more bundles
    assert stored(copy_demo(template, tmp_path / "child")) == here


def test_a_child_that_cannot_start_leaves_the_reading_to_this_process(
    demo: Demo, ana: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = find_bundles([demo.room.media])
    here = _outcomes(paths, _context(ana), parallel=False)
    # A child whose start fails breaks the pool, as an unguarded main script would.
    monkeypatch.setattr(import_reading, "_child_start", _failing_start)
    assert _outcomes(paths, _context(ana), parallel=True) == here


def _failing_start(_context: ReadContext) -> None:
    raise SystemExit(3)


def test_where_no_child_can_be_started_the_reading_is_done_here(
    demo: Demo, ana: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = find_bundles([demo.room.media])
    here = _outcomes(paths, _context(ana), parallel=False)

    def no_processes(_context: ReadContext) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(import_reading, "_start_child", no_processes)
    assert _outcomes(paths, _context(ana), parallel=True) == here


class _CountingPool:
    """Stands in for the child's pool: records what it is given, reads nothing."""

    def __init__(self) -> None:
        self.given: list[Path] = []

    def submit(self, _read: object, path: Path) -> Future[object]:
        self.given.append(path)
        return Future()


def _bundles(folder: Path, count: int, size: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"{number:03d}.tar.age"
        with path.open("wb") as file:
            file.truncate(size)  # sparse: only the size matters here
        paths.append(path)
    return paths


@pytest.mark.parametrize("size", [500_000, 30_000_000], ids=["small-bundles", "large-bundles"])
def test_the_child_reads_ahead_within_a_memory_budget(tmp_path: Path, size: int) -> None:
    pool, pending, queued = _CountingPool(), deque(), deque(_bundles(tmp_path, 60, size))
    import_reading._submit_ahead(pool, pending, queued)  # type: ignore[arg-type]
    ahead = [path.stat().st_size for path in pool.given[1:]]  # beyond the one storing needs next
    assert len(ahead) > import_reading.READ_AHEAD_BUNDLES  # always a few
    if size * (import_reading.READ_AHEAD_BUNDLES + 1) > import_reading.READ_AHEAD_BYTES:
        assert len(ahead) == import_reading.READ_AHEAD_BUNDLES + 1  # large bundles: no more than that
    else:  # small ones: as many as fit the budget, and one more
        assert sum(ahead[:-1]) <= import_reading.READ_AHEAD_BYTES < sum(ahead)
    given = len(pool.given)
    pending.popleft()  # storing took the next one: the child is given one more
    import_reading._submit_ahead(pool, pending, queued)  # type: ignore[arg-type]
    assert len(pool.given) == given + 1
