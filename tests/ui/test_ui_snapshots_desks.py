"""Snapshots of the security officer's and the supervisor's screens, and the statistics,
at 100x30 (the smallest size the room supports) and 160x48, each paired with a check of
what it shows. The officer's room is officer_kit's (fixed keys and clock); the
supervisor's is approvalkit's (six referrals submitted, seeded ids, fixed clock)."""

from __future__ import annotations

from pathlib import Path

import officer_kit
import pytest
from approvalkit import (
    approved_template,
    desk,
    open_approvals,
    open_review,
    open_seal,
    submitted_template,
)
from officer_kit import open_from_home, settle, sign_in, still
from textual.widgets import DataTable, Static
from uikit import shown

from hotline_tui.demo.room import DemoRoom

__all__ = ["approved_template", "submitted_template"]  # fixtures

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")]
WIDE = [*SIZES, pytest.param((220, 60), id="220x60")]


class TestOfficerScreens:
    """Each of the officer's desks as it opens from home."""

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize(("label", "screen", "table"), [
        pytest.param("Verify a bundle", "VerifyScreen", None, id="verify"),
        pytest.param("Keyring", "KeyringScreen", "#keys", id="keyring"),
        pytest.param("Users", "UsersScreen", "#users", id="users"),
        pytest.param("Audit log", "AuditScreen", None, id="audit"),
        pytest.param("Quarantine", "QuarantineScreen", None, id="quarantine"),
        pytest.param("Retention", "RetentionScreen", None, id="retention"),
        pytest.param("Statistics", "StatisticsScreen", None, id="statistics"),
    ])
    def test_desk(self, officer_room, snap_compare, size, label, screen, table):
        seen = {}

        async def run_before(pilot):
            await sign_in(pilot)
            await open_from_home(pilot, label)
            still(pilot)
            seen["screen"] = type(pilot.app.screen).__name__
            if table:
                seen["rows"] = pilot.app.screen.query_one(table, DataTable).row_count

        assert snap_compare(officer_kit.make_app(officer_room), terminal_size=size, run_before=run_before)
        assert seen["screen"] == screen
        assert seen.get("rows", 1) > 0


@pytest.fixture
def submitted(submitted_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    return desk(submitted_template, tmp_path, monkeypatch)


@pytest.fixture
def approved(approved_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    return desk(approved_template, tmp_path, monkeypatch)


class TestSupervisorScreens:
    """The approval list, one review, and the seal screen."""

    @pytest.mark.parametrize("size", SIZES)
    def test_approvals(self, submitted, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            queue = await open_approvals(pilot)
            seen["pending"] = len(queue.pending)

        assert snap_compare(make_app(submitted, media=[Path("stick")]), terminal_size=size, run_before=run_before)
        assert seen["pending"] == 6

    @pytest.mark.parametrize("size", WIDE)
    def test_review(self, submitted, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            review = await open_review(pilot, await open_approvals(pilot), "HTR-2026-000001")
            seen["rendering"] = shown(review.query_one("#rendering", Static))

        assert snap_compare(make_app(submitted, media=[Path("stick")]), terminal_size=size, run_before=run_before)
        assert "HTR-2026-000001" in seen["rendering"]

    @pytest.mark.parametrize("size", SIZES)
    def test_seal(self, approved, make_app, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            seal = await open_seal(pilot)
            await settle(pilot)
            seen["screen"] = type(seal).__name__

        assert snap_compare(make_app(approved, media=[Path("stick")]), terminal_size=size, run_before=run_before)
        assert seen["screen"] == "SealScreen"
