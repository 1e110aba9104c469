"""The approval desk for the tests: referrals submitted (and approved) through the services.

ana has referred five reports (one to the City of London, whose keys are not in the
keyring; the urgent one to Kent with a sanitiser's warning she kept with a reason) and
sam one himself, through the services, with seeded referral ids on the tests' fixed
clock; for the sealing tests the referrals are approved as well (sam's own by sue). The
snapshots hold still because the ids, the room's keys, the bundle ids and the clock are fixed.
"""

from __future__ import annotations

import functools
import random
import shutil
import uuid
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList
from uikit import NOW, PASSWORDS, fixed_clock, open_session, settings_for, settle

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens import unlock_screen
from hotline_tui.screens.referrals.approval_screen import ApprovalQueueScreen, ReviewScreen
from hotline_tui.screens.referrals.seal_screen import SealScreen
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.referrals.approval import approve, review
from hotline_tui.services.sanitiser.answers import KEPT, WarningAnswer
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import AssessmentForm, SubjectEntry, form_warnings, submit, take_report
from import_export import writer

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
# The urgent Kent referral quotes words that read as the reporter's: a warning ana keeps.
WARNED_SUMMARY = SUMMARY + " A message the victim kept from him reads: he threatened me if I ever talked."
KEPT_REASON = "Quoted from the officer's message to the victim; the victim is not the reporter."
COMMENTS = "Say which station: the summary only says 'the named station'."
OWN_REFUSAL = ("You (sam) assessed referral HTR-2026-000006 yourself, so you cannot approve it:"
               " another supervisor must approve it.")


def referral_form_for(force: str, priority: str) -> AssessmentForm:
    return AssessmentForm(
        force=force, subjects=[SubjectEntry("officer", "Dave Whitfield", "PC", "4417", "Lewisham")],
        behaviours=["corruption"], categories=["disclosure_of_information"], source="2", intelligence="C",
        handling="P", priority=priority, priority_reason="Ongoing leaks of intelligence" if priority == "urgent" else "",
        summary=SUMMARY, decision="refer",
    )


def services(room: DemoRoom, name: str) -> Session:
    return unlock(settings_for(room), name, PASSWORDS[name], clock=fixed_clock)


def copy_room(template: DemoRoom, root: Path) -> DemoRoom:
    shutil.copytree(template.root, root)
    return DemoRoom(root, root / "workspace", root / "media", root / "secrets")


@pytest.fixture(scope="module")
def submitted_template(imported_template: DemoRoom, tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """The imported demo room with the six referrals awaiting approval."""
    room = copy_room(imported_template, tmp_path_factory.mktemp("approvals") / "room")
    rng = random.Random(6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
        sessions = {name: services(room, name) for name in ("ana", "sam")}
        try:
            keys = [k for (k,) in sessions["ana"].conn.execute("SELECT id FROM reports WHERE status = 'new' ORDER BY id")]
            for key, (name, force, priority) in zip(keys, REFERRALS, strict=False):
                assessment = take_report(sessions[name], key)
                form = referral_form_for(force, priority)
                if priority == "urgent":
                    form.summary = WARNED_SUMMARY
                    form.warning_answers = [WarningAnswer.of(w, KEPT, KEPT_REASON).to_dict()
                                            for w in form_warnings(form, assessment.document)]
                submit(sessions[name], key, form)
        finally:
            for session in sessions.values():
                session.close()
    return room


@pytest.fixture(scope="module")
def approved_template(submitted_template: DemoRoom, tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """Every referral approved but Essex's: sam's own by sue, the rest by sam."""
    room = copy_room(submitted_template, tmp_path_factory.mktemp("approved") / "room")
    for name in ("sam", "sue"):
        session = services(room, name)
        try:
            key = unlock_personal_key(session, PASSWORDS[name])
            rows = session.conn.execute("SELECT referral_id, analyst, force_code FROM referrals ORDER BY reference")
            for referral_id, analyst, force in rows.fetchall():
                if force != "essex" and (analyst == "sam") == (name == "sue"):
                    approve(session, referral_id, key, review(session, referral_id).warning_keys)
        finally:
            session.close()
    return room


def desk(template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
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
    return desk(submitted_template, tmp_path, monkeypatch)


@pytest.fixture
def approved(approved_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    return desk(approved_template, tmp_path, monkeypatch)


@pytest.fixture
def app_for(make_app):  # type: ignore[no-untyped-def]
    """The app with ``stick/`` as its only removable medium."""
    return lambda room: make_app(room, media=[Path("stick")])


def referral_states(room: DemoRoom) -> dict[str, tuple[str, str, str | None]]:
    """reference -> (state, analyst, returned comments), read through a fresh session."""
    session = services(room, "sam")
    try:
        rows = session.conn.execute("SELECT reference, state, analyst, returned_comments FROM referrals")
        return {ref: (state, analyst, comments) for ref, state, analyst, comments in rows}
    finally:
        session.close()


async def home_action(pilot, action_id: str):  # type: ignore[no-untyped-def]
    """Choose ``action_id`` from the home screen's list of actions."""
    options = pilot.app.screen.query_one("#action-list", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    assert action_id in ids, f"the supervisor's home offers no {action_id!r}: {ids}"
    options.focus()
    options.highlighted = ids.index(action_id)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


async def open_approvals(pilot) -> ApprovalQueueScreen:  # type: ignore[no-untyped-def]
    await open_session(pilot, "sam")
    screen = await home_action(pilot, "approvals")
    assert isinstance(screen, ApprovalQueueScreen)
    return screen


async def open_review(pilot, queue: ApprovalQueueScreen, reference: str) -> ReviewScreen:  # type: ignore[no-untyped-def]
    table = queue.query_one("#approvals", DataTable)
    row = next(i for i, item in enumerate(queue.pending) if item.reference == reference)
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen) and screen.review.pending.reference == reference
    return screen


def rows(table: DataTable) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    return [tuple(str(getattr(c, "plain", c)) for c in table.get_row_at(i)) for i in range(table.row_count)]


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


SUBMITTED = NOW.strftime("%Y-%m-%d %H:%M")


async def open_seal(pilot) -> SealScreen:  # type: ignore[no-untyped-def]
    await open_session(pilot, "sam")
    screen = await home_action(pilot, "seal")
    assert isinstance(screen, SealScreen)
    return screen


def bundles() -> list[str]:
    return sorted(p.name for p in Path("stick").glob("*.tar.age"))


