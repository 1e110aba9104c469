"""The statistics: what the room did with the reports received in a period, in numbers.

Every figure is about the reports *received* in the period (optionally about one force):
how many came by each channel, how many were assessed, passed on (sealed to a force),
closed with no further action and why, what the forces say became of them, and how
long it took. Counts only: no report text, no reporter data. Reports deleted under the
retention rules still count (``statistics_archive``); they are not in the lists.

Days are whole calendar days. The median of an even count is the mean of the two middle
values; the 90th percentile is the nearest rank (the smallest value at or above 90% of
the values).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from hotline_tui.reference import OUTCOME_STATUSES
from hotline_tui.services.intake.rows import BEHAVIOUR_BITS
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.statistics.answer import TIMED, Answer, ReferralFact, build, people
from hotline_tui.store import statistics as store
from hotline_tui.store import statistics_drill as drill
from hotline_tui.store import statistics_people as people_store
from hotline_tui.store.statistics import DECIDED, REMOVALS, Cohort
from hotline_tui.store.statistics_archive import archive
from hotline_tui.store.statistics_drill import Selector

SILENT_AFTER_DAYS = 30


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    force: str | None = None
    category: str | None = None  # one of reference.CATEGORIES: the referrals of that category
    behaviour: str | None = None  # one of the reporter's behaviours

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    @property
    def cohort(self) -> Cohort:
        bit = BEHAVIOUR_BITS[self.behaviour] if self.behaviour else None
        return Cohort(self.start.isoformat(), (self.end + timedelta(days=1)).isoformat(), self.force, self.category, bit)


@dataclass(frozen=True)
class Timing:
    count: int
    median: float | None
    p90: int | None

    @classmethod
    def of(cls, days: Counter[int]) -> Timing:
        values = sorted(days.elements())
        n = len(values)
        if not n:
            return cls(0, None, None)
        middle = n // 2
        median = float(values[middle]) if n % 2 else (values[middle - 1] + values[middle]) / 2
        return cls(n, median, values[math.ceil(0.9 * n) - 1])


@dataclass(frozen=True)
class SilentForce:
    force: str
    referrals: int
    oldest_sealed: str


@dataclass
class Statistics:
    period: Period
    today: date
    silent_after_days: int = SILENT_AFTER_DAYS
    contacts: Counter[str] = field(default_factory=Counter)
    by_month: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    assessed: int = 0
    nfa: int = 0
    nfa_reasons: Counter[str] = field(default_factory=Counter)
    passed_on: int = 0
    passed_by_force: Counter[str] = field(default_factory=Counter)
    passed_by_category: Counter[str] = field(default_factory=Counter)
    passed_by_month: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)  # referrals that reached each status
    removals: int = 0
    red_flagged: int = 0
    days_to_referral: Counter[int] = field(default_factory=Counter)
    days_to_outcome: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    silent: list[SilentForce] = field(default_factory=list)
    archived: int = 0  # deleted under retention, counted here
    answer: Answer = field(default_factory=Answer)

    @property
    def total_contacts(self) -> int:
        return sum(self.contacts.values())

    @property
    def investigations(self) -> int:
        return self.outcomes["investigation_opened"]

    @property
    def to_referral(self) -> Timing:
        return Timing.of(self.days_to_referral)

    def to_outcome(self, status: str) -> Timing:
        return Timing.of(self.days_to_outcome.get(status, Counter()))

    @property
    def silent_cutoff(self) -> str:
        return (self.today - timedelta(days=self.silent_after_days)).isoformat()


def _ordinals(days: set[str]) -> dict[str, int]:
    """Day number of each YYYY-MM-DD (one parse a distinct day, not one a row)."""
    return {day: date.fromisoformat(day).toordinal() for day in days}


def _reports(stats: Statistics, groups: Iterable[tuple[str, str, str, str, int, int]]) -> None:
    for month, channel, status, _force, flagged, n in groups:
        stats.contacts[channel] += n
        stats.by_month[month][channel] += n
        stats.assessed += n if status in DECIDED else 0
        stats.nfa += n if status == "no_further_action" else 0
        stats.red_flagged += n if flagged else 0


def _referrals(stats: Statistics, session: Session, cohort: Cohort) -> None:
    """Sealed referrals of the cohort's reports and their outcomes. Joined here, in one pass
    over each index: the figures need a few counters over some 10k rows, which Python's
    C-level Counter and dict builders do faster than a join SQLite probes row by row."""
    received = {rep: (when, key) for rep, when, key in store.referred_reports(session.conn, cohort)}
    # (referral_id, force, sealed day, categories JSON, received day, report key)
    rows = [(rid, force, sealed[:10], cats, received[rep][0][:10], received[rep][1])
            for rep, rid, force, sealed, cats in store.sealed_referrals(session.conn) if rep in received]
    day = _ordinals({r[2] for r in rows} | {r[4] for r in rows})
    stats.passed_on += len(rows)
    stats.passed_by_force.update(r[1] for r in rows)
    stats.passed_by_month.update(r[4][:7] for r in rows)
    categories = {text: tuple(str(c) for c in json.loads(text)) for text in {r[3] for r in rows}}
    for text, n in Counter(r[3] for r in rows).items():
        for code in categories[text]:
            stats.passed_by_category[code] += n
    stats.days_to_referral.update(day[r[2]] - day[r[4]] for r in rows)
    sealed = {r[0]: (r[1], r[2]) for r in rows}
    # The outcome index is in (referral, status, date) order: the last write of a key
    # walking it backwards is that status's first date.
    firsts = {(rid, status): when[:10] for rid, status, when in reversed(store.outcomes(session.conn)) if rid in sealed}
    day.update(_ordinals({when for when in firsts.values() if when not in day}))
    stats.outcomes.update(status for _, status in firsts)
    for (rid, status), when in firsts.items():
        stats.days_to_outcome[status][day[when] - day[sealed[rid][1]]] += 1
    stats.removals += len({rid for rid, status in firsts if status in REMOVALS})
    heard = {rid for rid, _ in firsts}
    _silent(stats, {rid: (force, when) for rid, (force, when) in sealed.items() if rid not in heard})
    by_referral: dict[str, dict[str, int]] = defaultdict(dict)
    for (rid, status), when in firsts.items():
        by_referral[rid][status] = day[when]
    facts = [ReferralFact(r[5], day[r[4]], r[4][:7], r[0], r[1], day[r[2]], categories[r[3]]) for r in rows]
    stats.answer = _answer(session, cohort, stats, facts, by_referral)


def _answer(session: Session, cohort: Cohort, stats: Statistics, facts: list[ReferralFact],
            firsts: dict[str, dict[str, int]]) -> Answer:
    """Per report and per officer: people through the analysts' confirmed links."""
    person_of = people(people_store.confirmed_pairs(session.conn))
    members = people_store.in_cohort(session.conn, cohort, list(person_of))
    linked = {key: date.fromisoformat(when[:10]).toordinal() for key, when in members}
    return build(stats.total_contacts, linked, person_of, facts, firsts)


