"""Sealing 10,000 approved referrals across the 48 forces, with write-then-verify.

Setup (not timed): a room with an analyst and a supervisor, an age recipient for every
force in the keyring, 10,000 synthetic reports stored as an import would, and one
referral per report, made with ``build_referral`` and approved as ``approval.approve``
approves (``approved_document`` signed with the supervisor's real personal key by
``referral_signature``), inserted with the store's own functions in a few transactions.
The forces get the referrals unevenly, the Met most, as in life.

Timed: ``sealing.seal`` of all 48 forces to a folder: per force, the rendering of each
referral, the certified supervisor key, the manifest, tar, age encryption and room
signatures, the reader's checks on the bundle in memory, the write (fsync, rename), the
read back from the folder; then the referrals of every bundle marked sealed in one
transaction (timed apart too).

    python bench/seal.py [--referrals 10000] [--profile seal.prof]

Goal: at most 10 s in all. Prints figures; asserts nothing about time. A sample of the
bundles is then opened with the forces' identities as a check that they are whole.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import passwords_chosen
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.reference import forces
from hotline_tui.services.intake.rows import report_rows
from hotline_tui.services.keyring import keys
from hotline_tui.services.people.users import add_user, unlock_personal_key
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.referrals import sealing
from hotline_tui.services.referrals.approval import approved_document
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import AssessmentForm, build_referral, starting_form
from hotline_tui.store import assessments as referral_store
from hotline_tui.store import reports as report_store
from hotline_tui.store import sealing as seal_store
from hotline_tui.store.connection import transaction
from import_export import agekeys
from import_export.bundle import Keyring
from import_export.minisign import PublicKey
from import_export.reader import read_bundle
from import_export.writer import referral_signature

PASSWORD = "a bench password of some length"
GOAL_SECONDS = 10.0
CHUNK = 2_000
BIG_FORCES = {"metropolitan": 12, "west-midlands": 4, "greater-manchester": 4, "west-yorkshire": 3, "police-scotland": 4,
              "thames-valley": 3, "merseyside": 2, "kent": 2, "hampshire": 2, "essex": 2}
SUMMARY = (
    "A serving officer at the named station is said to have passed details of ongoing operations to an "
    "associate who runs a haulage business, in return for cash and the use of a holiday flat. The "
    "information is said to have been given over several months, in person after late shifts, and the "
    "associate is said to have boasted of knowing about raids before they happened."
)


def _room(root: Path) -> tuple[Settings, dict[str, Any]]:
    """The workspace, its users, and every force's age identity (its recipient in the keyring)."""
    settings = Settings(root / "workspace", kdf=KdfParams.for_tests())
    officer = create_workspace(settings, "olivia", PASSWORD)
    identities: dict[str, Any] = {}
    try:
        add_user(officer, "ana", "analyst", PASSWORD)
        add_user(officer, "sam", "supervisor", PASSWORD)
        passwords_chosen(officer, ["ana", "sam"], "bench")
        for force in forces():
            identity = agekeys.generate_identity()
            path = root / f"{force.code}.age.pub"
            path.write_text(f"{identity.to_public()}\n")
            keys.add_key_file(officer, path, "force", force.code)
            identities[force.code] = identity
        keys.export_public_keys(officer, root)
    finally:
        officer.close()
    return settings, identities


def _report_rows(reports: Sequence[dict[str, Any]]) -> tuple[list[report_store.ReportRow], list[report_store.SearchRow]]:
    pairs = [report_rows(doc, json.dumps(doc, ensure_ascii=False), "bench") for doc in reports]
    return [row for row, _ in pairs], [words for _, words in pairs]


def _form(report: dict[str, Any], force: str, rng: random.Random) -> AssessmentForm:
    form = starting_form(report)
    form.subjects = [s for s in form.subjects if s.identifying] or form.subjects[:1]
    for subject in form.subjects:
        subject.name = subject.name or "Name not known"
    form.force, form.decision = force, "refer"
    form.categories = ["disclosure_of_information"] if rng.random() < 0.6 else ["sexual_misconduct"]
    form.source, form.intelligence = rng.choice("12"), rng.choice("ABC")
    form.handling = "C" if rng.random() < 0.2 else "P"
    form.handling_conditions = ["A1"] if form.handling == "C" else []
    form.summary = SUMMARY
    return form


