"""Import throughput: 100 bundles of 1,000 reports through ``import_bundles``, beside a floor.

The floor is what no import can avoid, measured in the same run on the same bundles:
age decryption (pyrage), JSON parsing of every report line, and one bulk insert of the
same rows (executemany into a plain table of the reports' columns, plus the full-text
insert) inside one SQLCipher transaction. The import does everything else too: the
outer and manifest signatures, every member's digest, validation of every report, the
replay and duplicate checks, the queue's indexes, the audit log; it reads bundles in a
child process while it stores, so its CPU figure is both processes' (the floor's is one).

    python bench/import.py [--bundles 100] [--reports 1000] [--profile import.prof]

Goals: 100,000 reports in at most 10 s, and at most 1.5 times the floor. Prints figures;
asserts nothing about time. Takes one to two minutes (a third of it making the bundles).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyrage

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import passwords_chosen
from hotline_tui.demo.synthetic import generate_attachments, generate_reports
from hotline_tui.services import keys
from hotline_tui.services.importing import import_bundles
from hotline_tui.services.permissions import Role
from hotline_tui.services.users import add_user
from hotline_tui.services.workspace import create_workspace, unlock
from hotline_tui.store.connection import open_store
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.minisign import SecretKey
from import_export.writer import report_members, write_bundle

PASSWORD = "a bench password of some length"
GOAL_SECONDS_PER_100K = 10.0
GOAL_RATIO = 1.5

FLOOR_SCHEMA = """
CREATE TABLE plain (
    id INTEGER PRIMARY KEY, report_id TEXT, reference TEXT, bundle_id TEXT, channel TEXT, received_at TEXT,
    force_hint TEXT, hint_code TEXT, behaviours TEXT, behaviour_mask INTEGER, has_contact INTEGER,
    document TEXT, imported_at TEXT
);
CREATE VIRTUAL TABLE plain_search USING fts5 (narrative, subjects, notes, tokenize = 'unicode61 remove_diacritics 2');
"""


def make_room(root: Path) -> tuple[Settings, SecretKey, pyrage.x25519.Recipient]:
    """A fresh workspace with an analyst and one trusted intake key."""
    settings = Settings(root / "workspace", kdf=KdfParams.for_tests(), scan_mounts=False)
    session = create_workspace(settings, "olivia", PASSWORD)
    try:
        add_user(session, "ana", Role.ANALYST, PASSWORD)
        passwords_chosen(session, ["ana"], "bench")
        signer = SecretKey.generate()
        pub = root / "intake-bench.pub"
        pub.write_text(signer.public_key.to_text("intake-bench"))
        keys.add_key_file(session, pub, "intake", name="intake-bench")
        recipient = agekeys.parse_recipient(keys.room_public_keys(session).recipient)
    finally:
        session.close()
    return settings, signer, recipient


def make_stick(stick: Path, signer: SecretKey, recipient: pyrage.x25519.Recipient, bundles: int, per_bundle: int) -> None:
    stick.mkdir()
    reports = generate_reports(
        bundles * per_bundle, seed=100, start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2026, 3, 1, tzinfo=UTC),
        hostile=False,
    )
    files = generate_attachments(reports)
    for number in range(bundles):
        chunk = reports[number * per_bundle : (number + 1) * per_bundle]
        write_bundle(
            stick, kind="reports", members=report_members(chunk, files), count=len(chunk), signer=signer,
            recipients=[recipient], recipient_label=ROOM_LABEL, created=datetime(2026, 3, 2, tzinfo=UTC),
        )


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the import's
    reading process is one: it ends with the import)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _child_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


class Clock:
    """Wall and CPU seconds since it was made (CPU too: the bench machine may be shared)."""

    def __init__(self) -> None:
        self.wall, self.cpu, self.child = time.perf_counter(), _cpu(), _child_cpu()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, _cpu() - self.cpu

    def child_cpu(self) -> float:
        """CPU seconds of children that ended since (the import's reading process)."""
        return _child_cpu() - self.child


def floor(paths: list[Path], identity: pyrage.x25519.Identity, store_path: Path) -> tuple[tuple[float, float], int]:
    """Decrypt, parse and bulk-insert the same reports with nothing else: ((wall, cpu) seconds, reports)."""
    conn = open_store(store_path, os.urandom(32))
    conn.executescript(FLOOR_SCHEMA)
    clock = Clock()
    rows: list[tuple[object, ...]] = []
    search: list[tuple[object, ...]] = []
    at = "2026-03-14T09:00:00.000000Z"
    for path in paths:
        plain = pyrage.decrypt(path.read_bytes(), [identity])
        with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
            member = tar.extractfile("reports.jsonl")
            assert member is not None
            data = member.read()
        for line in data.decode("utf-8").splitlines():
            doc = json.loads(line)
            key = len(rows) + 1
            rows.append((
                key, doc["report_id"], doc["reference"], path.name, doc["channel"], doc["received_at"],
                doc.get("force_hint", ""), None, ",".join(doc["behaviours"]), 0, 0, line, at,
            ))
            subjects = " ".join(str(v) for s in doc["subjects"] for k, v in s.items() if k != "role")
            search.append((key, doc["narrative"], subjects, doc.get("handler_notes", "")))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO plain_search (rowid, narrative, subjects, notes) VALUES (?, ?, ?, ?)", search)
    conn.execute("COMMIT")
    elapsed = clock.stop()
    conn.close()
    return elapsed, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", type=int, default=100)
    parser.add_argument("--reports", type=int, default=1000, help="reports a bundle")
    parser.add_argument("--profile", metavar="FILE", help="profile the import with cProfile: stats into FILE, top 40 printed")
    args = parser.parse_args()
    total = args.bundles * args.reports
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = time.perf_counter()
        settings, signer, recipient = make_room(root)
        make_stick(root / "stick", signer, recipient, args.bundles, args.reports)
        paths = sorted((root / "stick").glob("*.tar.age"))
        size = sum(p.stat().st_size for p in paths)
        made = time.perf_counter() - made
        print(f"made {len(paths)} bundles of {args.reports:,} reports ({size / 1e6:.0f} MB) in {made:.1f} s")

        session = unlock(settings, "ana", PASSWORD)
        try:
            identity = keys.room_identity(session)
            (floor_s, floor_cpu), floor_n = floor(paths, identity, root / "floor.db")
            assert floor_n == total
            profiler = cProfile.Profile() if args.profile else None
            clock = Clock()
            if profiler is not None:
                profiler.enable()
            summary = import_bundles(session, paths)
            if profiler is not None:
                profiler.disable()
            import_s, import_cpu = clock.stop()
            reading_cpu = clock.child_cpu()
            if profiler is not None:
                profiler.dump_stats(args.profile)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            stored = session.conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        finally:
            session.close()
        assert summary.imported == len(paths) and summary.reports_added == total == stored, summary.results[:3]
        store_mb = sum(p.stat().st_size for p in settings.workspace.iterdir()) / 1e6

    rate, floor_rate = total / import_s, total / floor_s
    ratio = import_s / floor_s
    per_100k = import_s * 100_000 / total
    print(f"floor  (decrypt + JSON + one bulk insert): {floor_s:6.2f} s  {floor_rate:9,.0f} reports/s   CPU {floor_cpu:6.2f} s")
    print(f"import (import_bundles, every check):      {import_s:6.2f} s  {rate:9,.0f} reports/s   CPU {import_cpu:6.2f} s"
          " (both processes: storing here, reading in a child)")
    print(f"  of which storing (this process) {import_cpu - reading_cpu:6.2f} s, reading (the child) {reading_cpu:6.2f} s:"
          " the larger of the two bounds the import on two cores")
    print(f"ratio import/floor: {ratio:.2f} wall, {import_cpu / floor_cpu:.2f} CPU   (goal <= {GOAL_RATIO})")
    print(f"100,000 reports in {per_100k:.1f} s   (goal <= {GOAL_SECONDS_PER_100K:.0f} s)")
    print(f"store on disk: {store_mb:.0f} MB; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    met = ratio <= GOAL_RATIO and per_100k <= GOAL_SECONDS_PER_100K
    print(f"goals: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
