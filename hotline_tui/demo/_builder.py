"""How one synthetic report is made: the weights it is drawn with, the template values
(``Context``) and ``Builder``, which writes the report, its subjects and narrative."""

from __future__ import annotations

import time
from bisect import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any, Generic, TypeVar

from . import _text as text
from ._forces import FORCE_NAMES, FORCES, NOT_LISTED, TOWNS, alias, force_weight
from ._people import (
    DESCRIPTIONS_F,
    DESCRIPTIONS_M,
    FIRST_NAMES,
    OFFICER_RANKS,
    ROLES,
    STAFF_JOBS,
    STAFF_RANKS,
    SURNAMES,
    UNKNOWN_DESCRIPTIONS,
    VARIANT_WEIGHTS,
    VOLUNTEER_RANKS,
    RepeatOfficer,
)

T = TypeVar("T")
Report = dict[str, Any]
Random01 = Callable[[], float]
PHONE_SHARE = 1988 / (1988 + 890)
ATTACHMENT_EVERY = 73
ATTACHMENT_OFFSET = 5


class Weighted(Generic[T]):
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


_FORCE_W = Weighted((code, force_weight(code)) for code, _ in FORCES)
_ROLE_W = Weighted(ROLES)
_RANK_W = {
    "officer": Weighted(OFFICER_RANKS),
    "staff": Weighted(STAFF_RANKS),
    "volunteer": Weighted(VOLUNTEER_RANKS),
    "unknown": Weighted((("", 1),)),
}
_BEHAVIOUR_W = Weighted(
    (("corruption", 25), ("sexual_misconduct", 20), ("abuse_or_control", 20), ("discrimination", 18),
     ("other_criminality", 12), ("other", 5))
)
_BEHAVIOUR_COUNT_W = Weighted(((0, 8), (1, 65), (2, 22), (3, 5)))
_SUBJECT_COUNT_W = Weighted(((1, 78), (2, 17), (3, 5)))
_SENTENCE_COUNT_W = Weighted(((1, 10), (2, 20), (3, 25), (4, 22), (5, 13), (6, 10)))
_RELATIONSHIP_W = Weighted((("public", 45), ("victim", 20), ("police_colleague", 15), ("family", 12), ("other", 8)))
_NAME_FORM_W = Weighted((("full", 45), ("nick", 15), ("first", 10), ("last", 10), ("none", 20)))
VARIANT_W = Weighted(VARIANT_WEIGHTS)
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


class Context(dict[str, Any]):
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
            return pick(r, text.VENUES)
        if key == "amount":
            return pick(r, text.AMOUNTS)
        if key == "month":
            return pick(r, text.MONTHS)
        if key == "mins":
            return 3 + int(r() * 25)
        if key == "year":
            return self.year - int(r() * 3)
        raise KeyError(key)


@dataclass(frozen=True)
class Occurrence:
    officer: RepeatOfficer
    number: int
    variant: int


def pick(r: Random01, seq: Sequence[T]) -> T:
    return seq[int(r() * len(seq))]


def uuid4_from(bits: int) -> str:
    """A version 4 UUID from 128 random bits (what ``uuid.UUID(int=..., version=4)`` gives, faster)."""
    digits = "%032x" % (bits & _UUID_CLEAR | _UUID_SET)
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"


