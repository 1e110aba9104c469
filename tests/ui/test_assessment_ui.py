"""The assessment screen, driven by the keyboard: take, fill, red flags, decide, drafts.

Each test starts from a copy of the imported demo room (360 reports, fixed clock,
seeded ids) with the app's sessions on the same fixed clock, and checks what the store
holds as well as what the screen shows. Pilot waits for the app to go idle after every
key, so the texts typed here are short, and only the fill test walks the Tab order (the
decision is some 30 Tabs from the force); the others jump to the field they work in.
"""

from __future__ import annotations

import functools
import json
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Select, SelectionList, Static, TextArea
from uikit import NOW, PASSWORDS, fixed_clock, open_session, settings_for, settle, shown, type_text

from hotline_tui import reference
from hotline_tui.demo.room import DEMO_SEED, REPORT_COUNT, DemoRoom
from hotline_tui.demo.synthetic import generate_reports_with_truth
from hotline_tui.screens import unlock_screen
from hotline_tui.screens.assessment import AssessmentScreen
from hotline_tui.screens.assessment.red_flags import RedFlagTable
from hotline_tui.screens.triage.queue_screen import COLUMNS, QueueScreen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.sealed import contact
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import (
    AssessmentForm,
    SubjectEntry,
    anonymous_default_grading,
    load_assessment,
    return_to_analyst,
    save_draft,
    submit,
    take_report,
)
from hotline_tui.store import assessments as store
from hotline_tui.widgets.paged_table import PagedTable

SIZE = (160, 50)
SUMMARY = "Seized phones are sold through a local shop."  # 40 characters at least: the minimum


