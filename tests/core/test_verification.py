"""The verification service: every check in order on any bundle, the written report."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from deskkit import BUILT, Demo, seal_one_referral, tampered

from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.errors import PermissionDenied
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring import keys
from hotline_tui.services.verifying.report import write_report
from hotline_tui.services.verifying.verification import FAIL, NOTE, PASS, verify_bytes, verify_file
from import_export import agekeys, strictjson
from import_export.bundle import signature_path
from import_export.minisign import PublicKey, SecretKey, Signature
from import_export.writer import SealedReferral, certify_supervisor_key, referral_members, referral_signature, write_bundle


def _names(result) -> list[str]:
    return [line.name for line in result.lines]


def test_every_good_demo_bundle_passes_every_check(demo: Demo) -> None:
    session = demo.unlock()
    bad = tampered(demo)
    good = [p for p in demo.bundles() if p != bad]
    assert len(good) == 7
    for path in good:
        result = verify_file(session, path)
        assert result.ok and result.contents_checked and result.signature_valid, result.verdict
        assert _names(result)[:6] == ["outer signature", "trusted comment", "replay", "decrypt", "manifest", "documents"]
        assert {line.status for line in result.lines} == {PASS, NOTE}
        assert result.signer.role == "intake system" and result.signer.name in ("intake-online", "intake-phone")
        assert result.signer.revoked == ""
        members = [line.detail for line in result.lines if line.name == "member"]
        assert members[0].split("  ")[1].startswith(("attachments/", "reports.jsonl"))
        assert any(m.split("  ")[1] == "reports.jsonl" and len(m.split("  ")[0]) == 64 for m in members)
        assert result.verdict == "VERIFIED: every check passed"
    entries = [row for row in audit.read_log(session, 20) if row.action == "bundle.verified"]
    assert len(entries) == 7 and entries[0].reason.startswith("verified: VERIFIED")


def test_the_tampered_bundle_fails_at_the_outer_signature(demo: Demo) -> None:
    session = demo.unlock()
    result = verify_file(session, tampered(demo))
    assert not result.ok and not result.signature_valid
    assert [(line.name, line.status) for line in result.lines] == [("outer signature", FAIL)]
    assert "the signature does not match the file" in result.lines[0].detail
    assert result.verdict.startswith("REFUSED at outer signature")
    assert result.signer.name == "intake-online"  # who the signature file claims; the claim fails
    assert audit.read_log(session, 1)[0].reason.startswith("refused: REFUSED at outer signature")


def test_an_unknown_signer_is_named_by_key_id(demo: Demo, tmp_path: Path) -> None:
    stranger = SecretKey.generate()
    reports = generate_reports(1, seed=5, start=BUILT - timedelta(days=2), end=BUILT - timedelta(days=1), hostile=False)
    written = demo.reports_bundle(tmp_path / "odd", reports, BUILT, signer=stranger)
    result = verify_file(demo.unlock(), written.path)
    assert result.signer.key_id == stranger.key_id and result.signer.role == "not in the keyring"
    assert result.failed.name == "outer signature" and "not in the keyring" in result.failed.detail


def test_a_missing_file_and_a_missing_signature(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    assert verify_file(session, tmp_path / "nothing.tar.age").failed.name == "read"
    path = demo.bundles()[0]
    signature_path(path).unlink()
    result = verify_file(session, path)
    assert result.signer is None and result.failed.name == "outer signature" and "missing" in result.failed.detail


def test_a_bundle_of_a_revoked_key_shows_as_refused(demo: Demo) -> None:
    session = demo.unlock()
    path = next(p for p in demo.bundles() if p != tampered(demo))
    result = verify_file(session, path)
    keys.revoke_key(session, result.signer.key_id, "laptop stolen")
    refused = verify_file(session, path)
    assert not refused.ok and refused.signature_valid  # a good signature, by a key the room no longer trusts
    assert [(line.name, line.status) for line in refused.lines] == [("outer signature", "pass"), ("signer revoked", "fail")]
    assert refused.signer.revoked.startswith("revoked 2026-03-15") and "laptop stolen" in refused.signer.revoked
    assert refused.verdict.startswith("REFUSED at signer revoked: key ")
    assert "whatever time the bundle claims" in refused.verdict


def _referral_bundle(demo: Demo, session, out: Path, *, also_room: bool) -> Path:
    """A referral bundle as the room seals one: signed by its key, encrypted to kent (and,
    for the test of the contents, to the room too), with a certified supervisor key."""
    room_key = keys.room_signing_key(session)
    supervisor = SecretKey.generate()
    document = {
        "referral_id": "6f1c1d52-3a43-4b7e-9a1e-0c5d7e2f9a10", "force": "kent", "created": "2026-03-15T10:00:00Z",
        "subjects": [{"role": "officer", "rank": "PC"}], "categories": ["disclosure of information"],
        "grading": {"source": "2", "intelligence": "C", "handling": "P"}, "priority": "high",
        "iopc_referral_criteria": [], "summary": "An officer sells checks.", "linked_referrals": [], "analyst": "ana",
        "approved_by": {"name": "sam", "key_id": supervisor.key_id}, "approved_at": "2026-03-15T11:00:00Z", "attachments": [],
    }
    data = strictjson.dumps(document)
    sealed = SealedReferral(document["referral_id"], data, referral_signature(supervisor, document["referral_id"], "kent", data),
                            "Referral\n", {})
    certified = certify_supervisor_key(room_key, supervisor.public_key, "sam", BUILT)
    force = agekeys.parse_recipients((demo.room.secrets / "forces" / "kent.age.pub").read_text())[0]
    recipients = [force] + ([keys.room_identity(session).to_public()] if also_room else [])
    out.mkdir(parents=True, exist_ok=True)
    return write_bundle(
        out, kind="referrals", members=referral_members([sealed], [certified]), count=1, signer=room_key,
        recipients=recipients, recipient_label="kent", audit_head={"seq": 1, "sha256": "ab" * 32}, created=BUILT,
    ).path


def test_a_referral_bundle_for_a_force_cannot_be_decrypted_here_which_is_not_a_failure(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    path = _referral_bundle(demo, session, tmp_path / "out", also_room=False)
    result = verify_file(session, path)
    assert result.ok and result.signature_valid and not result.contents_checked
    assert result.signer.role == "the room's signing key (active)"
    decrypt = [line for line in result.lines if line.name == "decrypt"]
    assert [(d.status, d.detail) for d in decrypt] == [
        (NOTE, "not possible: encrypted to kent only (the room holds no identity for it)")
    ]
    assert result.verdict == "OUTER SIGNATURE VERIFIED; the contents could not be checked here"


def test_a_referral_bundle_the_room_can_open_shows_certifications_and_approvals(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    result = verify_file(session, _referral_bundle(demo, session, tmp_path / "out", also_room=True))
    assert result.ok and result.contents_checked
    assert _names(result).count("supervisor certification") == 1
    approvals = [line.detail for line in result.lines if line.name == "referral approval"]
    assert approvals == [f"6f1c1d52-3a43-4b7e-9a1e-0c5d7e2f9a10 approved by sam ({_approver(result)})"]


def _approver(result) -> str:
    detail = next(line.detail for line in result.lines if line.name == "supervisor certification")
    return detail.split(" ")[1]


def test_old_referral_bundles_still_verify_after_the_room_key_is_rotated(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    old = _referral_bundle(demo, session, tmp_path / "old", also_room=False)
    keys.rotate_room_signing_key(session, "yearly rotation")
    new = _referral_bundle(demo, session, tmp_path / "new", also_room=False)
    for path, state in ((old, "retired"), (new, "active")):
        result = verify_file(session, path)
        assert result.ok and result.signature_valid, result.verdict
        assert state in result.signer.role


def test_verify_from_memory_is_recorded_with_its_label(demo: Demo) -> None:
    session = demo.unlock()
    path = demo.bundles()[0]
    result = verify_bytes(session, path.name, path.read_bytes(), signature_path(path).read_bytes(), what="quarantine #3")
    assert result.file_name == path.name
    assert audit.read_log(session, 1)[0].object == "quarantine #3"


def test_the_written_report_verifies_with_the_rooms_public_key(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    result = verify_file(session, tampered(demo))
    out = tmp_path / "stick"
    out.mkdir()
    written = write_report(session, result, out)
    assert sorted(p.name for p in out.iterdir()) == [written.path.name, written.signature_path.name]
    text = written.path.read_text()
    assert "✘ outer signature: the signature does not match the file" in text
    assert f"sha256:      {result.sha256}" in text and "verdict:     REFUSED at outer signature" in text
    signature = Signature.from_text(written.signature_path.read_text())
    room = PublicKey.from_text(keys.room_public_keys(session).signing.to_text())
    signature.verify(room, written.path.read_bytes())
    assert signature.trusted_comment.startswith(f"hotline-verification/1 file={result.file_name} sha256={result.sha256}")
    assert " verdict=refused " in signature.trusted_comment
    assert audit.read_log(session, 1)[0].action == "verification.exported"


def test_only_a_security_officer_verifies(demo: Demo) -> None:
    with pytest.raises(PermissionDenied):
        verify_file(demo.unlock("ana"), demo.bundles()[0])


def test_a_referral_bundle_the_room_sealed(demo: Demo, tmp_path: Path) -> None:
    path = seal_one_referral(demo, tmp_path / "stick")
    session = demo.unlock()
    result = verify_file(session, path)
    assert result.ok and result.signature_valid and not result.contents_checked, result.verdict
    assert result.signer.role == "the room's signing key (active)" and result.signer.key_id == \
        keys.room_public_keys(session).signing.key_id
    assert [(line.name, line.status) for line in result.lines] == [
        ("outer signature", PASS), ("trusted comment", PASS), ("replay", NOTE), ("decrypt", NOTE),
    ]
    assert result.lines[3].detail == "not possible: encrypted to metropolitan only (the room holds no identity for it)"
    assert "kind=referrals" in result.comment and "to=metropolitan" in result.comment


def test_rotate_then_verify_old_and_new_sealed_referral_bundles(demo: Demo, tmp_path: Path) -> None:
    old = seal_one_referral(demo, tmp_path / "old")
    officer = demo.unlock()
    retired = keys.room_public_keys(officer).signing.key_id
    keys.rotate_room_signing_key(officer, "yearly rotation")
    officer.close()
    new = seal_one_referral(demo, tmp_path / "new", skip=1)
    officer = demo.unlock()
    first, second = verify_file(officer, old), verify_file(officer, new)
    assert first.ok and second.ok, (first.verdict, second.verdict)
    assert first.signer.key_id == retired and first.signer.role.startswith("the room's signing key (retired ")
    assert second.signer.key_id == keys.room_public_keys(officer).signing.key_id != retired
    assert second.signer.role == "the room's signing key (active)"
