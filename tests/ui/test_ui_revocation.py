"""A change a security officer makes to a user ends that user's open session in another
instance of the app at its next action: the app locks and says why, in plain words."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from uikit import SIZE, open_queue, open_session, settle, shown

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services import roles
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.people import users
from hotline_tui.services.session import Session

CHANGES = {
    "disabled": (lambda officer: users.disable_user(officer, "ana", "left the team"),
                 "A security officer disabled your account"),
    "removed": (lambda officer: users.remove_user(officer, "ana", "left the service"),
                "A security officer removed your account"),
    "reset": (lambda officer: users.reset_password(officer, "ana", "ana-one-time-2026"),
              "A security officer reset your password"),
    "another role": (lambda officer: roles.change_role(officer, "ana", "security_officer", "moved to security"),
                     "A security officer made you a security officer"),
}


@pytest.mark.parametrize("change", list(CHANGES))
async def test_an_officer_in_another_app_ends_the_session_at_its_next_action(
    change: str, imported_room: DemoRoom, make_app
) -> None:
    analyst_app, officer_app = make_app(imported_room), make_app(imported_room)
    async with analyst_app.run_test(size=SIZE) as analyst:
        await open_queue(analyst)  # ana works the queue
        async with officer_app.run_test(size=SIZE) as officer:
            await open_session(officer, "officer")
            officer_session = officer_app.session
            assert isinstance(officer_session, Session)
            apply, words = CHANGES[change]
            apply(officer_session)
            await analyst.press("enter")  # her next action: open the report under the cursor
            await settle(analyst)
            screen = analyst_app.screen
            assert isinstance(screen, UnlockScreen) and analyst_app.session is None
            assert shown(screen.query_one("#status", Static)).startswith(words)
            if change != "removed":  # a removal re-keys the store: her session can write nothing more
                entries = [(r.actor, r.action) for r in audit.read_log(officer_session, limit=3)]
                assert ("ana", "session.revoked") in entries
