"""A supervisor's personal key replaced: what it approved and the room has not sealed goes
back to "awaiting approval" for a supervisor to approve again with a valid key, audited;
what was sealed already is listed as suspect before the officer confirms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deskkit import Demo
from sealkit import approve_each, refer

from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.users import reset_password
from hotline_tui.services.referrals.sealing import seal
from hotline_tui.services.revocation.personal import personal_key_consequences, revoke_personal_key
from hotline_tui.store import sealing as sealing_store
from hotline_tui.store.connection import transaction
from hotline_tui.store.sealing import SealBatch, start_batch


@pytest.fixture
def approved(demo: Demo, tmp_path: Path) -> dict[str, str]:
    """ana refers a report to each of metropolitan and kent, sam approves both and seals metropolitan's."""
    ana = demo.unlock("ana")
    try:
        import_bundles(ana, [demo.room.media])
        keys = [k for (k,) in ana.conn.execute("SELECT id FROM reports WHERE status = 'new' ORDER BY id LIMIT 2")]
        made = {force: refer(ana, key, force) for force, key in zip(("metropolitan", "kent"), keys, strict=True)}
    finally:
        ana.close()
    sam = demo.unlock("sam")
    try:
        approve_each(sam, list(made.values()))
        (tmp_path / "stick").mkdir()
        assert not seal(sam, tmp_path / "stick", ["metropolitan"]).failed
    finally:
        sam.close()
    return made


def _referral(demo: Demo, referral_id: str) -> tuple[str, str, str | None, str | None]:
    session = demo.unlock("sue")
    try:
        return session.conn.execute(
            "SELECT f.state, r.status, f.approved_key_id, f.approval_signature FROM referrals f"
            " JOIN reports r ON r.report_id = f.report_id WHERE f.referral_id = ?", (referral_id,)).fetchone()
    finally:
        session.close()


def test_revoking_a_compromised_key_sends_its_unsealed_approvals_back(
    demo: Demo, approved: dict[str, str], tmp_path: Path
) -> None:
    officer = demo.unlock()
    try:
        old_key = officer.conn.execute("SELECT personal_key_id FROM users WHERE name = 'sam'").fetchone()[0]
        kent, metropolitan = (sealing_store.approvals_by_key(officer.conn, old_key)[i] for i in (0, 1))
        said = personal_key_consequences(officer, "sam")
        assert (kent.state, metropolitan.state) == ("approved", "sealed")
        assert said[1].startswith(f"1 approval(s) signed with key {old_key} and not sealed go back to awaiting approval")
        assert said[2].startswith(f"  {kent.reference} for Kent Police, approved by sam ")
        assert said[3].startswith(f"1 referral(s) approved with key {old_key} were sealed (or are being sealed) and sent")
        assert said[4].startswith(f"  {metropolitan.reference} to Metropolitan Police Service, approved by sam ")
        assert _referral(demo, approved["kent"])[0] == "approved"  # nothing changed by being shown

        revoke_personal_key(officer, "sam", "sams-new-one-time-pw", "laptop left unlocked on a train")
        entries = [(e.action, e.object, e.reason) for e in audit.read_log(officer, 4)]
    finally:
        officer.close()
    assert _referral(demo, approved["kent"]) == ("awaiting_approval", "awaiting_approval", None, None)
    assert _referral(demo, approved["metropolitan"])[:3] == ("sealed", "referred", old_key)
    assert ("referral.approval_withdrawn", f"referral {kent.reference}",
            f"approved by sam with key {old_key}, revoked as compromised: a supervisor must approve it again") in entries

    sue = demo.unlock("sue")  # another supervisor approves again with her own key, and it seals
    try:
        approve_each(sue, [approved["kent"]])
        (tmp_path / "stick-2").mkdir()
        assert not seal(sue, tmp_path / "stick-2", ["kent"]).failed
    finally:
        sue.close()
    assert _referral(demo, approved["kent"])[0] == "sealed"


def test_a_password_reset_sends_them_back_too_as_the_seal_certifies_only_the_current_key(
    demo: Demo, approved: dict[str, str], tmp_path: Path
) -> None:
    officer = demo.unlock()
    try:
        reset_password(officer, "sam", "sams-new-one-time-pw")
    finally:
        officer.close()
    assert _referral(demo, approved["kent"])[:2] == ("awaiting_approval", "awaiting_approval")
    sue = demo.unlock("sue")
    (tmp_path / "stick-2").mkdir()
    try:
        approve_each(sue, [approved["kent"]])
        assert not seal(sue, tmp_path / "stick-2", ["kent"]).failed
    finally:
        sue.close()


def test_an_approval_in_the_bundle_being_sealed_now_goes_out_and_is_listed_as_suspect(
    demo: Demo, approved: dict[str, str]
) -> None:
    """A seal records its batch as 'writing' before it writes: what is in it is sent as approved."""
    officer = demo.unlock()
    try:
        with transaction(officer.conn) as conn:
            start_batch(conn, SealBatch("b-1", "kent", "referrals-kent.tar.age", "stick", "0" * 64,
                                        json.dumps([approved["kent"]]), "room-key", "writing"), officer.now(), "sam")
        said = personal_key_consequences(officer, "sam")
        revoke_personal_key(officer, "sam", "sams-new-one-time-pw", "laptop left unlocked on a train")
    finally:
        officer.close()
    assert said[1].startswith("No approval signed with key") and "2 referral(s)" in said[2]
    assert any(line.endswith("in the bundle being sealed now") and "Kent Police" in line for line in said[3:])
    assert _referral(demo, approved["kent"])[0] == "approved"