def _silent(stats: Statistics, unheard: dict[str, tuple[str, str]]) -> None:
    cutoff = stats.silent_cutoff
    by_force: dict[str, list[str]] = defaultdict(list)
    for force, sealed_at in unheard.values():
        if sealed_at[:10] < cutoff:
            by_force[force].append(sealed_at)
    stats.silent = sorted(
        (SilentForce(force, len(times), min(times)[:10]) for force, times in by_force.items()),
        key=lambda s: (-s.referrals, s.force),
    )


def _archive(stats: Statistics, session: Session, cohort: Cohort) -> None:
    """Add in the counts that deleted reports left behind."""
    for measure, value, month, channel, status, force, days, n in archive(session.conn, cohort):
        if measure == "report":
            stats.archived += n
            stats.answer.reports["reported"] += n
            _reports(stats, [(month, channel, status, force, 0, n)])
        elif measure == "red_flagged":
            stats.red_flagged += n
        elif measure == "nfa_reason":
            stats.nfa_reasons[value] += n
        elif measure == "passed_on":
            _archived_stage(stats.answer, "referred", force, month, None, n)
            stats.passed_on += n
            stats.passed_by_force[force] += n
            stats.passed_by_month[month] += n
        elif measure == "category":
            stats.passed_by_category[value] += n
        elif measure == "days_to_referral":
            stats.answer.days_reports["referred"][days] += n
            stats.days_to_referral[days] += n
        elif measure == "outcome":
            stats.outcomes[value] += n
        elif measure == "removal":
            stats.removals += n
        elif measure == "days_to_outcome":
            stats.days_to_outcome[value][days] += n
        elif measure == "reached":
            _archived_stage(stats.answer, value, force, month, days, n)


def _archived_stage(answer: Answer, stage: str, force: str, month: str, days: int | None, n: int) -> None:
    """What deleted reports reached, per report (their people went with their links)."""
    answer.reports[stage] += n
    answer.by_force[force][stage] += n
    answer.by_month[month][stage] += n
    answer.force_month[(force, month)][stage] += n
    if days is not None and stage in TIMED:
        answer.days_reports[stage][days] += n
    if days is not None and stage == "dismissed":
        answer.removal_days_by_force[force][days] += n
        answer.removal_days_by_month[month][days] += n


def compute(session: Session, period: Period, *, silent_after_days: int = SILENT_AFTER_DAYS) -> Statistics:
    """Every figure of the statistics screen for ``period``."""
    require(session, Action.VIEW_STATISTICS)
    session.check_open()
    cohort = period.cohort
    store.refresh(session.conn)
    stats = Statistics(period, date.fromisoformat(session.now()[:10]), silent_after_days)
    _reports(stats, store.report_groups(session.conn, cohort))
    for reason, n in store.nfa_reasons(session.conn, cohort):
        stats.nfa_reasons[reason] += n
    _referrals(stats, session, cohort)
    _archive(stats, session, cohort)
    return stats


OUTCOME_ORDER = tuple(entry.code for entry in OUTCOME_STATUSES)


def drill_count(session: Session, period: Period, selector: Selector) -> int:
    require(session, Action.VIEW_STATISTICS)
    return drill.drill_count(session.conn, period.cohort, selector)


def drill_page(session: Session, period: Period, selector: Selector, offset: int, limit: int) -> list[tuple[object, ...]]:
    """(key, reference, received_at, channel, force, force assessed, status, red flags) behind a figure."""
    require(session, Action.VIEW_STATISTICS)
    return drill.drill_page(session.conn, period.cohort, selector, offset, limit)