@pytest.fixture
def desk(imported_room: DemoRoom, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """The imported demo room, the app's sessions on the fixed clock."""
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    return imported_room


def services(room: DemoRoom, name: str) -> Session:
    """A session as ``name`` through the services, as the headless commands use them."""
    return unlock(settings_for(room), name, PASSWORDS[name], clock=fixed_clock)


# -- the store and the demo's ground truth -------------------------------------------------------


@functools.cache
def _truth() -> dict[str, str]:
    """report_id -> planted repeat officer, for the demo room built at NOW."""
    _reports, truth = generate_reports_with_truth(
        REPORT_COUNT, seed=DEMO_SEED, start=NOW - timedelta(days=120), end=NOW - timedelta(hours=2)
    )
    return truth


def reports_about(session: Session, times: int) -> list[int]:
    """Store keys, oldest first, of the reports about the first planted officer reported
    ``times`` times."""
    keys = dict(session.conn.execute("SELECT report_id, id FROM reports").fetchall())
    found: dict[str, list[int]] = {}
    for report_id, officer in _truth().items():
        found.setdefault(officer, []).append(keys[report_id])
    officer = min(name for name, reports in found.items() if len(reports) == times)
    return sorted(found[officer], key=lambda key: received(session, key))


def received(session: Session, key: int) -> str:
    return str(session.conn.execute("SELECT received_at FROM reports WHERE id = ?", (key,)).fetchone()[0])


def head(session: Session, key: int) -> store.ReportHead:
    found = store.report_head(session.conn, key)
    assert found is not None
    return found


def document(session: Session, key: int) -> dict[str, Any]:
    """The report as received, its sealed contact details opened with the session's key."""
    found = contact.full_document(session, key)
    assert found is not None
    return found[1]


def red_flags(session: Session, key: int) -> int:
    return int(session.conn.execute("SELECT red_flags FROM reports WHERE id = ?", (key,)).fetchone()[0])


def newest(session: Session, test: Any) -> int:
    """The newest report whose document as received (contact details opened) passes ``test``."""
    for (key,) in session.conn.execute("SELECT id FROM reports ORDER BY received_at DESC").fetchall():
        _, document = contact.full_document(session, key) or ("", {})
        if test(document):
            return int(key)
    raise AssertionError("no demo report fits")


def has_contact(doc: dict[str, Any]) -> bool:
    reporter = doc.get("reporter") or {}
    return bool(reporter.get("phone") and reporter.get("email"))


def anonymous(doc: dict[str, Any]) -> bool:
    return not doc.get("reporter") or bool(doc["reporter"].get("anonymous"))


def complete(form: AssessmentForm, summary: str = SUMMARY) -> AssessmentForm:
    """``form`` (a report's own force and subjects) made ready to refer."""
    form.categories, form.source, form.intelligence, form.handling = ["theft_and_fraud"], "2", "C", "P"
    form.summary, form.decision = summary, "refer"
    return form


def refer_by_services(session: Session, key: int) -> str:
    """Take and refer ``key`` through the services; the referral's id."""
    assert submit(session, key, complete(take_report(session, key).form)) == "awaiting_approval"
    referral = store.referral_of_report(session.conn, head(session, key).report_id)
    assert referral is not None
    return referral.referral_id


# -- driving the app --------------------------------------------------------------------------------


async def open_queue(pilot: Pilot[Any], name: str = "ana") -> QueueScreen:
    await open_session(pilot, name)
    await pilot.press("down", "enter")  # the second action: Report queue
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    return screen


def row_of(queue: QueueScreen, key: int) -> int:
    table = queue.query_one(PagedTable)
    return next(index for index in range(table.row_count) if (row := table.row_at(index)) and row.row_id == key)


async def take(pilot: Pilot[Any], key: int, search: str = "") -> AssessmentScreen:
    """In the queue: search (if given), arrow down to the report's row, press ``a``."""
    queue = pilot.app.screen
    assert isinstance(queue, QueueScreen)
    if search:
        await pilot.press("slash")
        await type_text(pilot, search)
        await settle(pilot)
        await pilot.press("escape")  # back to the table
    table = queue.query_one(PagedTable)
    assert queue.focused is table
    await pilot.press("home", *["down"] * row_of(queue, key), "a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AssessmentScreen) and screen.assessment.key == key
    return screen


async def tab_to(pilot: Pilot[Any], widget_id: str) -> None:
    """Tab until the widget has focus, as a user would."""
    for _ in range(60):
        focused = pilot.app.screen.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"#{widget_id} never took focus")


async def jump(pilot: Pilot[Any], widget_id: str) -> None:
    """Focus a field directly: the fill test walks the Tab order, the others jump."""
    pilot.app.screen.query_one(f"#{widget_id}").focus()
    await pilot.pause()


async def choose(pilot: Pilot[Any], text: str) -> None:
    """On a focused choice: type to search, Enter takes the match."""
    await type_text(pilot, text)
    await pilot.press("enter")


async def tick(pilot: Pilot[Any], selection: SelectionList[str], code: str) -> None:
    """On a focused selection list: arrow to the option, space ticks it."""
    target = [selection.get_option_at_index(i).value for i in range(selection.option_count)].index(code)
    await pilot.press("home", *["down"] * target, "space")


def queue_column(queue: QueueScreen, column: str) -> dict[str, str]:
    """Reference -> what the queue shows in ``column``, for every row of its current view."""
    table = queue.query_one(PagedTable)
    at = [c.key for c in COLUMNS].index(column)
    return {row.cells[0]: row.cells[at] for index in range(table.row_count) if (row := table.row_at(index))}


def notes(pilot: Pilot[Any]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


def still(pilot: Pilot[Any]) -> None:
    """No blinking cursor and no passing notification in a snapshot."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    pilot.app.clear_notifications()


def cells(table: DataTable[Any], row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


# -- taking a report --------------------------------------------------------------------------------


async def test_a_report_taken_by_one_analyst_is_refused_to_another(desk, make_app):
    """Taking with ``a`` is in TestAssessmentScreen.test_just_taken; here ben meets ana's."""
    ana = services(desk, "ana")
    try:
        key = newest(ana, lambda doc: True)
        taken = take_report(ana, key)
    finally:
        ana.close()

    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot, "ben")
        assert queue_column(queue, "assigned")[taken.reference] == "ana"  # others see who has it
        assert queue_column(queue, "status")[taken.reference] == "in assessment"
        assert queue.query_one(PagedTable).current_row_id == key  # newest first
        await pilot.press("a")
        await settle(pilot)
        assert pilot.app.screen is queue
        assert notes(pilot)[-1] == f"ana is assessing report {taken.reference}; they must give it back first."
        assert head(app.session, key).assigned_to == "ana"


# -- every part of the form, a red flag, a referral ------------------------------------------------


async def fill_every_part(pilot: Pilot[Any], screen: AssessmentScreen, force: str) -> None:
    """Force by typing; the first subject edited and one added; categories; the offered
    default grading, then handling C with a condition; urgent with why; an IOPC
    criterion; the summary. Keys only."""
    assert screen.focused is screen.query_one("#force")
    await choose(pilot, "kent")
    assert screen.query_one("#force", Select).value == "kent"
    await choose(pilot, reference.force_by_code(force).name[:9])  # type: ignore[union-attr]
    assert screen.query_one("#force", Select).value == force
    await pilot.press("tab", "tab", "tab", "tab")  # the first subject: role, name, rank, collar number
    await type_text(pilot, "7731")
    await pilot.press("ctrl+n")  # a new subject, its name focused
    await settle(pilot)
    await type_text(pilot, "Orla Vance")
    await pilot.press("tab")
    await type_text(pilot, "Insp")
    await pilot.press("shift+tab", "shift+tab")  # back to its role
    await choose(pilot, "off")
    await tab_to(pilot, "discrimination")
    await tick(pilot, screen.query_one("#discrimination", SelectionList), "misogynistic")
    await pilot.press("tab")
    await tick(pilot, screen.query_one("#categories", SelectionList), "theft_and_fraud")
    await pilot.press("ctrl+g")  # the usual default for an anonymous report, applied on request
    await tab_to(pilot, "handling")
    await choose(pilot, "c")
    await pilot.press("tab")  # the conditions appear with C
    assert screen.focused is screen.query_one("#conditions")
    await tick(pilot, screen.query_one("#conditions", SelectionList), "A2")
    await tab_to(pilot, "priority")
    await choose(pilot, "urg")
    await pilot.press("tab")  # why urgent appears with urgent
    await type_text(pilot, "Ongoing")
    await pilot.press("tab")
    assert screen.focused is screen.query_one("#iopc")  # an English force: the criteria apply
    await tick(pilot, screen.query_one("#iopc", SelectionList), "serious_corruption")
    await pilot.press("tab")
    assert screen.focused is screen.query_one("#when")  # when, then where, as the report says them
    await pilot.press("tab", "tab")
    assert screen.focused is screen.query_one("#summary", TextArea)
    await type_text(pilot, SUMMARY)
    await settle(pilot)


def twice_reported(session: Session) -> tuple[int, int, str]:
    """The two reports about a planted officer reported twice (earlier, later), and a
    word to find them by in the queue (the later report's first subject's surname)."""
    earlier, later = reports_about(session, 2)
    return earlier, later, document(session, later)["subjects"][0]["name"].split()[-1]


async def test_fill_every_part_of_the_form_by_keyboard(desk, make_app):
    ana = services(desk, "ana")
    try:
        _earlier, later, surname = twice_reported(ana)
        form = load_assessment(ana, later).form  # the starting form: the report's own force and subjects
    finally:
        ana.close()
    assert form.force is not None and reference.force_by_code(form.force).iopc  # type: ignore[union-attr]

    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        screen = await take(pilot, later, search=surname)
        await fill_every_part(pilot, screen, form.force)
        source, intelligence, handling = anonymous_default_grading(screen.assessment.document)
        assert handling == "P"  # offered as P, changed to C by the analyst
        first = form.subjects[0]
        form.subjects = [
            SubjectEntry(first.role, first.name, first.rank, first.collar_number + "7731", first.station),
            SubjectEntry("officer", "Orla Vance", "Insp"),
        ]
        form.categories, form.discrimination = ["theft_and_fraud"], ["misogynistic"]
        form.source, form.intelligence, form.handling, form.handling_conditions = source, intelligence, "C", ["A2"]
        form.priority, form.priority_reason, form.iopc_criteria = "urgent", "Ongoing", ["serious_corruption"]
        form.summary = SUMMARY
        assert screen.read_form() == form
        assert AssessmentForm.from_dict(json.loads(store.draft(app.session.conn, later).form)) == form  # saved as typed
        assert shown(screen.query_one("#problems", Static)).startswith("Before submitting:\n• Choose a decision")


async def test_confirm_a_red_flag_and_refer(desk, make_app):
    """The earlier report about the same officer is listed with why and its outcome; the
    link confirmed with c travels with the referral, and the queue counts it."""
    ana = services(desk, "ana")
    try:
        earlier, later, surname = twice_reported(ana)
        earlier_referral = refer_by_services(ana, earlier)
        form = complete(take_report(ana, later).form)
        form.decision = None  # the analyst decides on screen
        save_draft(ana, later, form)
        refs = head(ana, earlier).reference, head(ana, later).reference
    finally:
        ana.close()

    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        screen = await take(pilot, later, search=surname)
        await jump(pilot, "summary")
        await pilot.press("tab")
        table = screen.query_one("#redflags", DataTable)
        assert screen.focused is table
        row = [candidate.key for candidate in screen.query_one("#redflags", RedFlagTable).candidates].index(earlier)
        listed = cells(table, row)
        assert listed[0] == refs[0] and listed[3:5] == ["referral awaiting approval", "?"]
        assert "same surname" in listed[5]
        await pilot.press(*["down"] * row, "c")
        await settle(pilot)
        confirmed = cells(table, table.cursor_row)
        assert (confirmed[0], confirmed[4]) == (refs[0], "✔ confirmed")
        assert store.links_of(app.session.conn, later) == {earlier: True}
        assert (red_flags(app.session, earlier), red_flags(app.session, later)) == (1, 1)

        await pilot.press("tab")
        await choose(pilot, "refer")
        await settle(pilot)
        assert shown(screen.query_one("#problems", Static)) == "Ready to submit."
        await pilot.press("ctrl+s")
        await settle(pilot)

        queue = pilot.app.screen
        assert isinstance(queue, QueueScreen)
        assert notes(pilot)[-1] == "Submitted: awaiting approval."
        assert head(app.session, later).status == "awaiting_approval"
        referral = store.referral_of_report(app.session.conn, head(app.session, later).report_id)
        assert referral is not None and (referral.state, referral.force_code) == ("awaiting_approval", form.force)
        sent = json.loads(referral.document)
        assert sent["linked_referrals"] == [earlier_referral]
        assert (sent["summary"], sent["analyst"]) == (SUMMARY, "ana")
        # The queue's Flags column: both reports carry one confirmed red flag.
        flags = queue_column(queue, "red_flags")
        assert (flags[refs[0]], flags[refs[1]]) == ("1", "1")


# -- the other decisions ------------------------------------------------------------------------------


async def test_each_other_decision_sets_the_status(desk, make_app):
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        table = queue.query_one(PagedTable)
        keys = [row.row_id for index in range(4) if (row := table.row_at(index))]
        other = head(app.session, keys[3]).reference

        screen = await take(pilot, keys[0])
        await jump(pilot, "decision")
        await choose(pilot, "no f")
        await pilot.press("tab")  # the reason appears with the decision
        await choose(pilot, "not ab")
        await pilot.press("tab")
        await type_text(pilot, "Neighbours")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notes(pilot)[-1] == "Submitted: no further action."
        assert head(app.session, keys[0]).status == "no_further_action"
        decided = json.loads(store.draft(app.session.conn, keys[0]).form)
        assert (decided["nfa_reason"], decided["decision_note"]) == ("not_police_conduct", "Neighbours")
        assert screen.is_attached is False and pilot.app.screen is queue

        await take(pilot, keys[1])
        await jump(pilot, "decision")
        await choose(pilot, "dup")
        await pilot.press("tab", "tab")  # the note, then the reference it duplicates
        await type_text(pilot, other)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notes(pilot)[-1] == "Submitted: duplicate."
        assert head(app.session, keys[1]).status == "duplicate"
        assert json.loads(store.draft(app.session.conn, keys[1]).form)["duplicate_of"] == other

        await take(pilot, keys[2])
        await jump(pilot, "decision")
        await choose(pilot, "info")
        await pilot.press("tab")
        await type_text(pilot, "Red flags")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert notes(pilot)[-1] == "Submitted: information only."
        assert head(app.session, keys[2]).status == "information_only"
        statuses = queue_column(queue, "status")
        assert [statuses[head(app.session, key).reference] for key in keys[:3]] == [
            "no further action", "duplicate", "information only",
        ]
        assert store.referral_of_report(app.session.conn, head(app.session, keys[0]).report_id) is None


# -- section jumps ------------------------------------------------------------------------------------


async def test_function_keys_jump_to_each_section(desk, make_app):
    """f2-f5, f8, f9 focus the first field of force, subjects, categories, grading,
    summary and decision (from wherever the focus is, the summary included), scrolled
    into view; the footer shows them as one group, each section's title its key."""
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        screen = await take(pilot, queue.query_one(PagedTable).current_row_id)
        form = screen.query_one("#form")
        first_role = screen.query_one("#subjects").children[0].query_one(".role")
        for key, expected in (("f9", screen.query_one("#decision")), ("f8", screen.query_one("#summary")),
                              ("f9", screen.query_one("#decision")), ("f8", screen.query_one("#summary")),
                              ("f3", first_role), ("f4", screen.query_one("#behaviours")),
                              ("f5", screen.query_one("#source")), ("f2", screen.query_one("#force"))):
            await pilot.press(key)
            await settle(pilot)
            assert screen.focused is expected, key
            assert form.region.contains_region(expected.region), f"{key}: the field is scrolled into view"
            if key == "f8":
                await type_text(pilot, "ab")  # the keys work from inside the summary too
        assert screen.query_one("#summary", TextArea).text.startswith("ab")
        footer = " ".join(shown(label) for label in screen.query("FooterLabel"))
        keys = [k.key for k in screen.query("FooterKey")]
        assert "Jump to section" in footer and {"f2", "f3", "f4", "f5", "f8", "f9"} <= set(keys)
        assert shown(screen.query_one("#section-decision", Label)) == "Decision  f9"


# -- drafts ---------------------------------------------------------------------------------------------


async def test_a_draft_survives_lock(desk, make_app):
    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        key = queue.query_one(PagedTable).current_row_id
        await take(pilot, key)
        await jump(pilot, "summary")
        await type_text(pilot, "Typed before the lock")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.session is None

        await open_session(pilot, "ana")  # unlocking returns to the form, as it was at the lock
        assert json.loads(store.draft(app.session.conn, key).form)["summary"] == "Typed before the lock"
        screen = app.screen
        assert isinstance(screen, AssessmentScreen) and screen.assessment.key == key
        assert screen.query_one("#summary", TextArea).text == "Typed before the lock"


async def test_a_returned_referral_shows_the_supervisors_comments(desk, make_app):
    comments = "Say which station, and drop the date: it narrows down who saw it."
    ana, sam = services(desk, "ana"), services(desk, "sam")
    try:
        key = newest(ana, anonymous)
        return_to_analyst(sam, refer_by_services(ana, key), comments)
    finally:
        ana.close()
        sam.close()

    app = make_app(desk)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        assert queue_column(queue, "assigned")[f"↩ {head(app.session, key).reference}"] == "ana"  # marked as returned
        screen = await take(pilot, key)
        assert shown(screen.query_one("#returned", Static)) == comments
        assert screen.query_one("#summary", TextArea).text == SUMMARY  # the referral's form, to change
        await pilot.press("escape")  # back to the queue; still hers to resubmit
        await settle(pilot)
        assert pilot.app.screen is queue
        assert (head(app.session, key).status, head(app.session, key).assigned_to) == ("in_assessment", "ana")


# -- snapshots --------------------------------------------------------------------------------------------


class TestAssessmentScreen:
    """The assessment screen at 160x50: the original report beside the form."""

    def test_just_taken(self, desk, make_app, snap_compare):
        seen: dict[str, Any] = {}

        async def run_before(pilot):
            queue = await open_queue(pilot)
            key = queue.query_one(PagedTable).current_row_id
            screen = await take(pilot, key)
            still(pilot)
            session = pilot.app.session
            seen["focused"] = screen.focused.id if screen.focused else None
            seen["problems"] = shown(screen.query_one("#problems", Static))
            seen["held"] = (head(session, key).assigned_to, head(session, key).status)
            seen["draft_saved"] = store.draft(session.conn, key).draft_saved_at  # opening is not work begun
            seen["grading"] = [screen.query_one(f"#{part}", Select).is_blank() for part in ("source", "intelligence", "handling")]

        assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)
        assert seen["focused"] == "force" and seen["held"] == ("ana", "in_assessment") and seen["draft_saved"] is None
        assert seen["problems"].startswith("Before submitting:\n• Choose a decision")
        assert seen["grading"] == [True] * 3  # the anonymous default is offered, never applied

    def test_filled(self, desk, make_app, snap_compare):
        ana = services(desk, "ana")
        try:
            _earlier, later, name = twice_reported(ana)
            form = complete(take_report(ana, later).form)
            form.subjects.append(SubjectEntry("officer", "Orla Vance", "Insp"))
            form.discrimination, form.handling, form.handling_conditions = ["misogynistic"], "C", ["A2"]
            form.priority, form.priority_reason, form.iopc_criteria = "urgent", "Ongoing", ["serious_corruption"]
            saved_at = save_draft(ana, later, form)
        finally:
            ana.close()
        seen: dict[str, Any] = {}

        async def run_before(pilot):
            await open_queue(pilot)
            screen = await take(pilot, later, search=name)
            still(pilot)
            seen["form"] = screen.read_form()
            seen["problems"] = shown(screen.query_one("#problems", Static))
            seen["saved_at"] = store.draft(pilot.app.session.conn, later).draft_saved_at

        assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)
        assert seen == {"form": form, "problems": "Ready to submit.", "saved_at": saved_at}

    def test_red_flags(self, desk, make_app, snap_compare):
        ana = services(desk, "ana")
        try:
            *earlier, latest = reports_about(ana, 5)
            name = document(ana, latest)["subjects"][0]["name"].split()[-1]
        finally:
            ana.close()
        seen: dict[str, Any] = {}

        async def run_before(pilot):
            await open_queue(pilot)
            screen = await take(pilot, latest, search=name)
            await jump(pilot, "redflags")
            table = screen.query_one("#redflags", DataTable)
            seen["listed"] = {c.key for c in screen.query_one("#redflags", RedFlagTable).candidates}
            await pilot.press("c", "down", "x")  # the first is the same person, the second not
            await settle(pilot)
            still(pilot)
            seen["links"] = store.links_of(pilot.app.session.conn, latest)
            seen["shown"] = [cells(table, row)[4] for row in range(2)]
            seen["flags"] = red_flags(pilot.app.session, latest)

        assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)
        assert set(earlier) <= seen["listed"]  # every earlier report about the officer is found
        assert sorted(seen["links"].values()) == [False, True] and set(seen["links"]) <= set(earlier)
        assert seen["shown"] == ["✔ confirmed", "✘ rejected"] and seen["flags"] == 1

    def test_sanitisation_warning(self, desk, make_app, snap_compare):
        ana = services(desk, "ana")
        try:
            key = newest(ana, has_contact)
            phone = document(ana, key)["reporter"]["phone"]
            save_draft(ana, key, complete(take_report(ana, key).form))  # ready to refer but for the phone number
        finally:
            ana.close()
        seen: dict[str, Any] = {}

        async def run_before(pilot):
            await open_queue(pilot)
            screen = await take(pilot, key)
            assert shown(screen.query_one("#problems", Static)) == "Ready to submit."
            await jump(pilot, "summary")
            await type_text(pilot, f"Call {phone}. ")
            await settle(pilot)
            seen["flags"] = shown(screen.query_one("#flags", Static))
            seen["blocking"] = screen.query_one("#flags").has_class("error")
            await pilot.press("ctrl+s")
            await settle(pilot)
            seen["notes"] = notes(pilot)
            seen["screen"] = pilot.app.screen is screen
            seen["status"] = head(pilot.app.session, key).status
            seen["referral"] = store.referral_of_report(pilot.app.session.conn, head(pilot.app.session, key).report_id)
            still(pilot)

        assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)
        assert seen["flags"].startswith("✘ ") and phone in seen["flags"] and seen["blocking"]
        assert seen["notes"][-1].startswith("Not submitted:\n- The summary contains")
        assert "phone" in seen["notes"][-1]
        assert (seen["screen"], seen["status"], seen["referral"]) == (True, "in_assessment", None)
