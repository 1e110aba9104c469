"""Red-flag candidates at 100,000 reports: time per report, precision and recall by way of naming.

Makes its own corpus with ground truth (bench/redflags_corpus.py: planted officers named
or identified in every way people do, and background reports full of common surnames,
the reporters' own phones and cars, and innocent numbers), stores it through the store's
own insert, indexes it as an import would, then asks ``redflags.candidates`` about each
report's subjects as the analyst's starting form has them.

- time: median and 95th percentile over 50 random reports, after one warm-up call;
- precision: of the same-person candidates offered for planted reports, the share about
  the same planted officer (same-reporter candidates are a different relation);
- recall: of the pairs of reports about one planted officer that give something in
  common (a name, a collar number, a registration, a phone, a handle), the share found,
  overall, for each way a report names the officer, and for reports that give no name;
- recall also for officers with one of the 52 commonest surnames and with any other: a
  common name with only rank and force beside it is weak evidence in a large room (many
  namesakes), and is meant to be;
- noise: how many candidates a background report gets.

    python bench/redflags.py [count]

Goals: recall >= 0.9 overall and >= 0.8 for reports that give no name, precision >= 0.9,
median time <= 50 ms at 100,000 reports.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from redflags_corpus import NO_NAME_WAYS, WAYS, Corpus, make_corpus

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import passwords_chosen
from hotline_tui.services import redflags
from hotline_tui.services.intake.rows import report_rows
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.redflags.escalation import THRESHOLD, escalations
from hotline_tui.services.redflags.subject_file import subject_file
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import starting_form
from hotline_tui.store import assessments as assessment_store
from hotline_tui.store import reports as store
from hotline_tui.store.connection import transaction

COUNT = 100_000
NAME_WAYS = ("name", "narrative name", "moved force")
CHUNK = 5_000
TIMED = 50
GOAL_MS = 50.0
FILE_GOAL_MS = 200.0
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


def _same_person(found: list[redflags.Candidate]) -> list[redflags.Candidate]:
    return [c for c in found if c.relation == redflags.SAME_PERSON]


def _quality(session: Session, keys: dict[str, int], docs: dict[str, dict[str, Any]], corpus: Corpus) -> None:
    officer_of = {keys[rid]: officer for rid, officer in corpus.officer_of.items()}
    said = {keys[rid]: what for rid, what in corpus.said.items()}
    true_found = returned = 0
    by_way: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # way -> [found, findable]
    by_surname: dict[bool, list[int]] = defaultdict(lambda: [0, 0])  # one of the commonest surnames -> [found, findable]
    by_form: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0])  # (form of the name, common) -> tally
    for rid, officer in corpus.officer_of.items():
        key = keys[rid]
        found = {c.key for c in _same_person(_ask(session, key, docs[rid])[0])}
        returned += len(found)
        true_found += sum(1 for k in found if officer_of.get(k) == officer)
        findable = [k for k, o in officer_of.items() if o == officer and k != key and said[k] & said[key]]
        tally = by_way[corpus.way_of[rid]]
        tally[0] += sum(1 for k in findable if k in found)
        tally[1] += len(findable)
        common = by_surname[officer in corpus.common]
        common[0] += sum(1 for k in findable if k in found)
        common[1] += len(findable)
        if corpus.way_of[rid] in NAME_WAYS:
            form = by_form[corpus.form_of[rid], officer in corpus.common]
            form[0] += sum(1 for k in findable if k in found)
            form[1] += len(findable)
    precision = true_found / returned if returned else 1.0
    found_all, findable_all = (sum(t[i] for t in by_way.values()) for i in (0, 1))
    no_name = [by_way[w] for w in NO_NAME_WAYS]
    print(f"planted reports          {len(corpus.officer_of)} about {len(set(corpus.officer_of.values()))} officers")
    print(f"candidates returned      {returned}, of which about the same officer {true_found}")
    print(f"precision                {precision:.3f}   (goal >= 0.9)")
    print(f"recall                   {found_all / findable_all:.3f}   (goal >= 0.9) over {findable_all} pairs that give"
          " something in common")
    no_name_recall = sum(t[0] for t in no_name) / max(1, sum(t[1] for t in no_name))
    print(f"recall, no name given    {no_name_recall:.3f}   (goal >= 0.8)")
    for way in ("anchor", *WAYS):
        done, total = by_way[way]
        print(f"  recall {way:<16} {done / max(1, total):.3f}   ({done} of {total})")
    for common, label in ((True, "one of the 52 commonest surnames"), (False, "any other surname")):
        done, total = by_surname[common]
        print(f"  recall, officers with {label:<33} {done / max(1, total):.3f}   ({done} of {total})")
    print("  recall of reports that name the officer, by the form of the name (common surname / other):")
    for form in sorted({f for f, _ in by_form}):
        cells = [f"{by_form[form, c][0] / max(1, by_form[form, c][1]):.3f} ({by_form[form, c][0]} of {by_form[form, c][1]})"
                 for c in (True, False)]
        print(f"    {form:<20} {cells[0]:<22} {cells[1]}")


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


def _file_and_escalation(session: Session, keys: dict[str, int], corpus: Corpus) -> None:
    """The subject's file of planted officers with their reports confirmed as linked (the
    analyst's work, done here in bulk), and escalation over the whole store."""
    by_officer: dict[str, list[int]] = defaultdict(list)
    for rid, officer in corpus.officer_of.items():
        by_officer[officer].append(keys[rid])
    with transaction(session.conn):
        for reports in by_officer.values():
            for a, b in zip(reports, reports[1:], strict=False):
                assessment_store.set_link(session.conn, a, b, True, "bench", session.now())
    times = []
    for reports in list(by_officer.values())[:TIMED]:
        started = time.perf_counter()
        subject_file(session, reports[0])
        times.append((time.perf_counter() - started) * 1000)
    print(f"subject's file opens     median {statistics.median(times):.1f} ms, max {max(times):.1f} ms"
          f" over {len(times)} people; goal {FILE_GOAL_MS:.0f} ms")
    started = time.perf_counter()
    found = escalations(session)
    print(f"escalations              {len(found)} people at {THRESHOLD}+ independent reports, found in"
          f" {(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    started = time.perf_counter()
    corpus = make_corpus(count)
    reports = corpus.reports
    print(f"generated {len(reports):,} reports in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "room", kdf=KdfParams.for_tests())
        officer = create_workspace(settings, "olivia", PASSWORD)
        users.add_user(officer, "ana", "analyst", PASSWORD)
        passwords_chosen(officer, ["ana"], "bench")
        officer.close()
        session = unlock(settings, "ana", PASSWORD)
        try:
            insert_s, index_s = _fill(session, reports)
            print(f"stored in {insert_s:.1f} s; subjects and identifiers indexed in {index_s:.1f} s"
                  f" ({index_s / len(reports) * 1e6:.0f} us a report)")
            keys = {rid: key for rid, key in session.conn.execute("SELECT report_id, id FROM reports")}
            docs = {doc["report_id"]: doc for doc in reports}
            rows = session.conn.execute("SELECT count(*) FROM subject_index").fetchone()[0]
            said = session.conn.execute("SELECT count(*) FROM identifiers").fetchone()[0]
            print(f"subject index rows       {rows:,}; identifiers {said:,}")
            _timing(session, keys, docs, corpus.officer_of)
            _quality(session, keys, docs, corpus)
            _file_and_escalation(session, keys, corpus)
        finally:
            session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
