"""Snapshots of each screen, each paired with a check of what it shows.

The demo room is built with a fixed clock and seeded keys, the app runs in ``room/``
relative to the test's folder, animations and cursor blink are off, and no import rate
or time left is ever on screen when the picture is taken.

Every screen is taken at 100x30, the smallest size the room supports, and at 160x48;
the ones with wide tables also at 220x60 (``SIZES``, ``WIDE``). The officer's screens,
the supervisor's and the statistics are in test_ui_snapshots_desks.py.
"""

from __future__ import annotations

import functools

import pytest
from textual.widgets import DataTable, OptionList, Static
from uikit import first_with_contact, fixed_clock, inputs_still, open_session, settle, shown

from hotline_tui.screens import unlock_screen
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.intake import import_screen
from hotline_tui.screens.intake.import_screen import ImportScreen
from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.screens.triage.report_screen import ReportScreen, RevealScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.widgets.paged_table import PagedTable

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")]
WIDE = [*SIZES, pytest.param((220, 60), id="220x60")]


class TestUnlockScreen:
    """The unlock screen of the demo room: workspace path, both fields, the demo accounts."""

    @pytest.mark.parametrize("size", SIZES)
    def test_demo_unlock(self, room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            await settle(pilot)
            inputs_still(pilot)
            screen = pilot.app.screen
            seen["screen"] = type(screen)
            seen["workspace"] = shown(screen.query_one(".hint", Static))
            seen["focused"] = screen.focused.id if screen.focused else None

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert seen == {"screen": UnlockScreen, "workspace": "Workspace: room/workspace", "focused": "user"}


class TestHomeScreen:
    """Each role's home: what waits for them, the media seen, and only the actions their role allows."""

    @pytest.mark.parametrize(
        ("name", "first", "absent"),
        [
            pytest.param("ana", "Import report bundles", "Approve referrals", id="analyst"),
            pytest.param("sam", "Import report bundles", "Manage users", id="supervisor"),
            pytest.param("officer", "Report queue", "Import report bundles", id="security-officer"),
        ],
    )
    @pytest.mark.parametrize("size", SIZES)
    def test_role_home(self, room, make_app, snap_compare, name, first, absent, monkeypatch, size):
        monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))  # the check's time
        seen = {}

        async def run_before(pilot):
            await open_session(pilot, name)
            screen = pilot.app.screen
            seen["screen"] = type(screen)
            options = screen.query_one("#action-list", OptionList)
            seen["actions"] = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            seen["user"] = pilot.app.session.user.name
            seen["check"] = shown(screen.query_one("#store-check", Static))

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert (seen["screen"], seen["user"]) == (HomeScreen, name)
        assert seen["actions"][0] == first and absent not in seen["actions"]
        assert seen["actions"][-1] == "Change my password"
        assert seen["check"] == "Store check: passed at 12:00 UTC"


def test_wide_home(imported_room, make_app, snap_compare, monkeypatch):
    """The analyst's home on a wide terminal (220x60): the counts and the actions side by side."""
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    seen = {}

    async def run_before(pilot):
        await open_session(pilot, "ana")
        seen["check"] = shown(pilot.app.screen.query_one("#store-check", Static))

    assert snap_compare(make_app(imported_room), terminal_size=(220, 60), run_before=run_before)
    assert seen["check"] == "Store check: passed at 12:00 UTC"


async def _open_import(pilot) -> ImportScreen:
    await open_session(pilot, "ana")
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


