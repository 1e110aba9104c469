"""A force, using only ``hotline-bundle`` and the files it received (its referral bundles,
its own keys, the room's public key and recipient), sends outcomes the room imports; what
it sends wrongly is refused by the tool before anything is written, or by the room."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from statskit import history_room, history_template, open_as
from uikit import NOW

from hotline_tui.demo.room import DemoRoom
from hotline_tui.reference import force_by_code
from hotline_tui.services.referrals.outcomes import import_outcomes
from import_export import outcomes_cli
from import_export.cli import main

__all__ = ["history_room", "history_template"]  # fixtures


class Force:
    """One force's desk: what it received, in folders of its own."""

    def __init__(self, room: DemoRoom, code: str) -> None:
        self.code, self.secrets = code, room.secrets
        self.keyring = Path("force-keyring")
        self.keyring.mkdir()
        shutil.copy(room.secrets / "triage-room.pub", self.keyring)
        self.received = sorted(room.root.joinpath("sent").glob(f"referrals-{code}-*.tar.age"))
        self.opened, self.stick = Path("opened"), Path("stick")

    def open_all(self) -> None:
        for bundle in self.received:
            assert main(["open", "--identity", str(self.secrets / "forces" / f"{self.code}.age"),
                         "--keyring", str(self.keyring), "--out", str(self.opened), str(bundle)]) == 0

    def outcomes(self, *args: str, key: str | None = None) -> int:
        signer = self.secrets / "forces" / f"{key or self.code}.key"
        return main(["outcomes", str(self.opened), *args, "--key", str(signer),
                     "--to", str(self.secrets / "triage-room.age.txt"), "--out", str(self.stick)])


@pytest.fixture
def force(history_room: DemoRoom, monkeypatch: pytest.MonkeyPatch) -> Force:
    monkeypatch.setattr(outcomes_cli, "clock", lambda: NOW)
    officer = open_as(history_room, "officer")
    try:
        (code,) = officer.conn.execute("SELECT force_code FROM referrals WHERE state = 'sealed' GROUP BY force_code"
                                       " ORDER BY count(*) DESC LIMIT 1").fetchone()
    finally:
        officer.close()
    desk = Force(history_room, code)
    desk.open_all()
    return desk


def referrals_of(room: DemoRoom, code: str) -> list[tuple[str, str, str]]:
    officer = open_as(room, "officer")
    try:
        return [tuple(r) for r in officer.conn.execute(
            "SELECT referral_id, reference, substr(sealed_at, 1, 10) FROM referrals WHERE state = 'sealed'"
            " AND force_code = ? ORDER BY sealed_at, reference", (code,))]
    finally:
        officer.close()


