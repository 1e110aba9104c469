"""A team at once on one room server: eight people working while an import and a seal run.

Eight sessions, each its own process as at its own terminal (five analysts, two
supervisors, one security officer), work through the services the screens call: the
queue and its search, opening reports, taking a report, saving drafts, submitting,
giving back; approving (signed with the supervisor's personal key) and returning;
the audit log, the users, a backup. Half of them at a human pace (a pause of 0.5 to 3 s
between actions), half as fast as they can. Meanwhile another analyst imports 20,000
reports (20 bundles of 1,000) and a supervisor seals every approved referral (a few
thousand, seeded beforehand, and whatever is approved during the run).

It prints the actions done, the slowest and the 95th-percentile latency of each kind
and of all together (and while the import ran), every "database is locked" or other
error a person would have seen, refusals by the room's rules (two people reaching for
the same report) apart; then checks that every action that said it succeeded is in the
store (its audit entry, its state) and that the audit chain is intact.

    python bench/team.py [--seconds 60] [--reports 20000] [--referrals 3000]

Goals: 0 errors seen, 0 writes lost, p95 of a person's action under 200 ms while the
import runs. Asserts nothing about time; the default run takes one to two minutes
(setup included), --seconds 300 gives a longer one.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seal as seal_bench  # noqa: E402  (bench/seal.py: the room, the seeded referrals, a valid form)

from hotline_tui.config import Settings  # noqa: E402
from hotline_tui.errors import PermissionDenied, Refused, StoreBusy  # noqa: E402
from hotline_tui.services.audit_trail import chain as audit  # noqa: E402
from hotline_tui.services.backup.make import make_backup  # noqa: E402
from hotline_tui.services.backup.status import backup_status  # noqa: E402
from hotline_tui.services.intake.importing import import_bundles  # noqa: E402
from hotline_tui.services.keyring import keys  # noqa: E402
from hotline_tui.services.people import users  # noqa: E402
from hotline_tui.services.people.workspace import unlock  # noqa: E402
from hotline_tui.services.permissions import Role  # noqa: E402
from hotline_tui.services.referrals import (
    approval,  # noqa: E402
    sealing,  # noqa: E402
)
from hotline_tui.services.session import Session  # noqa: E402
from hotline_tui.services.triage import assessment  # noqa: E402
from hotline_tui.services.triage.queue import QueueView, report_detail  # noqa: E402
from hotline_tui.store import users as user_store  # noqa: E402
from hotline_tui.store.connection import transaction  # noqa: E402
from hotline_tui.store.queue import QueueFilter  # noqa: E402

PASSWORD = seal_bench.PASSWORD
TEAM = [("ana", "analyst", True), ("ben", "analyst", True), ("cat", "analyst", False), ("dan", "analyst", False),
        ("eve", "analyst", True), ("sam", "supervisor", True), ("sue", "supervisor", False),
        ("olivia", "security_officer", False)]  # name, role, human pace
WORDS = ("cash", "threat", "drugs", "station", "car", "messages", "officer", "bribe")
GOAL_P95_MS = 200.0


@dataclass
class Op:
    who: str
    kind: str
    began: float  # seconds since the start
    ms: float
    outcome: str  # ok, refused, locked, error
    message: str = ""
    detail: tuple[Any, ...] = ()


# -- setup -------------------------------------------------------------------------------


def setup(root: Path, reports: int, referrals: int) -> tuple[Settings, Path, Path]:
    """The room (bench/seal.py's), the team, the seeded referrals, a stick of ``reports``
    reports and a first thousand imported for the analysts to work on."""
    settings, _ = seal_bench._room(root)
    importer = importlib.import_module("import")  # bench/import.py: its stick of bundles
    officer = unlock(settings, "olivia", PASSWORD)
    try:
        for name, role, _ in TEAM + [("imp", "analyst", False)]:
            if user_store.get(officer.conn, name) is None:
                users.add_user(officer, name, Role(role), PASSWORD)
        with transaction(officer.conn) as conn:  # the team chose their passwords long ago
            for info in users.list_users(officer):
                user_store.set_must_change_password(conn, info.name, False)
        signer = importer.SecretKey.generate()
        (root / "intake-bench.pub").write_text(signer.public_key.to_text("intake-bench"))
        keys.add_key_file(officer, root / "intake-bench.pub", "intake", name="intake-bench")
        recipient = importer.agekeys.parse_recipient(keys.room_public_keys(officer).recipient)
    finally:
        officer.close()
    seal_bench._fill(settings, referrals)
    stick, first = root / "stick", root / "first"
    importer.make_stick(stick, signer, recipient, max(reports // 1000, 1) + 1, 1000)
    first.mkdir()
    for path in sorted(stick.glob("*.tar.age"))[:1]:  # one bundle of the same stick: no report twice
        for member in (path, path.with_name(path.name + ".minisig")):
            member.rename(first / member.name)
    session = unlock(settings, "imp", PASSWORD)
    try:
        import_bundles(session, [first])
    finally:
        session.close()
    (root / "sealed").mkdir()
    (root / "backups").mkdir()
    return settings, stick, root


# -- one person ----------------------------------------------------------------------------


class Person:
    def __init__(self, settings: Settings, name: str, role: str, human: bool, t0: float, seconds: float,
                 out: Path, seed: int) -> None:
        self.settings, self.name, self.role, self.human = settings, name, role, human
        self.t0, self.until, self.out = t0, t0 + seconds, out
        self.rng = random.Random(seed)
        self.ops: list[Op] = []
        self.session: Session | None = None
        self.held: int | None = None
        self.drafts = 0
        self.personal: Any = None
        self.backed_up = False

    def timed(self, kind: str, action: Callable[[], tuple[Any, ...] | None]) -> None:
        began = time.perf_counter()
        try:
            detail = action() or ()
            outcome, message = "ok", ""
        except StoreBusy as exc:
            detail, outcome, message = (), "locked", str(exc)
        except (Refused, PermissionDenied) as exc:
            detail, outcome, message = (), "refused", str(exc)
        except Exception as exc:  # what a person would have seen as a failure
            detail, outcome = (), "locked" if "locked" in str(exc) else "error"
            message = f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - began) * 1000
        self.ops.append(Op(self.name, kind, began - self.t0, ms, outcome, message, detail))

    def run(self) -> list[Op]:
        def start() -> None:
            self.session = unlock(self.settings, self.name, PASSWORD)

        self.timed("unlock", start)
        if self.session is None:
            return self.ops
        if self.role == "supervisor":
            self.personal = users.unlock_personal_key(self.session, PASSWORD)
        step = {"analyst": self.analyst, "supervisor": self.supervisor, "security_officer": self.officer}[self.role]
        while time.perf_counter() < self.until:
            step()
            time.sleep(self.rng.uniform(0.5, 3.0) if self.human else 0.02)
        self.session.close()
        return self.ops

    # reading, as everyone does
    def browse(self) -> None:
        assert self.session is not None
        session = self.session
        choice = self.rng.random()
        if choice < 0.35:
            view = QueueView(session, QueueFilter(status="new"))

            def page() -> tuple[Any, ...]:
                view.count()
                return (len(view.page(self.rng.randrange(0, 200), 50)),)

            self.timed("queue page", page)
        elif choice < 0.65:
            word = self.rng.choice(WORDS)

            def search() -> tuple[Any, ...]:
                view = QueueView(session, QueueFilter(search=word))
                return (view.count(), len(view.page(0, 50)))

            self.timed("search", search)
        else:
            key = self.rng.randrange(1, 1000)
            self.timed("open report", lambda: (report_detail(session, key).report_id,))

    def analyst(self) -> None:
        assert self.session is not None
        session = self.session
        if self.held is None:
            if self.rng.random() < 0.5:
                self.browse()
                return
            view = QueueView(session, QueueFilter(status="new"))
            rows = view.page(self.rng.randrange(0, max(view.count() - 20, 1)), 20)
            if not rows:
                return
            key = self.rng.choice(rows).key

            def take() -> tuple[Any, ...]:
                taken = assessment.take_report(session, key)
                self.held, self.drafts = key, 0
                return (taken.reference,)

            self.timed("take", take)
            return
        key = self.held
        roll = self.rng.random()
        if roll < 0.15:
            self.browse()
        elif roll < 0.2:
            def give_back() -> tuple[Any, ...]:
                assessment.release_report(session, key)
                self.held = None
                return (key,)

            self.timed("give back", give_back)
        elif self.drafts < 2 or roll < 0.7:
            def save() -> tuple[Any, ...]:
                now = assessment.load_assessment(session, key)
                form = now.form
                form.summary = f"draft {self.name} {self.drafts} of report {key}"
                at = assessment.save_draft(session, key, form)
                self.drafts += 1
                return (key, form.summary, at)

            self.timed("save draft", save)
        else:
            def decide() -> tuple[Any, ...]:
                now = assessment.load_assessment(session, key)
                form = seal_bench._form(now.document, self.rng.choice(["metropolitan", "kent", "essex"]), self.rng)
                status = assessment.submit(session, key, form)
                self.held = None
                return (now.reference, status, key)

            self.timed("submit", decide)

    def supervisor(self) -> None:
        assert self.session is not None
        session = self.session
        if self.rng.random() < 0.4:
            self.browse()
            return
        pending = [p for p in approval.approval_queue(session) if not p.own]
        if not pending:
            self.browse()
            return
        chosen = self.rng.choice(pending)

        def approve() -> tuple[Any, ...]:
            seen = approval.review(session, chosen.referral_id)  # read, warnings and answers confirmed
            approval.approve(session, chosen.referral_id, self.personal, seen.warning_keys)
            return (chosen.reference,)

        def send_back() -> tuple[Any, ...]:
            assessment.return_to_analyst(session, chosen.referral_id, "Please say which station, and when.")
            return (chosen.reference,)

        if self.rng.random() < 0.85:
            self.timed("approve", approve)
        else:
            self.timed("return", send_back)

    def officer(self) -> None:
        assert self.session is not None
        session = self.session
        if not self.backed_up and time.perf_counter() - self.t0 > 8:
            self.backed_up = True
            self.timed("backup", lambda: (make_backup(session, self.out / "backups").path.name,))
            return
        roll = self.rng.random()
        if roll < 0.4:
            self.timed("audit log", lambda: (len(audit.read_log(session, 200)),))
        elif roll < 0.6:
            self.timed("users", lambda: (len(users.list_users(session)),))
        elif roll < 0.8:
            self.timed("backup status", lambda: (backup_status(session).line(),))
        else:
            self.timed("queue count", lambda: (QueueView(session).count(),))


def person(args: tuple[Any, ...]) -> list[Op]:
    settings, name, role, human, start_at, seconds, out, seed = args
    time.sleep(max(start_at - time.time(), 0))
    return Person(settings, name, role, human, time.perf_counter(), seconds, out, seed).run()


def importer(args: tuple[Any, ...]) -> dict[str, Any]:
    settings, stick, start_at, delay = args
    time.sleep(max(start_at + delay - time.time(), 0))
    began = time.time() - start_at
    session = unlock(settings, "imp", PASSWORD)
    try:
        summary = import_bundles(session, [stick])
    finally:
        session.close()
    return {"began": began, "ended": time.time() - start_at, "imported": summary.imported,
            "reports": summary.reports_added, "refused": summary.refused}


def sealer(args: tuple[Any, ...]) -> dict[str, Any]:
    settings, out, start_at, delay = args
    time.sleep(max(start_at + delay - time.time(), 0))
    began = time.time() - start_at
    session = unlock(settings, "sue", PASSWORD)
    try:
        codes = [batch.code for batch in sealing.sealing_plan(session) if not batch.blocked_reason]
        summary = sealing.seal(session, out / "sealed", codes)
    finally:
        session.close()
    return {"began": began, "ended": time.time() - start_at, "bundles": len(summary.sealed),
            "referrals": summary.referrals_sealed, "failed": len(summary.failed)}


# -- after -----------------------------------------------------------------------------------


def _audited(conn: Any, action: str) -> Counter[tuple[str, str]]:
    return Counter(conn.execute("SELECT actor, object FROM audit WHERE action = ?", (action,)).fetchall())


def verify(settings: Settings, ops: list[Op], imported: dict[str, Any], sealed: dict[str, Any], before: int) -> list[str]:
    """Every write that said it succeeded, found in the store; returns what is missing."""
    missing: list[str] = []
    session = unlock(settings, "sam", PASSWORD)
    conn = session.conn
    try:
        for kind, action, noun in (("take", "report.taken", "report"), ("submit", "assessment.submitted", "report"),
                                   ("approve", "referral.approved", "referral")):
            claimed = Counter((op.who, f"{noun} {op.detail[0]}") for op in ops if op.kind == kind and op.outcome == "ok")
            found = _audited(conn, action)
            missing += [f"{kind} {obj} by {who}" for (who, obj), n in claimed.items() if found[(who, obj)] < n]
        last_save: dict[int, Op] = {}
        for op in sorted(ops, key=lambda o: o.began):
            if op.kind == "save draft" and op.outcome == "ok":
                last_save[op.detail[0]] = op
            elif op.kind == "submit" and op.outcome == "ok":
                last_save.pop(op.detail[2], None)  # the decided form replaces the draft
        for key, op in last_save.items():
            row = conn.execute("SELECT form, decision FROM assessments WHERE report_key = ?", (key,)).fetchone()
            if row is None or (row[1] is None and json.loads(row[0]).get("summary") != op.detail[1]):
                missing.append(f"draft of report {key} by {op.who}")
        bundles = conn.execute("SELECT count(*) FROM import_bundles").fetchone()[0]
        if bundles - before != imported.get("imported", 0):
            missing.append(f"import: {imported.get('imported')} bundles said imported, {bundles - before} stored")
        in_sealed = conn.execute("SELECT count(*) FROM referrals WHERE state = 'sealed'").fetchone()[0]
        if in_sealed < sealed.get("referrals", 0):
            missing.append(f"seal: {sealed.get('referrals')} referrals said sealed, {in_sealed} marked")
        verdict = audit.verify_chain(conn)
        if not verdict.ok:
            missing.append(f"audit chain broken at {verdict.first_bad_seq}: {verdict.problem}")
    finally:
        session.close()
    return missing


def _ms(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def report(ops: list[Op], imported: dict[str, Any], sealed: dict[str, Any]) -> tuple[int, float]:
    interactive = [op for op in ops if op.kind not in ("unlock", "backup")]
    print(f"\n{len(ops):,} actions by {len(TEAM)} people: "
          + ", ".join(f"{n:,} {k}" for k, n in Counter(op.outcome for op in ops).most_common()))
    print(f"{'action':<14}{'done':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    by_kind: dict[str, list[Op]] = defaultdict(list)
    for op in ops:
        by_kind[op.kind].append(op)
    for kind, group in sorted(by_kind.items()):
        times = [op.ms for op in group]
        print(f"{kind:<14}{len(group):>7,}{statistics.median(times):>9.0f}{_ms(times, 0.95):>9.0f}{max(times):>9.0f}")
    during = [op.ms for op in interactive if imported["began"] <= op.began <= imported["ended"]]
    everything = [op.ms for op in interactive]
    print(f"all people's actions: p95 {_ms(everything, 0.95):.0f} ms, slowest {max(everything, default=0):.0f} ms; "
          f"while the import ran ({imported['began']:.0f}-{imported['ended']:.0f} s, {len(during):,} actions): "
          f"p95 {_ms(during, 0.95):.0f} ms, slowest {max(during, default=0):.0f} ms")
    print(f"import: {imported['imported']} bundles ({imported['refused']} refused), {imported['reports']:,} reports in "
          f"{imported['ended'] - imported['began']:.1f} s; seal: {sealed['referrals']:,} referrals in {sealed['bundles']} "
          f"bundles in {sealed['ended'] - sealed['began']:.1f} s ({sealed['failed']} failed)")
    writes = {"take", "save draft", "submit", "give back", "approve", "return"}
    for label, wanted in (("reads", False), ("writes", True)):
        some = [op.ms for op in interactive if (op.kind in writes) == wanted
                and imported["began"] <= op.began <= imported["ended"]]
        print(f"  {label} while importing: {len(some):,}, p50 {_ms(some, 0.5):.0f} ms, p95 {_ms(some, 0.95):.0f} ms")
    for op in sorted(interactive, key=lambda o: -o.ms)[:5]:
        print(f"  slow: {op.kind} by {op.who} at {op.began:.1f} s: {op.ms:.0f} ms")
    seen = [op for op in ops if op.outcome in ("locked", "error")]
    for op in seen[:20]:
        print(f"  SEEN by {op.who} at {op.began:.1f} s, {op.kind}: {op.message}")
    refusals = Counter(op.message.split(";")[0][:90] for op in ops if op.outcome == "refused")
    for message, n in refusals.most_common(4):
        print(f"  refused by the room's rules ({n}x): {message}")
    return len(seen), _ms(during or everything, 0.95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the team works (default 60)")
    parser.add_argument("--reports", type=int, default=20_000, help="reports in the import (default 20,000)")
    parser.add_argument("--referrals", type=int, default=3_000, help="approved referrals seeded for the seal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        settings, stick, root = setup(Path(tmp), args.reports, args.referrals)
        session = unlock(settings, "sam", PASSWORD)
        before = session.conn.execute("SELECT count(*) FROM import_bundles").fetchone()[0]
        session.close()
        print(f"setup: the room, {args.referrals:,} approved referrals, 1,000 reports to work on, a stick of "
              f"{args.reports:,} in {time.perf_counter() - started:.0f} s (not timed below)")
        start_at = time.time() + 3.0
        # Not a multiprocessing.Pool: its workers are daemons, and the import starts a reading child.
        with ProcessPoolExecutor(len(TEAM) + 2, mp_context=multiprocessing.get_context("spawn")) as pool:
            team = [pool.submit(person, (settings, name, role, human, start_at, args.seconds, root, seed))
                    for seed, (name, role, human) in enumerate(TEAM)]
            imported = pool.submit(importer, (settings, stick, start_at, 5.0))
            sealed = pool.submit(sealer, (settings, root, start_at, 15.0))
            ops = [op for future in team for op in future.result()]
            imported_result, sealed_result = imported.result(), sealed.result()
        errors, p95 = report(ops, imported_result, sealed_result)
        missing = verify(settings, ops, imported_result, sealed_result, before)
        for line in missing[:20]:
            print(f"  LOST: {line}")
        print(f"errors seen: {errors} (goal 0); writes lost: {len(missing)} (goal 0); p95 while importing: {p95:.0f} ms "
              f"(goal < {GOAL_P95_MS:.0f}: {'met' if p95 < GOAL_P95_MS else 'NOT met'}); audit chain "
              f"{'intact' if not any('chain' in m for m in missing) else 'BROKEN'}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
