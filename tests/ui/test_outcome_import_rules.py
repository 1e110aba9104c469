"""Issue 13.4, as the attack: a force's outcome bundle dated before its referral was sealed,
dated ahead of the room's clock, or going back from a final outcome without a reason, is
refused as a whole by ``import_outcomes``, naming the line and the rule; nothing of it is
stored, and the statistics never see a negative time."""

from __future__ import annotations

from pathlib import Path

import pytest
from statskit import history_room, history_template, open_as, write_outcomes

from hotline_tui.demo.room import DemoRoom
from hotline_tui.services.referrals.outcomes import import_outcomes
from hotline_tui.services.session import Session
from import_export.wording import outcome_words

__all__ = ["history_room", "history_template"]  # fixtures


def sealed_with_final(session: Session) -> tuple[str, str, str, str, str]:
    """(referral_id, force, sealed day, final status, its date) of a referral whose force sent a final outcome."""
    row = session.conn.execute(
        "SELECT f.referral_id, f.force_code, substr(f.sealed_at, 1, 10), o.status, o.date FROM referrals f"
        " JOIN outcomes o ON o.referral_id = f.referral_id WHERE f.state = 'sealed'"
        " AND o.status IN ('dismissed', 'closed', 'assessed_no_further_action', 'resigned_or_retired')"
        " ORDER BY f.sealed_at LIMIT 1").fetchone()
    return tuple(str(v) for v in row)  # type: ignore[return-value]


def attempt(room: DemoRoom, session: Session, force: str, outcomes: list[dict[str, str]]) -> str:
    before = session.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    write_outcomes(room, force, outcomes, Path("stick"))
    summary = import_outcomes(session, [Path("stick")], quarantine=False)
    (result,) = summary.results
    assert result.status == "refused"
    assert session.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == before
    audit = session.conn.execute("SELECT reason FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert result.reason.split(": ", 1)[1] in audit
    return result.reason


@pytest.fixture
def officer(history_room: DemoRoom) -> Session:
    return open_as(history_room, "officer")


def test_an_outcome_dated_before_the_sealing_refuses_the_bundle(history_room: DemoRoom, officer: Session) -> None:
    referral_id, force, sealed_day, *_ = sealed_with_final(officer)
    reason = attempt(history_room, officer, force, [
        {"referral_id": referral_id, "status": "closed", "date": "2026-11-19", "note": "fine"},
        {"referral_id": referral_id, "status": "received", "date": "2025-12-08"},
    ])
    assert reason.startswith("outcome rules: 2025-12-08 is before")
    assert f"was sealed on {sealed_day}" in reason and "(member outcomes.jsonl, line 2, field date)" in reason


def test_an_outcome_in_the_future_refuses_the_bundle(history_room: DemoRoom, officer: Session) -> None:
    referral_id, force, *_ = sealed_with_final(officer)
    reason = attempt(history_room, officer, force, [{"referral_id": referral_id, "status": "closed", "date": "2026-11-22"}])
    assert "2026-11-22 is more than a day ahead of today (2026-11-20)" in reason and "line 1, field date" in reason


def test_going_back_from_a_final_outcome_without_a_reason(history_room: DemoRoom, officer: Session) -> None:
    referral_id, force, _sealed, final, final_date = sealed_with_final(officer)
    back = {"referral_id": referral_id, "status": "investigation_opened", "date": "2026-11-19"}
    reason = attempt(history_room, officer, force, [back])
    assert f"final outcome ({outcome_words(final)} on {final_date})" in reason and "line 1, field note" in reason
    assert "Investigation opened after it must say why" in reason  # statuses in words
    write_outcomes(history_room, force, [{**back, "note": "reopened: new evidence from the reporter"}], Path("again"))
    assert import_outcomes(officer, [Path("again")]).imported == 1
