"""The rules an outcome bundle must keep, beyond each document's own fields: one module,
so the triage room's import and the force's ``hotline-bundle outcomes`` refuse the same.

A bundle that breaks a rule is refused as a whole (FORMATS.md, "outcome"), naming the line
of ``outcomes.jsonl`` and the rule:

- the referral is one the sender may report on: known, sealed, and sealed to that force;
- an outcome is not dated before its referral was sealed (compared as UTC calendar days);
- nor more than a day ahead of the clock of whoever checks it;
- after a final outcome, a later outcome that is not final ("going back", e.g. dismissed
  then proceedings again) says why in its note; "received" is an acknowledgement, not a
  step of the case, and may come at any time.

Each outcome is checked against what is already held for its referral and the bundle's
earlier lines, in date order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .documents import parse_timestamp
from .errors import BundleRefused
from .wording import outcome_words

MEMBER = "outcomes.jsonl"
CHECK = "outcome rules"
# A final outcome ends the force's part; going back from one needs a reason.
FINAL_STATUSES = frozenset({"assessed_no_further_action", "dismissed", "resigned_or_retired", "closed"})
AHEAD = timedelta(days=1)


@dataclass(frozen=True)
class HeldOutcome:
    date: str
    status: str
    note: str = ""


@dataclass(frozen=True)
class ReferralFacts:
    """What the checker knows of a referral: where and when it was sealed, and what
    outcomes it already holds for it."""

    referral_id: str
    force: str
    sealed_at: str | None  # RFC 3339 or YYYY-MM-DD; None: never sealed and sent
    held: Sequence[HeldOutcome] = field(default_factory=tuple)
    reference: str = ""


def outcome_day(value: str) -> date:
    """The UTC calendar day of an outcome's ``date`` (a date, or an RFC 3339 time)."""
    if "T" in value.upper():
        return parse_timestamp(value).astimezone(UTC).date()
    return date.fromisoformat(value)


def too_far_ahead(value: str, now: datetime) -> bool:
    """More than a day ahead of ``now``: a time by the clock, a date by the calendar."""
    if "T" in value.upper():
        return parse_timestamp(value) > now + AHEAD
    return date.fromisoformat(value) > (now.astimezone(UTC) + AHEAD).date()


def _refuse(line: int, field_name: str, message: str) -> BundleRefused:
    return BundleRefused(CHECK, message, member=MEMBER, line=line, field=field_name)


def _name(facts: ReferralFacts) -> str:
    return f"referral {facts.referral_id}" + (f" ({facts.reference})" if facts.reference else "")


def check_referral(
    line: int, referral_id: str, facts: ReferralFacts | None, force: str, *, unknown: str, force_name: Any = str
) -> ReferralFacts:
    """The referral's facts, or a refusal: unknown, never sealed, or another force's."""
    if facts is None:
        raise _refuse(line, "referral_id", f"referral {referral_id} is {unknown}")
    if facts.force != force:
        raise _refuse(line, "referral_id", f"{_name(facts)} was sent to {force_name(facts.force)}, not to "
                                           f"{force_name(force)}; a force reports only on its own referrals")
    if facts.sealed_at is None:
        raise _refuse(line, "referral_id", f"{_name(facts)} was never sealed and sent")
    return facts


def check_outcomes(
    documents: Sequence[Mapping[str, Any]],
    facts: Mapping[str, ReferralFacts],
    *,
    force: str,
    now: datetime,
    unknown: str = "unknown to the room",
    force_name: Any = str,
) -> None:
    """Raise ``BundleRefused`` naming the first line that breaks a rule (see the module)."""
    by_referral: dict[str, list[tuple[date, int, HeldOutcome]]] = {}
    for line, doc in enumerate(documents, 1):
        referral_id = str(doc["referral_id"])
        known = check_referral(line, referral_id, facts.get(referral_id), force, unknown=unknown, force_name=force_name)
        assert known.sealed_at is not None
        day, sealed = outcome_day(doc["date"]), outcome_day(known.sealed_at)
        if day < sealed:
            raise _refuse(line, "date", f"{doc['date']} is before {_name(known)} was sealed on {sealed.isoformat()}; "
                                        "an outcome cannot come before the referral")
        if too_far_ahead(doc["date"], now):
            raise _refuse(line, "date", f"{doc['date']} is more than a day ahead of today ({now.date().isoformat()}); "
                                        "give the date the outcome happened")
        by_referral.setdefault(referral_id, []).append(
            (day, line, HeldOutcome(doc["date"], doc["status"], str(doc.get("note") or ""))))
    for referral_id, new in by_referral.items():
        _check_going_back(facts[referral_id], new)


def _check_going_back(facts: ReferralFacts, new: list[tuple[date, int, HeldOutcome]]) -> None:
    """Walk the referral's outcomes, held first within a day, then the bundle's lines."""
    events = [(outcome_day(h.date), 0, h) for h in facts.held] + new
    final: HeldOutcome | None = None
    for _day, line, outcome in sorted(events, key=lambda e: (e[0], e[1])):
        going_back = final is not None and outcome.status not in FINAL_STATUSES | {"received"}
        if line and going_back and not outcome.note.strip() and final is not None:
            raise _refuse(line, "note", f"{_name(facts)} had a final outcome ({outcome_words(final.status)} on "
                                        f"{final.date}); {outcome_words(outcome.status)} after it must say why in its note")
        if outcome.status in FINAL_STATUSES:
            final = outcome
        elif going_back:
            final = None  # reopened, with its reason: later steps follow from it
