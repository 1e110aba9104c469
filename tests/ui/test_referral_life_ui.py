"""A referral's whole life as the room sees it: the status the queue and the report show
at each step, home's counts (each opening the list of what it counts), and the returned-
work path from the supervisor's comments back to the analyst's form.

The steps not under test (a draft, a submission, an approval, a return) go through the
services, as another person at another desk would have done them; what ana and sam see
is read from the screens.
"""

from __future__ import annotations

import functools
import time

import pytest
from textual.widgets import Checkbox, DataTable, OptionList, Select, Static
from uikit import PASSWORDS, SIZE, SIZES, fixed_clock, open_session, settings_for, settle, shown

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import unlock_screen
from hotline_tui.screens.assessment import AssessmentScreen
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.intake.quarantine_screen import QuarantineScreen
from hotline_tui.screens.officer.keyring_screen import KeyringScreen
from hotline_tui.screens.officer.users_screen import UsersScreen
from hotline_tui.screens.referrals.approval_screen import ApprovalQueueScreen
from hotline_tui.screens.referrals.seal_screen import SealScreen
from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.screens.triage.report_screen import ReportScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.referrals.approval import approve
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import (
    AssessmentForm,
    SubjectEntry,
    return_to_analyst,
    save_draft,
    submit,
    take_report,
)
from hotline_tui.store import sealing as sealing_store
from hotline_tui.widgets.paged_table import PagedTable

SUMMARY = (
    "An officer at the named station is said to have sold details from police systems to a local "
    "dealer over several months, meeting him in a car park after late shifts."
)
COMMENTS = "Say which station: the summary only says 'the named station'."


def _form(priority: str = "urgent") -> AssessmentForm:
    return AssessmentForm(
        force="kent", subjects=[SubjectEntry("officer", "Dave Whitfield", "PC", "4417", "Maidstone")],
        behaviours=["corruption"], categories=["disclosure_of_information"], source="2", intelligence="C",
        handling="P", priority=priority, priority_reason="Ongoing leaks of intelligence" if priority == "urgent" else "",
        summary=SUMMARY, decision="refer",
    )


def _session(room: DemoRoom, name: str) -> Session:
    return unlock(settings_for(room), name, PASSWORDS[name], clock=fixed_clock)


def _as(room: DemoRoom, name: str, work) -> object:  # type: ignore[no-untyped-def]
    session = _session(room, name)
    try:
        return work(session)
    finally:
        session.close()


def _first_new(session: Session) -> tuple[int, str]:
    key, reference = session.conn.execute(
        "SELECT id, reference FROM reports WHERE status = 'new' ORDER BY id LIMIT 1").fetchone()
    return int(key), str(reference)


def _referral_id(session: Session, key: int) -> str:
    return str(session.conn.execute(
        "SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?", (key,)
    ).fetchone()[0])


