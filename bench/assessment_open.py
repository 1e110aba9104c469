"""Opening the assessment screen: how soon its footer shows its keys, the screen is
painted, and its red flags are found, from 'a' pressed in the queue.

The footer used to compose empty and fill itself only after the screen's first refresh
and a focus change, each a relayout of the form's ~200 widgets: its keys came about a
second after the screen (two on a loaded machine). The keys should come with the first
paint; the checks and red flags follow it.

    python bench/assessment_open.py [--workspace DIR] [--runs 5] [--size 100x30]

Without --workspace a demo room is made in a temporary folder (about a minute). Prints the
median and worst of each figure over the runs (each on another new report); asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from hotline_tui.app import HotlineApp
from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.room import DEMO_ACCOUNTS, build_demo_room
from hotline_tui.screens.assessment import AssessmentScreen
from hotline_tui.screens.assessment.red_flags import RedFlagTable
from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.widgets.paged_table import PagedTable
from hotline_tui.widgets.steady_footer import SteadyFooter

PASSWORDS = {account.name: account.password for account in DEMO_ACCOUNTS}


async def _open_once(app: HotlineApp, pilot, row: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    queue = app.screen
    assert isinstance(queue, QueueScreen)
    queue.query_one(PagedTable).cursor = row
    await pilot.pause(0.2)
    started = time.perf_counter()
    press = asyncio.create_task(pilot.press("a"))
    seen: dict[str, float] = {}
    while time.perf_counter() - started < 20 and "red flags" not in seen:
        await asyncio.sleep(0.002)
        screen = app.screen
        if not isinstance(screen, AssessmentScreen):
            continue
        footers = screen.query(SteadyFooter)
        if footers and footers.first().children:
            seen.setdefault("footer keys", time.perf_counter() - started)
        if screen.query(RedFlagTable) and screen.query_one(RedFlagTable).row_count:
            seen.setdefault("red flags", time.perf_counter() - started)
    await press
    await pilot.press("ctrl+r")  # give it back, so the next run takes another
    await pilot.pause(0.5)
    return seen


async def main(workspace: Path, runs: int, size: tuple[int, int]) -> None:
    settings = Settings(workspace=workspace, media_dirs=(), idle_lock_seconds=3600, kdf=KdfParams.production(),
                        demo=True, scan_mounts=False)
    app = HotlineApp(settings, demo_credentials=DEMO_ACCOUNTS)
    figures: dict[str, list[float]] = {}
    async with app.run_test(size=size) as pilot:
        unlock = app.screen
        unlock.query_one("#user").value = "ana"  # type: ignore[attr-defined]
        unlock.query_one("#password").value = PASSWORDS["ana"]  # type: ignore[attr-defined]
        unlock.query_one("#password").focus()
        await pilot.press("enter")
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.pause(0.05)
        app.open_action("queue")  # type: ignore[attr-defined]
        await pilot.pause(1)
        queue = app.screen
        table = queue.query_one(PagedTable)
        source = table.source
        new_rows = [i for i in range(min(table.row_count, 300))
                    if (row := table.row_at(i)) and source.states[row.row_id][0] == "new"]  # type: ignore[union-attr]
        if not new_rows:
            raise SystemExit("no new report in the queue's first 300 rows to open: nothing measured")
        for row in new_rows[:runs]:
            for name, value in (await _open_once(app, pilot, row)).items():
                figures.setdefault(name, []).append(value)
    for name, values in figures.items():
        print(f"{name:12} median {statistics.median(values) * 1000:6.0f} ms   worst {max(values) * 1000:6.0f} ms"
              f"   ({len(values)} runs, {size[0]}x{size[1]})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="100x30")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    if args.workspace:
        asyncio.run(main(args.workspace, args.runs, (width, height)))
    else:
        with tempfile.TemporaryDirectory() as folder:
            room = build_demo_room(Path(folder) / "room", history=True)  # a store with reports to open
            asyncio.run(main(room.workspace, args.runs, (width, height)))
