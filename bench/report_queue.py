"""The report queue at 100,000 reports: first page, a deep page, a filter, a search, memory.

A child process fills a fresh workspace with 100,000 synthetic reports through the
store's own inserts (as an import stores them, without the bundle crypto), indexes their
subjects, and gives about a third of them worked states (assessed force, status,
priority, assignee, red flags). This process then only unlocks and queries, so its peak
RSS is the queue's own.

Figures (goals in brackets), each the median of several runs after the first, with the
first (cold cache, just unlocked) printed apart where it differs:

- first page: count + first page of the default view (<= 0.5 s), and a real first paint:
  QueueScreen pushed in a Textual app (``run_test``) until its table has rows;
- page down: one page at a deep offset, for every sort column and direction (<= 50 ms);
- a filter and a full-text search: count + first page (<= 100 ms each);
- home's red-flag escalation count, the first after a change (<= 50 ms: home paints
  without waiting), beside the grouping of the whole identifiers table it replaced;
- peak RSS of this process (<= 300 MB).

    python bench/report_queue.py [--count 100000] [--store DIR]   (--store keeps the filled store for reuse)

Prints figures; asserts nothing about time. About a minute and a half, most of it filling the store.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from hotline_tui.config import KdfParams, Settings
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.redflags import escalation
from hotline_tui.services.redflags.escalation import escalated_reports
from hotline_tui.services.session import Session
from hotline_tui.services.triage.queue import ESCALATED, SORT_KEYS, QueuePreset, QueueView
from hotline_tui.store.queue import QueueFilter

PASSWORD = "a bench password of some length"
PAGE = 50  # about a screenful; the table asks for pages of its own size, see widgets/paged_table.py
CHUNK = 10_000
RUNS = 7


def settings_for(workspace: Path) -> Settings:
    return Settings(workspace, kdf=KdfParams.for_tests(), scan_mounts=False)


# -- filling the store (in a child process) ------------------------------------------------------


def fill(workspace: Path, count: int) -> None:
    from hotline_tui.demo.room import passwords_chosen
    from hotline_tui.demo.synthetic import generate_reports
    from hotline_tui.services import redflags
    from hotline_tui.services.intake.rows import report_rows
    from hotline_tui.services.people.users import add_user
    from hotline_tui.services.people.workspace import create_workspace
    from hotline_tui.services.permissions import Role
    from hotline_tui.store import reports as store
    from hotline_tui.store.connection import transaction
    from import_export.writer import jsonl

    settings = settings_for(workspace)
    session = create_workspace(settings, "olivia", PASSWORD)
    try:
        for name in ("ana", "ben", "cat", "dev", "eli", "fay"):
            add_user(session, name, Role.ANALYST, PASSWORD)
            passwords_chosen(session, [name], "bench")
        conn, at = session.conn, session.now()
        start = datetime(2024, 1, 1, tzinfo=UTC)
        step = timedelta(days=800) * CHUNK / count
        for number, first in enumerate(range(0, count, CHUNK)):
            size = min(CHUNK, count - first)
            reports = generate_reports(size, seed=number, start=start + step * number, end=start + step * (number + 1),
                                       reference_start=first + 1)
            lines = jsonl(reports).split(b"\n")
            bundle_id = f"bench-{number}"
            rows, search = [], []
            for doc, line in zip(reports, lines, strict=False):
                row, words = report_rows(doc, line.decode("utf-8"), bundle_id)
                rows.append(row)
                search.append(words)
            with transaction(conn):
                store.insert_bundle(conn, bundle_id, "reports", "0" * 16, "bench", at, size, "bench", at, "olivia")
                store.insert_reports(conn, rows, search, at)
                redflags.index_new_reports(conn)
        with transaction(conn):
            work(conn)
    finally:
        session.close()


def work(conn: Any) -> None:
    """Worked states for about a third of the queue, spread by id (deterministic)."""
    conn.execute("""
        UPDATE reports SET
            status = CASE WHEN id % 100 < 66 THEN 'new' WHEN id % 100 < 78 THEN 'in_assessment'
                          WHEN id % 100 < 83 THEN 'awaiting_approval' WHEN id % 100 < 92 THEN 'referred'
                          WHEN id % 100 < 97 THEN 'no_further_action' WHEN id % 100 < 99 THEN 'duplicate'
                          ELSE 'information_only' END,
            priority = CASE WHEN id % 17 = 0 THEN 'urgent' WHEN id % 7 = 0 THEN 'high' ELSE 'normal' END,
            red_flags = CASE WHEN id % 29 = 0 THEN 1 + id % 3 ELSE 0 END
    """)
    conn.execute("""
        UPDATE reports SET
            force_code = coalesce(hint_code, 'metropolitan'),
            assigned_to = CASE id % 6 WHEN 0 THEN 'ana' WHEN 1 THEN 'ben' WHEN 2 THEN 'cat' WHEN 3 THEN 'dev'
                                      WHEN 4 THEN 'eli' ELSE 'fay' END
        WHERE status != 'new'
    """)


# The grouping escalation did before the counts were kept as identifiers are written.
GROUPED_WHOLE_TABLE = """
SELECT kind, value, group_concat(report_key) FROM (SELECT DISTINCT kind,
    CASE WHEN kind = 'collar' THEN value || ' in ' || force ELSE value END AS value, report_key FROM identifiers
    WHERE whose = 'subject' AND kind IN ('collar', 'warrant', 'registration', 'phone', 'email', 'handle')
        AND (kind != 'collar' OR force != ''))
