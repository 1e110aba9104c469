"""The outcome rules shared by the room's import and the force's tool, one attack each:
the refusal names the line and the rule, and a bundle that keeps the rules passes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from import_export.errors import BundleRefused
from import_export.outcome_rules import HeldOutcome, ReferralFacts, check_outcomes

NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
A, B = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
FACTS = {
    A: ReferralFacts(A, "kent", "2026-01-10T16:00:00Z", (HeldOutcome("2026-01-12", "received"),), "HTR-2026-000001"),
    B: ReferralFacts(B, "essex", "2026-01-11T10:00:00Z", (), "HTR-2026-000002"),
}


def outcome(status: str, when: str, note: str = "", referral: str = A) -> dict[str, str]:
    return {"referral_id": referral, "status": status, "date": when, "note": note}


def refusal(docs: list[dict[str, str]], facts: dict[str, ReferralFacts] | None = None) -> BundleRefused:
    with pytest.raises(BundleRefused) as caught:
        check_outcomes(docs, FACTS if facts is None else facts, force="kent", now=NOW)
    return caught.value


def test_a_bundle_that_keeps_the_rules_passes() -> None:
    check_outcomes([outcome("investigation_opened", "2026-02-01"), outcome("dismissed", "2026-03-01"),
                    outcome("closed", "2026-03-15T08:00:00+00:00")], FACTS, force="kent", now=NOW)


def test_an_outcome_dated_before_the_sealing_names_its_line() -> None:
    refused = refusal([outcome("received", "2026-01-11"), outcome("investigation_opened", "2025-02-10")])
    assert (refused.member, refused.line, refused.field) == ("outcomes.jsonl", 2, "date")
    assert f"before referral {A} (HTR-2026-000001) was sealed on 2026-01-10" in refused.reason


def test_a_time_earlier_the_same_day_as_the_sealing_is_accepted() -> None:
    check_outcomes([outcome("received", "2026-01-10T09:00:00Z")], FACTS, force="kent", now=NOW)


@pytest.mark.parametrize("when", ["2026-03-16", "2026-03-15T09:00:01Z", "2099-01-01"])
def test_more_than_a_day_ahead_is_refused(when: str) -> None:
    refused = refusal([outcome("investigation_opened", when)])
    assert (refused.line, refused.field) == (1, "date")
    assert "more than a day ahead of today (2026-03-14)" in refused.reason


def test_tomorrow_is_within_a_day() -> None:
    check_outcomes([outcome("investigation_opened", "2026-03-15")], FACTS, force="kent", now=NOW)


def test_going_back_from_a_final_outcome_needs_a_reason() -> None:
    refused = refusal([outcome("dismissed", "2026-02-01"), outcome("misconduct_proceedings", "2026-02-20")])
    assert (refused.line, refused.field) == (2, "note")
    assert "final outcome (Dismissed on 2026-02-01); Misconduct proceedings after it must say why" in refused.reason
    check_outcomes([outcome("dismissed", "2026-02-01"),
                    outcome("misconduct_proceedings", "2026-02-20", "reinstated on appeal; new hearing")],
                   FACTS, force="kent", now=NOW)


def test_going_back_counts_what_the_room_already_holds_and_the_date_order() -> None:
    held = ReferralFacts(A, "kent", "2026-01-10T16:00:00Z", (HeldOutcome("2026-02-01", "closed"),))
    refused = refusal([outcome("investigation_opened", "2026-02-02")], {A: held})
    assert refused.line == 1 and "Closed on 2026-02-01" in refused.reason
    # an investigation dated before the closing it precedes is not going back
    check_outcomes([outcome("investigation_opened", "2026-01-20")], {A: held}, force="kent", now=NOW)


def test_unknown_another_forces_and_unsealed_referrals() -> None:
    unknown = refusal([outcome("received", "2026-02-01", referral="33333333-3333-4333-8333-333333333333")])
    assert unknown.line == 1 and "unknown to the room" in unknown.reason
    other = refusal([outcome("received", "2026-02-01"), outcome("received", "2026-02-01", referral=B)])
    assert other.line == 2 and "was sent to essex, not to kent" in other.reason
    unsealed = refusal([outcome("received", "2026-02-01")], {A: ReferralFacts(A, "kent", None)})
    assert "never sealed" in unsealed.reason
