"""Giving a user another role, tried as an officer would and as an attacker would: what is
refused is refused before anything changes and is audited; another officer's change made
meanwhile cannot leave the room without a security officer; the user's open session ends
at its next action."""

from __future__ import annotations

import pytest
from deskkit import Demo

from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services import roles
from hotline_tui.services.people import users
from hotline_tui.services.roles import change as change_module
from hotline_tui.services.session import SessionRevoked
from hotline_tui.store import audit as audit_store


def _roles(demo: Demo) -> dict[str, str]:
    officer = demo.unlock()
    try:
        return {info.name: str(info.role) for info in users.list_users(officer)}
    finally:
        officer.close()


def _entries(demo: Demo) -> list[tuple[str, str, str, str]]:
    officer = demo.unlock()
    try:
        return [(e.actor, e.action, e.object, e.reason) for e in audit_store.iterate(officer.conn)]
    finally:
        officer.close()


@pytest.mark.parametrize(("name", "role", "reason", "words"), [
    ("officer", "analyst", "stepping down", "You cannot change the role of yourself"),
    ("ana", "analyst", "no change", "ana is already an analyst: choose another role."),
    ("ana", "supervisor", "  ", "Say why the user is given another role"),
    ("ana", "chief", "promoted", "There is no role 'chief'"),
    ("zed", "analyst", "new", "There is no user 'zed'."),
])
def test_what_is_refused_changes_nothing(demo: Demo, name: str, role: str, reason: str, words: str) -> None:
    before = _roles(demo)
    officer = demo.unlock()
    try:
        with pytest.raises(Refused, match=words.replace("(", r"\(")):
            roles.plan_role_change(officer, name, role, reason)
        with pytest.raises(Refused, match=words.replace("(", r"\(")):
            roles.change_role(officer, name, role, reason)
    finally:
        officer.close()
    assert _roles(demo) == before
    if name == "officer":
        assert ("officer", "action.refused", "officer", "user.change the role of: refused: yourself") in _entries(demo)


def test_only_a_security_officer_may(demo: Demo) -> None:
    sam = demo.unlock("sam")
    try:
        with pytest.raises(PermissionDenied, match="A supervisor may not manage users"):
            roles.change_role(sam, "ana", "supervisor", "promote me a colleague")
    finally:
        sam.close()
    assert _roles(demo)["ana"] == "analyst"


def test_the_plan_says_what_follows_before_anything_changes(demo: Demo) -> None:
    officer = demo.unlock()
    try:
        plan = roles.plan_role_change(officer, "ana", "security_officer", "moved to security")
    finally:
        officer.close()
    assert plan.gains == ["signing"] and plan.loses == ["contact"]
    assert plan.consequences() == [
        "ana (Ana): Analyst → Security officer.",
        "Any session they have open ends at its next action; they unlock again in the new role.",
        "They are given the room's signing key (sealing referrals, managing keys) now.",
        "They lose reporters' contact details (the audited reveal); that key is renewed at the next unlock of an "
        "analyst or supervisor, so a copy opens nothing new.",
    ]
    assert _roles(demo)["ana"] == "analyst"


def test_the_change_is_audited_and_ends_the_users_open_session(demo: Demo) -> None:
    ana = demo.unlock("ana")
    officer = demo.unlock()
    try:
        info = roles.change_role(officer, "ana", "supervisor", "promoted after the board")
        assert info.role == "supervisor"
        with pytest.raises(SessionRevoked, match="A security officer made you a supervisor: this session has ended"):
            users.personal_public_key(ana, "ana")
    finally:
        officer.close()
        ana.close()
    entries = _entries(demo)
    assert ("officer", "user.change_role", "ana", "analyst to supervisor: promoted after the board") in entries
    assert any(e[:3] == ("ana", "session.revoked", "ana") and "made you a supervisor" in e[3] for e in entries)
    assert demo.unlock("ana").user.role == "supervisor"


def test_two_officers_demoting_each_other_at_once_leave_one_officer(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """olga's change passes its checks; officer's demotion of olga commits before olga's
    transaction begins. Hers must then be refused, not leave the room with no officer."""
    officer = demo.unlock()
    try:
        users.add_user(officer, "olga", "security_officer", "olga-one-time-2026")
    finally:
        officer.close()
    olga = demo.unlock("olga", "olga-one-time-2026")
    users.change_password(olga, "olga-one-time-2026", "olga-own-choice-2026")
    officer = demo.unlock()
    planned = change_module.plan_role_change

    def meanwhile(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        plan = planned(*args, **kwargs)  # olga's checks pass: she is still an officer here
        monkeypatch.setattr(change_module, "plan_role_change", planned)
        roles.change_role(officer, "olga", "analyst", "not an officer after all")
        return plan

    monkeypatch.setattr(change_module, "plan_role_change", meanwhile)
    try:
        with pytest.raises(SessionRevoked, match="made you an analyst"):
            roles.change_role(olga, "officer", "analyst", "taking over")
    finally:
        officer.close()
        olga.close()
    assert {name: role for name, role in _roles(demo).items() if role == "security_officer"} == {
        "officer": "security_officer"}
