"""Helpers for the security officer's service tests: a demo room per module, copied for
each test, with sessions on a fixed clock."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import DEMO_ACCOUNTS, DemoRoom, build_demo_room
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.session import Session
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.minisign import SecretKey
from import_export.writer import WrittenBundle, report_members, write_bundle

BUILT = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
PASSWORDS = {account.name: account.password for account in DEMO_ACCOUNTS}


class Clock:
    """Starts at ``start`` and moves one second a call."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@dataclass
class Demo:
    room: DemoRoom
    clock: Clock

    @property
    def settings(self) -> Settings:
        return Settings(self.room.workspace, media_dirs=(self.room.media,), kdf=KdfParams.for_tests(), scan_mounts=False)

    def unlock(self, name: str = "officer", password: str | None = None) -> Session:
        return unlock(self.settings, name, password or PASSWORDS[name], self.clock)

    def bundles(self) -> list[Path]:
        return sorted(self.room.media.glob("*.tar.age"))

    def intake_key(self, name: str = "intake-online") -> SecretKey:
        return SecretKey.load(self.room.secrets / "intake" / f"{name}.key")

    def room_recipient(self) -> str:
        return str(agekeys.parse_recipients((self.room.secrets / "triage-room.age.txt").read_text())[0])

    def reports_bundle(
        self, folder: Path, reports: list[dict], created: datetime, signer: SecretKey | None = None
    ) -> WrittenBundle:
        folder.mkdir(parents=True, exist_ok=True)
        for report in reports:
            report["attachments"] = []
        return write_bundle(
            folder, kind="reports", members=report_members(reports), count=len(reports), signer=signer or self.intake_key(),
            recipients=[agekeys.parse_recipient(self.room_recipient())], recipient_label=ROOM_LABEL, created=created,
        )


def build_template(root: Path) -> DemoRoom:
    """The demo room, its audit log written at BUILT (not whenever the test runs)."""
    import pytest

    from hotline_tui.demo import room as demo_module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_module, "create_workspace", functools.partial(create_workspace, clock=lambda: BUILT))
        return build_demo_room(root, kdf=KdfParams.for_tests(), now=BUILT)


def copy_demo(template: DemoRoom, tmp_path: Path) -> Demo:
    target = tmp_path / "room"
    shutil.copytree(template.root, target)
    room = DemoRoom(target, target / "workspace", target / "media", target / "secrets")
    return Demo(room, Clock(datetime(2026, 3, 15, 9, 0, tzinfo=UTC)))


def tampered(demo: Demo) -> Path:
    """The demo media's one bundle whose payload was changed after signing."""
    from import_export.bundle import Keyring, TrustedKey
    from import_export.errors import BundleRefused
    from import_export.minisign import PublicKey
    from import_export.reader import verify_outer

    keyring = Keyring([
        TrustedKey(PublicKey.load(demo.room.secrets / "intake" / f"{name}.pub"), name, frozenset({"reports"}))
        for name in ("intake-online", "intake-phone")
    ])
    bad = []
    for path in demo.bundles():
        try:
            verify_outer(path, keyring)
        except BundleRefused:
            bad.append(path)
    assert len(bad) == 1
    return bad[0]


def seal_one_referral(demo: Demo, out: Path, force: str = "metropolitan", skip: int = 0) -> Path:
    """The room's own flow: ana refers an anonymous report, sam approves it with his
    personal key, sam seals the force's bundle to ``out``. Returns the bundle's path."""
    import json

    from hotline_tui.services.intake.importing import import_bundles
    from hotline_tui.services.people.users import unlock_personal_key
    from hotline_tui.services.referrals.approval import approve
    from hotline_tui.services.referrals.sealing import seal
    from hotline_tui.services.triage.assessment import AssessmentForm, SubjectEntry, submit, take_report
    from hotline_tui.store import reports as report_store

    ana = demo.unlock("ana")
    if report_store.count_reports(ana.conn) == 0:
        import_bundles(ana, [demo.room.media])
    anonymous = [key for key, text in ana.conn.execute("SELECT id, document FROM reports ORDER BY id")
                 if not (json.loads(text).get("reporter") or {}).get("name")]
    key = anonymous[skip]
    take_report(ana, key)
    form = AssessmentForm(
        force=force, subjects=[SubjectEntry("officer", "Dave Whitfield", "PC", "4417", "Lewisham")],
        behaviours=["corruption"], categories=["disclosure_of_information"], source="2", intelligence="C",
        handling="P", priority="normal", decision="refer",
        summary="An officer at the named station is said to have sold details from police systems to a local "
                "dealer over several months, meeting him in a car park after late shifts.",
    )
    submit(ana, key, form)
    referral_id = ana.conn.execute(
        "SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.id = ?", (key,)
    ).fetchone()[0]
    ana.close()
    sam = demo.unlock("sam")
    approve(sam, referral_id, unlock_personal_key(sam, PASSWORDS["sam"]))
    out.mkdir(parents=True, exist_ok=True)
    summary = seal(sam, out, [force])
    sam.close()
    assert not summary.failed, summary.failed
    return summary.sealed[0].path