class Builder:
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

    def report(self, index: int, occurrence: Occurrence | None) -> Report:
        report_id = uuid4_from(self.rng.getrandbits(128))
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

    def context(self, force: str, year: int, occurrence: Occurrence | None) -> Context:
        r = self.r
        town = pick(r, occurrence.officer.stations) if occurrence else pick(r, TOWNS[force])
        ctx = Context(town=town, station=town, force=_ALIAS[force])
        ctx.r, ctx.year = r, year
        return ctx

    def add_force_hint(self, doc: Report, force: str) -> None:
        x = self.r()
        if x < 0.88:
            doc["force_hint"] = self.force_hint(force)
        elif x < 0.91:
            doc["force_hint"] = pick(self.r, NOT_LISTED)

    def force_hint(self, force: str) -> str:
        return FORCE_NAMES[force] if self.r() < 0.65 else _ALIAS[force]

    def add_when_where(self, doc: Report, ctx: Context) -> None:
        if self.chance(0.6):
            doc["when"] = pick(self.r, text.WHEN).format_map(ctx)
        if self.chance(0.55):
            doc["where"] = pick(self.r, text.WHERE).format_map(ctx)

    def handler_notes(self, ctx: Context) -> str:
        notes = [pick(self.r, text.HANDLER_NOTES)]
        if self.chance(0.35):
            extra = pick(self.r, text.HANDLER_NOTES)
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

    def subjects(self, force: str, ctx: Context, occurrence: Occurrence | None) -> list[dict[str, str]]:
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
        first, nick, gender = pick(r, FIRST_NAMES)
        gender = "m" if role == "unknown" else gender  # the descriptions say "a man"
        rank = _RANK_W[role].pick(r)
        subject = {"role": role}
        name = self.name_form(first, nick, pick(r, SURNAMES), role)
        if name:
            subject["name"] = name
        if rank:
            subject["rank"] = rank
        town = pick(r, TOWNS[force])
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
            subject["description"] = pick(r, UNKNOWN_DESCRIPTIONS)
        elif role == "staff" and r() < 0.6:
            subject["description"] = pick(r, STAFF_JOBS)
        elif r() < 0.25:
            subject["description"] = pick(r, DESCRIPTIONS_F if gender == "f" else DESCRIPTIONS_M)

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
            return f"{article(rank)} {rank} at {town}"
        return f"someone who {subject['description']}" if "description" in subject else f"an officer at {town}"

    def repeat_subject(self, occurrence: Occurrence) -> tuple[dict[str, str], str, str]:
        officer, first = occurrence.officer, occurrence.number == 0
        name = officer.name_variants()[occurrence.variant]
        subject = {"role": officer.role, "name": name}
        if first or self.chance(0.7):
            subject["rank"] = officer.rank
        if officer.collar_number and (first or self.chance(0.5)):
            subject["collar_number"] = officer.collar_number
        if self.chance(0.8):
            subject["station"] = pick(self.r, officer.stations)
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
        self, topic: str, behaviours: list[str], ctx: Context, several: bool, reporter: Report | None
    ) -> str:
        r = self.r
        wanted = _SENTENCE_COUNT_W.pick(r)
        extras = self.knows(reporter)
        if several:
            extras.append(pick(r, text.SECOND_SUBJECT))
        if len(behaviours) > 1 and behaviours[1] != topic:
            extras.append(pick(r, text.FIRST[behaviours[1]]))
        follows = text.FOLLOW[topic]
        room = max(0, wanted - 1 - len(extras))
        offset = int(r() * len(follows))
        middle = [follows[(offset + k) % len(follows)] for k in range(min(room, len(follows)))]
        parts = [pick(r, text.FIRST[topic]), *middle, *extras]
        if len(parts) < 6 and wanted >= 3 and r() < 0.3:
            parts.insert(0, pick(r, text.OPENERS))
        if len(parts) < 6 and wanted >= 4 and r() < 0.3:
            parts.append(pick(r, text.CLOSERS))
        return " ".join(parts).format_map(ctx)

    # -- the reporter ------------------------------------------------------------------

    def reporter(self, ctx: Context) -> Report | None:
        x = self.r()
        if x < 0.40:
            return None
        if x < 0.70:
            return {"anonymous": True}
        return self.named_reporter(ctx)

    def named_reporter(self, ctx: Context) -> Report:
        r = self.r
        first, _nick, _gender = pick(r, FIRST_NAMES)
        last = pick(r, SURNAMES)
        reporter: Report = {}
        if r() < 0.85:
            reporter["name"] = ctx["rname"] = f"{first} {last}"
        if r() < 0.8 or not reporter:
            reporter["phone"] = ctx["phone"] = pick(r, _PHONE_FORMS).format(n=int(r() * 1000))
        if r() < 0.5:
            local = f"{first}.{last}".lower().replace("'", "")
            reporter["email"] = ctx["email"] = f"{local}{int(r() * 100)}@{pick(r, _EMAIL_DOMAINS)}"
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
            found.append(pick(r, text.KNOWS[reporter["relationship"]]))
        if "phone" in reporter and r() < 0.4:
            found.append(pick(r, text.CONTACT))
        elif "email" in reporter and r() < 0.2:
            found.append(pick(r, text.EMAIL))
        elif "name" in reporter and r() < 0.15:
            found.append(pick(r, text.OWN_NAME))
        return found
