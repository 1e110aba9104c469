"""Synthetic outcomes: the steps a force reports back for each referral, along paths
weighted as forces' outcomes are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from . import _text as text
from ._builder import Weighted, pick
from ._forces import FORCE_NAMES

Report = dict[str, Any]

_PATHS = Weighted(
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
        note = pick(rng.random, text.OUTCOME_NOTES[status]).format_map(names)
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
