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
from datetime import timedelta
from pathlib import Path

from deskkit import BUILT, PASSWORDS, Demo, build_template, copy_demo

from hotline_tui.demo.synthetic import generate_attachments, generate_reports
from hotline_tui.services import audit
from hotline_tui.services.importing import import_bundles
from hotline_tui.services.session import Session
from import_export import agekeys
from import_export.bundle import ROOM_LABEL, TrustedComment, signature_path
from import_export.minisign import Signature
from import_export.writer import report_members, write_bundle

BUNDLES = 20
PER_BUNDLE = 100
RUNS = 12
USER = "ana"
REPO = Path(__file__).resolve().parents[2]


def _make_stick(demo: Demo, stick: Path) -> tuple[dict[str, int], str]:
    """20 bundles of reports; returns {bundle_id: count} of the good ones and the tampered one's file name."""
    stick.mkdir()
    reports = generate_reports(BUNDLES * PER_BUNDLE, seed=31, start=BUILT - timedelta(days=60), end=BUILT)
    files = generate_attachments(reports)
    good: dict[str, int] = {}
    tampered = ""
    recipient = agekeys.parse_recipient(demo.room_recipient())
    for number in range(BUNDLES):
        chunk = reports[number * PER_BUNDLE : (number + 1) * PER_BUNDLE - number % 3]  # counts differ a little
        written = write_bundle(
            stick, kind="reports", members=report_members(chunk, files), count=len(chunk),
            signer=demo.intake_key("intake-online" if number % 2 else "intake-phone"), recipients=[recipient],
            recipient_label=ROOM_LABEL, created=BUILT + timedelta(minutes=number),
        )
        if number == BUNDLES // 2:
            data = bytearray(written.path.read_bytes())
            data[-10] ^= 0x40
            written.path.write_bytes(bytes(data))
            tampered = written.path.name
        else:
            good[written.bundle_id] = len(chunk)
    return good, tampered


def _comment(path: Path) -> TrustedComment:
    return TrustedComment.parse(Signature.from_text(signature_path(path).read_text()).trusted_comment)


# The import service as the command runs it, but committing every few bundles rather than
# every 25,000 reports, so that kills fall between commits and inside them.
KILLED_IMPORT = f"""
import sys
from pathlib import Path
from hotline_tui.config import Settings
from hotline_tui.services.importing import import_bundles
from hotline_tui.services.workspace import unlock
session = unlock(Settings(Path(sys.argv[1])), {USER!r}, sys.stdin.readline().rstrip("\\n"))
import_bundles(session, [Path(sys.argv[2])], commit_every=3 * {PER_BUNDLE})
session.close()
"""


def _run(workspace: Path, stick: Path, password_file: Path, *, command: bool = False) -> subprocess.Popen[bytes]:
    """The headless import command, or the same import committing every three bundles."""
    how = ["-m", "hotline_tui", "import", "--workspace", str(workspace), "--user", USER, "--password-stdin"] if command \
        else ["-c", KILLED_IMPORT, str(workspace)]
    with password_file.open("rb") as password:
        return subprocess.Popen(
            [sys.executable, *how, str(stick)], stdin=password, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO
        )


def _scalar(session: Session, sql: str, *params: object) -> int:
    return int(session.conn.execute(sql, params).fetchone()[0])


