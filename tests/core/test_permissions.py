"""Every action x every role, enforced in the service layer.

The expected matrix is written out here on its own, so a change to the product's
matrix must be made twice, on purpose. Where a service function exists for an action
it is called for real; the rest go through ``require``, which every later service uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from corekit import Room, make_room

from hotline_tui.errors import PermissionDenied
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring import keys
from hotline_tui.services.people import users
from hotline_tui.services.permissions import MATRIX, Action, Role, require, require_not_own_work
from hotline_tui.services.session import Session

A, S, SO = Role.ANALYST, Role.SUPERVISOR, Role.SECURITY_OFFICER
EXPECTED: dict[Action, set[Role]] = {
    Action.IMPORT_BUNDLES: {A, S},
    Action.VIEW_QUEUE: {A, S, SO},
    Action.VIEW_REPORT: {A, S},
    Action.REVEAL_CONTACT: {A, S},
    Action.ASSESS: {A, S},
    Action.APPROVE_REFERRAL: {S},
    Action.RETURN_REFERRAL: {S},
    Action.SEAL_REFERRALS: {S},
    Action.VERIFY_BUNDLE: {SO},
    Action.MANAGE_USERS: {SO},
    Action.MANAGE_KEYS: {SO},
    Action.VIEW_AUDIT: {SO},
    Action.EXPORT_AUDIT: {SO},
    Action.MANAGE_QUARANTINE: {SO},
    Action.IMPORT_OUTCOMES: {SO},
    Action.VIEW_STATISTICS: {S, SO},
    Action.EXPORT_STATISTICS: {S, SO},
    Action.MANAGE_RETENTION: {SO},
    Action.BACK_UP: {SO},
    Action.SET_DISCLOSURE: {S},
}
NAMES = {A: "ann", S: "sam", SO: "olivia"}

# Real service calls standing for an action (each harmless when allowed).
SERVICES: dict[Action, Callable[[Session], object]] = {
    Action.MANAGE_USERS: users.list_users,
    Action.MANAGE_KEYS: keys.list_keys,
    Action.VIEW_AUDIT: audit.read_log,
}
# Capabilities that several actions grant, and the roles that therefore hold them.
CAPABILITIES: dict[str, tuple[Callable[[Session], object], set[Role]]] = {
    "room signing key": (keys.room_signing_key, {S, SO}),
    "room identity": (keys.room_identity, {A, S, SO}),
    "build keyring": (keys.build_keyring, {A, S, SO}),
    "force recipients": (lambda s: keys.force_recipients(s, "kent"), {S, SO}),
    "room public keys": (keys.room_public_keys, {A, S, SO}),
    "add user": (lambda s: users.add_user(s, "zed", "analyst", "a-good-password"), {SO}),
}


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Role, Session]]:
    room: Room = make_room(Path(tmp_path_factory.mktemp("perm")) / "room")
    opened = {role: room.unlock(name) for role, name in NAMES.items()}
    yield opened
    for session in opened.values():
        session.close()


def test_every_action_is_in_the_expected_matrix() -> None:
    assert set(EXPECTED) == set(Action)
    assert {role: {a for a in Action if role in EXPECTED[a]} for role in Role} == {r: set(MATRIX[r]) for r in Role}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_matrix(sessions: dict[Role, Session], role: Role, action: Action) -> None:
    session = sessions[role]
    call = SERVICES.get(action, lambda s: require(s, action))
    if role in EXPECTED[action]:
        call(session)
    else:
        with pytest.raises(PermissionDenied) as denied:
            call(session)
        assert action.label in str(denied.value) and role.label.lower() in str(denied.value)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("capability", list(CAPABILITIES))
def test_capabilities(sessions: dict[Role, Session], role: Role, capability: str) -> None:
    call, holders = CAPABILITIES[capability]
    if role in holders:
        call(sessions[role])
    else:
        with pytest.raises(PermissionDenied):
            call(sessions[role])


def test_a_supervisor_cannot_approve_their_own_work(sessions: dict[Role, Session]) -> None:
    supervisor = sessions[S]
    require(supervisor, Action.APPROVE_REFERRAL)
    require_not_own_work(supervisor, "ann")
    with pytest.raises(PermissionDenied, match="another supervisor"):
        require_not_own_work(supervisor, "sam")
