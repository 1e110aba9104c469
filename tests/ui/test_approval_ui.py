"""Approval and sealing as sam, through the screens, on the imported demo room.

ana has referred five reports (one to the City of London, whose keys are not in the
keyring) and sam one himself, through the services, with seeded referral ids on the
tests' fixed clock; for the sealing tests the referrals are approved as well (sam's own
by sue). Every test checks the store or the media as well as the screen; the snapshots
hold still because the ids, the room's keys, the bundle ids and the clock are fixed.
"""

from __future__ import annotations

import functools
import json
import random
import re
import shutil
import uuid
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, ProgressBar, SelectionList, Static, TextArea
from uikit import NOW, PASSWORDS, SIZE, fixed_clock, open_session, settings_for, settle, shown, type_text

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import approval_screen, unlock_screen
from hotline_tui.screens.approval_screen import ApprovalQueueScreen, PasswordPrompt, ReturnPrompt, ReviewScreen
from hotline_tui.screens.seal_screen import SealScreen
from hotline_tui.services.approval import OWN_WORK_NOTE, approve
from hotline_tui.services.assessment import AssessmentForm, SubjectEntry, submit, take_report
from hotline_tui.services.sealing import SealProgress
from hotline_tui.services.session import Session
from hotline_tui.services.users import unlock_personal_key
from hotline_tui.services.workspace import unlock
from hotline_tui.services.workspace_locks import BUSY, seal_lock
from import_export import writer
from import_export.bundle import signature_path
from import_export.minisign import PublicKey, Signature

SUMMARY = (
    "An officer at the named station is said to have sold details from police systems to a local "
    "dealer over several months, meeting him in a car park after late shifts."
)
# (analyst, force, priority) of each referral, in the order they are submitted.
REFERRALS = (
    ("ana", "metropolitan", "normal"),
    ("ana", "kent", "urgent"),
    ("ana", "city-of-london", "normal"),
    ("ana", "essex", "high"),
    ("ana", "metropolitan", "normal"),
    ("sam", "kent", "normal"),
)
COMMENTS = "Say which station: the summary only says 'the named station'."
OWN_REFUSAL = ("You (sam) assessed referral HTR-2026-000006 yourself, so you cannot approve it:"
               " another supervisor must approve it.")


def _form(force: str, priority: str) -> AssessmentForm:
    return AssessmentForm(
        force=force, subjects=[SubjectEntry("officer", "Dave Whitfield", "PC", "4417", "Lewisham")],
        behaviours=["corruption"], categories=["disclosure_of_information"], source="2", intelligence="C",
        handling="P", priority=priority, priority_reason="Ongoing leaks of intelligence" if priority == "urgent" else "",
        summary=SUMMARY, decision="refer",
    )


def _services(room: DemoRoom, name: str) -> Session:
    return unlock(settings_for(room), name, PASSWORDS[name], clock=fixed_clock)


def _copy(template: DemoRoom, root: Path) -> DemoRoom:
    shutil.copytree(template.root, root)
    return DemoRoom(root, root / "workspace", root / "media", root / "secrets")


