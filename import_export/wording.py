"""Words for people: counts with their noun, and the outcome statuses of FORMATS.md."""

from __future__ import annotations

# FORMATS.md "outcome" statuses as a force's staff and the room say them.
OUTCOME_WORDS = {
    "received": "Received",
    "assessed_no_further_action": "Assessed: no further action",
    "investigation_opened": "Investigation opened",
    "misconduct_proceedings": "Misconduct proceedings",
    "criminal_proceedings": "Criminal proceedings",
    "dismissed": "Dismissed",
    "resigned_or_retired": "Resigned or retired",
    "other_outcome": "Other outcome",
    "closed": "Closed",
}


def a_or_an(word: str) -> str:
    """'an analyst', 'a supervisor', 'an outcomes bundle', 'a reports bundle'."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def counted(number: int, plural: str) -> str:
    """'1 referral', '2 referrals', '1,200 reports' (the nouns here are regular)."""
    return f"{number:,} {plural.removesuffix('s') if number == 1 else plural}"


def outcome_words(status: str) -> str:
    """An outcome status in words; an unknown one as it is."""
    return OUTCOME_WORDS.get(status, status)