def test_the_force_lists_what_it_received(force: Force, history_room: DemoRoom,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outcomes", str(force.opened)]) == 0
    shown = capsys.readouterr().out
    sealed = referrals_of(history_room, force.code)
    for number, (_, reference, day) in enumerate(sealed, 1):
        assert f"{number:>3}  {reference}" in shown and f"(sealed {day})" in shown
    assert shown.count("already sent: nothing yet") == len(sealed)


def test_a_force_sends_outcomes_the_room_imports(force: Force, history_room: DemoRoom,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    sealed = referrals_of(history_room, force.code)
    first_id, first_ref, _ = sealed[0]
    assert force.outcomes("--received", "--outcome", first_ref, "misconduct_proceedings", "2026-11-19",
                          "Gross misconduct hearing listed") == 0
    (bundle,) = force.stick.glob("*.tar.age")
    officer = open_as(history_room, "officer")
    try:
        summary = import_outcomes(officer, [bundle])
        assert (summary.imported, summary.refused) == (1, 0)
        held = officer.conn.execute("SELECT referral_id, status, date, note FROM outcomes WHERE bundle_id IN"
                                    " (SELECT bundle_id FROM import_bundles WHERE file_name = ?)", (bundle.name,))
        rows = set(held)
    finally:
        officer.close()
    today = NOW.date().isoformat()
    assert rows == {(rid, "received", today, "") for rid, _, _ in sealed} | {
        (first_id, "misconduct_proceedings", "2026-11-19", "Gross misconduct hearing listed")}
    # what was sent is remembered: a second --received has nothing left to acknowledge
    capsys.readouterr()
    assert force.outcomes("--received") == 0
    out = capsys.readouterr().out
    assert "nothing to send" in out and f"Misconduct proceedings 2026-11-19; Received {today}" in out  # in words


def test_the_tool_refuses_what_the_room_would_refuse(force: Force, history_room: DemoRoom,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _, reference, sealed_day = referrals_of(history_room, force.code)[0]
    assert force.outcomes("--outcome", reference, "investigation_opened", "2026-01-02") == 1
    error = capsys.readouterr().err
    assert "2026-01-02 is before referral" in error and f"({reference}) was sealed on {sealed_day}" in error
    assert force.outcomes("--outcome", reference, "closed", "2026-11-23") == 1
    assert "more than a day ahead of today (2026-11-20)" in capsys.readouterr().err
    assert force.outcomes("--outcome", "HTR-1999-000001", "closed", "2026-11-19") == 1
    assert "not one of the referrals listed" in capsys.readouterr().err
    assert not force.stick.exists() and not (force.opened / "outcomes-sent.jsonl").exists()


def test_the_room_refuses_what_the_force_sends_wrongly(force: Force, history_room: DemoRoom,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _, reference, _ = referrals_of(history_room, force.code)[0]
    other = next(p.name.removesuffix(".key") for p in sorted((history_room.secrets / "forces").glob("*.key"))
                 if p.name != f"{force.code}.key")
    assert force.outcomes("--outcome", reference, "closed", "2026-11-19", key=other) == 0  # signed with another key
    monkeypatch.setattr(outcomes_cli, "clock", lambda: datetime(2026, 11, 25, 9, tzinfo=UTC))  # its clock runs fast
    assert force.outcomes("--outcome", reference, "closed", "2026-11-25") == 0
    officer = open_as(history_room, "officer")
    try:
        summary = import_outcomes(officer, sorted(force.stick.glob("*.tar.age")), quarantine=False)
    finally:
        officer.close()
    reasons = sorted(r.reason for r in summary.results)
    assert summary.refused == 2 and summary.imported == 0
    assert any("a force reports only on its own referrals" in r for r in reasons)
    assert any("2026-11-25 is more than a day ahead of today (2026-11-20)" in r for r in reasons)


def test_choosing_on_the_terminal(force: Force, history_room: DemoRoom, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    sealed = referrals_of(history_room, force.code)
    answers = iter(["1", "dismissed", "2025-01-01", "",   # refused: before the sealing; nothing added
                    "1", "6", "2026-11-18", "Hearing found gross misconduct",
                    "1", "investigation_opened", "", "",  # going back without a reason: refused
                    "r", "p", "y"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert force.outcomes("-i") == 0
    out = capsys.readouterr().out
    assert out.count("not added:") == 2 and "must say why in its note" in out
    assert f"added: {sealed[0][1]} Dismissed 2026-11-18" in out
    assert f"{len(sealed)} referral{'s' if len(sealed) != 1 else ''} acknowledged as received today" in out
    ledger = (force.opened / "outcomes-sent.jsonl").read_text().splitlines()
    assert len(ledger) == len(sealed) + 1 and len(list(force.stick.glob("*.tar.age"))) == 1


def test_a_referral_about_someone_referred_before_names_the_earlier_one(history_room: DemoRoom) -> None:
    """The demo's analysts confirm a clear red flag, so a force opens a referral carrying the
    earlier one by the room's reference, its force by name and the day it was sent."""
    officer = open_as(history_room, "officer")
    try:
        linked = [(reference, code, json.loads(document)["linked_referral_details"])
                  for reference, code, document in officer.conn.execute(
                      "SELECT reference, force_code, signed_document FROM referrals WHERE state = 'sealed'")
                  if json.loads(document).get("linked_referral_details")]
    finally:
        officer.close()
    assert linked, "the demo's history carries no linked referral"
    reference, code, [earlier] = linked[0]
    desk = Force(history_room, code)
    desk.open_all()
    (text,) = [path.read_text() for path in desk.opened.glob(f"*/{reference}.txt")]
    block = text.split("LINKED REFERRALS\n", 1)[1].split("\n\n", 1)[0]
    name = force_by_code(earlier["force"])
    assert name is not None and block.startswith(f"  {earlier['reference']} ({name.name}), sent {earlier['date']}\n")
    assert earlier["referral_id"] not in text


def test_a_folder_shared_by_forces_lists_only_the_force_named(force: Force, history_room: DemoRoom,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    other = next(p.name.removesuffix(".key") for p in sorted((history_room.secrets / "forces").glob("*.key"))
                 if p.name != f"{force.code}.key" and any((history_room.root / "sent").glob(
                     f"referrals-{p.name.removesuffix('.key')}-*")))
    for bundle in sorted((history_room.root / "sent").glob(f"referrals-{other}-*.tar.age")):
        assert main(["open", "--identity", str(history_room.secrets / "forces" / f"{other}.age"),
                     "--keyring", str(force.keyring), "--out", str(force.opened), str(bundle)]) == 0
    capsys.readouterr()
    assert main(["outcomes", str(force.opened)]) == 2  # two forces' referrals: which one?
    assert "say which force you are with --force" in capsys.readouterr().err
    assert main(["outcomes", str(force.opened), "--force", force.code]) == 0
    shown = capsys.readouterr().out
    assert f"referrals-{force.code}-" in shown and f"referrals-{other}-" not in shown
    assert main(["outcomes", str(force.opened), "--force", "nowhere"]) == 2
    assert "no opened referral for 'nowhere' here" in capsys.readouterr().err