@pytest.fixture
def desk(imported_room: DemoRoom, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    return imported_room


def _waiting(home: HomeScreen) -> dict[str, int]:
    return {item.label: item.count for item in home._waiting}


async def _open_count(pilot, label: str):  # type: ignore[no-untyped-def]
    """Enter on one of home's counts, as a user would: Tab to the list, move, Enter."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    waiting = home.query_one("#waiting-list", OptionList)
    index = [item.label for item in home._waiting].index(label)
    waiting.focus()
    waiting.highlighted = index
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


def _queue_rows(screen: QueueScreen) -> list[list[str]]:
    table = screen.query_one(PagedTable)
    return [list(row.cells) for row in table._source.rows(0, 50)]  # type: ignore[union-attr]


def _count_shown(screen: QueueScreen) -> str:
    return shown(screen.query_one("#queue-count", Static))


async def test_an_urgent_referral_is_counted_and_says_its_status_at_every_step(desk, make_app):  # type: ignore[no-untyped-def]
    key, reference = _as(desk, "ana", _first_new)  # type: ignore[misc]

    def urgent_draft(session: Session) -> None:
        take_report(session, key)
        save_draft(session, key, _form())

    _as(desk, "ana", urgent_draft)
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        assert _waiting(app.screen)["Urgent, not yet referred"] == 1, "a draft's priority reaches the report"
        queue = await _open_count(pilot, "Urgent, not yet referred")
        assert isinstance(queue, QueueScreen)
        assert queue.query_one("#priority", Select).value == "urgent"
        assert queue.query_one("#status", Select).value == "not_yet_referred"
        assert _count_shown(queue) == "1 report"
        assert [(row[0], row[5], row[6]) for row in _queue_rows(queue)] == [(reference, "in assessment", "urgent")]

    _as(desk, "ana", lambda s: submit(s, key, _form()))

    async def status_seen(expected: str, urgent: int = 1) -> None:
        app = make_app(desk)
        async with app.run_test(size=SIZE) as pilot:
            await open_session(pilot, "ana")
            assert _waiting(app.screen)["Urgent, not yet referred"] == urgent, expected
            app.push_screen(ReportScreen(app.session, key))
            await settle(pilot)
            assert f"Status     {expected}" in shown(app.screen.query_one("#report-header", Static))

    await status_seen("awaiting approval")

    def approve_it(session: Session) -> None:
        approve(session, _referral_id(session, key), unlock_personal_key(session, PASSWORDS["sam"]))

    _as(desk, "sam", approve_it)
    await status_seen("approved, to seal")
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "sam")
        assert _waiting(app.screen)["Approved, waiting to be sealed"] == 1
        assert _waiting(app.screen)["Urgent, not yet referred"] == 1
        queue = await _open_count(pilot, "Reports in the store")
        assert isinstance(queue, QueueScreen)
        queue.query_one("#status", Select).value = "approved"
        await settle(pilot)
        assert [(row[0], row[5]) for row in _queue_rows(queue)] == [(reference, "approved, to seal")]

    def sealed(session: Session) -> None:
        with session.conn:
            sealing_store.mark_sealed(session.conn, [_referral_id(session, key)], "bundle", "2026-11-20T12:00:00Z")

    _as(desk, "sam", sealed)
    await status_seen("referred", urgent=0)


async def test_returned_work_reaches_the_analyst_with_who_when_and_what(desk, make_app):  # type: ignore[no-untyped-def]
    key, reference = _as(desk, "ana", _first_new)  # type: ignore[misc]

    def refer(session: Session) -> None:
        take_report(session, key)
        submit(session, key, _form("normal"))

    _as(desk, "ana", refer)
    _as(desk, "sam", lambda s: return_to_analyst(s, _referral_id(s, key), COMMENTS))
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        assert _waiting(app.screen)["Returned to me with comments"] == 1
        assert _waiting(app.screen)["Assigned to me"] == 1
        queue = await _open_count(pilot, "Returned to me with comments")
        assert isinstance(queue, QueueScreen)
        assert queue.query_one("#status", Select).value == "returned"
        assert queue.query_one("#mine", Checkbox).value is True
        rows = _queue_rows(queue)
        assert [(row[0], row[5], row[8]) for row in rows] == [(f"↩ {reference}", "returned", "ana")]

        await pilot.press("enter")  # the report, read-only
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert shown(report.query_one("#returned-heading")) == "Returned by sam on 2026-11-20 12:00 UTC"
        assert shown(report.query_one("#returned", Static)) == COMMENTS
        assert "in assessment, returned with comments" in shown(report.query_one("#report-header", Static))

        await pilot.press("a")  # on to the form, where the comments stand above it
        await settle(pilot)
        assert isinstance(app.screen, AssessmentScreen)
        assert shown(app.screen.query_one("#returned-heading")) == "Returned by sam on 2026-11-20 12:00 UTC"
        assert shown(app.screen.query_one("#returned", Static)) == COMMENTS


async def test_every_count_on_home_opens_the_list_of_what_it_counts(desk, make_app):  # type: ignore[no-untyped-def]
    """ana holds three reports, one of them returned: every queue count equals the list it opens."""
    keys = _as(desk, "ana", lambda s: [k for (k,) in s.conn.execute(
        "SELECT id FROM reports WHERE status = 'new' ORDER BY id LIMIT 3")])

    def work(session: Session) -> None:
        for key in keys:  # type: ignore[union-attr]
            take_report(session, key)
        submit(session, keys[0], _form())  # type: ignore[index]
        save_draft(session, keys[1], _form("high"))  # type: ignore[index]

    _as(desk, "ana", work)
    _as(desk, "sue", lambda s: return_to_analyst(s, _referral_id(s, keys[0]), COMMENTS))  # type: ignore[index]
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        counts = _waiting(app.screen)
        assert counts["Assigned to me"] == 3 and counts["Returned to me with comments"] == 1
        assert counts["New reports to assess"] == 357 and counts["Reports in the store"] == 360
        queue_counts = {item.label: item.count for item in app.screen._waiting if item.preset is not None}
        assert set(queue_counts) >= {"New reports to assess", "Assigned to me", "Urgent, not yet referred",
                                     "Returned to me with comments", "Reports in the store"}
        for label, count in queue_counts.items():
            screen = await _open_count(pilot, label)
            assert isinstance(screen, QueueScreen), label
            assert _count_shown(screen) == f"{count:,} report{'s' if count != 1 else ''}", label
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


async def test_a_supervisors_counts_open_the_approval_and_seal_lists(desk, make_app):  # type: ignore[no-untyped-def]
    await _each_count_opens(make_app(desk), "sam", {
        "Referrals awaiting approval": ApprovalQueueScreen, "Approved, waiting to be sealed": SealScreen})


async def test_a_security_officers_counts_open_their_screens(desk, make_app):  # type: ignore[no-untyped-def]
    await _each_count_opens(make_app(desk), "officer", {
        "Bundles held in quarantine": QuarantineScreen, "Users who must change their password": UsersScreen,
        "Trusted keys in the keyring": KeyringScreen, "Forces with no key to seal to": KeyringScreen})


async def _each_count_opens(app, name: str, screens: dict) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Each of ``name``'s counts named in ``screens`` opens that screen, and Escape comes back home."""
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, name)
        for label, kind in screens.items():
            screen = await _open_count(pilot, label)
            assert isinstance(screen, kind), label
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), label


