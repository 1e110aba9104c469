"""Helpers for the UI tests: driving the app with the keyboard and reading what it shows."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nacl.signing
import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import DEMO_ACCOUNTS, DemoRoom
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.services.store_care import store_check
from hotline_tui.widgets.paged_table import PagedTable
from import_export import agekeys, writer
from import_export.bundle import ROOM_LABEL
from import_export.minisign import SecretKey
from import_export.writer import WrittenBundle, report_members, write_bundle

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SIZE = (140, 42)
SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")]  # every screen's snapshots
PASSWORDS = {account.name: account.password for account in DEMO_ACCOUNTS}


def fixed_clock() -> datetime:
    return NOW


def settings_for(room: DemoRoom, idle_lock_seconds: int = 300, media: Sequence[Path] | None = None) -> Settings:
    return Settings(
        workspace=room.workspace, media_dirs=tuple(media or (room.media,)), idle_lock_seconds=idle_lock_seconds,
        kdf=KdfParams.for_tests(), demo=True, scan_mounts=False,
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs and every message they caused has been handled.

    A worker's result can start another worker (the import screen lists the media,
    then the bundles on the first one), so wait until a round starts nothing new.
    """
    app = pilot.app
    for _ in range(10):
        # An exclusive worker is cancelled when its group starts another (the home
        # screen scans the media every 3 s): the newer one is waited for next round.
        with suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)


async def sign_in(pilot: Pilot[Any], name: str, password: str | None = None) -> None:
    """Type the user name, Enter, the password, Enter, as a user would."""
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, PASSWORDS[name] if password is None else password)
    await pilot.press("enter")
    await settle(pilot)


def hold_store_check(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The store check after unlock waits, running, until the event returned is set."""
    release, real = threading.Event(), store_check.check_store
    monkeypatch.setattr(store_check, "check_store", lambda *a, **k: release.wait(30) and real(*a, **k))
    return release


async def sign_in_while_checking(pilot: Pilot[Any], name: str) -> None:
    """Sign in as a user would, and wait for the home screen only (its store check may be
    held, see ``hold_store_check``: ``settle`` would wait for it)."""
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, PASSWORDS[name])
    await pilot.press("enter")
    while not isinstance(pilot.app.screen, HomeScreen):
        await pilot.pause(0.05)


async def open_session(pilot: Pilot[Any], name: str) -> None:
    """Sign in quickly, for tests about what comes after: fill both fields, press Enter."""
    screen = pilot.app.screen
    screen.query_one("#user", Input).value = name
    password = screen.query_one("#password", Input)
    password.value = PASSWORDS[name]
    password.focus()
    await pilot.press("enter")
    await settle(pilot)


async def open_queue(pilot: Pilot[Any]) -> QueueScreen:
    """Sign in as ana and open the report queue from her home."""
    await open_session(pilot, "ana")
    await pilot.press("down", "enter")  # the second action: Report queue
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, QueueScreen)
    return screen


def first_with_contact(session: Any) -> int:
    """Where in the queue (newest first) the first report with contact details sits."""
    from hotline_tui.services.triage.queue import QueueView, report_detail

    for index, row in enumerate(QueueView(session).page(0, 360)):
        if report_detail(session, row.key).has_contact:
            return index
    raise AssertionError("the demo has reports with contact details")


def shown(widget: Widget) -> str:
    """The plain text a Static (or SafeText) widget holds."""
    assert isinstance(widget, Static)
    visual = widget.visual
    return str(getattr(visual, "plain", visual))


def rendered(widget: Widget) -> str:
    """The lines the widget paints, as text: what reaches the terminal."""
    lines = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text for strip in lines)


def table_lines(table: PagedTable) -> list[str]:
    """The header and the rows of a paged table as painted on screen."""
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


def inputs_still(pilot: Pilot[Any]) -> None:
    """Cursor blink off on every Input, so a snapshot never catches it mid-blink."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def write_reports_bundle(room: DemoRoom, reports: Sequence[Mapping[str, Any]], folder: Path) -> WrittenBundle:
    """A bundle of ``reports`` signed by the demo's online intake key for this room."""
    signer = SecretKey.load(room.secrets / "intake" / "intake-online.key")
    recipient = agekeys.parse_recipients((room.secrets / "triage-room.age.txt").read_text())[0]
    folder.mkdir(parents=True, exist_ok=True)
    return write_bundle(
        folder, kind="reports", members=report_members(reports), count=len(reports), signer=signer,
        recipients=[recipient], recipient_label=ROOM_LABEL, created=NOW,
    )


def plain_reports(count: int, *, reference_start: int) -> list[dict[str, Any]]:
    """``count`` ordinary valid reports (no hostile ones, no attachments)."""
    reports = generate_reports(
        count, seed=99, start=NOW - timedelta(days=2), end=NOW - timedelta(days=1), hostile=False,
        reference_start=reference_start,
    )
    for report in reports:
        report["attachments"] = []
    return reports


@contextmanager
def deterministic_keys(seed: int) -> Iterator[None]:
    """Key ids, bundle ids and bundle times the same on every run, so snapshots hold still."""
    rng = random.Random(seed)

    def generate(cls: type[SecretKey]) -> SecretKey:
        signing = nacl.signing.SigningKey(rng.randbytes(32))
        return cls(rng.randbytes(8), bytes(signing) + bytes(signing.verify_key))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SecretKey, "generate", classmethod(generate))
        mp.setattr(writer.uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
        mp.setattr(writer, "utc_now", lambda: NOW)
        yield
