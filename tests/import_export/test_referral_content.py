"""What a force reads in a referral besides the summary: the behaviours, when and where,
the subjects' descriptions, and each linked referral by reference and date with its
outcomes; a referral from before these travelled is still read and rendered."""

from __future__ import annotations

import uuid

import pytest
from bundlekit import Parties, make_referral

from import_export.documents import DocumentInvalid, validate_referral
from import_export.rendering import render_referral

EARLIER = str(uuid.uuid4())
DETAILS = [{
    "referral_id": EARLIER, "reference": "HTR-2026-000001", "force": "kent", "date": "2026-02-01",
    "outcomes": [{"status": "received", "date": "2026-02-03"}, {"status": "investigation_opened", "date": "2026-02-20"}],
}]
LABELS = {"behaviours": {"corruption": "Corruption"}, "force": {"kent": "Kent Police"},
          "outcome": {"received": "Received", "investigation_opened": "Investigation opened"}}


def _full(parties: Parties) -> dict:  # type: ignore[type-arg]
    return make_referral(
        parties.supervisors[0], behaviours=["corruption"], when="most Fridays since March", where="the custody suite",
        subjects=[{"role": "officer", "rank": "PC", "description": "tall, drives a grey van to work"}],
        linked_referrals=[EARLIER], linked_referral_details=DETAILS,
    )


def test_the_text_carries_what_the_json_carries(parties: Parties) -> None:
    text = render_referral(validate_referral(_full(parties)), labels=LABELS)
    assert "Behaviours:           Corruption" in text
    assert "When:                 most Fridays since March" in text
    assert "Where:                the custody suite" in text
    assert "tall, drives a grey van to work" in text
    linked = text.split("LINKED REFERRALS\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert linked == ["  HTR-2026-000001 (Kent Police), sent 2026-02-01", "     2026-02-03  Received",
                      "     2026-02-20  Investigation opened"]
    assert EARLIER not in text


def test_a_referral_from_before_the_details_is_read_and_rendered_by_id(parties: Parties) -> None:
    old = make_referral(parties.supervisors[0], linked_referrals=[EARLIER])
    text = render_referral(validate_referral(old))
    assert text.split("LINKED REFERRALS\n", 1)[1].startswith(f"  {EARLIER}\n")
    assert "When:" not in text and "Behaviours:           none named" in text


@pytest.mark.parametrize(("change", "field"), [
    ({"linked_referral_details": "HTR-2026-000001"}, "linked_referral_details"),
    ({"linked_referral_details": [{"reference": "HTR-2026-000001"}]}, "linked_referral_details[0].referral_id"),
    ({"linked_referral_details": [dict(DETAILS[0], outcomes=[{"status": 3, "date": "2026-02-03"}])]},
     "linked_referral_details[0].outcomes[0].status"),
    ({"when": ["Friday"]}, "when"),
])
def test_malformed_details_are_refused_with_the_field_named(parties: Parties, change: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(DocumentInvalid) as info:
        validate_referral(dict(_full(parties), **change))
    assert info.value.field == field
