"""Sealing as sam to ``stick/``: the forces (one blocked), what will be written where and
a yes before writing, progress, then what was written where; snapshots at 100x30 and 160x48."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from approvalkit import (
    bundles,
    open_seal,
    referral_states,
    rows,
)
from textual.widgets import DataTable, ProgressBar, SelectionList, Static
from uikit import NOW, settings_for, settle, shown

from hotline_tui.screens.referrals.approval_dialogs import ConfirmPrompt
from hotline_tui.services.people.workspace_locks import BUSY, seal_lock
from hotline_tui.services.referrals.sealing import SealProgress
from import_export.bundle import signature_path
from import_export.minisign import PublicKey

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((160, 48), id="160x48")]


class TestSealScreen:
    @pytest.mark.parametrize("size", SIZES)
    def test_progress(self, approved, app_for, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await open_seal(pilot)
            screen.running = True  # as _begin sets it: the footer offers cancel, not sealing
            screen.refresh_bindings()
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

        assert snap_compare(app_for(approved), terminal_size=size, run_before=run_before)
        assert seen["status"] == "Writing and verifying the bundle for Metropolitan Police Service (2 of 2)…"
        assert seen["bar"] == (1, 2)
        assert seen["forces"] == [
            ("City of London Police: 1 referral(s)  BLOCKED", True),
            ("Kent Police: 2 referral(s)", False),
            ("Metropolitan Police Service: 2 referral(s)", False),
        ]
        assert seen["blocked"].startswith("City of London Police: no age recipient for City of London Police in the "
                                          "keyring: a security officer must add the force's age recipient file")
        assert bundles() == []

    @pytest.mark.parametrize("size", SIZES)
    def test_confirmation(self, approved, app_for, snap_compare, size):
        """A: what will be written where, before anything is."""
        seen = {}

        async def run_before(pilot):
            await open_seal(pilot)
            await pilot.press("A")
            await settle(pilot)
            seen["screen"] = type(pilot.app.screen)
            seen["body"] = shown(pilot.app.screen.query_one("#confirm-body", Static))

        assert snap_compare(app_for(approved), terminal_size=size, run_before=run_before)
        assert seen["screen"] is ConfirmPrompt
        lines = seen["body"].splitlines()
        assert lines[0].startswith("Write to:  ") and lines[0].endswith("  stick")
        assert lines[2:4] == ["  Kent Police: 2 referral(s)", "  Metropolitan Police Service: 2 referral(s)"]
        assert lines[5].startswith("2 bundle(s), 4 referral(s): each signed with the room's key")
        assert bundles() == []

    @pytest.mark.parametrize("size", SIZES)
    def test_summary(self, approved, app_for, snap_compare, size):
        seen = {}

        async def run_before(pilot):
            screen = await open_seal(pilot)
            await pilot.press("A")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            seen["status"] = shown(screen.query_one("#seal-status", Static))
            seen["rows"] = rows(screen.query_one("#sealed", DataTable))
            seen["room_key"] = PublicKey.load(Path("room/secrets/triage-room.pub")).key_id

        assert snap_compare(app_for(approved), terminal_size=size, run_before=run_before)
        names = bundles()
        assert [n.split("-2026")[0] for n in names] == ["referrals-kent", "referrals-metropolitan"]
        assert all(signature_path(Path("stick") / n).exists() for n in names)
        wide = size[0] >= 130  # at 100 the forces as the room says them, so the count and key id fit beside
        assert seen["rows"] == [
            (names[0], "Kent Police" if wide else "Kent", "2", seen["room_key"]),
            (names[1], "Metropolitan Police Service" if wide else "Metropolitan", "2", seen["room_key"]),
        ]
        assert seen["status"].startswith("Sealed: 2 bundle(s), 4 referral(s) written to stick, each read back and "
                                         "verified (listed below).")
        states = referral_states(approved)
        assert sorted(ref for ref, (state, _, _) in states.items() if state == "sealed") == [
            "HTR-2026-000001", "HTR-2026-000002", "HTR-2026-000005", "HTR-2026-000006"]
        assert states["HTR-2026-000003"][0] == "approved"  # the City of London waits


async def test_the_first_space_selects_and_no_writes_nothing(approved, app_for):
    """The first Space selects the first force that can be sealed; s asks, n writes nothing."""
    app = app_for(approved)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_seal(pilot)
        forces = screen.query_one("#seal-force-list", SelectionList)
        assert screen.focused is forces
        await pilot.press("space")
        assert list(forces.selected) == ["kent"]
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmPrompt)
        assert "  Kent Police: 2 referral(s)" in shown(app.screen.query_one("#confirm-body", Static))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
    assert bundles() == []
    assert "sealed" not in {state for state, _, _ in referral_states(approved).values()}


async def test_seal_selected_then_write_the_dispatch_note(approved, app_for):
    """Space selects Kent, s seals it alone after a yes; d writes the dispatch note beside the bundle."""
    app = app_for(approved)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_seal(pilot)

        def offered() -> list[str]:
            return [key.key for key in screen.query("FooterKey") if key.display]

        assert "d" not in offered() and "c" not in offered() and "s" in offered()  # nothing sealed, nothing running
        await pilot.press("space", "s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [n.split("-2026")[0] for n in bundles()] == ["referrals-kent"]
        assert "d" in offered() and "c" not in offered()
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
    assert f"{bundles()[0]}  Kent Police (kent)  2 referrals  room key {room_key}" in text
    assert "1 bundle, 2 referrals." in text
    states = referral_states(approved)
    assert states["HTR-2026-000001"][0] == "approved" and states["HTR-2026-000002"][0] == "sealed"


async def test_a_second_session_sealing_is_told_to_wait(approved, app_for):
    """While another session holds the seal lock, the screen says so and sealing writes nothing."""
    app = app_for(approved)
    with seal_lock(settings_for(approved)):
        async with app.run_test(size=(160, 48)) as pilot:
            screen = await open_seal(pilot)
            assert shown(screen.query_one("#seal-status", Static)) == BUSY
            await pilot.press("A")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            status = shown(screen.query_one("#seal-status", Static))
    assert status == f"Nothing was sealed: {BUSY}"
    assert bundles() == []
    assert "sealed" not in {state for state, _, _ in referral_states(approved).values()}
