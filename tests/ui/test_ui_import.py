"""Importing the demo media through the screens, as an analyst would."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static
from uikit import PASSWORDS, SIZE, fixed_clock, open_session, rendered, settings_for, settle, shown

from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.intake.import_screen import ImportScreen, _size, short_name
from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake import reading as import_reading
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.triage.overview import waiting_for
from hotline_tui.services.triage.queue import QueueView
from hotline_tui.store import reports as report_store
from hotline_tui.store.subjects import pending_count

TAMPERED = "reports-triage-room-20261120T120000Z"
REFUSED_REASON = "outer signature: the signature does not match the file (file or signature altered)"


def cells(table: DataTable, column: int) -> list[str]:
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


async def open_import(pilot) -> ImportScreen:
    """Home → Import report bundles (the first action) → the bundles on the first medium."""
    await open_session(pilot, "ana")
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    return screen


async def test_the_media_list_shows_every_bundle_before_import(room, make_app):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        bundles = screen.query_one("#bundles", DataTable)
        assert bundles.row_count == 8
        assert cells(bundles, 2) == ["new"] * 8
        signers = cells(bundles, 5)
        assert signers.count("unknown") == 1 and set(signers) == {"intake-online", "intake-phone", "unknown"}
        tampered = signers.index("unknown")
        assert cells(bundles, 1)[tampered] == short_name(screen.listings[tampered].path)
        assert screen.listings[tampered].path.name.startswith(TAMPERED)
        assert cells(bundles, 3)[tampered] == "✘ the signature does not match the file"
        bundles.move_cursor(row=tampered)
        await pilot.pause()
        assert shown(screen.query_one("#bundle-detail", Static)).endswith(
            "✘ the signature does not match the file (file or signature altered)")
        assert sum(int(c) for c in cells(bundles, 4) if c) == 360
        assert cells(bundles, 7) == [_size(listing.path.stat().st_size) for listing in screen.listings]
        assert app.session is not None and QueueView(app.session).count() == 0


async def test_import_all_new(room, make_app):
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert not screen.running
        assert shown(screen.query_one("#progress-text", Static)) == (
            "Import finished: 7 imported, 0 skipped, 1 refused, 360 reports added."
        )
        results = shown(screen.query_one("#results", Static)).splitlines()
        assert len(results) == 8
        tampered = next(b.path for b in screen.listings if b.signer == "unknown")
        assert tampered.name.startswith(TAMPERED)
        refused = [line for line in results if line.startswith("refused")]
        assert refused == [f"refused   {tampered.name.removesuffix('.tar.age')}: {REFUSED_REASON} (kept in quarantine)"]
        assert sum(line.startswith("imported") for line in results) == 7
        # The listing is refreshed: the seven show as imported, the tampered one as held in quarantine.
        assert sorted(cells(screen.query_one("#bundles", DataTable), 2)) == ["imported"] * 7 + ["quarantined"]

        session = app.session
        assert session is not None
        assert QueueView(session).count() == 360
        assert report_store.quarantine_holds(session.conn, tampered.read_bytes())

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert ("New reports to assess", 360) in waiting_for(session)
        waiting = app.screen.query_one("#waiting-list", OptionList)
        prompts = [str(waiting.get_option_at_index(i).prompt).split() for i in range(waiting.option_count)]
        assert ["New", "reports", "to", "assess", "360"] in prompts
        await pilot.press("down", "enter")  # the menu's second line: Work the queue
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert shown(app.screen.query_one("#queue-count", Static)) == "360 reports"


async def test_a_large_import_reads_in_a_child_process_under_the_app(room, make_app, monkeypatch):
    """The app replaces sys.stderr; starting the reading process must not depend on it."""
    monkeypatch.setattr(import_reading, "PARALLEL_FROM_BYTES", 0)
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert shown(screen.query_one("#progress-text", Static)) == (
            "Import finished: 7 imported, 0 skipped, 1 refused, 360 reports added."
        )


async def test_importing_again_adds_nothing(imported_room, make_app):
    """The room already holds the seven good bundles (imported by ana in the template)."""
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        assert sorted(cells(screen.query_one("#bundles", DataTable), 2)) == ["imported"] * 7 + ["quarantined"]
        # "Import all new": only the refused bundle is still new, and it is refused again.
        await pilot.press("n")
        await settle(pilot)
        assert shown(screen.query_one("#progress-text", Static)) == (
            "Import finished: 0 imported, 0 skipped, 1 refused, 0 reports added."
        )
        # Every bundle chosen by hand (space on each, then i): the seven are skipped.
        for _ in range(8):
            await pilot.press("space", "down")
        assert len(screen.selected) == 8
        await pilot.press("i")
        await settle(pilot)
        assert shown(screen.query_one("#progress-text", Static)) == (
            "Import finished: 0 imported, 7 skipped, 1 refused, 0 reports added."
        )
        skipped = [line for line in shown(screen.query_one("#results", Static)).splitlines() if line.startswith("skipped")]
        assert len(skipped) == 7
        assert app.session is not None and QueueView(app.session).count() == 360
        # Nothing selected any more: i says how to choose.
        await pilot.press("i")
        assert shown(screen.query_one("#progress-text", Static)).startswith("Nothing selected")


def test_the_service_skips_what_the_screens_imported(imported_room):
    """The headless path the screens share: a second run over the media adds nothing."""
    session = unlock(settings_for(imported_room), "ben", PASSWORDS["ben"], clock=fixed_clock)
    try:
        summary = import_bundles(session, [imported_room.media])
        assert (summary.imported, summary.skipped, summary.refused, summary.reports_added) == (0, 7, 1, 0)
        assert QueueView(session).count() == 360
    finally:
        session.close()
    officer = unlock(settings_for(imported_room), "officer", PASSWORDS["officer"], clock=fixed_clock)
    try:
        actions = [row.action for row in audit.read_log(officer)]
        assert actions.count("bundle.imported") == 7
        assert actions.count("bundle.refused") == 2
    finally:
        officer.close()


async def test_locking_mid_import_keeps_every_bundle_it_imported(room, make_app):
    """The lock waits for the import to stop after its bundle in progress and commit:
    the bundles imported before the lock are in the store, whole; importing again
    brings in the rest."""
    app = make_app(room)
    half_way = threading.Event()

    def import_slowly(session, paths, *, progress, cancelled, quarantine, **extra):  # type: ignore[no-untyped-def]
        def hold(p):  # type: ignore[no-untyped-def]
            progress(p)
            if p.bundles_done == 3:
                half_way.set()
                time.sleep(0.5)  # the lock arrives now, with three bundles stored but not committed

        return import_bundles(session, paths, progress=hold, cancelled=cancelled, quarantine=quarantine, **extra)

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        screen.kind = dataclasses.replace(screen.kind, import_bundles=import_slowly)
        await pilot.press("n")
        assert await asyncio.to_thread(half_way.wait, 30)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.session is None

    session = unlock(settings_for(room), "ana", PASSWORDS["ana"])
    try:
        stored = session.conn.execute(
            "SELECT b.item_count, (SELECT count(*) FROM reports r WHERE r.bundle_id = b.bundle_id) FROM import_bundles b"
        ).fetchall()
        assert 3 <= len(stored) < 7
        assert all(listed == held for listed, held in stored)
        summary = import_bundles(session, [Path(room.media)])
        assert summary.imported == 7 - len(stored) and summary.skipped == len(stored)
        assert QueueView(session).count() == 360
        assert pending_count(session.conn) == 0  # the red flags the lock left pending are indexed too
    finally:
        session.close()


def test_bundle_names_show_their_time_and_id():
    """The kind and the recipient are the same for every bundle listed; any other long
    name (it comes from the media) is cut in the middle."""
    assert short_name(Path("reports-triage-room-20261123T102400Z-1a2b3c4d.tar.age")) == "20261123T102400Z-1a2b3c4d"
    assert short_name(Path("outcomes-triage-room-20261123T102400Z-1a2b3c4d.tar.age")) == "20261123T102400Z-1a2b3c4d"
    odd = short_name(Path("a-bundle-someone-renamed-by-hand-on-2026-11-23.tar.age"))
    assert odd == "a-bundle-som…and-on-2026-11-23" and len(odd) == 30
    assert short_name(Path("evil.tar.age")) == "evil"


def _footer_keys(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [key.key for key in screen.query("FooterKey") if key.display]


@pytest.mark.parametrize("size", [(100, 30), (160, 48)])
async def test_the_verdict_and_every_result_read_whole_at_100_and_160_columns(room, make_app, size):
    """The tampered bundle's verdict is on its line in the table (not only 'new unknown'),
    and each bundle's result after the import is there to its last word, wrapped."""
    async with make_app(room).run_test(size=size) as pilot:
        screen = await open_import(pilot)
        assert "c" not in _footer_keys(screen)  # nothing to cancel
        bundles = screen.query_one("#bundles", DataTable)
        tampered = next(line for line in rendered(bundles).splitlines() if "unknown" in line or "✘" in line)
        assert "new" in tampered and "✘ the signature does not match the file" in tampered
        await pilot.press("n")
        await settle(pilot)
        bundles.move_cursor(row=[listing.state for listing in screen.listings].index("quarantined"))
        await pilot.pause()
        tampered = next(line for line in rendered(bundles).splitlines() if "✘" in line)
        assert "quarantined" in tampered and "✘ the signature does not match the file" in tampered
        results = " ".join(rendered(screen.query_one("#results", Static)).split())
        assert results.startswith(f"refused {TAMPERED}") and f"{REFUSED_REASON} (kept in quarantine)" in results
        assert shown(screen.query_one("#results", Static)).count("imported  ") == 7  # below it, to scroll to
        assert "n" in _footer_keys(screen) and "c" not in _footer_keys(screen)