GROUP BY kind, value HAVING count(*) >= 3
"""


def escalation_figures(session: Session) -> None:
    """Home's escalation count, the first after a change (the cache cleared each run)."""
    said = session.conn.execute("SELECT count(*) FROM identifiers").fetchone()[0]

    def first_after_a_change() -> int:
        escalation._cache.clear()
        return len(escalation.escalations(session))

    people = first_after_a_change()
    print(line(f"home: escalation count, first after a change ({people} people)", timed(first_after_a_change), 50))
    print(line(f"  was: grouping every identifier ({said:,} rows)",
               timed(lambda: session.conn.execute(GROUPED_WHOLE_TABLE).fetchall(), 3), 50))


# -- timing ------------------------------------------------------------------------------------


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """(first, median of the rest) in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


def first_page(view: QueueView) -> None:
    view.count()
    view.page(0, PAGE)


def line(label: str, figures: tuple[float, float], goal_ms: float) -> str:
    first, median = figures
    verdict = "ok" if median <= goal_ms else "MISSED"
    return f"{label:<52} median {median:8.1f} ms   first {first:8.1f} ms   (goal {goal_ms:.0f} ms: {verdict})"


def paint_time(session: Session) -> float:
    """Seconds from pushing QueueScreen until its table has rows on screen."""
    from textual.app import App

    from hotline_tui.screens.triage.queue_screen import QueueScreen
    from hotline_tui.widgets.paged_table import PagedTable

    async def measure() -> float:
        app: App[None] = App()
        async with app.run_test(size=(160, 50)) as pilot:
            started = time.perf_counter()
            await app.push_screen(QueueScreen(session))
            while True:
                await pilot.pause()
                table = app.screen.query_one(PagedTable)
                if table.row_count and table.row_at(0) is not None:
                    return time.perf_counter() - started

    return asyncio.run(measure())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="a folder to keep the filled workspace in (filled if empty)")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.fill:
        fill(args.fill, args.count)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.store or Path(tmp) / "workspace"
        if not (workspace / "slots.json").exists():
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--fill", str(workspace), "--count", str(args.count)], check=True)
            print(f"filled a store with {args.count:,} reports in {time.perf_counter() - started:.1f} s")
        return measure(workspace)


def measure(workspace: Path) -> int:
    unlocked = time.perf_counter()
    session = unlock(settings_for(workspace), "ana", PASSWORD)
    print(f"unlock (test KDF, both integrity checks): {time.perf_counter() - unlocked:.2f} s")
    try:
        total = QueueView(session).count()
        print(f"{total:,} reports in the queue; pages of {PAGE}")
        print(line("first page: count + page 1 (received, newest first)", timed(partial(first_page, QueueView(session))), 500))
        paint = [paint_time(session) * 1000 for _ in range(3)]
        print(f"{'first paint: QueueScreen pushed until rows shown':<52} median {statistics.median(paint):8.1f} ms"
              f"   first {paint[0]:8.1f} ms   (goal 500 ms: {'ok' if statistics.median(paint) <= 500 else 'MISSED'})")
        print("page down: one page at offset count/2 and at the last page")
        worst = 0.0
        for sort in SORT_KEYS:
            for descending in (False, True):
                view = QueueView(session, QueueFilter(), sort, descending)
                for offset in (total // 2, total - PAGE):
                    figures = timed(partial(view.page, offset, PAGE), 3)
                    worst = max(worst, figures[1])
                    if figures[1] > 50:
                        print("  " + line(f"{sort} {'desc' if descending else 'asc'} at {offset:,}", figures, 50))
        print(f"  worst median over every sort, both directions, both offsets: {worst:.1f} ms   (goal 50 ms)")
        searched = QueueView(session, QueueFilter(search="police"), "force")
        middle = searched.count() // 2
        print("  " + line("'police' sorted by force, at the middle", timed(partial(searched.page, middle, PAGE), 3), 50))
        escalation_figures(session)
        escalated = escalated_reports(session)
        filters: list[tuple[str, QueueFilter, str]] = [
            ("filter: status in_assessment", QueueFilter(status="in_assessment"), "received"),
            ("filter: force kent (assessed or hinted)", QueueFilter(force="kent"), "received"),
            ("filter: corruption, phone, since 2025-06",
             QueueFilter(behaviour_bit=1, channel="phone", received_from="2025-06-01"), "received"),
            ("filter: assigned to ana", QueueFilter(assigned_to="ana"), "received"),
            ("filter: status new, sorted by priority", QueueFilter(status="new"), "priority"),
            ("home: urgent, not yet referred", QueuePreset("not_yet_referred", "urgent").filter("ana"), "received"),
            ("home: assigned to ana (in her hands)", QueuePreset(mine=True).filter("ana"), "received"),
            ("home: returned to ana with comments", QueuePreset("returned", mine=True).filter("ana"), "received"),
            ("home: reports on people reported 3+ times", QueuePreset(ESCALATED).filter("ana", escalated), "received"),
            ("search: 'whitfield' (a surname)", QueueFilter(search="whitfield"), "received"),
            ("search: 'police' (in most reports)", QueueFilter(search="police"), "received"),
            ("search: 'police', sorted by reference", QueueFilter(search="police"), "reference"),
            ("search: 'police', sorted by force (grouped)", QueueFilter(search="police"), "force"),
            ("all reports, sorted by behaviours (grouped)", QueueFilter(), "behaviours"),
            ("search: 'cash car' (two words, last a prefix)", QueueFilter(search="cash car"), "received"),
            ("search + filter: 'money', status new", QueueFilter(search="money", status="new"), "received"),
        ]
        for label, flt, sort in filters:
            view = QueueView(session, flt, sort, sort == "received")
            print(line(f"{label} ({view.count():,})", timed(partial(first_page, view)), 100))
    finally:
        session.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB   (goal 300 MB: {'ok' if rss <= 300 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
