"""Key slots: unlock, refusal, and a password change that rewrites one slot only."""

from __future__ import annotations

import json

import pytest
from corekit import PASSWORDS, Room

from hotline_tui.config import KdfParams
from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import PasswordRejected, Refused, WrongPassword
from hotline_tui.services.people import users
from hotline_tui.services.permissions import Role
from hotline_tui.services.session import Session, SessionRevoked


def test_slot_round_trip() -> None:
    """The password unwraps the private key, which unseals the store key."""
    key = bytes(range(32))
    slot, private = slotlib.create_slot("ann", "a long password", key, KdfParams.for_tests())
    assert slotlib.unwrap_private_key(slot, "a long password").encode() == private.encode()
    assert slotlib.unseal_store_key(slot, private) == key
    with pytest.raises(WrongPassword):
        slotlib.unwrap_private_key(slot, "a long passworD")


def test_a_slot_renamed_in_the_file_opens_for_nobody() -> None:
    """The user name is bound into the wrapping key."""
    slot, _ = slotlib.create_slot("ann", "a long password", bytes(32), KdfParams.for_tests())
    renamed = slotlib.Slot("sam", slot.public_key, slot.salt, slot.kdf, slot.wrapped_private, slot.sealed_store_key)
    with pytest.raises(WrongPassword):
        slotlib.unwrap_private_key(renamed, "a long password")


def test_slot_repr_shows_no_key_material() -> None:
    slot, _ = slotlib.create_slot("ann", "a long password", bytes(32), KdfParams.for_tests())
    assert slot.wrapped_private.hex() not in repr(slot) and "sealed_store_key" not in repr(slot)


def test_each_role_unlocks(room: Room) -> None:
    for name, role in (("olivia", Role.SECURITY_OFFICER), ("ann", Role.ANALYST), ("sam", Role.SUPERVISOR)):
        session = room.unlock(name)
        try:
            assert session.user.role is role
        finally:
            session.close()


def test_added_users_start_on_a_one_time_password_the_creator_does_not(room: Room, officer: Session) -> None:
    assert not officer.must_change_password  # olivia typed her own at init
    users.add_user(officer, "nell", Role.ANALYST, "nells-one-time-pw")
    session = room.unlock("nell", "nells-one-time-pw")
    try:
        assert session.must_change_password
    finally:
        session.close()


def test_wrong_password_and_unknown_name_say_the_same(room: Room) -> None:
    with pytest.raises(WrongPassword) as wrong:
        room.unlock("ann", "not-the-password")
    with pytest.raises(WrongPassword) as unknown:
        room.unlock("nobody", "not-the-password")
    assert str(wrong.value) == str(unknown.value) == "Wrong user name or password."


def test_change_password_rewrites_only_that_slot(room: Room) -> None:
    before = json.loads(room.settings.slots_path.read_text())["slots"]
    session = room.unlock("ann")
    try:
        users.change_password(session, PASSWORDS["ann"], "a-brand-new-password")
        assert session.must_change_password is False
    finally:
        session.close()
    after = json.loads(room.settings.slots_path.read_text())["slots"]
    changed = [b["user"] for b, a in zip(before, after, strict=True) if a != b]
    assert changed == ["ann"]
    old, new = next(s for s in before if s["user"] == "ann"), next(s for s in after if s["user"] == "ann")
    assert new["public_key"] == old["public_key"] and new["sealed_store_key"] == old["sealed_store_key"]
    assert new["salt"] != old["salt"] and new["wrapped_private"] != old["wrapped_private"]
    with pytest.raises(WrongPassword):
        room.unlock("ann")
    room.unlock("ann", "a-brand-new-password").close()


def test_change_password_refusals(room: Room) -> None:
    session = room.unlock("ann")
    try:
        with pytest.raises(PasswordRejected, match="current password is wrong"):
            users.change_password(session, "wrong-old-password", "a-brand-new-password")
        with pytest.raises(PasswordRejected, match="at least 12"):
            users.change_password(session, PASSWORDS["ann"], "short")
        with pytest.raises(PasswordRejected, match="different"):
            users.change_password(session, PASSWORDS["ann"], PASSWORDS["ann"])
    finally:
        session.close()


def test_personal_key_survives_a_password_change_and_needs_the_password(room: Room) -> None:
    session = room.unlock("ann")
    try:
        key = users.unlock_personal_key(session, PASSWORDS["ann"])
        assert key.key_id == session.user.personal_key_id
        users.change_password(session, PASSWORDS["ann"], "a-brand-new-password")
        assert users.unlock_personal_key(session, "a-brand-new-password").secret == key.secret
        with pytest.raises(WrongPassword):
            users.unlock_personal_key(session, PASSWORDS["ann"])
        signature = key.sign(b"referral", "trusted")
        assert "trusted" in signature
    finally:
        session.close()


def test_reset_password_gives_a_new_slot_and_personal_key(room: Room, officer) -> None:
    old_id = users.personal_public_key(officer, "ann").key_id
    info = users.reset_password(officer, "ann", "reset-by-the-officer")
    assert info.must_change_password and info.personal_key_id != old_id
    with pytest.raises(WrongPassword):
        room.unlock("ann")
    session = room.unlock("ann", "reset-by-the-officer")
    try:
        users.change_password(session, "reset-by-the-officer", "anns-own-again-pw")
        assert users.unlock_personal_key(session, "anns-own-again-pw").key_id == info.personal_key_id
    finally:
        session.close()


def test_disabled_user_cannot_unlock(room: Room, officer) -> None:
    users.disable_user(officer, "ann", "on leave")
    with pytest.raises(WrongPassword):  # their slot is gone (see test_users_disable.py)
        room.unlock("ann")
    users.enable_user(officer, "ann", "back-from-leave-pw", "back")
    room.unlock("ann", "back-from-leave-pw").close()


def test_officer_cannot_disable_or_remove_themselves(officer) -> None:
    with pytest.raises(Refused, match="yourself"):
        users.disable_user(officer, "olivia")
    with pytest.raises(Refused, match="yourself"):
        users.remove_user(officer, "olivia")


def test_last_active_security_officer_stays(room: Room, officer) -> None:
    users.add_user(officer, "otto", Role.SECURITY_OFFICER, "second-officer-pw")
    otto = room.unlock("otto", "second-officer-pw")
    try:
        users.change_password(otto, "second-officer-pw", "ottos-own-password")
        users.disable_user(otto, "olivia", "testing the rule")
        # olivia's open session ended with the disable: it cannot take otto out in turn
        with pytest.raises(SessionRevoked, match="disabled your account"):
            users.disable_user(officer, "otto")
        with pytest.raises(SessionRevoked, match="disabled your account"):
            users.remove_user(officer, "otto")
        with pytest.raises(Refused, match="yourself"):
            users.disable_user(otto, "otto")
        assert [u.name for u in users.list_users(otto) if not u.disabled] == ["ann", "otto", "sam"]
    finally:
        otto.close()
