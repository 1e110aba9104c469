"""A headless import killed (SIGKILL) at random moments never leaves half a bundle.

The command runs as a real subprocess over a stick of 20 small bundles (one of them
tampered, so the refusal's transaction is exercised too). After each kill the workspace
must unlock (the integrity checks run on open), each bundle must be either wholly
imported (its reports, index rows and audit entry) or wholly absent, and importing
again must finish the job.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from deskkit import PASSWORDS, build_template, copy_demo
from stickkit import BUNDLES, PER_BUNDLE, check_whole_or_absent, make_stick, red_flag_rows

from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.store.subjects import pending_count
from import_export.bundle import TrustedComment, signature_path
from import_export.minisign import Signature

RUNS = 12
USER = "ana"
REPO = Path(__file__).resolve().parents[2]


def _comment(path: Path) -> TrustedComment:
    return TrustedComment.parse(Signature.from_text(signature_path(path).read_text()).trusted_comment)


# The import service as the command runs it, but committing every few bundles rather than
# every 25,000 reports, so that kills fall between commits and inside them; then, as the
# command does, the red-flag indexing (it says when the import is done, for the kills to
# fall in both).
KILLED_IMPORT = f"""
import sys
from pathlib import Path
from hotline_tui.config import Settings
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.redflags.indexing import index_pending
session = unlock(Settings(Path(sys.argv[1])), {USER!r}, sys.stdin.readline().rstrip("\\n"))
import_bundles(session, [Path(sys.argv[2])], commit_every=3 * {PER_BUNDLE}, index=False)
print("imported", flush=True)
index_pending(session.conn, session.settings.store_path, batch=100)
session.close()
"""
IMPORT_KILLS = 8  # of RUNS: the rest fall in the indexing


def _run(workspace: Path, stick: Path, password_file: Path, *, command: bool = False) -> subprocess.Popen[bytes]:
    """The headless import command, or the same import committing every three bundles."""
    how = ["-m", "hotline_tui", "import", "--workspace", str(workspace), "--user", USER, "--password-stdin"] if command \
        else ["-c", KILLED_IMPORT, str(workspace)]
    with password_file.open("rb") as password:
        return subprocess.Popen(
            [sys.executable, *how, str(stick)], stdin=password, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO
        )


def test_a_killed_import_leaves_every_bundle_whole_or_absent(tmp_path: Path) -> None:
    demo = copy_demo(build_template(tmp_path / "template"), tmp_path / "copy")
    good, tampered = make_stick(demo, tmp_path / "stick")
    stick = tmp_path / "stick"
    assert {_comment(p).bundle_id for p in stick.glob("*.tar.age")} >= set(good)
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORDS[USER] + "\n")
    pristine = tmp_path / "pristine"
    shutil.copytree(demo.room.workspace, pristine)

    proc = _run(demo.room.workspace, stick, password_file, command=True)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err.decode()  # the tampered bundle
    said = out.decode().splitlines()
    assert f"{BUNDLES - 1} imported, 0 skipped, 1 refused, {sum(good.values()):,} reports added" in said
    assert said[-1].startswith(f"red flags: {sum(good.values()):,} reports indexed in ")  # before it exits
    shutil.rmtree(demo.room.workspace)
    shutil.copytree(pristine, demo.room.workspace)
    started = time.monotonic()
    proc = _run(demo.room.workspace, stick, password_file)
    assert proc.stdout is not None and proc.stdout.readline() == b"imported\n"
    imported = time.monotonic() - started
    _, err = proc.communicate(timeout=120)
    full = time.monotonic() - started
    assert proc.returncode == 0, err.decode()
    session = demo.unlock(USER)
    try:
        indexed = red_flag_rows(session)  # the import ran whole: every report's red-flag rows
    finally:
        session.close()

    rng = random.Random(2026)
    seen: list[int] = []
    pending: list[int] = []
    for run in range(RUNS):
        shutil.rmtree(demo.room.workspace)
        shutil.copytree(pristine, demo.room.workspace)
        # One random moment in each eighth of the import, so kills fall early, late and in
        # between, and in each quarter of the indexing after it.
        indexing = (imported, (full - imported) / (RUNS - IMPORT_KILLS))
        start, span = (0.0, imported / IMPORT_KILLS) if run < IMPORT_KILLS else indexing
        delay = start + rng.uniform(run % IMPORT_KILLS * span, (run % IMPORT_KILLS + 1) * span)
        proc = _run(demo.room.workspace, stick, password_file)
        time.sleep(delay)
        proc.kill()  # SIGKILL: no cleanup, no rollback, no checkpoint
        proc.communicate(timeout=60)
        print(f"run {run}: killed after {delay:.3f} s of {full:.3f} s, return code {proc.returncode}")
        session = demo.unlock(USER)  # runs both integrity checks
        try:
            seen.append(check_whole_or_absent(session, good, tampered))
            pending.append(pending_count(session.conn))
            print(f"        {seen[-1]} of {BUNDLES - 1} bundles were in, {pending[-1]} reports' red flags pending")
            summary = import_bundles(session, [stick])
            assert summary.imported + summary.skipped == BUNDLES - 1 and summary.refused == 1
            assert summary.imported == BUNDLES - 1 - seen[-1]
            assert check_whole_or_absent(session, good, tampered, imports=2) == BUNDLES - 1
            # Killed while indexing red flags too: what was left pending is indexed now, each row once.
            assert pending_count(session.conn) == 0 and red_flag_rows(session) == indexed
        finally:
            session.close()
    # The kills landed at different points of the import, not all before or after it.
    assert len(set(seen)) >= 3, seen
    assert any(pending), pending  # and some in the indexing, with red flags left pending
    assert os.listdir(stick) and all(not name.startswith(".") for name in os.listdir(stick))
