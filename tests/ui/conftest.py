"""Fixtures for the Pilot and snapshot tests.

One demo room is built per run (fixed clock, seeded keys and bundle ids, cheap key
derivation) and copied for each test, which runs in its own working directory so the
paths the screens show are always ``room/workspace`` and ``room/media``.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from approvalkit import app_for, approved, approved_template, submitted, submitted_template  # noqa: F401 (fixtures)
from uikit import NOW, PASSWORDS, deterministic_keys, fixed_clock, settings_for

from hotline_tui.app import HotlineApp
from hotline_tui.config import KdfParams
from hotline_tui.demo.room import DEMO_ACCOUNTS, DemoRoom, build_demo_room
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.workspace import unlock

PILOT_TIMEOUT = 60.0


def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin is installed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(asyncio.wait_for(pyfuncitem.obj(**args), PILOT_TIMEOUT))
    return True


def _layout(root: Path) -> DemoRoom:
    return DemoRoom(root, root / "workspace", root / "media", root / "secrets")


@pytest.fixture(scope="session")
def room_template(tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    with deterministic_keys(2026):
        return build_demo_room(tmp_path_factory.mktemp("template") / "room", kdf=KdfParams.for_tests(), now=NOW)


@pytest.fixture(scope="session")
def officer_template(tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """The security officer's desk tests' room (fixed keys and clock), built once a run."""
    from officer_kit import build_template

    return build_template(tmp_path_factory.mktemp("officer-ui") / "room")


@pytest.fixture
def officer_room(officer_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """A fresh copy of the officer's room as ``room/`` in the test's folder, the app's clock fixed."""
    from officer_kit import copy_room

    return copy_room(officer_template, tmp_path, monkeypatch)


@pytest.fixture(scope="session")
def imported_template(room_template: DemoRoom, tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """The demo room after ana imported every bundle on its media (headless, same service)."""
    root = tmp_path_factory.mktemp("imported") / "room"
    shutil.copytree(room_template.root, root)
    room = _layout(root)
    session = unlock(settings_for(room), "ana", PASSWORDS["ana"], clock=fixed_clock)
    try:
        summary = import_bundles(session, [room.media])
    finally:
        session.close()
    assert (summary.imported, summary.refused, summary.reports_added) == (7, 1, 360)
    return room


def _copy(template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    shutil.copytree(template.root, tmp_path / "room")
    monkeypatch.chdir(tmp_path)
    return _layout(Path("room"))


@pytest.fixture
def room(room_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """A fresh copy of the demo room as ``room/`` in the test's working directory."""
    return _copy(room_template, tmp_path, monkeypatch)


@pytest.fixture
def imported_room(imported_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """A fresh copy of the demo room with its 360 reports already imported."""
    return _copy(imported_template, tmp_path, monkeypatch)


@pytest.fixture
def make_app() -> Callable[..., HotlineApp]:
    """``make_app(room, idle_lock_seconds=..., media=...)``: the app in demo mode, animations off."""

    def make(room: DemoRoom, idle_lock_seconds: int = 300, media: Sequence[Path] | None = None) -> HotlineApp:
        app = HotlineApp(settings_for(room, idle_lock_seconds, media), demo_credentials=DEMO_ACCOUNTS)
        app.animation_level = "none"
        return app

    return make
