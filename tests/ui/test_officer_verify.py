"""The security officer verifies bundles from the keyboard: every check in order, the
tampered demo bundle named at its outer signature, a signed report written to media,
and outside text shown literally."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from officer_kit import (
    SIZE,
    cells,
    make_app,
    open_from_home,
    pilot_test,
    settings_for,
    settle,
    sign_in,
    still,
)
from textual.widgets import DataTable, OptionList, Static
from uikit import SIZES

from hotline_tui.app import HotlineApp
from hotline_tui.demo.room import DEMO_ACCOUNTS, DemoRoom
from hotline_tui.screens.intake.verify_screen import VerifyScreen
from hotline_tui.screens.officer_modals import ChooseMediumScreen
from hotline_tui.widgets.verification_view import VerificationView
from import_export.bundle import signature_path
from import_export.minisign import PublicKey, SecretKey, Signature


def _verdict(app) -> str:
    return str(app.screen.query_one("#verification-verdict", Static).visual)


def _checks(app) -> list[tuple[str, str]]:
    table = app.screen.query_one("#verification-checks", DataTable)
    return list(zip(cells(table, 0), cells(table, 1), strict=True))


@pilot_test
async def test_every_demo_bundle_verified_from_the_keyboard(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_from_home(pilot, "Verify a bundle")
        assert isinstance(app.screen, VerifyScreen)
        bundles = app.screen.query_one("#bundle-list", OptionList)
        assert bundles.option_count == 8
        verdicts = []
        for _ in range(bundles.option_count):
            await pilot.press("enter")
            await settle(pilot)
            verdicts.append(_verdict(app))
            if "REFUSED" in verdicts[-1]:
                assert _checks(app) == [("✘", "outer signature")]
            else:
                names = [name for _, name in _checks(app)]
                assert names[:6] == ["outer signature", "trusted comment", "replay", "decrypt", "manifest", "documents"]
                assert set(names[6:]) == {"member"}
            await pilot.press("down")
        refused = [v for v in verdicts if "REFUSED" in v]
        assert refused == [
            "✘ REFUSED at outer signature: the signature does not match the file (file or signature altered)"
        ]
        assert verdicts.count("✔ VERIFIED: every check passed") == 7


@pilot_test
async def test_a_signed_report_is_written_to_the_medium(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_from_home(pilot, "Verify a bundle")
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        # Only the suspect stick is attached: asked first, nothing written on "no".
        assert "Only room/media is attached, the medium the bundle came on" in str(
            app.screen.query_one("#confirm-body", Static).visual)
        await pilot.press("n")
        await settle(pilot)
        assert not list(officer_room.media.glob("verification-*.txt"))
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    [report] = officer_room.media.glob("verification-*.txt")
    text = report.read_text()
    assert "verified by: Olu Officer (officer)" in text and "✘ outer signature" in text
    bundle = next(p for p in officer_room.media.glob("*.tar.age") if p.name in text)
    signature_hash = hashlib.sha256(signature_path(bundle).read_bytes()).hexdigest()
    assert f"signature:   {bundle.name}.minisig sha256 {signature_hash}" in text  # the .minisig hashed too
    room_key = PublicKey.load(officer_room.secrets / "triage-room.pub")
    Signature.from_text(signature_path(report).read_text()).verify(room_key, report.read_bytes())


@pilot_test
async def test_the_footer_offers_writing_a_report_only_once_there_is_a_result(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot)
        await open_from_home(pilot, "Verify a bundle")

        def offered() -> list[str]:
            return [key.key for key in app.screen.query("FooterKey") if key.display]

        assert "p" in offered() and "w" not in offered()
        await pilot.press("enter")
        await settle(pilot)
        assert "w" in offered()


@pilot_test
async def test_the_report_is_offered_another_medium_than_the_suspect_stick(officer_room: DemoRoom) -> None:
    other = Path("clean-stick")
    other.mkdir()
    app = HotlineApp(replace(settings_for(officer_room), media_dirs=(officer_room.media, other)), demo_credentials=DEMO_ACCOUNTS)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_from_home(pilot, "Verify a bundle")
        await pilot.press("end", "enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ChooseMediumScreen) and [m.path for m in app.screen.media] == [other]
        await pilot.press("enter")
        await settle(pilot)
    assert len(list(other.glob("verification-*.txt"))) == 1 and not list(officer_room.media.glob("verification-*"))


@pilot_test
async def test_a_typed_path_and_outside_text_shown_literally(officer_room: DemoRoom, tmp_path: Path) -> None:
    """A bundle whose name and trusted comment carry markup and an escape sequence."""
    odd = tmp_path / "[@click=app.quit]odd.tar.age"
    odd.write_bytes(b"not really age")
    intake = SecretKey.load(officer_room.secrets / "intake" / "intake-online.key")
    signature_path(odd).write_text(intake.sign(odd.read_bytes(), "[@click=app.quit] \x1b[31mred"))
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await open_from_home(pilot, "Verify a bundle")
        await pilot.press("p")
        await pilot.press(*str(odd))
        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#verification-summary", Static).visual)
        assert "File     [@click=app.quit]odd.tar.age" in summary
        assert "Comment  [@click=app.quit] ␛[31mred  (not verified)" not in summary  # it verified
        assert "Comment  [@click=app.quit] ␛[31mred" in summary
        assert _checks(app) == [("✔", "outer signature"), ("✘", "trusted comment")]
        await pilot.click("#verification-summary")
        assert app.is_running and isinstance(app.screen, VerifyScreen)


class TestVerifyScreen:
    @pytest.mark.parametrize("size", SIZES)
    def test_a_good_bundle(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """The first demo bundle: signer, comment fields, every check and member digest passed."""

        async def run_before(pilot) -> None:
            await sign_in(pilot)
            await open_from_home(pilot, "Verify a bundle")
            await pilot.press("enter")
            await settle(pilot)
            still(pilot)
            assert "VERIFIED" in _verdict(pilot.app)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_the_tampered_bundle(self, officer_room: DemoRoom, snap_compare, size) -> None:
        """The demo's tampered bundle: refused at the outer signature, the claimed comment marked unverified."""

        async def run_before(pilot) -> None:
            await sign_in(pilot)
            await open_from_home(pilot, "Verify a bundle")
            await pilot.press("end", "enter")
            await settle(pilot)
            still(pilot)
            assert isinstance(pilot.app.screen.query_one(VerificationView), VerificationView)
            assert "REFUSED" in _verdict(pilot.app)

        assert snap_compare(make_app(officer_room), terminal_size=size, run_before=run_before)