@pytest.fixture(scope="module")
def submitted_template(imported_template: DemoRoom, tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """The imported demo room with the six referrals awaiting approval."""
    room = _copy(imported_template, tmp_path_factory.mktemp("approvals") / "room")
    rng = random.Random(6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
        sessions = {name: _services(room, name) for name in ("ana", "sam")}
        try:
            keys = [k for (k,) in sessions["ana"].conn.execute("SELECT id FROM reports WHERE status = 'new' ORDER BY id")]
            for key, (name, force, priority) in zip(keys, REFERRALS, strict=False):
                take_report(sessions[name], key)
                submit(sessions[name], key, _form(force, priority))
        finally:
            for session in sessions.values():
                session.close()
    return room


@pytest.fixture(scope="module")
def approved_template(submitted_template: DemoRoom, tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """Every referral approved but Essex's: sam's own by sue, the rest by sam."""
    room = _copy(submitted_template, tmp_path_factory.mktemp("approved") / "room")
    for name in ("sam", "sue"):
        session = _services(room, name)
        try:
            key = unlock_personal_key(session, PASSWORDS[name])
            rows = session.conn.execute("SELECT referral_id, analyst, force_code FROM referrals ORDER BY reference")
            for referral_id, analyst, force in rows.fetchall():
                if force != "essex" and (analyst == "sam") == (name == "sue"):
                    approve(session, referral_id, key)
        finally:
            session.close()
    return room


def _desk(template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """A copy as ``room/`` in the test's folder, an empty ``stick/`` beside it, the app's
    sessions on the fixed clock and the bundle ids seeded."""
    shutil.copytree(template.root, tmp_path / "room")
    (tmp_path / "stick").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    rng = random.Random(11)
    monkeypatch.setattr(writer.uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
    return DemoRoom(Path("room"), Path("room/workspace"), Path("room/media"), Path("room/secrets"))


@pytest.fixture
def submitted(submitted_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    return _desk(submitted_template, tmp_path, monkeypatch)


@pytest.fixture
def approved(approved_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    return _desk(approved_template, tmp_path, monkeypatch)


@pytest.fixture
def app_for(make_app):  # type: ignore[no-untyped-def]
    """The app with ``stick/`` as its only removable medium."""
    return lambda room: make_app(room, media=[Path("stick")])


def _referrals(room: DemoRoom) -> dict[str, tuple[str, str, str | None]]:
    """reference -> (state, analyst, returned comments), read through a fresh session."""
    session = _services(room, "sam")
    try:
        rows = session.conn.execute("SELECT reference, state, analyst, returned_comments FROM referrals")
        return {ref: (state, analyst, comments) for ref, state, analyst, comments in rows}
    finally:
        session.close()


async def _home_action(pilot, action_id: str):  # type: ignore[no-untyped-def]
    """Choose ``action_id`` from the home screen's list of actions."""
    options = pilot.app.screen.query_one("#action-list", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert action_id in ids, f"the supervisor's home offers no {action_id!r}: {ids}"
    options.focus()
    options.highlighted = ids.index(action_id)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


async def _open_queue(pilot) -> ApprovalQueueScreen:  # type: ignore[no-untyped-def]
    await open_session(pilot, "sam")
    screen = await _home_action(pilot, "approvals")
    assert isinstance(screen, ApprovalQueueScreen)
    return screen


async def _review(pilot, queue: ApprovalQueueScreen, reference: str) -> ReviewScreen:  # type: ignore[no-untyped-def]
    table = queue.query_one("#approvals", DataTable)
    row = next(i for i, item in enumerate(queue.pending) if item.reference == reference)
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen) and screen.review.pending.reference == reference
    return screen


def _rows(table: DataTable) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    return [tuple(str(getattr(c, "plain", c)) for c in table.get_row_at(i)) for i in range(table.row_count)]


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


SUBMITTED = NOW.strftime("%Y-%m-%d %H:%M")


class TestApprovalQueueScreen:
    """Referrals awaiting approval by force, then priority, oldest first, with the analyst."""

    def test_queue(self, submitted, app_for, snap_compare):
        seen = {}

        async def run_before(pilot):
            screen = await _open_queue(pilot)
            seen["rows"] = _rows(screen.query_one("#approvals", DataTable))
            seen["count"] = shown(screen.query_one("#approvals-count", Static))

        assert snap_compare(app_for(submitted), terminal_size=SIZE, run_before=run_before)
        assert seen["rows"] == [
            ("City of London Police", "normal", SUBMITTED, "HTR-2026-000003", "ana", ""),
            ("Essex Police", "high", SUBMITTED, "HTR-2026-000004", "ana", ""),
            ("Kent Police", "urgent", SUBMITTED, "HTR-2026-000002", "ana", ""),
            ("Kent Police", "normal", SUBMITTED, "HTR-2026-000006", "sam", OWN_WORK_NOTE),
            ("Metropolitan Police Service", "normal", SUBMITTED, "HTR-2026-000001", "ana", ""),
            ("Metropolitan Police Service", "normal", SUBMITTED, "HTR-2026-000005", "ana", ""),
        ]
        assert seen["count"] == "6 awaiting approval. 1 your own, for another supervisor to approve."


class TestReviewScreen:
    """The Kent referral as the force will read it, beside the original report."""

    def test_review(self, submitted, app_for, snap_compare):
        seen = {}

        async def run_before(pilot):
            queue = await _open_queue(pilot)
            screen = await _review(pilot, queue, "HTR-2026-000002")
            seen["rendering"] = shown(screen.query_one("#rendering", Static))
            seen["checks"] = shown(screen.query_one("#review-flags", Static))

        assert snap_compare(app_for(submitted), terminal_size=SIZE, run_before=run_before)
        text = seen["rendering"]
        for expected in ("Reference:            HTR-2026-000002", "Force:                Kent Police (kent)",
                         "Grading:              [2CP]", "Priority:             urgent",
                         "Priority reason:      Ongoing leaks of intelligence", "PC Dave Whitfield (officer)",
                         "Approved by:          not yet approved", "LINKED REFERRALS\n  none"):
            assert expected in text
        assert "Assessed by ana" in seen["checks"]


async def test_approve_asks_once_return_needs_comments_and_own_work_is_refused(submitted, app_for, monkeypatch):
    """sam approves two referrals (the password asked once), is refused his own with a
    message, and returns one: an empty comment is refused, then it goes back to ana."""
    unlocked = []
    real_unlock = approval_screen.unlock_personal_key
    monkeypatch.setattr(approval_screen, "unlock_personal_key", lambda *a: unlocked.append(1) or real_unlock(*a))
    app = app_for(submitted)
    async with app.run_test(size=SIZE) as pilot:
        queue = await _open_queue(pilot)

        await _review(pilot, queue, "HTR-2026-000001")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PasswordPrompt)
        await type_text(pilot, PASSWORDS["sam"])
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is queue and "Approved and signed: HTR-2026-000001." in _messages(app)

        await _review(pilot, queue, "HTR-2026-000002")
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is queue, "the second approval asks no password"
        assert unlocked == [1]
        assert [p.reference for p in queue.pending] == [
            "HTR-2026-000003", "HTR-2026-000004", "HTR-2026-000006", "HTR-2026-000005"]

        await _review(pilot, queue, "HTR-2026-000006")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert _messages(app)[-1] == OWN_REFUSAL
        await pilot.press("escape")
        await settle(pilot)

        await _review(pilot, queue, "HTR-2026-000004")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReturnPrompt)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _messages(app)[-1] == "Say what the analyst should change: comments are required."
        await pilot.press("r")
        await settle(pilot)
        app.screen.query_one(TextArea).insert(COMMENTS)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is queue and _messages(app)[-1] == "Returned to ana."
        assert [p.reference for p in queue.pending] == ["HTR-2026-000003", "HTR-2026-000006", "HTR-2026-000005"]

    states = _referrals(submitted)
    assert states["HTR-2026-000001"][0] == states["HTR-2026-000002"][0] == "approved"
    assert states["HTR-2026-000006"] == ("awaiting_approval", "sam", None)
    assert states["HTR-2026-000004"] == ("returned", "ana", COMMENTS)
    session = _services(submitted, "sam")
    try:
        document, signature, key_id = session.conn.execute(
            "SELECT signed_document, approval_signature, approved_key_id FROM referrals WHERE reference = 'HTR-2026-000002'"
        ).fetchone()
        public = PublicKey.from_text(session.conn.execute(
            "SELECT personal_public_key FROM users WHERE name = 'sam'").fetchone()[0])
        assert key_id == public.key_id == json.loads(document)["approved_by"]["key_id"]
        Signature.from_text(signature).verify(public, document)
        status = session.conn.execute("SELECT r.status, r.assigned_to FROM reports r JOIN referrals f"
                                      " ON f.report_id = r.report_id WHERE f.reference = 'HTR-2026-000004'").fetchone()
        assert status == ("in_assessment", "ana")
    finally:
        session.close()


async def test_own_referral_is_marked_and_refused_before_any_password(submitted, app_for):
    """sam's own referral says so in the queue and in the review; approving it is refused
    with words that say why, before any password is asked, and it stays awaiting approval."""
    app = app_for(submitted)
    async with app.run_test(size=SIZE) as pilot:
        queue = await _open_queue(pilot)
        rows = {row[3]: row for row in _rows(queue.query_one("#approvals", DataTable))}
        assert rows["HTR-2026-000006"][-1] == "your own — another supervisor must approve"
        assert rows["HTR-2026-000002"][-1] == ""
        review_screen = await _review(pilot, queue, "HTR-2026-000006")
        assert f"✘ {OWN_WORK_NOTE}" in shown(review_screen.query_one("#review-flags", Static))
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is review_screen, "no password prompt for a referral sam may not approve"
        assert _messages(app)[-1] == OWN_REFUSAL
    assert _referrals(submitted)["HTR-2026-000006"] == ("awaiting_approval", "sam", None)


async def _open_seal(pilot) -> SealScreen:  # type: ignore[no-untyped-def]
    await open_session(pilot, "sam")
    screen = await _home_action(pilot, "seal")
    assert isinstance(screen, SealScreen)
    return screen


def _bundles() -> list[str]:
    return sorted(p.name for p in Path("stick").glob("*.tar.age"))


class TestSealScreen:
    """Sealing to ``stick/``: the forces (one blocked), progress, then the summary."""

    def test_progress(self, approved, app_for, snap_compare):
        seen = {}

        async def run_before(pilot):
            screen = await _open_seal(pilot)
            screen.query_one("#seal-progress", ProgressBar).update(total=2, progress=0)
            screen._progress(SealProgress(1, 2, "Metropolitan Police Service"))  # frozen halfway
            await pilot.pause()
            seen["status"] = shown(screen.query_one("#seal-status", Static))
            bar = screen.query_one("#seal-progress", ProgressBar)
            seen["bar"] = (bar.progress, bar.total)
            forces = screen.query_one("#seal-force-list", SelectionList)
            seen["forces"] = [(str(forces.get_option_at_index(i).prompt), forces.get_option_at_index(i).disabled)
                              for i in range(forces.option_count)]
            seen["blocked"] = shown(screen.query_one("#blocked", Static))

        assert snap_compare(app_for(approved), terminal_size=SIZE, run_before=run_before)
        assert seen["status"] == "Writing and verifying the bundle for Metropolitan Police Service (2 of 2)…"
        assert seen["bar"] == (1, 2)
        assert seen["forces"] == [
            ("City of London Police: 1 referral(s)  BLOCKED", True),
            ("Kent Police: 2 referral(s)", False),
            ("Metropolitan Police Service: 2 referral(s)", False),
        ]
        assert seen["blocked"].startswith("City of London Police: no age recipient for City of London Police in the "
                                          "keyring: a security officer must add the force's age recipient file")
        assert _bundles() == []

    def test_summary(self, approved, app_for, snap_compare):
        seen = {}

        async def run_before(pilot):
            screen = await _open_seal(pilot)
            await pilot.press("A")
            await settle(pilot)
            seen["status"] = shown(screen.query_one("#seal-status", Static))
            seen["rows"] = _rows(screen.query_one("#sealed", DataTable))
            seen["room_key"] = PublicKey.load(Path("room/secrets/triage-room.pub")).key_id

        assert snap_compare(app_for(approved), terminal_size=SIZE, run_before=run_before)
        names = _bundles()
        assert [n.split("-2026")[0] for n in names] == ["referrals-kent", "referrals-metropolitan"]
        assert all(signature_path(Path("stick") / n).exists() for n in names)
        assert seen["rows"] == [
            (names[0], "Kent Police", "2", seen["room_key"]),
            (names[1], "Metropolitan Police Service", "2", seen["room_key"]),
        ]
        assert seen["status"].startswith("Sealed: 2 bundle(s), 4 referral(s), each read back and verified.")
        states = _referrals(approved)
        assert sorted(ref for ref, (state, _, _) in states.items() if state == "sealed") == [
            "HTR-2026-000001", "HTR-2026-000002", "HTR-2026-000005", "HTR-2026-000006"]
        assert states["HTR-2026-000003"][0] == "approved"  # the City of London waits


async def test_seal_selected_then_write_the_dispatch_note(approved, app_for):
    """Space selects Kent, s seals it alone; d writes the dispatch note beside the bundle."""
    app = app_for(approved)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_seal(pilot)
        await pilot.press("d")
        assert shown(screen.query_one("#seal-status", Static)) == "Seal first; the dispatch note lists the bundles written."
        forces = screen.query_one("#seal-force-list", SelectionList)
        forces.focus()
        forces.highlighted = 1
        await pilot.press("space", "s")
        await settle(pilot)
        assert [n.split("-2026")[0] for n in _bundles()] == ["referrals-kent"]
        await pilot.press("d")
        await settle(pilot)
        status = shown(screen.query_one("#seal-status", Static))
    notes = sorted(Path("stick").glob("dispatch-note-*.txt"))
    assert [p.name for p in notes] == [f"dispatch-note-{NOW.strftime('%Y-%m-%dT%H%M%S')}.txt"]
    text = notes[0].read_text()
    head = re.search(r"^Audit log head sealed into these bundles: (entry \d+, sha256 [0-9a-f]{64})$", text, re.M)
    assert head is not None
    assert status == f"Dispatch note written: {notes[0]}\nAudit log head in it (file the note): {head.group(1)}"
    room_key = PublicKey.load(Path("room/secrets/triage-room.pub")).key_id
    assert f"{_bundles()[0]}  Kent Police (kent)  2 referral(s)  room key {room_key}" in text
    assert "1 bundle(s), 2 referral(s)." in text
    assert re.search(r"^Audit log head sealed into these bundles: entry \d+, sha256 [0-9a-f]{64}$", text, re.M)
    states = _referrals(approved)
    assert states["HTR-2026-000001"][0] == "approved" and states["HTR-2026-000002"][0] == "sealed"


async def test_a_second_session_sealing_is_told_to_wait(approved, app_for):
    """While another session holds the seal lock, the screen says so and sealing writes nothing."""
    app = app_for(approved)
    with seal_lock(settings_for(approved)):
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_seal(pilot)
            assert shown(screen.query_one("#seal-status", Static)) == BUSY
            await pilot.press("A")
            await settle(pilot)
            status = shown(screen.query_one("#seal-status", Static))
    assert status == f"Nothing was sealed: {BUSY}"
    assert _bundles() == []
    assert "sealed" not in {state for state, _, _ in _referrals(approved).values()}
