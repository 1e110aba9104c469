"""The whole-store checks after unlock: on their own reader, audited, damage never lost.

Unlock checks only the key, so damage in a page unlock does not read lets it through
quickly; the background check (the same service the app's worker calls) finds it.
"""

from __future__ import annotations

import threading

import pytest
from corekit import PASSWORDS, Room, flip_byte

from hotline_tui.errors import StoreDamaged
from hotline_tui.services.people import workspace
from hotline_tui.services.session import Session
from hotline_tui.services.store_care import store_check
from hotline_tui.store import audit as audit_queries
from hotline_tui.store import connection
from hotline_tui.store.connection import transaction


def _page_of(room: Room, table: str) -> int:
    session = room.unlock("olivia")
    try:
        return int(session.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0])
    finally:
        session.close()


def _last_audit(session: Session) -> tuple[str, str, str, str]:
    row = audit_queries.last(session.conn)
    assert row is not None
    return row.actor, row.action, row.object, row.reason


def test_a_good_store_passes_and_is_audited(room: Room, officer: Session) -> None:
    outcome = store_check.run_check(officer)
    assert outcome is not None and outcome.passed and outcome.problem == ""
    assert _last_audit(officer) == ("olivia", "store.check", "store.db", "passed")
    assert not (room.settings.workspace / store_check.FAILURE_FILE).exists()


def test_the_check_reads_beside_an_open_write_transaction(officer: Session) -> None:
    with transaction(officer.conn) as conn:
        conn.execute("INSERT INTO audit VALUES (999, 'a', 'b', 'c', 'd', '', 'e', 'f')")
        outcome = store_check.check_store(officer.settings.store_path, officer.store_key)
        conn.execute("DELETE FROM audit WHERE seq = 999")
    assert outcome is not None and outcome.passed


def test_unlock_does_not_run_the_whole_store_checks(room: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise AssertionError("unlock ran a whole-store check")

    monkeypatch.setattr(connection, "check_integrity", fail)
    monkeypatch.setattr(store_check, "check_integrity", fail)
    room.unlock("ann").close()


def test_late_damage_unlocks_but_the_check_finds_it(damaged: Room, capfd: pytest.CaptureFixture[str]) -> None:
    session = damaged.unlock("ann")  # the key check reads page 1 and the schema only
    try:
        outcome = store_check.check_store(session.settings.store_path, session.store_key, clock=session.clock)
        assert outcome is not None and not outcome.passed
        assert "encryption integrity check" in outcome.problem and "restore it from a backup" in outcome.problem
        store_check.record_outcome(session, outcome)
        assert _last_audit(session) == ("ann", "store.check", "store.db", f"FAILED: {outcome.problem}")
    finally:
        session.close()
    logged = (damaged.settings.workspace / store_check.FAILURE_FILE).read_text().splitlines()
    assert len(logged) == 1 and logged[0].endswith(f"  ann  {outcome.problem}")
    assert capfd.readouterr().err == ""


def test_a_failure_the_store_cannot_take_is_still_on_file(damaged: Room) -> None:
    session = damaged.unlock("ann")
    outcome = store_check.check_store(session.settings.store_path, session.store_key, clock=session.clock)
    assert outcome is not None
    session.close()  # the audit entry cannot be written now; recording must not raise
    store_check.record_outcome(session, outcome)
    assert (damaged.settings.workspace / store_check.FAILURE_FILE).read_text().count("ann") == 1


def test_a_cancelled_check_says_nothing(damaged: Room) -> None:
    session = damaged.unlock("ann")
    try:
        stop = threading.Event()
        stop.set()
        assert store_check.check_store(session.settings.store_path, session.store_key, stop) is None
        assert store_check.run_check(session, stop) is None
        assert _last_audit(session)[1] == "session.unlock"
    finally:
        session.close()


def test_a_headless_unlock_checks_everything_before_writing(room: Room, damaged: Room) -> None:
    before = damaged.settings.store_path.read_bytes()
    with pytest.raises(StoreDamaged, match="integrity check"):
        workspace.unlock(room.settings, "ann", PASSWORDS["ann"], room.clock, full_check=True)
    assert damaged.settings.store_path.read_bytes() == before
    assert (room.settings.workspace / store_check.FAILURE_FILE).read_text().count("ann") == 1


def test_a_headless_unlock_of_a_good_store_records_the_check(room: Room) -> None:
    session = workspace.unlock(room.settings, "ann", PASSWORDS["ann"], room.clock, full_check=True)
    try:
        assert _last_audit(session) == ("ann", "store.check", "store.db", "passed")
    finally:
        session.close()


def test_damage_in_a_page_unlock_reads_is_refused_as_damage(room: Room) -> None:
    flip_byte(room.settings.store_path, _page_of(room, "users"))
    with pytest.raises(StoreDamaged, match="damaged and cannot be read"):
        room.unlock("ann")
