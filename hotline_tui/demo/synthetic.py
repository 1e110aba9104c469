"""Deterministic synthetic reports, attachments and outcomes for the demo room and benchmarks.

Everything is invented: names are common first names and surnames put together at random,
phone numbers come from Ofcom's ranges reserved for drama (07700 900xxx, 0113 496 0xxx ...),
e-mail addresses use the reserved example domains. The same arguments give the same output.

- :func:`generate_reports` makes reports valid per FORMATS.md ("report (from intake)").
- :func:`generate_reports_with_truth` also says which reports are about one of the
  :data:`REPEAT_OFFICERS` (the red-flag ground truth, never written into the reports).
- :func:`generate_attachments` makes the attachment files the reports list.
- :func:`generate_outcomes` makes the outcome documents forces send back for referrals.
"""

from __future__ import annotations

import gc
import struct
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from random import Random
from typing import Any

from ._builder import VARIANT_W, Builder, Occurrence
from ._forces import FORCES
from ._hostile import HOSTILE_KINDS, hostile_positions, make_hostile
from ._outcomes import generate_outcomes
from ._people import REPEAT_OFFICERS, VARIANT_WEIGHTS, RepeatOfficer

__all__ = [
    "FORCES",
    "HOSTILE_KINDS",
    "REPEAT_OFFICERS",
    "RepeatOfficer",
    "generate_attachments",
    "generate_outcomes",
    "generate_reports",
    "generate_reports_with_truth",
    "hostile_positions",
    "repeat_officers",
]

Report = dict[str, Any]
Random01 = Callable[[], float]


def repeat_officers() -> tuple[RepeatOfficer, ...]:
    """The officers that several reports are about (ground truth for red-flag matching)."""
    return REPEAT_OFFICERS


# -- planning: where repeat officers and hostile reports go ----------------------------


def _plan_repeats(count: int, seed: int, taken: Iterable[int]) -> dict[int, Occurrence]:
    rng = Random(seed * 1_000_003 + 12)
    budget = count // 4
    wanted: list[tuple[RepeatOfficer, int]] = []
    planted = 0
    for officer in REPEAT_OFFICERS:
        times = rng.randint(2, 5)
        if planted + times > budget:
            break
        wanted.append((officer, times))
        planted += times
    excluded = set(taken)
    free = [i for i in range(count) if i not in excluded]
    positions = rng.sample(free, planted)
    plan: dict[int, Occurrence] = {}
    for officer, times in wanted:
        mine, positions = sorted(positions[:times]), positions[times:]
        for number, index in enumerate(mine):
            plan[index] = Occurrence(officer, number, _variant(rng.random, number))
    return plan


def _variant(r: Random01, number: int) -> int:
    """The full name first, something different the second time, then anything."""
    if number == 0:
        return 0
    if number == 1:
        return 1 + int(r() * (len(VARIANT_WEIGHTS) - 1))
    return VARIANT_W.pick(r)


def _check_arguments(count: int, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if count < 0:
        raise ValueError("count must not be negative")
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    end = end if end.tzinfo else end.replace(tzinfo=UTC)
    if end < start:
        raise ValueError("end is before start")
    return start, end


def generate_reports_with_truth(
    count: int,
    *,
    seed: int = 7,
    start: datetime,
    end: datetime,
    hostile: bool = True,
    reference_start: int = 1,
) -> tuple[list[Report], dict[str, str]]:
    """``count`` reports in time order, and ``{report_id: officer key}`` for repeat officers.

    Naive datetimes are taken as UTC. Hostile reports (see ``HOSTILE_KINDS``) sit at the
    positions :func:`hostile_positions` gives; the repeat officers never sit there, so
    ``hostile=False`` changes only those reports.
    """
    start, end = _check_arguments(count, start, end)
    hostile_at = hostile_positions(count)
    repeats = _plan_repeats(count, seed, hostile_at)
    builder = Builder(seed, start, end, count, reference_start)
    reports: list[Report] = []
    truth: dict[str, str] = {}
    with _collector_paused():
        for index in range(count):
            occurrence = repeats.get(index)
            doc = builder.report(index, occurrence)
            if occurrence:
                truth[doc["report_id"]] = occurrence.officer.key
            if hostile and index in hostile_at:
                make_hostile(doc, hostile_at[index])
            reports.append(doc)
    return reports, truth


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Millions of new, acyclic objects: the cyclic collector would only slow us down."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate_reports(
    count: int,
    *,
    seed: int = 7,
    start: datetime,
    end: datetime,
    hostile: bool = True,
    reference_start: int = 1,
) -> list[Report]:
    """``count`` valid reports received between ``start`` and ``end``, the same for the same seed."""
    reports, _truth = generate_reports_with_truth(
        count, seed=seed, start=start, end=end, hostile=hostile, reference_start=reference_start
    )
    return reports


# -- attachments -------------------------------------------------------------------------


def tiny_png(rgb: tuple[int, int, int], width: int = 16, height: int = 12) -> bytes:
    """A valid, uncompressed-looking RGB PNG of one colour."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = (b"\x00" + bytes(rgb) * width) * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _note(report: Report) -> bytes:
    lines = ["Notes I made at the time", "", f"When: {report.get('when', 'not sure')}", ""]
    lines.append(str(report.get("narrative", ""))[:600])
    return ("\n".join(lines) + "\n").encode("utf-8")


def _attachment_bytes(report: Report, media_type: str) -> bytes:
    if media_type == "image/png":
        digits = uuid.UUID(report["report_id"]).bytes
        return tiny_png((digits[0], digits[1], digits[2]))
    return _note(report)


def generate_attachments(reports: Iterable[Report]) -> dict[str, bytes]:
    """The files of every report's attachments, keyed ``attachments/<report_id>/<path>``."""
    files: dict[str, bytes] = {}
    for report in reports:
        for item in report.get("attachments", ()):
            member = f"attachments/{report['report_id']}/{item['path']}"
            files[member] = _attachment_bytes(report, item["media_type"])
    return files


# -- outcomes ------------------------------------------------------------------------------
