"""The keyring from the keyboard: add the City of London keys from the demo media after
comparing their ids, revoke the online intake key (its new bundles refused, old ones
flagged), rotate the room's keys and export them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from officer_kit import (
    APP_NOW,
    SIZE,
    cells,
    make_app,
    open_officer_screen,
    pilot_test,
    session_for,
    settle,
    sign_in,
    still,
    type_text,
)
from textual.widgets import DataTable, Static
from uikit import SIZES

from hotline_tui.demo.room import DemoRoom
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.screens.officer.keyring_screen import KeyringScreen
from hotline_tui.screens.officer_modals import ConfirmScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.importing import import_bundles, list_bundles
from hotline_tui.services.keyring import keys
from hotline_tui.services.keyring.desk import keyring_entries
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.minisign import PublicKey, SecretKey
from import_export.writer import report_members, write_bundle


@pilot_test
async def test_add_the_city_of_london_keys_after_comparing_their_ids(officer_room: DemoRoom) -> None:
    expected = PublicKey.load(officer_room.media / "keys" / "city-of-london.pub").key_id
    recipient = agekeys.parse_recipients((officer_room.media / "keys" / "city-of-london.age.pub").read_text())[0]
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring", KeyringScreen)
        for down, shown in ((1, expected), (0, str(recipient))):
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*(["down"] * down), "enter", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            body = str(app.screen.query_one("#confirm-body", Static).visual)
            assert "For       Force: City of London Police (city-of-london)" in body and shown in body
            await pilot.press("y")
            await settle(pilot)
        table = app.screen.query_one("#keys", DataTable)
        assert expected in cells(table, 4) and str(recipient) in cells(table, 4)
    session = session_for(officer_room)
    added = [e for e in keyring_entries(session) if e.force == "city-of-london"]
    assert [(e.key_type, e.key_id, e.state) for e in added] == [
        ("minisign", expected, "trusted"), ("age", str(recipient), "trusted")
    ]
    assert [r.action for r in audit.read_log(session, 4)][1:] == ["session.quit", "keyring.add", "keyring.add"]


@pilot_test
async def test_a_key_not_confirmed_is_not_added(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring", KeyringScreen)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, KeyringScreen)
    assert not [e for e in keyring_entries(session_for(officer_room)) if e.force == "city-of-london"]


@pilot_test
async def test_revoke_the_online_intake_key(officer_room: DemoRoom) -> None:
    online = SecretKey.load(officer_room.secrets / "intake" / "intake-online.key")
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring", KeyringScreen)
        table = app.screen.query_one("#keys", DataTable)
        assert cells(table, 1)[0] == "intake-online"
        await pilot.press("v")
        await settle(pilot)
        await type_text(pilot, "laptop stolen from the call centre")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "2026-03-19 18:00")
        await pilot.press("enter")
        await settle(pilot)
        # What it would do, before anything changes.
        body = str(app.screen.query_one("#confirm-body", Static).visual)
        assert "Every report bundle this key signed that the room has not already accepted is refused" in body
        assert "No bundle from this key was accepted since 2026-03-19 18:00" in body
        assert cells(table, 2)[0] == "trusted"
        await pilot.press("y")
        await settle(pilot)
        assert cells(table, 2)[0] == "revoked"
        assert "v" not in [key.key for key in app.screen.query("FooterKey") if key.display]  # revoked already
        assert "revoked 2026-03-19 18:00 UTC" in str(app.screen.query_one("#key-detail", Static).visual)
    entry = audit.read_log(session_for(officer_room), 3)[2]  # [0] is that unlock, [1] the app's quit
    assert (entry.action, entry.object) == ("keyring.revoke", online.key_id)
    assert entry.reason == "laptop stolen from the call centre (from 2026-03-19 18:00:00 UTC)"

    # Every bundle of the revoked key not accepted before is refused on import, whatever it claims.
    reports = generate_reports(2, seed=3, start=APP_NOW - timedelta(days=2), end=APP_NOW, hostile=False)
    for report in reports:
        report["attachments"] = []
    recipient = agekeys.parse_recipients((officer_room.secrets / "triage-room.age.txt").read_text())[0]
    Path("late").mkdir()
    late = write_bundle(
        Path("late"), kind="reports", members=report_members(reports), count=2, signer=online, recipients=[recipient],
        recipient_label=ROOM_LABEL, created=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),  # backdated
    )
    ana = session_for(officer_room, "ana")
    flagged = [b for b in list_bundles(ana, officer_room.media) if b.signer == "intake-online"]
    assert flagged and all("is revoked" in b.verdict and not b.signature_ok for b in flagged)
    refused = import_bundles(ana, [late.path])
    assert refused.refused == 1 and "whatever time the bundle claims" in refused.results[0].reason
    accepted = import_bundles(ana, [officer_room.media])
    assert (accepted.imported, accepted.refused) == (7 - len(flagged), 1 + len(flagged))


@pilot_test
async def test_rotate_the_rooms_keys_and_export_them(officer_room: DemoRoom) -> None:
    before = keys.room_public_keys(session_for(officer_room))
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Keyring", KeyringScreen)
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, "yearly rotation")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the medium: room/media
        await settle(pilot)
        assert isinstance(app.screen, KeyringScreen)
    after = keys.room_public_keys(session_for(officer_room))
    assert after.signing != before.signing and after.retired_signing == (before.signing,)
    assert after.recipient != before.recipient
    assert PublicKey.load(officer_room.media / "triage-room.pub") == after.signing
    assert str(agekeys.parse_recipients((officer_room.media / "triage-room.age.txt").read_text())[0]) == after.recipient
    room_keys = [(e.key_type, e.state.split(" ")[0]) for e in keyring_entries(session_for(officer_room)) if e.section == "room"]
    assert room_keys == [("minisign", "active"), ("minisign", "retired"), ("age", "active"), ("age", "retired")]


@pilot_test
async def test_the_keyring_opens_from_the_command_palette(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Keyring")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyringScreen)


class TestKeyringScreen:
    def test_keyring(self, officer_room: DemoRoom, snap_compare) -> None:
        """Every key by kind: intake systems first, then each force's signing key and recipient."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Keyring", KeyringScreen)
            still(pilot)
            assert cells(pilot.app.screen.query_one("#keys", DataTable), 0)[:2] == ["intake sign", "intake sign"]

        assert snap_compare(make_app(officer_room), terminal_size=SIZE, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_compare_the_key_id(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """Adding the City of London signing key: its id to read back to the force before adding."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Keyring", KeyringScreen)
            await pilot.press("a")
            await settle(pilot)
            await pilot.press("down", "enter", "enter")
            await settle(pilot)
            still(pilot)
            assert isinstance(pilot.app.screen, ConfirmScreen)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)
