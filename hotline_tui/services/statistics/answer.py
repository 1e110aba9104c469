"""The campaigners' question: of the officers reported, how many were referred,
investigated, brought to proceedings and removed, and how fast.

Every figure is given per report and per officer. An officer is a person: the reports an
analyst confirmed (red-flag links) are about the same person count once, whichever of
them led where; a report with no confirmed link is its own person. Per officer covers the
reports still held (a deleted report's links go with it); per report includes the counts
deleted reports left behind.

A referral reaches a stage when its force reports a status of that stage (FORMATS.md,
"Statuses and the Home Office's police misconduct statistics"):

- investigation: investigation opened, or any step that follows one (proceedings of
  either kind, dismissed, resigned or retired while under investigation, other outcome);
- misconduct proceedings: misconduct proceedings, or dismissed (only a hearing dismisses);
- criminal proceedings; dismissed (removed); resigned or retired (kept apart: the officer
  left while under investigation, which is not a dismissal).

Days run from the first report (of the report itself, or of the first report about the
person received in the period) to the first day the stage was reached; whole UTC days.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from hotline_tui.store.statistics_archive import STAGE_STATUSES as ARCHIVED_STAGES

STAGES = ("referred", "investigation", "misconduct", "criminal", "dismissed", "resigned")
STAGE_LABELS = {
    "reported": "Reported", "referred": "Referred to a force", "investigation": "Investigated",
    "misconduct": "Misconduct proceedings", "criminal": "Criminal proceedings", "dismissed": "Removed: dismissed",
    "resigned": "Resigned or retired under investigation",
}
STAGE_STATUSES = {stage: frozenset(statuses) for stage, statuses in ARCHIVED_STAGES.items()}
TIMED = ("referred", "investigation", "dismissed", "resigned")


class ReferralFact(NamedTuple):
    """One of the cohort's sealed referrals; days are ordinals (date.toordinal()). A tuple:
    the statistics make some 10k of them each time the screen opens."""

    key: int  # the report's key
    received: int
    month: str  # YYYY-MM the report was received
    referral_id: str
    force: str
    sealed: int
    categories: tuple[str, ...]


@dataclass
class ForceResponse:
    """How one force answers: days from sealing to its acknowledgement and to its first outcome."""

    sealed: int = 0
    acknowledged: Counter[int] = field(default_factory=Counter)
    first_outcome: Counter[int] = field(default_factory=Counter)
    unanswered: int = 0
    oldest_unanswered: int | None = None  # ordinal of the oldest sealing never answered


@dataclass
class Answer:
    reports: Counter[str] = field(default_factory=Counter)  # 'reported' and each stage
    officers: Counter[str] = field(default_factory=Counter)
    days_reports: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    days_officers: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    by_force: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_category: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_month: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    force_month: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    removal_days_by_force: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    removal_days_by_month: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    responses: dict[str, ForceResponse] = field(default_factory=lambda: defaultdict(ForceResponse))


STATUS_STAGES = {status: tuple(stage for stage, statuses in STAGE_STATUSES.items() if status in statuses)
                 for statuses in STAGE_STATUSES.values() for status in statuses}


def stage_days(sealed: int, firsts: Mapping[str, int]) -> dict[str, int]:
    """The first day a referral reached each stage (firsts: status -> its first day)."""
    reached = {"referred": sealed}
    for status, day in firsts.items():
        for stage in STATUS_STAGES.get(status, ()):
            if day < reached.get(stage, day + 1):
                reached[stage] = day
    return reached


def people(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Report key -> the smallest key of its person (union-find over confirmed links)."""
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {key: root(key) for key in parent}


_NONE: Mapping[str, int] = {}


def build(
    held_reports: int,
    linked_in_cohort: Mapping[int, int],
    person_of: Mapping[int, int],
    referrals: Iterable[ReferralFact],
    firsts: Mapping[str, Mapping[str, int]],
) -> Answer:
    """The answer for a cohort of ``held_reports`` reports.

    ``linked_in_cohort``: key -> received day of each cohort report with a confirmed link;
    ``person_of``: key -> person (see ``people``); ``firsts``: referral -> status -> first day.
    Counted with Counters over flat rows: a Python loop a referral, no more.
    """
    answer = Answer()
    first_seen: dict[int, int] = {}  # person -> the first day a report about them was received
    for key, day in linked_in_cohort.items():
        person = person_of.get(key, key)
        first_seen[person] = min(day, first_seen.get(person, day))
    answer.reports["reported"] = held_reports
    answer.officers["reported"] = held_reports - len(linked_in_cohort) + len(first_seen)
    reached = [(fact, stage_days(fact.sealed, firsts.get(fact.referral_id, _NONE))) for fact in referrals]
    _count_reports(answer, [(fact, stage, day) for fact, stages in reached for stage, day in stages.items()])
    _count_officers(answer, reached, person_of, first_seen)
    _responses(answer, [(fact, firsts.get(fact.referral_id, _NONE)) for fact, _ in reached])
    return answer


def _count_reports(answer: Answer, rows: list[tuple[ReferralFact, str, int]]) -> None:
    answer.reports.update(stage for _, stage, _ in rows)
    for (force, month, stage), n in Counter((f.force, f.month, stage) for f, stage, _ in rows).items():
        answer.by_force[force][stage] += n
        answer.by_month[month][stage] += n
        answer.force_month[(force, month)][stage] += n
    for (category, stage), n in Counter((c, stage) for f, stage, _ in rows for c in f.categories).items():
        answer.by_category[category][stage] += n
    for (stage, days), n in Counter((stage, day - f.received) for f, stage, day in rows if stage in TIMED).items():
        answer.days_reports[stage][days] = n
    removals = [(f, day - f.received) for f, stage, day in rows if stage == "dismissed"]
    for (force, days), n in Counter((f.force, days) for f, days in removals).items():
        answer.removal_days_by_force[force][days] += n
    for (month, days), n in Counter((f.month, days) for f, days in removals).items():
        answer.removal_days_by_month[month][days] += n


def _count_officers(answer: Answer, reached: list[tuple[ReferralFact, dict[str, int]]], person_of: Mapping[int, int],
                    first_seen: Mapping[int, int]) -> None:
    """A report with no confirmed link is its own person; linked ones are merged per person first."""
    merged: dict[int, dict[str, int]] = {}
    single: list[tuple[str, int]] = []
    for fact, stages in reached:
        person = person_of.get(fact.key)
        if person is None:
            single += [(stage, day - fact.received) for stage, day in stages.items()]
            continue
        mine = merged.setdefault(person, {})
        for stage, day in stages.items():
            mine[stage] = min(day, mine.get(stage, day))
    for person, stages in merged.items():
        single += [(stage, day - first_seen[person]) for stage, day in stages.items()]
    answer.officers.update(stage for stage, _ in single)
    for (stage, days), n in Counter(row for row in single if row[0] in TIMED).items():
        answer.days_officers[stage][days] = n


def _responses(answer: Answer, rows: list[tuple[ReferralFact, Mapping[str, int]]]) -> None:
    for fact, firsts in rows:
        response = answer.responses[fact.force]
        response.sealed += 1
        if not firsts:
            response.unanswered += 1
            oldest = response.oldest_unanswered
            response.oldest_unanswered = fact.sealed if oldest is None else min(oldest, fact.sealed)
            continue
        if "received" in firsts:
            response.acknowledged[firsts["received"] - fact.sealed] += 1
        steps = [day for status, day in firsts.items() if status != "received"]
        if steps:
            response.first_outcome[min(steps) - fact.sealed] += 1
