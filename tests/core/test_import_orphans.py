"""A headless import killed with SIGKILL leaves no process behind: its reading child
(which holds the room's age identity) and multiprocessing's resource tracker end within
two seconds of it, however it died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from deskkit import BUILT, PASSWORDS, copy_demo

from hotline_tui.demo.room import DemoRoom
from hotline_tui.demo.synthetic import generate_attachments, generate_reports
from hotline_tui.services.intake.reading import PARALLEL_FROM_BYTES
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.writer import report_members, write_bundle

REPO = Path(__file__).resolve().parents[2]
USER = "ana"
BUNDLES, PER_BUNDLE = 16, 100


def _stick(template: DemoRoom, tmp_path: Path) -> tuple[Path, Path]:
    """A workspace and a stick large enough for the import to read in a child process."""
    demo = copy_demo(template, tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    recipient = agekeys.parse_recipient(demo.room_recipient())
    for number in range(BUNDLES):
        reports = generate_reports(PER_BUNDLE, seed=40 + number, start=BUILT - timedelta(days=30), end=BUILT)
        files = generate_attachments(reports)
        text = next(name for name in sorted(files) if name.endswith(".txt"))
        files[text] = os.urandom(PARALLEL_FROM_BYTES // BUNDLES // 2 + 1).hex().encode()  # large: read in a child
        members = report_members(reports, files)
        write_bundle(stick, kind="reports", members=members, count=len(reports),
                     signer=demo.intake_key("intake-online"), recipients=[recipient], recipient_label=ROOM_LABEL,
                     created=BUILT + timedelta(minutes=number))
    assert sum(p.stat().st_size for p in stick.iterdir()) > PARALLEL_FROM_BYTES
    return demo.room.workspace, stick


def _children(pid: int) -> set[int]:
    """Every live process descended from ``pid``, by /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits for a parent


def test_a_killed_import_leaves_no_process_of_it(template: DemoRoom, tmp_path: Path) -> None:
    workspace, stick = _stick(template, tmp_path)
    command = [sys.executable, "-m", "hotline_tui", "import", "--workspace", str(workspace), "--user", USER,
               "--password-stdin", str(stick)]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=REPO)
    assert proc.stdin is not None
    proc.stdin.write((PASSWORDS[USER] + "\n").encode())
    proc.stdin.close()
    deadline, descendants = time.monotonic() + 60, set()
    while len(descendants) < 2 and time.monotonic() < deadline and proc.poll() is None:
        descendants |= _children(proc.pid)  # the reading child and the resource tracker
        time.sleep(0.02)
    assert len(descendants) >= 2, "the import did not start its reading child"
    time.sleep(0.2)  # the child is reading now; a fast machine imports the whole stick in about a second
    assert proc.poll() is None, "the import ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(2)
    left = sorted(pid for pid in descendants if _alive(pid))
    for pid in left:  # not to leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []
