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
import time
import uuid
import zlib
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any, Generic, TypeVar

from . import _text as text
from ._forces import FORCE_NAMES, FORCES, NOT_LISTED, TOWNS, alias, force_weight
from ._hostile import HOSTILE_KINDS, hostile_positions, make_hostile
from ._people import (
    DESCRIPTIONS_F,
    DESCRIPTIONS_M,
    FIRST_NAMES,
    OFFICER_RANKS,
    REPEAT_OFFICERS,
    ROLES,
    STAFF_JOBS,
    STAFF_RANKS,
    SURNAMES,
    UNKNOWN_DESCRIPTIONS,
    VARIANT_WEIGHTS,
    VOLUNTEER_RANKS,
    RepeatOfficer,
)

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

T = TypeVar("T")
Report = dict[str, Any]
Random01 = Callable[[], float]

PHONE_SHARE = 1988 / (1988 + 890)
ATTACHMENT_EVERY = 73
ATTACHMENT_OFFSET = 5


class _Weighted(Generic[T]):
    """A weighted choice made with one ``random()`` call and a bisection."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items: list[T] = []
        cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            total += weight
            items.append(item)
            cum.append(total)
        cum[-1] = float("inf")  # r() * total can round up to total; never index past the end
        self.items, self.cum, self.total = tuple(items), tuple(cum), total

    def pick(self, r: Random01) -> T:
        return self.items[bisect(self.cum, r() * self.total)]


_FORCE_W = _Weighted((code, force_weight(code)) for code, _ in FORCES)
_ROLE_W = _Weighted(ROLES)
_RANK_W = {
    "officer": _Weighted(OFFICER_RANKS),
    "staff": _Weighted(STAFF_RANKS),
    "volunteer": _Weighted(VOLUNTEER_RANKS),
    "unknown": _Weighted((("", 1),)),
}
_BEHAVIOUR_W = _Weighted(
    (("corruption", 25), ("sexual_misconduct", 20), ("abuse_or_control", 20), ("discrimination", 18),
     ("other_criminality", 12), ("other", 5))
)
_BEHAVIOUR_COUNT_W = _Weighted(((0, 8), (1, 65), (2, 22), (3, 5)))
_SUBJECT_COUNT_W = _Weighted(((1, 78), (2, 17), (3, 5)))
_SENTENCE_COUNT_W = _Weighted(((1, 10), (2, 20), (3, 25), (4, 22), (5, 13), (6, 10)))
_RELATIONSHIP_W = _Weighted((("public", 45), ("victim", 20), ("police_colleague", 15), ("family", 12), ("other", 8)))
_NAME_FORM_W = _Weighted((("full", 45), ("nick", 15), ("first", 10), ("last", 10), ("none", 20)))
_VARIANT_W = _Weighted(VARIANT_WEIGHTS)
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)
# The subject's pronouns, and the person harmed's ("she" when the subject is a man, else "he").
_PRONOUNS = {
    "m": {"He": "He", "he": "he", "him": "him", "his": "his", "His": "His",
          "v": "woman", "She": "She", "she": "she", "her": "her", "her_": "her"},
    "f": {"He": "She", "he": "she", "him": "her", "his": "her", "His": "Her",
          "v": "man", "She": "He", "she": "he", "her": "him", "her_": "his"},
}
_PHONE_FORMS = ("07700 900{n:03d}", "07700900{n:03d}", "+44 7700 900{n:03d}", "0113 496 0{n:03d}",
                "020 7946 0{n:03d}", "0161 496 0{n:03d}")
_ALIAS = {code: alias(code) for code, _ in FORCES}
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def repeat_officers() -> tuple[RepeatOfficer, ...]:
    """The officers that several reports are about (ground truth for red-flag matching)."""
    return REPEAT_OFFICERS


class _Context(dict[str, Any]):
    """Values for the templates; the occasional ones are drawn only when a template asks.

    Templates are filled in a fixed order, so drawing lazily stays deterministic.
    """

    r: Random01
    year: int

    def __missing__(self, key: str) -> Any:
        value = self.draw(key)
        self[key] = value
        return value

    def draw(self, key: str) -> Any:
        r = self.r
        if key == "venue":
            return _pick(r, text.VENUES)
        if key == "amount":
            return _pick(r, text.AMOUNTS)
        if key == "month":
            return _pick(r, text.MONTHS)
        if key == "mins":
            return 3 + int(r() * 25)
        if key == "year":
            return self.year - int(r() * 3)
        raise KeyError(key)


@dataclass(frozen=True)
class _Occurrence:
    officer: RepeatOfficer
    number: int
    variant: int


def _pick(r: Random01, seq: Sequence[T]) -> T:
    return seq[int(r() * len(seq))]


def _uuid4(bits: int) -> str:
    """A version 4 UUID from 128 random bits (what ``uuid.UUID(int=..., version=4)`` gives, faster)."""
    digits = "%032x" % (bits & _UUID_CLEAR | _UUID_SET)
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


class _Builder:
    """Builds report after report from one seeded random stream."""

    def __init__(self, seed: int, start: datetime, end: datetime, count: int, reference_start: int) -> None:
        self.rng = Random(seed)
        self.r: Random01 = self.rng.random
        self.start_ts = start.timestamp()
        self.step = (end.timestamp() - self.start_ts) / max(count, 1)
        self.reference_start = reference_start

    def chance(self, p: float) -> bool:
        return self.r() < p

    # -- the report ------------------------------------------------------------------

    def report(self, index: int, occurrence: _Occurrence | None) -> Report:
        report_id = _uuid4(self.rng.getrandbits(128))
        stamp = time.gmtime(self.start_ts + (index + self.r()) * self.step)
        channel = "phone" if self.r() < PHONE_SHARE else "online"
        force = occurrence.officer.force if occurrence else _FORCE_W.pick(self.r)
        ctx = self.context(force, stamp.tm_year, occurrence)
        subjects = self.subjects(force, ctx, occurrence)
        theme = occurrence.officer.behaviour if occurrence else None
        behaviours = self.behaviours(theme)
        reporter = self.reporter(ctx)
        doc: Report = {
            "report_id": report_id,
            "reference": f"PAC-{stamp.tm_year}-{self.reference_start + index:06d}",
            "channel": channel,
            "received_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp),
        }
        if reporter is not None:
            doc["reporter"] = reporter
        doc["subjects"] = subjects
        self.add_force_hint(doc, force)
        doc["behaviours"] = behaviours
        topic = theme or (behaviours[0] if behaviours else _BEHAVIOUR_W.pick(self.r))
        doc["narrative"] = self.narrative(topic, behaviours, ctx, len(subjects) > 1, reporter)
        self.add_when_where(doc, ctx)
        if channel == "phone" and self.chance(0.9):
            doc["handler_notes"] = self.handler_notes(ctx)
        doc["attachments"] = self.attachments(index)
        return doc

    def context(self, force: str, year: int, occurrence: _Occurrence | None) -> _Context:
        r = self.r
        town = _pick(r, occurrence.officer.stations) if occurrence else _pick(r, TOWNS[force])
        ctx = _Context(town=town, station=town, force=_ALIAS[force])
        ctx.r, ctx.year = r, year
        return ctx

    def add_force_hint(self, doc: Report, force: str) -> None:
        x = self.r()
        if x < 0.88:
            doc["force_hint"] = self.force_hint(force)
        elif x < 0.91:
            doc["force_hint"] = _pick(self.r, NOT_LISTED)

    def force_hint(self, force: str) -> str:
        return FORCE_NAMES[force] if self.r() < 0.65 else _ALIAS[force]

    def add_when_where(self, doc: Report, ctx: _Context) -> None:
        if self.chance(0.6):
            doc["when"] = _pick(self.r, text.WHEN).format_map(ctx)
        if self.chance(0.55):
            doc["where"] = _pick(self.r, text.WHERE).format_map(ctx)

    def handler_notes(self, ctx: _Context) -> str:
        notes = [_pick(self.r, text.HANDLER_NOTES)]
        if self.chance(0.35):
            extra = _pick(self.r, text.HANDLER_NOTES)
            if extra != notes[0]:
                notes.append(extra)
        return " ".join(note.format_map(ctx) for note in notes)

    def attachments(self, index: int) -> list[dict[str, str]]:
        if index % ATTACHMENT_EVERY != ATTACHMENT_OFFSET:
            return []
        number = 1000 + int(self.r() * 9000)
        png = {"name": f"Screenshot {number}.png", "media_type": "image/png", "path": f"IMG_{number}.png"}
        note = {"name": "what I wrote down.txt", "media_type": "text/plain", "path": "notes.txt"}
        x = self.r()
        return [png] if x < 0.4 else [note] if x < 0.7 else [png, note]

    # -- subjects ----------------------------------------------------------------------

    def subjects(self, force: str, ctx: _Context, occurrence: _Occurrence | None) -> list[dict[str, str]]:
        first, mention, gender = self.repeat_subject(occurrence) if occurrence else self.subject(force)
        ctx["who"], ctx["Who"] = mention, mention[:1].upper() + mention[1:]
        ctx.update(_PRONOUNS[gender])
        subjects = [first]
        for _ in range(_SUBJECT_COUNT_W.pick(self.r) - 1):
            other, other_mention, _gender = self.subject(force)
            subjects.append(other)
            ctx["who2"], ctx["Who2"] = other_mention, other_mention[:1].upper() + other_mention[1:]
        return subjects

    def subject(self, force: str) -> tuple[dict[str, str], str, str]:
        r = self.r
        role = _ROLE_W.pick(r)
        first, nick, gender = _pick(r, FIRST_NAMES)
        gender = "m" if role == "unknown" else gender  # the descriptions say "a man"
        rank = _RANK_W[role].pick(r)
        subject = {"role": role}
        name = self.name_form(first, nick, _pick(r, SURNAMES), role)
        if name:
            subject["name"] = name
        if rank:
            subject["rank"] = rank
        town = _pick(r, TOWNS[force])
        self.subject_details(subject, force, town, gender)
        return subject, self.mention(subject, town), gender

    def name_form(self, first: str, nick: str, last: str, role: str) -> str:
        form = "none" if role == "unknown" and self.chance(0.7) else _NAME_FORM_W.pick(self.r)
        return {"full": f"{first} {last}", "nick": f"{nick} {last}", "first": nick, "last": last, "none": ""}[form]

    def subject_details(self, subject: dict[str, str], force: str, town: str, gender: str) -> None:
        r = self.r
        role = subject["role"]
        if role != "unknown" and r() < 0.3:
            subject["collar_number"] = self.collar_number(subject.get("rank", ""))
        if r() < 0.55:
            subject["station"] = town if r() < 0.7 else f"{town} Police Station"
        if r() < 0.25:
            subject["force_hint"] = self.force_hint(force)
        if role == "unknown":
            subject["description"] = _pick(r, UNKNOWN_DESCRIPTIONS)
        elif role == "staff" and r() < 0.6:
            subject["description"] = _pick(r, STAFF_JOBS)
        elif r() < 0.25:
            subject["description"] = _pick(r, DESCRIPTIONS_F if gender == "f" else DESCRIPTIONS_M)

    def collar_number(self, rank: str) -> str:
        number = 100 + int(self.r() * 9900)
        return f"SC{number}" if rank == "Special Constable" else str(number)

    def mention(self, subject: dict[str, str], town: str) -> str:
        name, rank = subject.get("name", ""), subject.get("rank", "")
        if name and rank:
            return f"{rank} {name}"
        if name:
            return f"an officer called {name}" if subject["role"] == "officer" else name
        if subject["role"] == "unknown":
            return subject.get("description", "someone who says they are police")
        if rank:
            return f"{_article(rank)} {rank} at {town}"
        return f"someone who {subject['description']}" if "description" in subject else f"an officer at {town}"

    def repeat_subject(self, occurrence: _Occurrence) -> tuple[dict[str, str], str, str]:
        officer, first = occurrence.officer, occurrence.number == 0
        name = officer.name_variants()[occurrence.variant]
        subject = {"role": officer.role, "name": name}
        if first or self.chance(0.7):
            subject["rank"] = officer.rank
        if officer.collar_number and (first or self.chance(0.5)):
            subject["collar_number"] = officer.collar_number
        if self.chance(0.8):
            subject["station"] = _pick(self.r, officer.stations)
        if self.chance(0.5):
            subject["force_hint"] = self.force_hint(officer.force)
        mention = f"{subject['rank']} {name}" if "rank" in subject else name
        return subject, mention, officer.gender

    # -- what happened -----------------------------------------------------------------

    def behaviours(self, theme: str | None) -> list[str]:
        wanted = _BEHAVIOUR_COUNT_W.pick(self.r)
        if theme and wanted == 0 and self.chance(0.5):
            wanted = 1
        chosen = [theme] if theme and wanted else []
        while len(chosen) < wanted:
            behaviour = _BEHAVIOUR_W.pick(self.r)
            if behaviour not in chosen:
                chosen.append(behaviour)
        return chosen

    def narrative(
        self, topic: str, behaviours: list[str], ctx: _Context, several: bool, reporter: Report | None
    ) -> str:
        r = self.r
        wanted = _SENTENCE_COUNT_W.pick(r)
        extras = self.knows(reporter)
        if several:
            extras.append(_pick(r, text.SECOND_SUBJECT))
        if len(behaviours) > 1 and behaviours[1] != topic:
            extras.append(_pick(r, text.FIRST[behaviours[1]]))
        follows = text.FOLLOW[topic]
        room = max(0, wanted - 1 - len(extras))
        offset = int(r() * len(follows))
        middle = [follows[(offset + k) % len(follows)] for k in range(min(room, len(follows)))]
        parts = [_pick(r, text.FIRST[topic]), *middle, *extras]
        if len(parts) < 6 and wanted >= 3 and r() < 0.3:
            parts.insert(0, _pick(r, text.OPENERS))
        if len(parts) < 6 and wanted >= 4 and r() < 0.3:
            parts.append(_pick(r, text.CLOSERS))
        return " ".join(parts).format_map(ctx)

    # -- the reporter ------------------------------------------------------------------

    def reporter(self, ctx: _Context) -> Report | None:
        x = self.r()
        if x < 0.40:
            return None
        if x < 0.70:
            return {"anonymous": True}
        return self.named_reporter(ctx)

    def named_reporter(self, ctx: _Context) -> Report:
        r = self.r
        first, _nick, _gender = _pick(r, FIRST_NAMES)
        last = _pick(r, SURNAMES)
        reporter: Report = {}
        if r() < 0.85:
            reporter["name"] = ctx["rname"] = f"{first} {last}"
        if r() < 0.8 or not reporter:
            reporter["phone"] = ctx["phone"] = _pick(r, _PHONE_FORMS).format(n=int(r() * 1000))
        if r() < 0.5:
            local = f"{first}.{last}".lower().replace("'", "")
            reporter["email"] = ctx["email"] = f"{local}{int(r() * 100)}@{_pick(r, _EMAIL_DOMAINS)}"
        if r() < 0.92:
            reporter["relationship"] = _RELATIONSHIP_W.pick(r)
        if r() < 0.9:
            reporter["consent_to_contact"] = r() < 0.85
        return reporter

    def knows(self, reporter: Report | None) -> list[str]:
        """Sentences that give the reporter away (what sanitisation has to catch)."""
        if not reporter or "anonymous" in reporter or self.r() >= 0.5:
            return []
        r = self.r
        found: list[str] = []
        if "relationship" in reporter and r() < 0.7:
            found.append(_pick(r, text.KNOWS[reporter["relationship"]]))
        if "phone" in reporter and r() < 0.4:
            found.append(_pick(r, text.CONTACT))
        elif "email" in reporter and r() < 0.2:
            found.append(_pick(r, text.EMAIL))
        elif "name" in reporter and r() < 0.15:
            found.append(_pick(r, text.OWN_NAME))
        return found


# -- planning: where repeat officers and hostile reports go ----------------------------


def _plan_repeats(count: int, seed: int, taken: Iterable[int]) -> dict[int, _Occurrence]:
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
    plan: dict[int, _Occurrence] = {}
    for officer, times in wanted:
        mine, positions = sorted(positions[:times]), positions[times:]
        for number, index in enumerate(mine):
            plan[index] = _Occurrence(officer, number, _variant(rng.random, number))
    return plan


def _variant(r: Random01, number: int) -> int:
    """The full name first, something different the second time, then anything."""
    if number == 0:
        return 0
    if number == 1:
        return 1 + int(r() * (len(VARIANT_WEIGHTS) - 1))
    return _VARIANT_W.pick(r)


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
    builder = _Builder(seed, start, end, count, reference_start)
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

_PATHS = _Weighted(
    (
        (("received", "assessed_no_further_action"), 40),
        (("received", "investigation_opened", "closed"), 20),
        (("received", "investigation_opened", "misconduct_proceedings", "dismissed"), 10),
        (("received", "investigation_opened", "misconduct_proceedings", "resigned_or_retired"), 7),
        (("received", "investigation_opened", "criminal_proceedings", "dismissed"), 5),
        (("received", "investigation_opened", "misconduct_proceedings", "other_outcome", "closed"), 12),
        (("received", "investigation_opened", "resigned_or_retired"), 6),
    )
)
_GAP_DAYS: dict[str, tuple[int, int]] = {
    "received": (1, 10),
    "assessed_no_further_action": (14, 60),
    "investigation_opened": (7, 45),
    "misconduct_proceedings": (60, 240),
    "criminal_proceedings": (90, 300),
    "dismissed": (30, 120),
    "resigned_or_retired": (10, 90),
    "other_outcome": (30, 120),
    "closed": (7, 60),
}


def _progression(
    rng: Random, referral_id: str, force: str, referred_at: datetime, today: date | None
) -> list[Report]:
    path = _PATHS.pick(rng.random)
    steps = len(path) if rng.random() < 0.55 else rng.randint(1, len(path))
    day = referred_at.date()
    names = {"force": FORCE_NAMES.get(force, force)}
    outcomes: list[Report] = []
    for status in path[:steps]:
        day += timedelta(days=rng.randint(*_GAP_DAYS[status]))
        if today is not None and day > today:
            break
        note = _pick(rng.random, text.OUTCOME_NOTES[status]).format_map(names)
        outcomes.append({"referral_id": referral_id, "status": status, "date": day.isoformat(), "note": note})
    return outcomes


def generate_outcomes(
    referrals: Iterable[tuple[str, str, datetime]], *, seed: int = 7, today: date | None = None
) -> list[Report]:
    """Outcome documents for ``(referral_id, force code, referred_at)``, in order per referral.

    Each referral gets a realistic progression (received, then assessed with no further
    action, or an investigation that may lead to proceedings and dismissal, resignation or
    closure), cut short at random for cases still open, every date after ``referred_at``
    and, if ``today`` is given, not after it.
    """
    rng = Random(seed)
    outcomes: list[Report] = []
    for referral_id, force, referred_at in referrals:
        outcomes.extend(_progression(rng, referral_id, force, referred_at, today))
    return outcomes
