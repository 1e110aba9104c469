"""Statistics over 100k reports and 20k outcomes: everything the screen shows (every figure,
the answer's tables per officer and per report, how each force answers), goal <= 0.5 s.

The store is filled straight through the store functions (hotline_tui/demo/bulk.py) with
reports of realistic size, so a query that read the reports' pages instead of the
statistics' indexes and month summaries would show here. Three timings:

- first open after the bulk load: every month's summary is computed (once);
- opens after that, for the whole period and for one force (partial months at both ends);
- the first open after a day's work: 300 new reports and 100 decisions since the last.

Run: ``python bench/stats.py [REPORTS [OUTCOMES]]``. Each line gives the wall-clock time
(the goal) and the process's CPU time, which other work on a shared machine does not
inflate: read the load (``uptime``) beside the figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.bulk import build, plans_for, scaled_plans
from hotline_tui.demo.room import passwords_chosen
from hotline_tui.services.people.users import add_user
from hotline_tui.services.people.workspace import create_workspace, unlock
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period, Statistics, compute, drill_count
from hotline_tui.services.statistics.figures import figures
from hotline_tui.services.statistics.tables import all_tables, silent_lines
from hotline_tui.store.assessments import set_report_state
from hotline_tui.store.connection import transaction

GOAL_S = 0.5
RUNS = 7
WHOLE = Period(date(2023, 1, 1), date(2025, 12, 31))
ONE_FORCE = Period(date(2023, 1, 15), date(2025, 11, 20), "metropolitan")
ONE_CATEGORY = Period(date(2023, 1, 1), date(2025, 12, 31), category="theft_and_fraud")
ONE_BEHAVIOUR = Period(date(2023, 1, 1), date(2025, 12, 31), behaviour="corruption")


CPU: list[float] = []  # the process's own CPU time of each timed run: what a busy machine does not inflate


def _timed(work: Callable[[], Statistics]) -> tuple[float, Statistics]:
    started, cpu = time.perf_counter(), time.process_time()
    stats = work()
    figures(stats)
    all_tables(stats)
    silent_lines(stats)
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started, stats


def _line(name: str, times: list[float]) -> str:
    verdict = "ok" if max(times) <= GOAL_S else "OVER GOAL"
    cpu = CPU[-len(times):]
    return (f"{name}: median {statistics.median(times) * 1000:5.0f} ms, max {max(times) * 1000:5.0f} ms "
            f"over {len(times)} runs (goal {GOAL_S * 1000:.0f} ms: {verdict}); CPU median "
            f"{statistics.median(cpu) * 1000:.0f} ms, max {max(cpu) * 1000:.0f} ms")


def _day_of_work(session: Session, day: int) -> None:
    """300 reports arrive and 100 older ones are decided, as on a busy day."""
    build(session.conn, plans_for(200, 100, 0, 0, start=datetime(2025, 12, day, tzinfo=UTC),
                                  end=datetime(2025, 12, day, 23, tzinfo=UTC), seed=100 + day), seed=100 + day)
    keys = [k for (k,) in session.conn.execute("SELECT id FROM reports WHERE status = 'new' ORDER BY id LIMIT 100")]
    with transaction(session.conn) as conn:
        for key in keys:
            set_report_state(conn, key, "information_only", "analyst")


def main(reports: int = 100_000, outcomes: int = 20_000) -> int:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(Path(folder) / "room", kdf=KdfParams.for_tests())
        session = create_workspace(settings, "olivia", "officer-password-1", "Olivia Officer")
        add_user(session, "sam", "supervisor", "supervisor-password-1", "Sam Supervisor")
        passwords_chosen(session, ["sam"], "bench")
        started = time.perf_counter()
        build(session.conn, scaled_plans(reports, outcomes), now=datetime(2026, 3, 1, tzinfo=UTC))
        built = time.perf_counter() - started
        tables = ("reports", "referrals", "outcomes")
        counts = {t: session.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        session.close()
        print(f"store: {counts['reports']:,} reports, {counts['referrals']:,} referrals sealed, "
              f"{counts['outcomes']:,} outcomes (built in {built:.1f} s)")
        session = unlock(settings, "sam", "supervisor-password-1")  # nothing cached
        first, stats = _timed(lambda: compute(session, WHOLE))
        print(f"first open after the bulk load (every month summarised): {first * 1000:.0f} ms")
        for name, period in (("whole period (36 whole months)   ", WHOLE), ("one force, partial months at ends", ONE_FORCE),
                             ("one category (no month summaries)", ONE_CATEGORY),
                             ("one behaviour (behaviour summaries)", ONE_BEHAVIOUR)):
            print(_line(name, [_timed(lambda p=period: compute(session, p))[0] for _ in range(RUNS)]))
        print(f"  {len(figures(stats))} figures; contacts {stats.total_contacts:,}, passed on {stats.passed_on:,}, "
              f"investigations {stats.investigations:,}, removals {stats.removals:,}, "
              f"median days to referral {stats.to_referral.median}")
        answer = stats.answer
        print(f"  officers reported {answer.officers['reported']:,} of {answer.reports['reported']:,} reports; "
              f"dismissed {answer.officers['dismissed']:,} officers / {answer.reports['dismissed']:,} reports; "
              f"{len(all_tables(stats))} tables")
        after = []
        for day in range(1, 4):
            _day_of_work(session, day)
            after.append(_timed(lambda: compute(session, WHOLE))[0])
        print(_line("first open after a day's work   ", after))
        rows = figures(stats)
        started = time.perf_counter()
        behind = drill_count(session, WHOLE, rows[0].selector)  # type: ignore[arg-type]
        print(f"drill-down count of 'all contacts': {(time.perf_counter() - started) * 1000:.0f} ms ({behind:,} reports)")
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:])))
