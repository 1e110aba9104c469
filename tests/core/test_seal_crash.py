"""Sealing killed (SIGKILL) at random moments leaves every force whole or waiting.

Twelve forces with three approved referrals each are prepared once through the
services; each run copies that workspace, seals every force in a real subprocess
(``seal_child.py``) and kills it: at a random moment in each tenth of a full run, and
at the chosen points between the steps of publishing a bundle (a temporary written, the
payload renamed before its signature, every bundle read back but none recorded yet).

After each kill the workspace is opened and ``sealing.recover`` runs. Then for every
force, either one complete bundle under its final name, with its signature, that
verifies with the room's public key and opens with the force's identity, holding
exactly that force's referrals, which are marked sealed by it; or no file of that force
at all (no payload without its signature, no signature alone) and its referrals still
approved. ``recover`` removes the hidden ``.partial`` temporaries a kill leaves, so no
hidden file remains either. Sealing again then finishes every force.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from assesskit import PASSWORDS, Demo, _settings, _template
from sealkit import approve_each, identity, refer_each, room_keyring, secrets_of

from hotline_tui.demo.room import FORCE_NOT_IN_KEYRING
from hotline_tui.reference import forces
from hotline_tui.services.referrals import sealing
from hotline_tui.services.session import Session, utc_now
from import_export.reader import read_bundle

FORCES = [f.code for f in forces() if f.code != FORCE_NOT_IN_KEYRING][:12]
PER_FORCE = 3
RANDOM_RUNS = 10
KILL_POINTS = ("temp:1", "rename:1", "finish:1", "rename:8")
USER = "sam"
CHILD = Path(__file__).with_name("seal_child.py")
BUNDLE_NAME = re.compile(r"referrals-(?P<force>[a-z0-9-]+)-\d{8}T\d{6}Z-[0-9a-f]{8}\.tar\.age(?P<sig>\.minisig)?")


@dataclass
class Prepared:
    workspace: Path
    secrets: Path
    referrals: dict[str, list[str]]  # force -> approved referral ids


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    template = _template(tmp_path_factory.getbasetemp() / "assesskit")
    root = tmp_path_factory.mktemp("seal-crash")
    workspace = Path(shutil.copytree(template, root / "workspace"))
    demo = Demo(_settings(workspace), utc_now)
    wanted = [force for force in FORCES for _ in range(PER_FORCE)]
    ana = demo.unlock("ana")
    try:
        made = refer_each(ana, wanted)
    finally:
        ana.close()
    assert len(made) == len(wanted)
    sam = demo.unlock(USER)
    try:
        approve_each(sam, [referral_id for _, referral_id in made])
    finally:
        sam.close()
    referrals: dict[str, list[str]] = {}
    for force, (_, referral_id) in zip(wanted, made, strict=True):
        referrals.setdefault(force, []).append(referral_id)
    return Prepared(workspace, secrets_of(template), referrals)


@dataclass
class Run:
    workspace: Path
    media: Path

    def start(self, kill_at: str | None = None) -> subprocess.Popen[bytes]:
        args = [sys.executable, str(CHILD), str(self.workspace), str(self.media), USER, *([kill_at] if kill_at else [])]
        password = self.media.parent / "password"
        password.write_text(PASSWORDS[USER] + "\n")
        with password.open("rb") as stdin:
            return subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def session(self) -> Session:
        return Demo(_settings(self.workspace), utc_now).unlock(USER)


def _fresh(prepared: Prepared, folder: Path) -> Run:
    workspace = Path(shutil.copytree(prepared.workspace, folder / "workspace"))
    media = folder / "stick"
    media.mkdir()
    return Run(workspace, media)


def _wait_ready(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == b"ready\n", (line, proc.stderr.read() if proc.stderr else b"")


def _states(session: Session, ids: list[str]) -> set[tuple[str, str | None]]:
    marks = ",".join("?" * len(ids))
    rows = session.conn.execute(f"SELECT state, sealed_bundle_id FROM referrals WHERE referral_id IN ({marks})", ids)
    return {(state, bundle_id) for state, bundle_id in rows}


def _check_whole_or_waiting(run: Run, prepared: Prepared) -> int:
    """Every force sealed wholly or not at all; returns how many are sealed."""
    names = sorted(p.name for p in run.media.iterdir())
    assert not [n for n in names if n.startswith(".")], f"hidden temporaries left: {names}"
    files: dict[str, list[str]] = {force: [] for force in prepared.referrals}
    for name in names:
        match = BUNDLE_NAME.fullmatch(name)
        assert match and match["force"] in files, f"unexpected file on the media: {name}"
        files[match["force"]].append(name)
    keyring = room_keyring(prepared.secrets)
    sealed = 0
    session = run.session()
    try:
        assert not sealing.store.unfinished_batches(session.conn)
        for force, ids in prepared.referrals.items():
            found = files[force]
            if not found:
                assert _states(session, ids) == {("approved", None)}, force
                continue
            assert len(found) == 2 and found[1] == found[0] + ".minisig", found
            bundle = read_bundle(run.media / found[0], keyring, identity(prepared.secrets, force),
                                 kind="referrals", recipient=force)
            assert sorted(d["referral_id"] for d in bundle.documents) == sorted(ids)
            assert _states(session, ids) == {("sealed", bundle.outer.comment.bundle_id)}, force
            sealed += 1
    finally:
        session.close()
    return sealed


def _recover(run: Run) -> list[str]:
    session = run.session()
    try:
        return sealing.recover(session)
    finally:
        session.close()


def _seal_the_rest(run: Run, prepared: Prepared) -> None:
    session = run.session()
    try:
        summary = sealing.seal(session, run.media, list(prepared.referrals))
        assert not [why for _, why in summary.failed if "no approved referrals" not in why]
    finally:
        session.close()
    assert _check_whole_or_waiting(run, prepared) == len(prepared.referrals)


def _runs(tmp_path: Path, prepared: Prepared) -> Iterator[Run]:
    for number in range(100):
        yield _fresh(prepared, tmp_path / f"run{number}")


def test_a_killed_sealing_leaves_every_force_whole_or_waiting(prepared: Prepared, tmp_path: Path) -> None:
    runs = _runs(tmp_path, prepared)
    run = next(runs)
    proc = run.start()
    _wait_ready(proc)
    started = time.monotonic()
    out, err = proc.communicate(timeout=60)
    full = time.monotonic() - started
    assert proc.returncode == 0 and out == f"sealed {len(FORCES)} failed 0\n".encode(), err.decode()
    assert _check_whole_or_waiting(run, prepared) == len(FORCES)

    seen: list[int] = []
    rng = random.Random(2026)
    for number in range(RANDOM_RUNS):
        run = next(runs)
        delay = rng.uniform(number * full / RANDOM_RUNS, (number + 1) * full / RANDOM_RUNS)
        proc = run.start()
        _wait_ready(proc)
        time.sleep(delay)
        proc.kill()  # SIGKILL: no cleanup, no rollback
        proc.communicate(timeout=60)
        settled = _recover(run)
        seen.append(_check_whole_or_waiting(run, prepared))
        print(f"run {number}: killed {delay:.3f} s into {full:.3f} s; recover settled {len(settled)} batch(es); "
              f"{seen[-1]} forces sealed")
        _seal_the_rest(run, prepared)
    assert len(set(seen)) >= 3, seen  # the kills fell early, late and in between

    for point in KILL_POINTS:
        run = next(runs)
        proc = run.start(point)
        _wait_ready(proc)
        proc.communicate(timeout=60)
        assert proc.returncode == -9, f"{point}: the run was not killed there"
        left = sorted(p.name for p in run.media.iterdir())
        settled = _recover(run)
        sealed = _check_whole_or_waiting(run, prepared)
        print(f"{point}: left {len(left)} file(s); recover settled {len(settled)} batch(es); {sealed} forces sealed")
        if point == "temp:1":
            assert [n for n in left if n.endswith(".partial")] and sealed == 0
        if point == "rename:1":
            assert any(n.endswith(".tar.age") for n in left) and sealed == 0
        if point == "finish:1":  # every bundle written, none recorded: recover finds each complete
            assert sealed == len(FORCES) and all("complete on the media" in line for line in settled)
        _seal_the_rest(run, prepared)