# -- a lock, and back to the work ---------------------------------------------------------------


async def _filtered_queue(pilot) -> QueueScreen:  # type: ignore[no-untyped-def]
    """ana's queue, filtered to phone reports and moved three rows down."""
    await open_session(pilot, "ana")
    queue = await _open_count(pilot, "Reports in the store")
    assert isinstance(queue, QueueScreen)
    queue.query_one("#channel", Select).value = "phone"
    await settle(pilot)
    await pilot.press("down", "down", "down")
    return queue


async def test_an_idle_lock_says_why_and_unlocking_returns_to_the_report_and_the_queue_below(desk, make_app):  # type: ignore[no-untyped-def]
    app = make_app(desk, idle_lock_seconds=300)
    async with app.run_test(size=SIZE) as pilot:
        queue = await _filtered_queue(pilot)
        count, row = _count_shown(queue), queue.query_one(PagedTable).current_row_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen) and app.screen.detail.key == row
        app._last_input = time.monotonic() - 301
        app._check_idle()
        await settle(pilot)
        unlock = app.screen
        assert isinstance(unlock, UnlockScreen)
        assert shown(unlock.query_one("#status", Static)) == (
            "Locked after 5 minutes without input, to keep the store closed while nobody is at the desk. "
            "Unlock as ana to return to where you were: Report.")
        assert unlock.query_one("#user").value == "ana" and unlock.focused is unlock.query_one("#password")

        await pilot.press(*PASSWORDS["ana"], "enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen) and report.detail.key == row and report.session is app.session
        await pilot.press("escape")
        await settle(pilot)
        back = app.screen
        assert isinstance(back, QueueScreen) and back is not queue
        assert back.query_one("#channel", Select).value == "phone" and _count_shown(back) == count
        assert back.query_one(PagedTable).current_row_id == row
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_another_user_unlocking_starts_at_home(desk, make_app):  # type: ignore[no-untyped-def]
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await _filtered_queue(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "Unlock as ana to return to where you were: Report queue." in shown(app.screen.query_one("#status", Static))
        assert app.screen.query_one("#user").value == "", "a lock by hand fills in no name"
        await open_session(pilot, "ben")
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2
        await pilot.press("ctrl+l")
        await settle(pilot)
        await open_session(pilot, "ana")  # ben's unlock spent ana's way back
        assert isinstance(app.screen, HomeScreen)


# -- the screens this changed, at the smallest supported size and a wide one ----------------------

@pytest.fixture
def returned_desk(desk: DemoRoom) -> DemoRoom:
    """ana's first new report referred, urgent, and returned to her by sam with comments."""
    key, _ = _as(desk, "ana", _first_new)  # type: ignore[misc]

    def refer(session: Session) -> None:
        take_report(session, key)
        submit(session, key, _form())

    _as(desk, "ana", refer)
    _as(desk, "sam", lambda s: return_to_analyst(s, _referral_id(s, key), COMMENTS))
    return desk


async def _returned_work(pilot, *then: str) -> None:  # type: ignore[no-untyped-def]
    """ana opens the work returned to her from home's count, then presses ``then``."""
    await open_session(pilot, "ana")
    await _open_count(pilot, "Returned to me with comments")
    if then:
        await pilot.press(*then)
        await settle(pilot)


class TestReturnedWork:
    """What ana sees of work sam returned: home's counts, the queue's marker, the comments."""

    @pytest.mark.parametrize("size", SIZES)
    def test_home(self, returned_desk, make_app, snap_compare, size):  # type: ignore[no-untyped-def]
        async def run_before(pilot):  # type: ignore[no-untyped-def]
            await open_session(pilot, "ana")
            pilot.app.screen.query_one("#waiting-list", OptionList).focus()
            await settle(pilot)

        assert snap_compare(make_app(returned_desk), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_queue_of_returned_work(self, returned_desk, make_app, snap_compare, size):  # type: ignore[no-untyped-def]
        async def run_before(pilot):  # type: ignore[no-untyped-def]
            await _returned_work(pilot)

        assert snap_compare(make_app(returned_desk), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_report_with_the_comments(self, returned_desk, make_app, snap_compare, size):  # type: ignore[no-untyped-def]
        async def run_before(pilot):  # type: ignore[no-untyped-def]
            await _returned_work(pilot, "enter")

        assert snap_compare(make_app(returned_desk), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_form_with_the_comments(self, returned_desk, make_app, snap_compare, size):  # type: ignore[no-untyped-def]
        async def run_before(pilot):  # type: ignore[no-untyped-def]
            await _returned_work(pilot, "a")

        assert snap_compare(make_app(returned_desk), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_unlock_after_an_idle_lock(self, returned_desk, make_app, snap_compare, size):  # type: ignore[no-untyped-def]
        async def run_before(pilot):  # type: ignore[no-untyped-def]
            await _returned_work(pilot)
            pilot.app._last_input -= 301
            pilot.app._check_idle()
            await settle(pilot)

        assert snap_compare(make_app(returned_desk), terminal_size=size, run_before=run_before)


@pytest.fixture
def room_to_import(room: DemoRoom, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    return room


@pytest.mark.parametrize("size", SIZES)
def test_the_import_list_says_the_refused_bundle_is_in_quarantine(room_to_import, make_app, snap_compare, size, monkeypatch):  # type: ignore[no-untyped-def]
    """After importing the medium: seven imported, the tampered one held in quarantine (not 'new').
    The bundles' sizes are masked: the demo's bundles differ a little from build to build."""
    from hotline_tui.screens.intake import import_screen
    from hotline_tui.screens.intake.import_screen import ImportScreen

    monkeypatch.setattr(import_screen, "_size", lambda size: "#.# KB")

    seen = {}

    async def run_before(pilot):  # type: ignore[no-untyped-def]
        await open_session(pilot, "ana")
        await pilot.press("enter")  # the first action: import
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ImportScreen)
        seen["states"] = sorted(listing.state for listing in screen.listings)
        table = screen.query_one("#bundles", DataTable)
        table.focus()
        table.move_cursor(row=[listing.state for listing in screen.listings].index("quarantined"))
        await settle(pilot)

    assert snap_compare(make_app(room_to_import), terminal_size=size, run_before=run_before)
    assert seen["states"] == ["imported"] * 7 + ["quarantined"]
