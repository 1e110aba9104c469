"""Disabling deletes the user's key slot, so their password opens nothing even past the
app's own check; enabling needs a new password (a new slot, as a reset makes)."""

from __future__ import annotations

import threading

import pytest
from corekit import PASSWORDS, Room

from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import PasswordRejected, Refused, WrongPassword
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.people import users, workspace
from hotline_tui.services.people.workspace_locks import slots_lock
from hotline_tui.services.session import PasswordChangeRequired, Session
from hotline_tui.store.connection import open_store

NEW = "ann-is-back-2026"


def _slots(room: Room) -> dict[str, slotlib.Slot]:
    return slotlib.load_slots(room.settings.slots_path)


def _opens_the_store(room: Room, name: str, password: str) -> bool:
    """What someone with the slot file and a password can do without the app's checks."""
    slot = _slots(room).get(name)
    if slot is None:
        return False
    try:
        key = slotlib.unseal_store_key(slot, slotlib.unwrap_private_key(slot, password))
    except WrongPassword:
        return False
    open_store(room.settings.store_path, key).close()
    return True


def test_disable_deletes_the_slot_and_only_that_slot(room: Room, officer: Session) -> None:
    before = _slots(room)
    users.disable_user(officer, "ann", "on leave")
    after = _slots(room)
    assert set(after) == set(before) - {"ann"}
    assert all(after[n].wrapped_private == before[n].wrapped_private for n in after)
    assert not _opens_the_store(room, "ann", PASSWORDS["ann"])
    assert _opens_the_store(room, "sam", PASSWORDS["sam"])
    room.unlock("sam").close()
    actions = [(r.action, r.object) for r in audit.read_log(officer, limit=3)]
    assert actions[1:] == [("user.disable", "ann"), ("user.slot_delete", "ann")]  # newest first


def test_disabled_password_fails_even_without_the_disabled_check(room: Room, officer: Session,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    users.disable_user(officer, "ann", "on leave")
    original = workspace._check_user

    def no_disabled_check(conn, name, slot):  # type: ignore[no-untyped-def]
        return original(conn, name, slot) if name != "ann" else workspace.user_queries.get(conn, name)

    monkeypatch.setattr(workspace, "_check_user", no_disabled_check)
    with pytest.raises(WrongPassword):
        room.unlock("ann")


def test_enable_needs_a_new_password_and_the_old_one_opens_nothing(room: Room, officer: Session) -> None:
    old_key_id = users.personal_public_key(officer, "ann").key_id
    users.disable_user(officer, "ann", "on leave")
    with pytest.raises(TypeError):
        users.enable_user(officer, "ann")  # type: ignore[call-arg]
    with pytest.raises(PasswordRejected):
        users.enable_user(officer, "ann", "short", "back")
    assert "ann" not in _slots(room)
    info = users.enable_user(officer, "ann", NEW, "back from leave")
    assert not info.disabled and info.must_change_password and info.personal_key_id != old_key_id
    assert not _opens_the_store(room, "ann", PASSWORDS["ann"])
    with pytest.raises(WrongPassword):
        room.unlock("ann")
    session = room.unlock("ann", NEW)
    try:
        assert session.must_change_password
        with pytest.raises(PasswordChangeRequired):  # a one-time password only chooses a password
            users.unlock_personal_key(session, NEW)
        users.change_password(session, NEW, NEW + "-mine")
        assert users.unlock_personal_key(session, NEW + "-mine").key_id == info.personal_key_id
    finally:
        session.close()
    room.unlock("sam").close()
    actions = [(r.action, r.object) for r in audit.read_log(officer, limit=10) if r.action.startswith("user.")]
    assert actions[:5] == [("user.change_password", "ann"), ("user.reset_password", "ann"), ("user.enable", "ann"),
                           ("user.disable", "ann"),
                           ("user.slot_delete", "ann")]


def test_refusals_that_keep_a_disabled_user_without_a_slot(room: Room, officer: Session) -> None:
    with pytest.raises(Refused, match="not disabled"):
        users.enable_user(officer, "ann", NEW)
    users.disable_user(officer, "ann", "on leave")
    with pytest.raises(Refused, match="enable them"):
        users.reset_password(officer, "ann", NEW)
    assert "ann" not in _slots(room)


def test_slots_left_by_earlier_disables_are_deleted(room: Room, officer: Session) -> None:
    """A room where disabling left the slot in place (before this change)."""
    slot = _slots(room)["ann"]
    users.disable_user(officer, "ann", "on leave")
    slotlib.save_slots(room.settings.slots_path, {**_slots(room), "ann": slot})
    assert users.delete_disabled_slots(officer) == ["ann"]
    assert "ann" not in _slots(room) and "sam" in _slots(room)
    assert users.delete_disabled_slots(officer) == []
    assert [(r.action, r.object) for r in audit.read_log(officer, limit=1)] == [("user.slot_delete", "ann")]


def test_removing_a_disabled_user_still_rekeys(room: Room, officer: Session) -> None:
    users.disable_user(officer, "ann", "on leave")
    users.remove_user(officer, "ann", "left")
    assert set(_slots(room)) == {"olivia", "sam"}
    room.unlock("sam").close()
    room.unlock("olivia").close()


def test_two_sessions_changing_slots_at_once_keep_both_changes(room: Room, officer: Session) -> None:
    """A password change waits while another session holds the slot file's lock, then
    reads the file as the other left it: neither change undoes the other."""
    ann = room.unlock("ann")
    try:
        finished = threading.Event()
        failed: list[BaseException] = []

        def change() -> None:
            try:
                users.change_password(ann, PASSWORDS["ann"], NEW)
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                failed.append(exc)
            finally:
                finished.set()

        with slots_lock(room.settings):
            worker = threading.Thread(target=change)
            worker.start()
            assert not finished.wait(0.5)  # waiting for the lock
            # Meanwhile the holder changes the file: sam's slot goes.
            slots = _slots(room)
            del slots["sam"]
            slotlib.save_slots(room.settings.slots_path, slots)
        worker.join(10)
        assert finished.is_set() and not failed
        after = _slots(room)
        assert "sam" not in after  # the holder's change stands
        assert _opens_the_store(room, "ann", NEW) and not _opens_the_store(room, "ann", PASSWORDS["ann"])
    finally:
        ann.close()
