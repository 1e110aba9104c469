"""Red flags are indexed after the import, off its critical path: an import leaves its
reports pending, the indexing makes their rows in small transactions and resumes after a
stop at any point, and a reader that needs a report before the indexing reaches it makes
that report's rows at once, the same as the indexing would."""

from __future__ import annotations

import pytest
from assesskit import Demo, demo, repeat_officer_reports
from stickkit import red_flag_rows
from test_redflags import _found, ana

from hotline_tui.services.redflags import index, indexing, reports_not_indexed
from hotline_tui.services.redflags.escalation import escalations
from hotline_tui.services.redflags.indexing import Indexer, index_pending, start_indexing, stop_indexing
from hotline_tui.services.session import Session
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import transaction

__all__ = ["ana", "demo"]


def _as_imported(session: Session) -> int:
    """Every report back to what an import leaves: one pending range, and only the reporter
    object's own contact details among the identifiers."""
    with transaction(session.conn) as conn:
        first, last = conn.execute("SELECT min(id), max(id) FROM reports").fetchone()
        keys = [key for (key,) in conn.execute("SELECT id FROM reports")]
        index_store.delete_report_rows(conn, keys)
        conn.executemany("DELETE FROM identifiers WHERE report_key = ? AND field NOT IN (?, ?)",
                         [(key, "reporter's phone", "reporter's e-mail") for key in keys])
        index_store.narratives_pending(conn, first, last)
    return index_store.pending_count(session.conn)


def test_indexing_stopped_at_any_point_resumes_and_makes_the_same_rows(ana: Session,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = red_flag_rows(ana)
    total = _as_imported(ana)
    assert total == 360 and red_flag_rows(ana)[1] == []
    # Stopped between two transactions (a lock): what is done stays, the rest is pending.
    heard: list[int] = []
    assert index_pending(ana.conn, ana.settings.store_path, batch=100, progress=lambda p: heard.append(p.done),
                         should_stop=lambda: len(heard) == 2) == 200
    assert heard == [100, 200] and index_store.pending_count(ana.conn) == 160
    # Killed inside a transaction: it is rolled back whole, nothing of it stays.
    real, calls = index._write, []

    def dies_on_the_second(conn, made):  # type: ignore[no-untyped-def]
        calls.append(made)
        real(conn, made)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process killed half-way through a transaction, its rows written
    monkeypatch.setattr(index, "_write", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        index_pending(ana.conn, ana.settings.store_path, batch=50)
    assert index_store.pending_count(ana.conn) == 110
    monkeypatch.setattr(index, "_write", real)
    assert index_pending(ana.conn, ana.settings.store_path, batch=64) == 110
    assert index_store.pending_count(ana.conn) == 0
    assert red_flag_rows(ana) == indexed  # every row once, as an import indexed at once made them


def test_indexing_read_in_child_processes_makes_the_same_rows(ana: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed = red_flag_rows(ana)
    _as_imported(ana)
    monkeypatch.setattr(indexing, "PARALLEL_FROM", 0)
    heard: list[int] = []
    assert index_pending(ana.conn, ana.settings.store_path, batch=40, workers=2,
                         progress=lambda p: heard.append(p.done)) == 360
    assert heard == list(range(40, 361, 40)) and red_flag_rows(ana) == indexed


def test_candidates_of_a_report_not_yet_indexed_are_those_after_indexing(demo: Demo, ana: Session,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "AT_ONCE", 0)  # a large import still indexing: only the report opened is made at once
    officer = next(keys for keys in repeat_officer_reports(ana).values() if len(keys) >= 3)
    first, last = officer[0], officer[-1]
    indexed = demo.unlock("ana")  # another session, for its counts of names follow the rows it has seen
    try:
        after = _found(indexed, last)
    finally:
        indexed.close()
    assert any(c.key == first for c in after)
    with transaction(ana.conn) as conn:  # the last report as an import leaves it
        index_store.delete_report_rows(conn, [last])
        conn.execute("DELETE FROM identifiers WHERE report_key = ? AND field NOT IN (?, ?)",
                     (last, "reporter's phone", "reporter's e-mail"))
        index_store.narratives_pending(conn, last, last)
    index_store.narratives_pending(ana.conn, last + 1000, last + 1001)  # another import's, not yet indexed
    assert index_store.is_pending(ana.conn, last)
    assert _found(ana, last) == after
    assert reports_not_indexed(ana) == 2  # what the assessment says is not searched yet
    ana.conn.execute("DELETE FROM narratives_pending WHERE first = ?", (last + 1000,))
    assert not index_store.is_pending(ana.conn, last) and index_store.pending_count(ana.conn) == 0


def test_a_few_pending_reports_are_all_indexed_when_one_is_read(ana: Session) -> None:
    indexed, before = red_flag_rows(ana), escalations(ana)
    _as_imported(ana)
    officer = next(keys for keys in repeat_officer_reports(ana).values() if len(keys) >= 3)
    _found(ana, officer[0])  # 360 pending: fewer than AT_ONCE, all made at once
    assert index_store.pending_count(ana.conn) == 0 and red_flag_rows(ana) == indexed
    assert escalations(ana) == before


def test_the_app_indexes_in_the_background_and_says_how_far(ana: Session) -> None:
    indexed = red_flag_rows(ana)
    _as_imported(ana)
    indexer = start_indexing(ana)
    assert isinstance(indexer, Indexer)
    assert start_indexing(ana) is indexer  # once at a time
    assert indexer.line().startswith("Red flags: indexing")
    assert indexer.wait(60) and indexer.line() == "" and not indexer.problem
    assert index_store.pending_count(ana.conn) == 0 and red_flag_rows(ana) == indexed
    assert start_indexing(ana) is None  # nothing left


def test_closing_the_session_stops_the_indexing_and_the_next_one_resumes(demo: Demo) -> None:
    session = demo.unlock("ana")
    indexed = red_flag_rows(session)
    _as_imported(session)
    indexer = start_indexing(session)
    assert indexer is not None
    session.close()  # the lock: stops after the transaction in hand
    assert not indexer.running
    again = demo.unlock("ana")
    try:
        left = index_store.pending_count(again.conn)
        resumed = start_indexing(again)
        assert (resumed is None) == (left == 0)
        if resumed is not None:
            assert resumed.wait(60)
        assert index_store.pending_count(again.conn) == 0 and red_flag_rows(again) == indexed
        stop_indexing(again)  # nothing running: nothing to do
    finally:
        again.close()
