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

from hotline_tui.store.statistics_archive import STAGE_STATUSES as ARCHIVED_STAGES

STAGES = ("referred", "investigation", "misconduct", "criminal", "dismissed", "resigned")
STAGE_LABELS = {
    "reported": "Reported", "referred": "Referred to a force", "investigation": "Investigated",
    "misconduct": "Misconduct proceedings", "criminal": "Criminal proceedings", "dismissed": "Removed: dismissed",
    "resigned": "Resigned or retired under investigation",
}
STAGE_STATUSES = {stage: frozenset(statuses) for stage, statuses in ARCHIVED_STAGES.items()}
TIMED = ("referred", "investigation", "dismissed", "resigned")


@dataclass(frozen=True)
class ReferralFact:
    """One of the cohort's sealed referrals; days are ordinals (date.toordinal())."""

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


def stage_days(sealed: int, firsts: Mapping[str, int]) -> dict[str, int]:
    """The first day a referral reached each stage (firsts: status -> its first day)."""
    reached = {"referred": sealed}
    for stage, statuses in STAGE_STATUSES.items():
        days = [firsts[s] for s in statuses if s in firsts]
        if days:
            reached[stage] = min(days)
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
    """
    answer = Answer()
    people_linked: dict[int, int] = {}  # person -> first day received, over linked cohort reports
    for key, day in linked_in_cohort.items():
        person = person_of.get(key, key)
        people_linked[person] = min(day, people_linked.get(person, day))
    answer.reports["reported"] = held_reports
    answer.officers["reported"] = held_reports - len(linked_in_cohort) + len(people_linked)
    person_days: dict[int, dict[str, int]] = {}
    for fact in referrals:
        reached = stage_days(fact.sealed, firsts.get(fact.referral_id, {}))
        _count_report(answer, fact, reached)
        _respond(answer.responses[fact.force], fact.sealed, firsts.get(fact.referral_id, {}))
        person = person_of.get(fact.key, fact.key)
        first_report = people_linked.get(person, fact.received)
        mine = person_days.setdefault(person, {"first": first_report})
        for stage, day in reached.items():
            mine[stage] = min(day, mine.get(stage, day))
    for days in person_days.values():
        for stage in STAGES:
            if stage in days:
                answer.officers[stage] += 1
                if stage in TIMED:
                    answer.days_officers[stage][days[stage] - days["first"]] += 1
    return answer


def _count_report(answer: Answer, fact: ReferralFact, reached: Mapping[str, int]) -> None:
    for stage, day in reached.items():
        answer.reports[stage] += 1
        answer.by_force[fact.force][stage] += 1
        answer.by_month[fact.month][stage] += 1
        answer.force_month[(fact.force, fact.month)][stage] += 1
        for category in fact.categories:
            answer.by_category[category][stage] += 1
        if stage in TIMED:
            answer.days_reports[stage][day - fact.received] += 1
    if "dismissed" in reached:
        answer.removal_days_by_force[fact.force][reached["dismissed"] - fact.received] += 1
        answer.removal_days_by_month[fact.month][reached["dismissed"] - fact.received] += 1


def _respond(response: ForceResponse, sealed: int, firsts: Mapping[str, int]) -> None:
    response.sealed += 1
    if "received" in firsts:
        response.acknowledged[firsts["received"] - sealed] += 1
    steps = [day for status, day in firsts.items() if status != "received"]
    if steps:
        response.first_outcome[min(steps) - sealed] += 1
    if not firsts:
        response.unanswered += 1
        response.oldest_unanswered = sealed if response.oldest_unanswered is None else min(response.oldest_unanswered, sealed)
