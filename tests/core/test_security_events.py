"""Issue 13.3, as an attacker and a careless officer would meet it: failed unlocks leave
audit entries (never a password), repeated wrong passwords slow and then hold the user
(across restarts, until a security officer lifts it), refused privileged actions are
recorded, and disable takes a reason like every other user change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from corekit import PASSWORDS, Room

from hotline_tui.errors import PermissionDenied, Refused, WrongPassword
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring import keys
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.security import guard
from hotline_tui.services.security.guard import UnlockHeld
from hotline_tui.services.security.holds import lift_hold, unlock_holds

GUESS = "hunter2-guess-"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _try(room: Room, clock: Clock, name: str, password: str) -> str:
    with pytest.raises((WrongPassword, UnlockHeld)) as info:
        unlock(room.settings, name, password, clock)
    return str(info.value)


def test_wrong_passwords_slow_then_hold_the_user_until_an_officer_lifts_it(room: Room) -> None:
    clock = Clock()
    said = [_try(room, clock, "ann", f"{GUESS}{n}") for n in range(3)]
    assert said[0] == said[1] == "Wrong user name or password."
    assert "3 wrong in a row: wait 5 s" in said[2]
    # Too soon: refused before any key derivation, even with the right password.
    assert "wait" in _try(room, clock, "ann", PASSWORDS["ann"])
    for n in range(3, 8):
        clock.now += timedelta(minutes=2)
        said.append(_try(room, clock, "ann", f"{GUESS}{n}"))
    assert "ann is now held until 10:40:00 UTC" in said[-1]
    # Held across restarts: the guard lives in the workspace, not in the process.
    clock.now += timedelta(minutes=5)
    held = _try(room, clock, "ann", PASSWORDS["ann"])
    assert "ann is held after 8 wrong passwords in a row, until 10:40:00 UTC" in held and "security officer" in held

    officer = unlock(room.settings, "olivia", PASSWORDS["olivia"], clock)
    try:
        assert [(h.user, h.failures) for h in unlock_holds(officer)] == [("ann", 8)]
        with pytest.raises(Refused, match="Say why"):
            lift_hold(officer, "ann", " ")
        lift_hold(officer, "ann", "ann phoned: she had caps lock on")
        failed = [r for r in audit.read_log(officer, 100) if r.action == "session.unlock_failed"]
        lifted = audit.read_log(officer, 1)[0]
    finally:
        officer.close()
    assert (lifted.action, lifted.object) == ("user.unlock_hold_lift", "ann")
    assert [r.object for r in failed] == ["ann"] * len(failed) and len(failed) >= 10
    whats = {r.reason for r in failed}
    assert "wrong password" in whats and "refused: tried too soon" in whats and "refused while held" in whats
    assert any(w.startswith("held until 2026-03-14 10:40:00 UTC after") for w in whats)  # no microseconds
    assert not any(GUESS in r.reason or PASSWORDS["ann"] in r.reason for r in failed)
    unlock(room.settings, "ann", PASSWORDS["ann"], clock).close()  # lifted: she is in at once


def test_an_unknown_name_is_recorded_without_the_name(room: Room) -> None:
    clock = Clock()
    typed = "analyst-password-1-in-the-name-field"
    _try(room, clock, typed, "whatever-else")
    assert typed not in (room.settings.workspace / guard.GUARD_FILE).read_text()
    officer = unlock(room.settings, "olivia", PASSWORDS["olivia"], clock)
    try:
        entry = next(r for r in audit.read_log(officer, 10) if r.action == "session.unlock_failed")
        assert not guard.pending_events(room.settings)[0]  # moved into the log
    finally:
        officer.close()
    assert entry.object == "(a user name the room does not know)" and typed not in entry.reason + entry.actor
    assert json.loads((room.settings.workspace / guard.GUARD_FILE).read_text())["events"] == []


def test_refused_privileged_actions_are_recorded(room: Room) -> None:
    officer = room.unlock("olivia")
    ann = room.unlock("ann")
    try:
        with pytest.raises(Refused, match="yourself"):
            users.disable_user(officer, "olivia", "testing")
        with pytest.raises(Refused, match="yourself"):
            users.remove_user(officer, "olivia", "testing")
        with pytest.raises(PermissionDenied):
            keys.list_keys(ann)
        with pytest.raises(Refused, match="Say why"):
            users.disable_user(officer, "ann", "  ")
        entries = [(r.actor, r.object, r.reason) for r in audit.read_log(officer, 10) if r.action == "action.refused"]
        assert not users.list_users(officer)[1].disabled
    finally:
        officer.close()
        ann.close()
    assert ("olivia", "olivia", "user.disable: refused: yourself") in entries
    assert ("olivia", "olivia", "user.remove: refused: yourself") in entries
    assert any(actor == "ann" and reason.startswith("manage_keys: ") for actor, _, reason in entries)
