"""Red-flag candidates at 100,000 reports: time per report, precision and recall.

Generates reports with known repeat officers (``generate_reports_with_truth``), stores
them straight through the store's own insert (as an import would, without the bundle
crypto), indexes their subjects as an import does, then asks ``redflags.candidates``
about each report's subjects as the analyst's starting form has them.

- time: median and 95th percentile over 50 random reports, after one warm-up call
  (the first call of a session builds the in-memory surname list; printed apart);
- precision and recall over every report about a planted officer: a candidate pair is
  true when both reports are about the same planted officer;
- noise: how many candidates an ordinary report gets (no ground truth says those are
  wrong: two invented "David Smith"s in one force may well look alike).

    python bench/redflags.py [count]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.synthetic import generate_reports_with_truth
from hotline_tui.services import redflags, users
from hotline_tui.services.assessment import starting_form
from hotline_tui.services.import_rows import report_rows
from hotline_tui.services.session import Session
from hotline_tui.services.workspace import create_workspace, unlock
from hotline_tui.store import reports as store
from hotline_tui.store.connection import transaction

COUNT = 100_000
CHUNK = 5_000
TIMED = 50
GOAL_MS = 50.0
PASSWORD = "a bench password of some length"


def _row(doc: dict[str, Any], bundle_id: str) -> tuple[store.ReportRow, store.SearchRow]:
    return report_rows(doc, json.dumps(doc, ensure_ascii=False), bundle_id)


def _fill(session: Session, reports: list[dict[str, Any]]) -> tuple[float, float]:
    """Store the reports; (seconds to insert, seconds to index their subjects)."""
    conn, at = session.conn, session.now()
    started = time.perf_counter()
    for start in range(0, len(reports), CHUNK):
        bundle_id = f"bench-{start}"
        pairs = [_row(doc, bundle_id) for doc in reports[start : start + CHUNK]]
        with transaction(conn):
            store.insert_bundle(conn, bundle_id, "reports", "0" * 16, "bench", at, len(pairs), "bench", at, "bench")
            store.insert_reports(conn, [p[0] for p in pairs], [p[1] for p in pairs], at)
    inserted = time.perf_counter()
    with transaction(conn):
        redflags.index_new_reports(conn)
    return inserted - started, time.perf_counter() - inserted


def _ask(session: Session, key: int, document: dict[str, Any]) -> tuple[list[redflags.Candidate], float]:
    form = starting_form(document)
    started = time.perf_counter()
    found = redflags.candidates(session, key, form.subjects, form.force)
    return found, (time.perf_counter() - started) * 1000


def _quality(session: Session, keys: dict[str, int], docs: dict[str, dict[str, Any]], truth: dict[str, str]) -> None:
    officer_of = {keys[rid]: officer for rid, officer in truth.items()}
    true_found = returned = 0
    possible = sum(1 for a in officer_of for b in officer_of if a != b and officer_of[a] == officer_of[b])
    for rid in truth:
        found, _ms = _ask(session, keys[rid], docs[rid])
        returned += len(found)
        true_found += sum(1 for c in found if officer_of.get(c.key) == officer_of[keys[rid]])
    precision = true_found / returned if returned else 1.0
    recall = true_found / possible if possible else 1.0
    print(f"planted reports          {len(truth)} about {len(set(truth.values()))} officers, {possible} true ordered pairs")
    print(f"candidates returned      {returned}, of which true {true_found}")
    print(f"precision                {precision:.3f}")
    print(f"recall                   {recall:.3f}")


def _timing(session: Session, keys: dict[str, int], docs: dict[str, dict[str, Any]], truth: dict[str, str]) -> None:
    ordinary = [rid for rid in keys if rid not in truth]
    sample = random.Random(5).sample(ordinary, TIMED + 1)
    _found, first = _ask(session, keys[sample[0]], docs[sample[0]])
    print(f"first call (builds the surname list)  {first:.1f} ms")
    times, counts = [], []
    for rid in sample[1:]:
        found, ms = _ask(session, keys[rid], docs[rid])
        times.append(ms)
        counts.append(len(found))
    median, p95 = statistics.median(times), sorted(times)[int(0.95 * len(times)) - 1]
    print(f"candidates() per report  median {median:.1f} ms, 95th percentile {p95:.1f} ms, max {max(times):.1f} ms"
          f" over {TIMED} reports; goal {GOAL_MS:.0f} ms: {'met' if median <= GOAL_MS else 'NOT met'}")
    print(f"noise                    ordinary reports get {statistics.mean(counts):.2f} candidates on average"
          f" ({sum(1 for c in counts if c)} of {TIMED} get any)")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    started = time.perf_counter()
    reports, truth = generate_reports_with_truth(
        count, seed=11, start=datetime(2024, 1, 1, tzinfo=UTC), end=datetime(2026, 3, 1, tzinfo=UTC)
    )
    print(f"generated {count:,} reports in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "room", kdf=KdfParams.for_tests())
        officer = create_workspace(settings, "olivia", PASSWORD)
        users.add_user(officer, "ana", "analyst", PASSWORD)
        officer.close()
        session = unlock(settings, "ana", PASSWORD)
        try:
            insert_s, index_s = _fill(session, reports)
            print(f"stored in {insert_s:.1f} s; subject index built in {index_s:.1f} s")
            keys = {rid: key for rid, key in session.conn.execute("SELECT report_id, id FROM reports")}
            docs = {doc["report_id"]: doc for doc in reports}
            rows = session.conn.execute("SELECT count(*) FROM subject_index").fetchone()[0]
            print(f"subject index rows       {rows:,}")
            _timing(session, keys, docs, truth)
            _quality(session, keys, docs, truth)
        finally:
            session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
