"""Removing a user rekeys the store: their slot, and copies of the old files, open nothing new.

The removal writes slots.next.json, commits, rekeys, then replaces slots.json; a crash
between any two steps must leave a room every remaining user can unlock.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corekit import PASSWORDS, Room

from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import Refused, StoreDamaged, WrongPassword
from hotline_tui.services.audit_trail.chain import verify_chain
from hotline_tui.services.people import users
from hotline_tui.services.session import Session
from hotline_tui.store.connection import StoreKeyRejected, open_store


def _copy_workspace(room: Room, into: Path) -> Path:
    return Path(shutil.copytree(room.settings.workspace, into))


def _old_key_of(slots_file: Path, name: str) -> bytes:
    slot = slotlib.load_slots(slots_file)[name]
    return slotlib.unseal_store_key(slot, slotlib.unwrap_private_key(slot, PASSWORDS[name]))


def _assert_removed(room: Room, copy: Path) -> None:
    """Sam is gone: no slot, no unlock, and his old key opens only the old copy."""
    assert "sam" not in slotlib.load_slots(room.settings.slots_path)
    assert not room.settings.next_slots_path.exists()
    with pytest.raises(WrongPassword):
        room.unlock("sam")
    old_key = _old_key_of(copy / "slots.json", "sam")
    open_store(copy / "store.db", old_key).close()  # the copy is what it was
    with pytest.raises(StoreKeyRejected):
        open_store(room.settings.store_path, old_key)
    for name in ("olivia", "ann"):
        session = room.unlock(name)
        try:
            assert verify_chain(session.conn).ok
        finally:
            session.close()


def test_removed_user_old_slot_and_old_files_are_useless(room: Room, officer: Session, tmp_path: Path) -> None:
    copy = _copy_workspace(room, tmp_path / "copy")
    users.remove_user(officer, "sam", "left the unit")
    officer.close()
    _assert_removed(room, copy)


def test_old_slot_file_put_back_does_not_open_the_store(room: Room, officer: Session, tmp_path: Path) -> None:
    copy = _copy_workspace(room, tmp_path / "copy")
    users.remove_user(officer, "sam", "left the unit")
    officer.close()
    shutil.copy(copy / "slots.json", room.settings.slots_path)
    with pytest.raises(StoreDamaged):
        room.unlock("sam")


def test_removed_name_is_never_reused(officer: Session) -> None:
    users.remove_user(officer, "sam", "left the unit")
    with pytest.raises(Refused, match="taken"):
        users.add_user(officer, "sam", "analyst", "another-person-pw")
    assert "sam" not in [u.name for u in users.list_users(officer)]
    assert "sam" in [u.name for u in users.list_users(officer, include_removed=True)]


def test_the_remover_keeps_working_after_the_rekey(room: Room, officer: Session) -> None:
    users.remove_user(officer, "sam", "left the unit")
    users.add_user(officer, "nia", "analyst", "new-analyst-password")
    officer.close()
    room.unlock("nia", "new-analyst-password").close()


def test_crash_after_next_slots_written_is_finished_on_unlock(
    room: Room, officer: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_workspace(room, tmp_path / "copy")

    def crash(*_: object) -> None:
        raise RuntimeError("power cut before the rekey")

    monkeypatch.setattr(users, "rekey", crash)
    with pytest.raises(RuntimeError):
        users.remove_user(officer, "sam", "left the unit")
    officer.close()
    assert room.settings.next_slots_path.exists()
    monkeypatch.undo()
    room.unlock("ann").close()  # finishes the rekey
    _assert_removed(room, copy)


def test_crash_after_rekey_opens_with_next_slots(
    room: Room, officer: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_workspace(room, tmp_path / "copy")

    def crash(*_: object) -> None:
        raise RuntimeError("power cut after the rekey")

    monkeypatch.setattr(users, "publish_next_slots", crash)
    with pytest.raises(RuntimeError):
        users.remove_user(officer, "sam", "left the unit")
    officer.close()
    monkeypatch.undo()
    # slots.json still holds the old key; unlock must fall back to slots.next.json
    with pytest.raises(StoreKeyRejected):
        open_store(room.settings.store_path, _old_key_of(room.settings.slots_path, "ann"))
    room.unlock("ann").close()  # opens with slots.next.json, which becomes slots.json
    _assert_removed(room, copy)


def test_crash_before_commit_leaves_the_user_and_drops_the_stale_next_file(
    room: Room, officer: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise RuntimeError("power cut before the commit")

    monkeypatch.setattr(users.queries, "mark_removed", crash)
    with pytest.raises(RuntimeError):
        users.remove_user(officer, "sam", "left the unit")
    officer.close()
    monkeypatch.undo()
    room.unlock("ann").close()
    assert not room.settings.next_slots_path.exists()
    room.unlock("sam").close()
