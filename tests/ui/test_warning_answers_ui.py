"""A warning must be answered before submit: kept with a reason, or reworded away.

ana types a summary that speaks as the reporter would ("he threatened me"): the warning
is listed, submit refuses until it is answered; the reason goes to the audit log and
reaches the supervisor's review. Snapshots at 100x30 and 160x48.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from test_assessment_ui import anonymous, complete, head, jump, newest, notes, open_queue, services, still, take
from textual.widgets import Input, Static, TextArea
from uikit import fixed_clock, settle, shown, type_text

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import unlock_screen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.referrals.approval import review
from hotline_tui.services.triage.assessment import save_draft, take_report
from hotline_tui.store import assessments as store
from hotline_tui.widgets.warning_answers import KeepReasonPrompt

WORDS = " The victim was told: he threatened me if I talked."
REASON = "Quoted from the officer's words to the victim; not the reporter."
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")]


@pytest.fixture
def room(imported_room: DemoRoom, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    return imported_room


def _ready(room: DemoRoom) -> int:
    """An anonymous report, ready to refer but for the summary's last words."""
    ana = services(room, "ana")
    try:
        key = newest(ana, anonymous)
        save_draft(ana, key, complete(take_report(ana, key).form, "Seized phones are sold through a local shop by him."))
        return key
    finally:
        ana.close()


async def _type_the_warning(pilot: Any, key: int) -> Any:
    await open_queue(pilot)
    screen = await take(pilot, key)
    await jump(pilot, "summary")
    summary = screen.query_one("#summary", TextArea)
    summary.move_cursor(summary.document.end)
    await type_text(pilot, WORDS)
    await settle(pilot)
    return screen


def _audit(room: DemoRoom, action: str) -> list[str]:
    session = services(room, "ana")
    try:
        return [reason for (reason,) in session.conn.execute("SELECT reason FROM audit WHERE action = ?", (action,))]
    finally:
        session.close()


class TestWarningAnswers:
    @pytest.mark.parametrize("size", SIZES)
    def test_unanswered(self, room, make_app, snap_compare, size):
        key = _ready(room)
        seen: dict[str, Any] = {}

        async def run_before(pilot):
            screen = await _type_the_warning(pilot, key)
            seen["title"] = shown(screen.query_one("#warnings-title", Static))
            seen["problems"] = shown(screen.query_one("#problems", Static))
            screen.query_one("#warnings").focus()
            await pilot.pause()
            still(pilot)

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert seen["title"].startswith("⚠ 1 warning(s), 1 to answer")
        assert ("Answer the warning on the summary: Suggests how the reporter knows: says the subject dealt with the "
                "reporter directly (“he threatened me”): reword it, or keep it with a reason.") in seen["problems"]

    @pytest.mark.parametrize("size", SIZES)
    def test_keep_reason_too_short(self, room, make_app, snap_compare, size):
        """k on the warning, a reason too short: the dialog stays with what was typed and why."""
        key = _ready(room)
        seen: dict[str, Any] = {}

        async def run_before(pilot):
            screen = await _type_the_warning(pilot, key)
            screen.query_one("#warnings").focus()
            await pilot.press("k")
            await settle(pilot)
            await type_text(pilot, "quoted")
            await pilot.press("enter")
            await settle(pilot)
            seen["screen"] = type(pilot.app.screen)
            seen["error"] = shown(pilot.app.screen.query_one("#keep-error", Static))
            still(pilot)

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert seen["screen"] is KeepReasonPrompt and seen["error"].startswith("Say a little more")


async def test_a_warning_kept_with_a_reason_submits_and_reaches_the_supervisor(room, make_app):
    key = _ready(room)
    app = make_app(room)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _type_the_warning(pilot, key)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notes(pilot)[-1].startswith("Not submitted:\n- Answer the warning on the summary")
        assert head(app.session, key).status == "in_assessment"

        screen.query_one("#warnings").focus()
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, KeepReasonPrompt)
        await type_text(pilot, "quoted")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeepReasonPrompt), "a reason too short keeps the dialog and what was typed"
        assert app.screen.query_one(Input).value == "quoted"
        assert shown(app.screen.query_one("#keep-error", Static)).startswith("Say a little more")
        app.screen.query_one(Input).value = ""
        await type_text(pilot, REASON)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert shown(screen.query_one("#warnings-title", Static)) == "✔ 1 warning(s), each answered."
        assert shown(screen.query_one("#problems", Static)) == "Ready to submit."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert head(app.session, key).status == "awaiting_approval"
    answered = _audit(room, "assessment.warning_answered")
    assert answered == ["warning kept: The summary: Suggests how the reporter knows: says the subject dealt with the "
                        f"reporter directly: “he threatened me”; reason: {REASON}"]
    sam = services(room, "sam")
    try:
        referral = store.referral_of_report(sam.conn, head(sam, key).report_id)
        assert referral is not None
        (warning, answer), = review(sam, referral.referral_id).warnings
        assert answer is not None and answer.reason == REASON and warning.flag.text == "he threatened me"
    finally:
        sam.close()


async def test_reword_takes_the_analyst_to_the_words_and_the_warning_goes_with_them(room, make_app):
    key = _ready(room)
    app = make_app(room)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await _type_the_warning(pilot, key)
        screen.query_one("#warnings").focus()
        await pilot.press("w")
        await settle(pilot)
        summary = screen.query_one("#summary", TextArea)
        assert screen.focused is summary and summary.selected_text == "he threatened me"
        await type_text(pilot, "the officer threatened the victim")
        await settle(pilot)
        assert not screen.query_one("#warning-answers").display
        assert shown(screen.query_one("#problems", Static)) == "Ready to submit."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert head(app.session, key).status == "awaiting_approval"
    assert _audit(room, "assessment.warning_answered") == [
        "warning reworded away: The summary: Suggests how the reporter knows: says the subject dealt with the reporter "
        "directly: “he threatened me”"]
