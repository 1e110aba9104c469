"""The quarantine from the keyboard: the demo's tampered bundle held after import,
inspected (every check again, from the stored bytes), deleted; a bundle from a sender
whose key was missing re-verified once the key is added, and released for import."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from officer_kit import (
    APP_NOW,
    SIZE,
    build_template,
    cells,
    copy_room,
    make_app,
    open_officer_screen,
    pilot_test,
    session_for,
    settle,
    still,
    type_text,
)
from textual.widgets import DataTable, Static
from uikit import SIZES

from hotline_tui.demo.room import DemoRoom
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.screens.intake.quarantine_screen import QuarantineScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake import quarantine
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.keyring import keys
from hotline_tui.store.reports import count_reports
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.minisign import SecretKey
from import_export.writer import report_members, write_bundle


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    room = build_template(tmp_path_factory.mktemp("quarantine-ui") / "room")
    ana = session_for(room, "ana")
    try:
        summary = import_bundles(ana, [room.media])
    finally:
        ana.close()
    assert (summary.imported, summary.refused) == (7, 1)
    return room


@pytest.fixture
def room(template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    return copy_room(template, tmp_path, monkeypatch)


def _status(app) -> str:
    return str(app.screen.query_one("#quarantine-status", Static).visual)


@pilot_test
async def test_the_tampered_bundle_is_inspected_and_deleted(room: DemoRoom) -> None:
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Quarantine", QuarantineScreen)
        table = app.screen.query_one("#held", DataTable)
        assert table.row_count == 1 and cells(table, 5) == ["outer signature: the signature does not match the file "
                                                            "(file or signature altered)"]
        await pilot.press("enter")
        await settle(pilot)
        verdict = str(app.screen.query_one("#verification-verdict", Static).visual)
        assert verdict == "✘ REFUSED at outer signature: the signature does not match the file (file or signature altered)"
        await pilot.press("d")
        await settle(pilot)
        await type_text(pilot, "tampered in transit")
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == 0 and _status(app).startswith("Deleted #1 ")
        await pilot.press("a")  # show the released and deleted too
        await settle(pilot)
        assert cells(table, 2) == ["deleted"]
        assert "r" not in [key.key for key in app.screen.query("FooterKey") if key.display]  # nothing to release
    session = session_for(room)
    [item] = quarantine.items(session, include_done=True)
    assert (item.state, item.size) == ("deleted", 0)
    assert [(r.action, r.reason) for r in audit.read_log(session, 4)][1:] == [  # [0] is that unlock
        ("session.quit", ""), ("quarantine.deleted", "tampered in transit"),
        ("bundle.verified", audit.read_log(session, 4)[3].reason),
    ]


@pilot_test
async def test_re_verified_after_adding_the_missing_key_then_released(room: DemoRoom, tmp_path: Path) -> None:
    web = SecretKey.generate()
    (tmp_path / "intake-web.pub").write_text(web.public_key.to_text())
    reports = generate_reports(3, seed=5, start=APP_NOW - timedelta(days=2), end=APP_NOW, hostile=False,
                               reference_start=9000)
    for report in reports:
        report["attachments"] = []
    recipient = agekeys.parse_recipients((room.secrets / "triage-room.age.txt").read_text())[0]
    (tmp_path / "web").mkdir()
    written = write_bundle(tmp_path / "web", kind="reports", members=report_members(reports), count=3, signer=web,
                           recipients=[recipient], recipient_label=ROOM_LABEL, created=APP_NOW)
    ana = session_for(room, "ana")
    assert import_bundles(ana, [written.path]).results[0].quarantined
    ana.close()
    app = make_app(room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Quarantine", QuarantineScreen)
        await pilot.press("r")
        await settle(pilot)
        assert _status(app).startswith("Still refused, kept in quarantine: outer signature: signed by key")
        keys.add_key_file(app.session, tmp_path / "intake-web.pub", "intake")
        await pilot.press("enter")
        await settle(pilot)
        assert str(app.screen.query_one("#verification-verdict", Static).visual) == "✔ VERIFIED: every check passed"
        before = count_reports(app.session.conn)
        await pilot.press("r")
        await settle(pilot)
        assert _status(app).endswith("3 reports imported.")
        assert count_reports(app.session.conn) == before + 3


@pilot_test
async def test_at_100_columns_the_state_and_reason_are_on_the_line_and_whole_below(room: DemoRoom) -> None:
    """The held list laid out for the width it has (at 100 the reason was off the edge),
    and again when the terminal is widened."""
    from uikit import rendered

    reason = "outer signature: the signature does not match the file (file or signature altered)"
    app = make_app(room)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_officer_screen(pilot, "Quarantine", QuarantineScreen)
        table = app.screen.query_one("#held", DataTable)
        header, line = rendered(table).splitlines()[:2]
        assert header.split()[-1] == "Reason" and " held " in line and "outer signature: the" in line
        assert " ".join(rendered(app.screen.query_one("#held-detail", Static)).split()).endswith(reason)
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert rendered(table).splitlines()[1].rstrip().endswith(reason)


class TestQuarantineScreen:
    @pytest.mark.parametrize("size", SIZES)
    def test_inspected(self, room: DemoRoom, snap_compare, size) -> None:
        """The tampered demo bundle held after import, inspected: refused at its outer signature."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Quarantine", QuarantineScreen)
            await pilot.press("enter")
            await settle(pilot)
            still(pilot)
            assert "REFUSED" in str(pilot.app.screen.query_one("#verification-verdict", Static).visual)

        assert snap_compare(make_app(room), terminal_size=size, run_before=run_before)
