"""The statistics as labelled figures, in the order a reader takes them: for the screen's
table, the CSV and the readable summary alike. Each figure names the reports behind it
(a ``Selector``) so it can be opened to the list."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.reference import CATEGORIES, OUTCOME_STATUSES, force_name, label_of
from hotline_tui.services.statistics import OUTCOME_ORDER, Statistics, Timing
from hotline_tui.services.triage.assessment import NFA_REASONS
from hotline_tui.store.statistics_drill import Selector

CHANNEL_LABELS = {"phone": "By phone", "online": "Online"}


@dataclass(frozen=True)
class Figure:
    section: str
    label: str
    code: str  # the code behind the label (a channel, force, category, reason, status)
    count: int
    selector: Selector | None
    timing: Timing | None = None




def _contacts(stats: Statistics) -> list[Figure]:
    rows = [Figure("Contacts", "All contacts", "", stats.total_contacts, Selector("all"))]
    for channel, n in sorted(stats.contacts.items(), key=lambda item: (-item[1], item[0])):
        rows.append(Figure("Contacts", CHANNEL_LABELS.get(channel, channel), channel, n, Selector("channel", channel)))
    return rows


def _assessment(stats: Statistics) -> list[Figure]:
    rows = [
        Figure("Assessment", "Reports assessed", "", stats.assessed, Selector("assessed")),
        Figure("Assessment", "No further action", "no_further_action", stats.nfa, Selector("status", "no_further_action")),
    ]
    labels = dict(NFA_REASONS)
    for reason, n in sorted(stats.nfa_reasons.items(), key=lambda item: (-item[1], item[0])):
        label = labels.get(reason, reason or "reason not recorded")
        rows.append(Figure("No further action, why", label, reason, n, Selector("nfa_reason", reason)))
    return rows


def _passed_on(stats: Statistics) -> list[Figure]:
    rows = [Figure("Intelligence passed on", "Passed on to forces", "", stats.passed_on,
                   Selector("passed_on"), stats.to_referral)]
    for code, n in sorted(stats.passed_by_force.items(), key=lambda item: (-item[1], force_name(item[0]))):
        rows.append(Figure("Passed on, by force", force_name(code), code, n, Selector("passed_on_force", code)))
    for code, n in sorted(stats.passed_by_category.items(), key=lambda item: (-item[1], item[0])):
        rows.append(Figure("Passed on, by category", label_of(CATEGORIES, code), code, n, Selector("category", code)))
    return rows


def _outcomes(stats: Statistics) -> list[Figure]:
    rows = [
        Figure("Outcomes", "Investigations opened", "investigation_opened", stats.investigations,
               Selector("outcome", "investigation_opened"), stats.to_outcome("investigation_opened")),
        Figure("Outcomes", "Dismissed, resigned or retired", "removal", stats.removals, Selector("removal")),
    ]
    for status in OUTCOME_ORDER:
        if stats.outcomes[status]:
            rows.append(Figure("Outcomes, days from referral", label_of(OUTCOME_STATUSES, status), status,
                               stats.outcomes[status], Selector("outcome", status), stats.to_outcome(status)))
    return rows


def _others(stats: Statistics) -> list[Figure]:
    rows = [Figure("Red flags", "Joined by a confirmed red flag", "", stats.red_flagged, Selector("red_flagged"))]
    for silent in stats.silent:
        rows.append(Figure(
            f"No outcome after {stats.silent_after_days} days", f"{force_name(silent.force)} (oldest {silent.oldest_sealed})",
            silent.force, silent.referrals, Selector("silent_force", silent.force, stats.silent_cutoff),
        ))
    return rows


def _months(stats: Statistics) -> list[Figure]:
    rows = []
    for month in sorted(stats.by_month):
        for channel, n in sorted(stats.by_month[month].items()):
            rows.append(Figure("By month received", f"{month} {CHANNEL_LABELS.get(channel, channel).lower()}",
                               f"{month}/{channel}", n, Selector("month_channel", f"{month}/{channel}")))
        if stats.passed_by_month[month]:
            rows.append(Figure("By month received", f"{month} passed on", f"{month}/passed_on",
                               stats.passed_by_month[month], Selector("passed_on_month", month)))
    return rows


def figures(stats: Statistics, *, months: bool = True) -> list[Figure]:
    rows = _contacts(stats) + _assessment(stats) + _passed_on(stats) + _outcomes(stats) + _others(stats)
    return rows + (_months(stats) if months else [])


def days_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"