class TestImportScreen:
    """Importing from the demo media: the bundle list before, the summary after.

    rage writes a random-length grease stanza into every age header, so a bundle's size
    differs by up to ~160 bytes from one build of the room to the next: the Size column
    is masked here (test_ui_import checks the real sizes are shown).
    """

    @pytest.fixture(autouse=True)
    def _mask_sizes(self, monkeypatch):
        monkeypatch.setattr(import_screen, "_size", lambda size: "##.# KB")

    @pytest.mark.parametrize("size", WIDE)
    def test_media_list_before_import(self, room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await _open_import(pilot)
            seen["screen"] = type(screen)
            seen["bundles"] = screen.query_one("#bundles", DataTable).row_count
            seen["hint"] = shown(screen.query_one("#progress-text", Static))

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert seen == {
            "screen": ImportScreen,
            "bundles": 8,
            "hint": "Choose bundles: space selects, i imports the selection, n imports every new bundle.",
        }

    @pytest.mark.parametrize("size", SIZES)
    def test_summary_after_import(self, room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await _open_import(pilot)
            await pilot.press("n")
            await settle(pilot)
            seen["summary"] = shown(screen.query_one("#progress-text", Static))
            seen["results"] = len(shown(screen.query_one("#results", Static)).splitlines())

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert seen == {"summary": "Import finished: 7 imported, 0 skipped, 1 refused, 360 reports added.", "results": 8}


async def _open_queue(pilot) -> QueueScreen:
    await open_session(pilot, "ana")
    await pilot.press("down", "enter")
    await settle(pilot)
    inputs_still(pilot)
    return pilot.app.screen


class TestQueueScreen:
    """The queue of the 360 demo reports, newest first."""

    @pytest.mark.parametrize("size", WIDE)
    def test_queue(self, imported_room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await _open_queue(pilot)
            seen["screen"] = type(screen)
            seen["count"] = shown(screen.query_one("#queue-count", Static))
            seen["rows"] = screen.query_one(PagedTable).row_count

        assert snap_compare(make_app(imported_room), terminal_size=size, run_before=run_before)
        assert seen == {"screen": QueueScreen, "count": "360 reports", "rows": 360}


class TestReportScreen:
    """The newest report, read-only, its reporter's contact details hidden."""

    @pytest.mark.parametrize("size", SIZES)
    def test_report_view(self, imported_room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            await _open_queue(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = pilot.app.screen
            seen["screen"] = type(screen)
            seen["reporter"] = shown(screen.query_one("#reporter", Static)).split(".")[0]

        assert snap_compare(make_app(imported_room), terminal_size=size, run_before=run_before)
        assert seen == {"screen": ReportScreen, "reporter": "Contact details were given and are hidden"}


class TestHelpScreen:
    """Help over the queue: what it is for, its keys, the keys everywhere."""

    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, imported_room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            await _open_queue(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            seen["help"] = shown(pilot.app.screen.query_one("#help-text", Static))

        assert snap_compare(make_app(imported_room), terminal_size=size, run_before=run_before)
        assert seen["help"].startswith("Every report in the store") and "Assess" in seen["help"]


class TestRevealScreen:
    """The question before the reporter's contact details are shown: why, for the audit log."""

    @pytest.mark.parametrize("size", SIZES)
    def test_reveal_question(self, imported_room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await _open_queue(pilot)
            screen.query_one(PagedTable).cursor = first_with_contact(pilot.app.session)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("v")
            await settle(pilot)
            inputs_still(pilot)
            seen["screen"] = type(pilot.app.screen)

        assert snap_compare(make_app(imported_room), terminal_size=size, run_before=run_before)
        assert seen["screen"] is RevealScreen


class TestAssessmentScreen:
    """The newest report just taken to assess: the original beside the form."""

    @pytest.mark.parametrize("size", WIDE)
    def test_just_taken(self, imported_room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            await _open_queue(pilot)
            await pilot.press("a")
            await settle(pilot)
            inputs_still(pilot)
            seen["screen"] = type(pilot.app.screen).__name__
            seen["footer"] = [b.description for _, b, enabled, _ in pilot.app.screen.active_bindings.values()
                              if b.show and enabled]

        assert snap_compare(make_app(imported_room), terminal_size=size, run_before=run_before)
        assert seen["screen"] == "AssessmentScreen" and "Submit" in seen["footer"]


class TestChangePassword:
    """Change my password, from the analyst's home (the last action)."""

    @pytest.mark.parametrize("size", SIZES)
    def test_change_password(self, room, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            await open_session(pilot, "ana")
            await pilot.press("end", "enter")
            await settle(pilot)
            inputs_still(pilot)
            seen["screen"] = type(pilot.app.screen).__name__

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
        assert seen["screen"] == "ChangePasswordScreen"
