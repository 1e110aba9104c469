"""The demo room with history (months of work, sealed referrals, forces' outcomes) for the
outcome, statistics and retention tests: built once per run, deterministically, and
copied for each test. ``history_room``: a fixture (import it into the test module)."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from uikit import NOW, PASSWORDS, deterministic_keys, fixed_clock, settings_for

from hotline_tui.config import KdfParams
from hotline_tui.demo.room import DemoRoom, build_demo_room
from hotline_tui.screens import unlock_screen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.session import Session
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.minisign import SecretKey
from import_export.writer import WrittenBundle, outcome_members, write_bundle


@pytest.fixture(scope="session")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    with deterministic_keys(7):
        return build_demo_room(tmp_path_factory.mktemp("history") / "room", kdf=KdfParams.for_tests(), now=NOW,
                               history=True)


@pytest.fixture
def history_room(history_template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """A fresh copy of the demo room with history as ``room/``; the app's clock fixed at ``NOW``."""
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=fixed_clock))
    shutil.copytree(history_template.root, tmp_path / "room")
    monkeypatch.chdir(tmp_path)
    root = Path("room")
    return DemoRoom(root, root / "workspace", root / "media", root / "secrets")


def open_as(room: DemoRoom, name: str) -> Session:
    return unlock(settings_for(room), name, PASSWORDS[name], clock=fixed_clock)


def media_of(room: DemoRoom) -> list[Path]:
    return [room.media, room.force_media]


def write_outcomes(room: DemoRoom, force: str, outcomes: Sequence[Mapping[str, Any]], folder: Path) -> WrittenBundle:
    """An outcome bundle signed by ``force``'s key and encrypted to the room."""
    folder.mkdir(parents=True, exist_ok=True)
    recipient = agekeys.parse_recipients((room.secrets / "triage-room.age.txt").read_text())[0]
    return write_bundle(
        folder, kind="outcomes", members=outcome_members(outcomes), count=len(outcomes),
        signer=SecretKey.load(room.secrets / "forces" / f"{force}.key"), recipients=[recipient],
        recipient_label=ROOM_LABEL, created=NOW,
    )


def sealed_referrals(session: Session) -> list[tuple[str, str]]:
    """(referral_id, force) of every sealed referral, oldest first."""
    rows = session.conn.execute("SELECT referral_id, force_code FROM referrals WHERE state = 'sealed' ORDER BY sealed_at")
    return [(str(a), str(b)) for a, b in rows]


def report_texts(session: Session) -> list[str]:
    """Every narrative, summary, note and reporter value held: none may reach an export."""
    texts: list[str] = []
    for (document,) in session.conn.execute("SELECT document FROM reports"):
        doc = json.loads(document)
        reporter = doc.get("reporter") or {}
        texts += [doc.get("narrative", ""), doc.get("handler_notes", ""), doc.get("reference", ""), doc["report_id"]]
        texts += [str(reporter.get(k) or "") for k in ("name", "phone", "email")]
        texts += [str(s.get("name") or "") for s in doc.get("subjects") or [] if isinstance(s, dict)]
    for (document,) in session.conn.execute("SELECT document FROM referrals"):
        doc = json.loads(document)
        texts += [doc.get("summary", ""), doc.get("reference", "")]
    texts += [note for (note,) in session.conn.execute("SELECT note FROM outcomes")]
    return [t for t in dict.fromkeys(texts) if len(t.strip()) >= 6]