def _fill(settings: Settings, count: int) -> dict[str, int]:
    """``count`` reports and their approved referrals; returns referrals per force."""
    rng = random.Random(48)
    codes = [f.code for f in forces()]
    weights = [BIG_FORCES.get(code, 1) for code in codes]
    reports = generate_reports(count, seed=48, start=datetime(2025, 1, 1, tzinfo=UTC), end=datetime(2026, 3, 1, tzinfo=UTC),
                               hostile=False)
    session = unlock(settings, "sam", PASSWORD)
    per_force: dict[str, int] = {}
    try:
        at = session.now()
        personal = unlock_personal_key(session, PASSWORD)
        with transaction(session.conn) as conn:
            report_store.insert_bundle(conn, "bench", "reports", "0" * 16, "bench", at, count, "bench", at, "bench")
        for start in range(0, count, CHUNK):
            chunk = reports[start : start + CHUNK]
            rows, search = _report_rows(chunk)
            with transaction(session.conn) as conn:
                report_store.insert_reports(conn, rows, search, at)
                for number, report in enumerate(chunk, start + 1):
                    force = rng.choices(codes, weights)[0]
                    referral_id, reference = str(uuid.UUID(int=rng.getrandbits(128), version=4)), f"HTR-2026-{number:06d}"
                    document = build_referral(_form(report, force, rng), referral_id, reference, at[:19] + "Z", "ana", [])
                    referral_store.insert_referral(conn, referral_id, reference, 2026, number, report["report_id"], force,
                                                   "ana", json.dumps(document, ensure_ascii=False), at)
                    signed = approved_document(document, "sam", personal.key_id, at)
                    signature = referral_signature(personal, referral_id, force, signed)
                    seal_store.record_approval(conn, referral_id, "sam", personal.key_id, at, signed, signature)
                    per_force[force] = per_force.get(force, 0) + 1
    finally:
        session.close()
    return per_force


def _seal(session: Session, out: Path, codes: list[str]) -> tuple[sealing.SealSummary, float, float, list[float]]:
    """The summary, wall seconds, CPU seconds of this process, and wall seconds per bundle."""
    marks: list[float] = []
    record = sealing._record_sealed  # timed apart: the run's one transaction marking every bundle sealed

    def timed_record(*args: Any) -> None:
        marks.append(time.perf_counter())
        record(*args)
        recorded.append(time.perf_counter() - marks[-1])

    recorded: list[float] = []
    sealing._record_sealed = timed_record  # type: ignore[assignment]
    started, cpu = time.perf_counter(), time.process_time()
    try:
        summary = sealing.seal(session, out, codes, progress=lambda _p: marks.append(time.perf_counter()))
    finally:
        sealing._record_sealed = record  # type: ignore[assignment]
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"recording the {len(codes)} bundles sealed (one transaction): {sum(recorded):.2f} s")
    return summary, total, cpu, [b - a for a, b in zip(marks[:-2], marks[1:-1], strict=True)]


def _check_sample(summary: sealing.SealSummary, identities: dict[str, Any], room_pub: Path) -> None:
    keyring = Keyring.single(PublicKey.load(room_pub), "triage-room")
    biggest = max(summary.sealed, key=lambda b: b.count)
    for bundle in {biggest.force_code: biggest, summary.sealed[0].force_code: summary.sealed[0]}.values():
        opened = read_bundle(bundle.path, keyring, [identities[bundle.force_code]], kind="referrals",
                             recipient=bundle.force_code)
        assert len(opened.documents) == bundle.count
    print(f"check: the largest bundle ({biggest.force_name}, {biggest.count:,} referrals) and one other open and "
          "verify with the force's identity")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--profile", help="write a cProfile of the sealing to this file and print its top")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        settings, identities = _room(root)
        per_force = _fill(settings, args.referrals)
        print(f"setup: {args.referrals:,} approved referrals for {len(per_force)} forces in "
              f"{time.perf_counter() - started:.1f} s (not timed below)")
        out = root / "stick"
        out.mkdir()
        session = unlock(settings, "sam", PASSWORD)
        try:
            codes = [b.code for b in sealing.sealing_plan(session)]
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            summary, total, cpu, per_bundle = _seal(session, out, codes)
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            waiting = seal_store.approved_counts(session.conn)
        finally:
            session.close()
        assert not summary.failed and not waiting, (summary.failed, waiting)
        sizes = [b.path.stat().st_size for b in summary.sealed]
        sealed = summary.referrals_sealed
        print(f"sealed {sealed:,} referrals into {len(summary.sealed)} bundles ({sum(sizes) / 1e6:.1f} MB) "
              f"in {total:.2f} s: {sealed / total:,.0f} referrals/s; goal {GOAL_SECONDS:.0f} s: "
              f"{'met' if total <= GOAL_SECONDS else 'NOT met'}")
        print(f"CPU time of the sealing process: {cpu:.2f} s (the rest of the wall time: waiting on the disk, or "
              f"on other processes; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        print(f"per bundle (written and read back): median {statistics.median(per_bundle) * 1000:.0f} ms, "
              f"max {max(per_bundle) * 1000:.0f} ms; {total / sealed * 1000:.2f} ms a referral")
        by_size = sorted(zip(summary.sealed, sizes, per_bundle, strict=True), key=lambda t: -t[0].count)
        for bundle, size, seconds in by_size[:3] + by_size[-2:]:
            print(f"  {bundle.force_name:<40} {bundle.count:>5} referrals {size / 1e6:6.2f} MB {seconds * 1000:6.0f} ms")
        _check_sample(summary, identities, root / "triage-room.pub")
        if args.profile:
            pstats.Stats(args.profile).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
