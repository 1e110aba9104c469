"""Revoking sam's personal key as compromised on the keyring, from the keyboard: the
approvals it signed and the room has not sealed are listed before confirming, and go back
to awaiting approval; the one sue approved stays approved."""

from __future__ import annotations

from approvalkit import home_action, referral_states, services
from textual.widgets import DataTable, Input, Static
from uikit import SIZE, open_session, settle, type_text

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.officer.keyring_screen import KeyringScreen
from hotline_tui.screens.officer_modals import ConfirmScreen, FormScreen


async def test_a_compromised_personal_key_sends_its_approvals_back(approved: DemoRoom, app_for) -> None:
    before = referral_states(approved)
    by_sam = sorted(ref for ref, (state, analyst, _) in before.items() if state == "approved" and analyst == "ana")
    assert len(by_sam) == 4 and before["HTR-2026-000006"][0] == "approved"  # sam's own, approved by sue
    app = app_for(approved)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "officer")
        screen = await home_action(pilot, "keyring")
        assert isinstance(screen, KeyringScreen)
        table = screen.query_one("#keys", DataTable)
        table.move_cursor(row=next(i for i, e in enumerate(screen.entries) if e.section == "user" and e.owner == "sam"))
        await pilot.press("v")
        await settle(pilot)
        for value in ("laptop left unlocked on a train", "sams-new-one-time-pw", "not-the-same-password"):
            await type_text(pilot, value)
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # refused in the form, everything typed kept
        assert str(app.screen.query_one("#form-problem", Static).visual) == "The two passwords differ."
        again = app.screen.query_one("#field-again", Input)
        again.value = ""
        again.focus()
        await type_text(pilot, "sams-new-one-time-pw")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one("#confirm-body", Static).visual).splitlines()
        assert "4 approval(s) signed with key" in body[1] and "go back to awaiting approval" in body[1]
        assert [line.split(" for ")[0].strip() for line in body[2:]] == by_sam  # and nothing of it sealed yet
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, KeyringScreen)
    sue = services(approved, "sue")  # sam's password opens nothing any more
    try:
        after = dict(sue.conn.execute("SELECT reference, state FROM referrals"))
    finally:
        sue.close()
    assert [after[ref] for ref in by_sam] == ["awaiting_approval"] * 4
    assert after["HTR-2026-000006"] == "approved"