def _check_whole_or_absent(session: Session, good: dict[str, int], tampered: str, imports: int = 1) -> int:
    """Every bundle wholly stored or wholly absent; returns how many are stored."""
    stored = 0
    for bundle_id, count in good.items():
        reports = _scalar(session, "SELECT count(*) FROM reports WHERE bundle_id = ?", bundle_id)
        listed = session.conn.execute("SELECT item_count FROM import_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()
        entries = _scalar(session, "SELECT count(*) FROM audit WHERE action = 'bundle.imported' AND object = ?",
                          f"bundle {bundle_id}")
        if listed is None:
            assert (reports, entries) == (0, 0), f"bundle {bundle_id}: {reports} reports, {entries} audit entries, not listed"
        else:
            assert (listed[0], reports, entries) == (count, count, 1), f"bundle {bundle_id} is half there"
            stored += 1
    assert _scalar(session, "SELECT count(*) FROM reports") == sum(
        count for bundle_id, count in good.items()
        if session.conn.execute("SELECT 1 FROM import_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()
    )
    # The full-text index and the attachments follow their reports exactly.
    assert _scalar(session, "SELECT count(*) FROM report_search") == _scalar(session, "SELECT count(*) FROM reports")
    assert _scalar(session, "SELECT count(*) FROM report_search WHERE rowid NOT IN (SELECT id FROM reports)") == 0
    assert _scalar(session, "SELECT count(*) FROM report_attachments WHERE report_id NOT IN (SELECT report_id FROM reports)") == 0
    # A refusal's quarantine copy and its audit entry are one transaction; a second
    # refusal of the same bytes is audited but not held twice.
    refusals = _scalar(session, "SELECT count(*) FROM audit WHERE action = 'bundle.refused' AND object = ?", f"file {tampered}")
    assert refusals <= imports
    assert _scalar(session, "SELECT count(*) FROM quarantine") == min(refusals, 1)
    assert audit.verify_chain(session.conn).ok
    return stored


def test_a_killed_import_leaves_every_bundle_whole_or_absent(tmp_path: Path) -> None:
    demo = copy_demo(build_template(tmp_path / "template"), tmp_path / "copy")
    good, tampered = _make_stick(demo, tmp_path / "stick")
    stick = tmp_path / "stick"
    assert {_comment(p).bundle_id for p in stick.glob("*.tar.age")} >= set(good)
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORDS[USER] + "\n")
    pristine = tmp_path / "pristine"
    shutil.copytree(demo.room.workspace, pristine)

    proc = _run(demo.room.workspace, stick, password_file, command=True)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err.decode()  # the tampered bundle
    assert out.decode().splitlines()[-1] == f"{BUNDLES - 1} imported, 0 skipped, 1 refused, {sum(good.values())} reports added"
    shutil.rmtree(demo.room.workspace)
    shutil.copytree(pristine, demo.room.workspace)
    started = time.monotonic()
    proc = _run(demo.room.workspace, stick, password_file)
    _, err = proc.communicate(timeout=120)
    full = time.monotonic() - started
    assert proc.returncode == 0, err.decode()

    rng = random.Random(2026)
    seen: list[int] = []
    for run in range(RUNS):
        shutil.rmtree(demo.room.workspace)
        shutil.copytree(pristine, demo.room.workspace)
        # One random moment in each twelfth of the full run, so kills fall early, late and in between.
        delay = rng.uniform(run * full / RUNS, (run + 1) * full / RUNS)
        proc = _run(demo.room.workspace, stick, password_file)
        time.sleep(delay)
        proc.kill()  # SIGKILL: no cleanup, no rollback, no checkpoint
        proc.communicate(timeout=60)
        print(f"run {run}: killed after {delay:.3f} s of {full:.3f} s, return code {proc.returncode}")
        session = demo.unlock(USER)  # runs both integrity checks
        try:
            seen.append(_check_whole_or_absent(session, good, tampered))
            print(f"        {seen[-1]} of {BUNDLES - 1} bundles were in")
            summary = import_bundles(session, [stick])
            assert summary.imported + summary.skipped == BUNDLES - 1 and summary.refused == 1
            assert summary.imported == BUNDLES - 1 - seen[-1]
            assert _check_whole_or_absent(session, good, tampered, imports=2) == BUNDLES - 1
        finally:
            session.close()
    # The kills landed at different points of the import, not all before or after it.
    assert len(set(seen)) >= 3, seen
    assert os.listdir(stick) and all(not name.startswith(".") for name in os.listdir(stick))
