"""Approval and sealing as sam, through the screens, on the imported demo room.

The desk (``approvalkit``): five referrals by ana (the urgent Kent one with a warning she
kept with a reason), one by sam. Every test checks the store or the media as well as the
screen; the screens are snapshotted at 100x30 and 160x48.
"""

from __future__ import annotations

import json

import pytest
from approvalkit import (
    COMMENTS,
    KEPT_REASON,
    OWN_REFUSAL,
    SUBMITTED,
    messages,
    open_approvals,
    open_review,
    referral_states,
    rows,
    services,
)
from textual.widgets import DataTable, Static, TextArea
from uikit import PASSWORDS, rendered, settle, shown, type_text

from hotline_tui.screens.referrals import approval_screen
from hotline_tui.screens.referrals.approval_dialogs import ConfirmPrompt
from hotline_tui.screens.referrals.approval_screen import OWN_WORK_SHORT, PasswordPrompt, ReturnPrompt
from hotline_tui.services.referrals.approval import OWN_WORK_NOTE
from import_export.minisign import PublicKey, Signature

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")]


def _footer_keys(screen) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {key: b.binding.description for key, b in screen.active_bindings.items() if b.binding.show and b.enabled}


class TestApprovalQueueScreen:
    """Referrals awaiting approval by force, then priority, oldest first, with the analyst."""

    @pytest.mark.parametrize("size", SIZES)
    def test_queue(self, submitted, app_for, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await open_approvals(pilot)
            seen["rows"] = rows(screen.query_one("#approvals", DataTable))
            seen["count"] = shown(screen.query_one("#approvals-count", Static))
            seen["key"] = shown(screen.query_one("#approvals-key", Static))
            seen["footer"] = _footer_keys(screen)

        assert snap_compare(app_for(submitted), terminal_size=size, run_before=run_before)
        assert seen["rows"] == [
            ("City of London Police", "normal", SUBMITTED, "HTR-2026-000003", "ana", ""),
            ("Essex Police", "high", SUBMITTED, "HTR-2026-000004", "ana", ""),
            ("Kent Police", "urgent", SUBMITTED, "HTR-2026-000002", "ana", ""),
            ("Kent Police", "normal", SUBMITTED, "HTR-2026-000006", "sam",
             OWN_WORK_NOTE if size[0] >= 130 else OWN_WORK_SHORT),  # whole, or its first words at 100
            ("Metropolitan Police Service", "normal", SUBMITTED, "HTR-2026-000001", "ana", ""),
            ("Metropolitan Police Service", "normal", SUBMITTED, "HTR-2026-000005", "ana", ""),
        ]
        assert seen["count"] == "6 awaiting approval. 1 your own, for another supervisor to approve."
        assert seen["key"] == "Signing key closed: your password is asked for each approval."
        assert seen["footer"]["enter"] == "Review", "the footer says Enter opens a review"


async def test_the_note_on_your_own_referral_is_whole_at_100_columns_and_after_widening(submitted, app_for):
    async with app_for(submitted).run_test(size=(100, 30)) as pilot:
        screen = await open_approvals(pilot)
        table = screen.query_one("#approvals", DataTable)
        table.move_cursor(row=3)
        own = next(line for line in rendered(table).splitlines() if "HTR-2026-000006" in line)
        assert own.split(" sam ")[1].strip() == OWN_WORK_SHORT  # not "your own — anoth"
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        own = next(line for line in rendered(table).splitlines() if "HTR-2026-000006" in line)
        assert own.split(" sam ")[1].strip() == OWN_WORK_NOTE and table.cursor_row == 3


class TestReviewScreen:
    """The Kent referral: the warning and ana's answer at the top, then as the force will read it."""

    @pytest.mark.parametrize("size", SIZES)
    def test_review(self, submitted, app_for, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            queue = await open_approvals(pilot)
            screen = await open_review(pilot, queue, "HTR-2026-000002")
            seen["rendering"] = shown(screen.query_one("#rendering", Static))
            seen["checks"] = shown(screen.query_one("#review-flags", Static))
            seen["answers"] = shown(screen.query_one("#review-answers", Static))
            seen["top"] = screen.query_one("#review-warnings").region.y < screen.query_one("#review-columns").region.y
            seen["footer"] = _footer_keys(screen)

        assert snap_compare(app_for(submitted), terminal_size=size, run_before=run_before)
        text = seen["rendering"]
        for expected in ("Reference:            HTR-2026-000002", "Force:                Kent Police (kent)",
                         "Grading:              [2CP]", "Priority:             urgent",
                         "Priority reason:      Ongoing leaks of intelligence", "PC Dave Whitfield (officer)",
                         "Approved by:          not yet approved", "LINKED REFERRALS\n  none"):
            assert expected in text
        assert "Assessed by ana" in seen["checks"] and "Warnings: 1" in seen["checks"]
        assert seen["answers"].splitlines() == [
            "⚠ The summary: Suggests how the reporter knows: says the subject dealt with the reporter directly: "
            "“he threatened me”",
            f"    kept by ana: {KEPT_REASON}",
            "Read each warning and answer, then press c to confirm them before approving.",
        ]
        assert seen["top"], "the warnings come before the referral and the report"
        assert seen["footer"]["c"] == "Confirm warnings" and seen["footer"]["a"] == "Approve and sign"


class TestApproveDialogs:
    """What sam sees when he approves the Kent referral: what he signs, then the password."""

    @pytest.mark.parametrize("size", SIZES)
    def test_confirm_then_password(self, submitted, app_for, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            queue = await open_approvals(pilot)
            await open_review(pilot, queue, "HTR-2026-000002")
            await pilot.press("c", "a")
            await settle(pilot)
            seen["confirm"] = type(pilot.app.screen)
            await pilot.press("y")
            await settle(pilot)
            seen["password"] = type(pilot.app.screen)
            seen["keep"] = str(pilot.app.screen.query_one("#prompt-keep").label)

        assert snap_compare(app_for(submitted), terminal_size=size, run_before=run_before)
        assert (seen["confirm"], seen["password"]) == (ConfirmPrompt, PasswordPrompt)
        assert seen["keep"] == "Keep my key open for 5 minutes this sitting"

    @pytest.mark.parametrize("size", SIZES)
    def test_return_refused_without_comments(self, submitted, app_for, snap_compare, size):
        """Return with comments, sent empty: the prompt stays, saying what is missing."""
        seen = {}

        async def run_before(pilot):
            queue = await open_approvals(pilot)
            await open_review(pilot, queue, "HTR-2026-000004")
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
            seen["screen"] = type(pilot.app.screen)
            seen["problem"] = shown(pilot.app.screen.query_one("#return-problem", Static))

        assert snap_compare(app_for(submitted), terminal_size=size, run_before=run_before)
        assert seen == {"screen": ReturnPrompt,
                        "problem": "Say what the analyst should change: comments are required."}


async def _approve(pilot, queue, reference: str, password: bool, keep: bool = False):  # type: ignore[no-untyped-def]
    """Review, confirm any warnings, approve, say yes; the password if asked. Returns the confirmation's text."""
    screen = await open_review(pilot, queue, reference)
    if screen.review.warnings:
        await pilot.press("c")
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmPrompt)
    body = shown(pilot.app.screen.query_one("#confirm-body", Static))
    await pilot.press("y")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PasswordPrompt) == password, f"password asked: {not password}"
    if password:
        await type_text(pilot, PASSWORDS["sam"])
        if keep:
            await pilot.press("tab", "space")  # tick "keep open"; Enter there unlocks too
        await pilot.press("enter")
        await settle(pilot)
    return body


async def test_approve_names_what_it_signs_and_asks_the_password_each_time_unless_kept_open(submitted, app_for, monkeypatch):
    """Each approval names the reference, force and the summary's first line and asks once
    more; the second approval asks the password again; ticking "keep open" spares the
    next one, says so on the list, and x closes it."""
    unlocked = []
    real_unlock = approval_screen.unlock_personal_key
    monkeypatch.setattr(approval_screen, "unlock_personal_key", lambda *a: unlocked.append(1) or real_unlock(*a))
    app = app_for(submitted)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = await open_approvals(pilot)
        body = await _approve(pilot, queue, "HTR-2026-000001", password=True)
        assert body.splitlines()[:3] == ["Reference:  HTR-2026-000001", "Force:      Metropolitan Police Service",
                                         "Summary:    An officer at the named station is said to have sold details from "
                                         "police systems to a local dealer over several months, meeting him in a car "
                                         "park after late shi…"]
        assert app.screen is queue and "Approved and signed: HTR-2026-000001." in messages(app)
        await _approve(pilot, queue, "HTR-2026-000005", password=True)
        assert unlocked == [1, 1], "the second approval asked the password again"
        await _approve(pilot, queue, "HTR-2026-000002", password=True, keep=True)
        assert shown(queue.query_one("#approvals-key", Static)).startswith("Signing key open until ")
        assert "x" in _footer_keys(queue)
        review = await open_review(pilot, queue, "HTR-2026-000004")
        assert shown(review.query_one("#review-key", Static)).startswith("Signing key open until ")
        await pilot.press("escape")
        await _approve(pilot, queue, "HTR-2026-000004", password=False)
        assert unlocked == [1, 1, 1]
        await pilot.press("x")
        assert shown(queue.query_one("#approvals-key", Static)) == (
            "Signing key closed: your password is asked for each approval.")
    states = referral_states(submitted)
    assert {ref for ref, (state, _, _) in states.items() if state == "approved"} == {
        "HTR-2026-000001", "HTR-2026-000002", "HTR-2026-000004", "HTR-2026-000005"}


async def test_the_warnings_must_be_confirmed_and_no_yes_signs_nothing(submitted, app_for):
    """On the Kent referral, a before c is refused; after c, n at the confirmation signs nothing."""
    app = app_for(submitted)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = await open_approvals(pilot)
        screen = await open_review(pilot, queue, "HTR-2026-000002")
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
        assert messages(app)[-1] == "Confirm the warnings and the analyst's answers at the top first (c)."
        await pilot.press("c")
        assert shown(screen.query_one("#review-answers", Static)).endswith(
            "✔ You have confirmed these warnings and answers.")
        assert "c" not in _footer_keys(screen)
        await pilot.press("a")
        await settle(pilot)
        assert "Reference:  HTR-2026-000002\nForce:      Kent Police" in shown(app.screen.query_one("#confirm-body"))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
    assert referral_states(submitted)["HTR-2026-000002"][0] == "awaiting_approval"


async def test_a_wrong_password_says_so_and_signs_nothing(submitted, app_for):
    app = app_for(submitted)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = await open_approvals(pilot)
        screen = await open_review(pilot, queue, "HTR-2026-000001")
        await pilot.press("a", "y")
        await settle(pilot)
        await type_text(pilot, "not-sams-password")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and messages(app)[-1] == approval_screen.WRONG_PASSWORD
    assert referral_states(submitted)["HTR-2026-000001"][0] == "awaiting_approval"


async def test_return_needs_comments(submitted, app_for):
    """An empty comment is refused; with one the referral goes back to ana, in her queue."""
    app = app_for(submitted)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = await open_approvals(pilot)
        await open_review(pilot, queue, "HTR-2026-000004")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReturnPrompt)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReturnPrompt), "the prompt stays open, saying what is wrong"
        assert shown(app.screen.query_one("#return-problem", Static)) == (
            "Say what the analyst should change: comments are required.")
        app.screen.query_one(TextArea).insert(COMMENTS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is queue and messages(app)[-1] == "Returned to ana."
    assert referral_states(submitted)["HTR-2026-000004"] == ("returned", "ana", COMMENTS)
    session = services(submitted, "sam")
    try:
        status = session.conn.execute("SELECT r.status, r.assigned_to FROM reports r JOIN referrals f"
                                      " ON f.report_id = r.report_id WHERE f.reference = 'HTR-2026-000004'").fetchone()
        assert status == ("in_assessment", "ana")
    finally:
        session.close()


async def test_an_approval_is_signed_with_sams_key(submitted, app_for):
    app = app_for(submitted)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = await open_approvals(pilot)
        await _approve(pilot, queue, "HTR-2026-000002", password=True)
    session = services(submitted, "sam")
    try:
        document, signature, key_id = session.conn.execute(
            "SELECT signed_document, approval_signature, approved_key_id FROM referrals WHERE reference = 'HTR-2026-000002'"
        ).fetchone()
        public = PublicKey.from_text(session.conn.execute(
            "SELECT personal_public_key FROM users WHERE name = 'sam'").fetchone()[0])
        assert key_id == public.key_id == json.loads(document)["approved_by"]["key_id"]
        Signature.from_text(signature).verify(public, document)
        audit = [d for (d,) in session.conn.execute("SELECT reason FROM audit WHERE action = 'referral.approved'")]
        assert audit and audit[-1].endswith("; 1 warnings and the analyst's answers confirmed")
    finally:
        session.close()


async def test_own_referral_is_marked_offers_no_approval_and_is_refused_before_any_password(submitted, app_for):
    """sam's own referral says so in the queue and in the review; the footer offers no
    approval, and a is refused with words that say why, before any password is asked."""
    app = app_for(submitted)
    async with app.run_test(size=(160, 48)) as pilot:
        queue = await open_approvals(pilot)
        listed = {row[3]: row for row in rows(queue.query_one("#approvals", DataTable))}
        assert listed["HTR-2026-000006"][-1] == "your own — another supervisor must approve"
        assert listed["HTR-2026-000002"][-1] == ""
        review_screen = await open_review(pilot, queue, "HTR-2026-000006")
        assert f"✘ {OWN_WORK_NOTE}" in shown(review_screen.query_one("#review-flags", Static))
        assert "a" not in _footer_keys(review_screen)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is review_screen, "no confirmation and no password for a referral sam may not approve"
        assert messages(app)[-1] == OWN_REFUSAL
    assert referral_states(submitted)["HTR-2026-000006"] == ("awaiting_approval", "sam", None)
