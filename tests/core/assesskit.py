"""The demo room for the assessment tests: built and imported once, copied for each test.

``demo`` (a fixture: import it into the test module) gives a fresh copy of a demo room
whose media ana has imported, with a fixed clock; ``Demo.unlock`` opens a session as
any demo account. ``repeat_officer_reports`` maps each planted repeat officer to the
store keys of the reports about them (the red-flag ground truth).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import DEMO_ACCOUNTS, DEMO_SEED, REPORT_COUNT, build_demo_room
from hotline_tui.demo.synthetic import generate_reports_with_truth
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.sealed import contact
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import AssessmentForm, SubjectEntry

NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
PASSWORDS = {account.name: account.password for account in DEMO_ACCOUNTS}
_built: dict[str, Path] = {}


class Clock:
    """Each call one second after the last, starting an hour after the room was made."""

    def __init__(self) -> None:
        self._ticks = count()

    def __call__(self) -> datetime:
        return NOW + timedelta(hours=1, seconds=next(self._ticks))


@dataclass
class Demo:
    settings: Settings
    clock: Clock

    def unlock(self, name: str) -> Session:
        return unlock(self.settings, name, PASSWORDS[name], self.clock)


def _settings(workspace: Path) -> Settings:
    return Settings(workspace, kdf=KdfParams.for_tests(), scan_mounts=False)


def _template(root: Path) -> Path:
    """The imported demo workspace, made once per test run."""
    if "workspace" not in _built:
        room = build_demo_room(root / "demo", kdf=KdfParams.for_tests(), now=NOW)
        session = unlock(_settings(room.workspace), "ana", PASSWORDS["ana"], Clock())
        try:
            summary = import_bundles(session, [room.media], quarantine=False)
            assert summary.reports_added == REPORT_COUNT
        finally:
            session.close()
        _built["workspace"] = room.workspace
    return _built["workspace"]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Demo:
    template = _template(tmp_path_factory.getbasetemp() / "assesskit")
    workspace = Path(shutil.copytree(template, tmp_path / "workspace"))
    return Demo(_settings(workspace), Clock())


def repeat_officer_reports(session: Session) -> dict[str, list[int]]:
    """Officer key -> store keys of the reports about that officer, oldest first."""
    _reports, truth = generate_reports_with_truth(
        REPORT_COUNT, seed=DEMO_SEED, start=NOW - timedelta(days=120), end=NOW - timedelta(hours=2)
    )
    keys = dict(session.conn.execute("SELECT report_id, id FROM reports").fetchall())
    found: dict[str, list[int]] = {}
    for report_id, officer in truth.items():
        found.setdefault(officer, []).append(keys[report_id])
    return {officer: sorted(k) for officer, k in found.items()}


def document(session: Session, key: int) -> dict[str, Any]:
    """The report as received, its sealed contact details opened with the session's key."""
    found = contact.full_document(session, key)
    assert found is not None
    return found[1]


def first_key_where(session: Session, test: Any) -> int:
    """The first report (by key) whose document as received (contact details opened) passes ``test``."""
    for (key,) in session.conn.execute("SELECT id FROM reports ORDER BY id").fetchall():
        _, document = contact.full_document(session, key) or ("", {})
        if test(document):
            return int(key)
    raise AssertionError("no demo report fits")


def has_contact(doc: dict[str, Any]) -> bool:
    reporter = doc.get("reporter") or {}
    return all(reporter.get(k) for k in ("name", "phone", "email"))


SUMMARY = (
    "An officer at the named station is said to have sold details from police systems to a local "
    "dealer over several months, meeting him in a car park after late shifts."
)


def referral_form(**changes: Any) -> AssessmentForm:
    """A complete form for a referral to the Met; ``changes`` override fields."""
    form = AssessmentForm(
        force="metropolitan",
        subjects=[SubjectEntry("officer", "Dave Whitfield", "PC", "4417", "Lewisham")],
        behaviours=["corruption"],
        categories=["disclosure_of_information"],
        source="2",
        intelligence="C",
        handling="P",
        priority="normal",
        summary=SUMMARY,
        decision="refer",
    )
    for name, value in changes.items():
        setattr(form, name, value)
    return form
