"""Telling a store re-keyed under a session from a damaged one, from the error a read raised.

Two sessions on one workspace stand for two workstations: one removes a user (which
re-keys the store), the other then reads with the old key. Damage is one flipped byte in
a late page (the ``damaged`` fixture), read by a session that unlocked before it was read.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlcipher3
from corekit import Room

from hotline_tui.errors import Refused
from hotline_tui.services.people import users
from hotline_tui.services.session import Session, SessionClosed
from hotline_tui.services.store_care import store_check, store_loss
from hotline_tui.services.store_care.store_loss import StoreLoss


def _read_error(session: Session, sql: str = "SELECT count(*) FROM audit") -> sqlcipher3.Error:
    with pytest.raises(sqlcipher3.Error) as raised:
        session.conn.execute(sql).fetchall()
    return raised.value


def _garble_page_1(session: Session) -> None:
    """Zeros over page 1 after its salt: no key opens the store now."""
    path = session.settings.store_path
    data = bytearray(path.read_bytes())
    data[100:4000] = bytes(3900)
    path.write_bytes(bytes(data))


@pytest.fixture
def ann(room: Room) -> Iterator[Session]:
    session = room.unlock("ann")
    yield session
    session.close()


def test_a_session_reading_after_another_removed_a_user_was_rekeyed(ann: Session, officer: Session) -> None:
    users.remove_user(officer, "sam", "left the unit")
    error = _read_error(ann)
    assert store_loss.diagnose(ann, error) == StoreLoss(rekeyed=True, problem="file is not a database")


def test_the_rekey_shows_before_the_new_slot_file_is_published(
    ann: Session, officer: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the re-key and the rename, only slots.next.json holds the new seals."""
    monkeypatch.setattr(users, "publish_next_slots", lambda settings: None)
    users.remove_user(officer, "sam", "left the unit")
    assert officer.settings.next_slots_path.exists()
    assert store_loss.diagnose(ann, _read_error(ann)) == StoreLoss(True, "file is not a database")


def test_the_removed_user_s_own_session_was_rekeyed_too(ann: Session, officer: Session) -> None:
    users.remove_user(officer, "ann", "left the unit")
    loss = store_loss.diagnose(ann, _read_error(ann))
    assert loss is not None and loss.rekeyed


def test_the_removing_session_keeps_its_store(ann: Session, officer: Session) -> None:
    users.remove_user(officer, "sam", "left the unit")
    assert not store_loss.key_changed(officer)
    assert store_loss.key_changed(ann)
    assert officer.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 3
    _garble_page_1(officer)  # its seal followed the new key: later damage is not taken for a re-key
    loss = store_loss.diagnose(officer, sqlcipher3.DatabaseError("file is not a database"))
    assert loss is not None and not loss.rekeyed


def test_a_page_overwritten_by_garbage_is_damage(damaged: Room) -> None:
    session = damaged.unlock("ann")  # the key check reads page 1 and the schema only
    try:
        error = _read_error(session, "SELECT x FROM test_filler")
        loss = store_loss.diagnose(session, error)
        assert loss == StoreLoss(rekeyed=False, problem=str(error))
        assert not store_loss.key_changed(session)
    finally:
        session.close()


def test_a_damaged_page_1_is_damage_not_a_rekey(ann: Session) -> None:
    """The session's key no longer opens the store, but no slot was resealed."""
    _garble_page_1(ann)
    loss = store_loss.diagnose(ann, sqlcipher3.DatabaseError("file is not a database"))
    assert loss == StoreLoss(rekeyed=False, problem="file is not a database")


@pytest.mark.parametrize("error", [
    ValueError("no"), sqlcipher3.OperationalError("database is locked"), sqlcipher3.IntegrityError("UNIQUE"),
    sqlcipher3.ProgrammingError("Cannot operate on a closed database."), Refused("not yours"),
], ids=lambda error: type(error).__name__)
def test_other_errors_are_not_a_lost_store(ann: Session, error: Exception) -> None:
    assert store_loss.store_error(error) is None
    assert store_loss.diagnose(ann, error) is None


def test_a_store_error_is_found_behind_what_was_raised_from_it(ann: Session, officer: Session) -> None:
    users.remove_user(officer, "sam", "left the unit")
    error = _read_error(ann)
    try:
        raise Refused("could not list the users") from error
    except Refused as wrapped:
        assert store_loss.store_error(wrapped) is error
        loss = store_loss.diagnose(ann, wrapped)
        assert loss is not None and loss.rekeyed
    try:
        raise Refused("handled") from None
    except Refused as hidden:
        hidden.__context__ = error
        assert store_loss.store_error(hidden) is None  # as a traceback would: the context is suppressed


def test_a_lost_session_refuses_work_and_damage_is_on_file(ann: Session) -> None:
    store_loss.take_out_of_use(ann, StoreLoss(rekeyed=False, problem="database disk image is malformed"))
    with pytest.raises(SessionClosed, match="can no longer be read"):
        ann.check_open()
    logged = (ann.settings.workspace / store_check.FAILURE_FILE).read_text()
    assert logged.endswith("  ann  Reading the store failed: database disk image is malformed\n")


def test_a_rekey_is_not_put_on_file_as_damage(ann: Session) -> None:
    store_loss.take_out_of_use(ann, StoreLoss(rekeyed=True, problem="file is not a database"))
    with pytest.raises(SessionClosed):
        ann.check_open()
    assert not (ann.settings.workspace / store_check.FAILURE_FILE).exists()
