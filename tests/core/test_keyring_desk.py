"""The security officer's keyring: listing by kind, adding from media after comparing the
key id, revoking, rotating the room's keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from deskkit import BUILT, Demo, seal_one_referral

from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.errors import KeyRefused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.importing import import_bundles, list_bundles, room_identities
from hotline_tui.services.keyring import keys
from hotline_tui.services.keyring.desk import forces_without_recipient, guess_force, key_files_on_media, keyring_entries
from hotline_tui.services.triage.overview import waiting_for
from import_export import agekeys
from import_export.minisign import PublicKey


def test_every_key_listed_by_kind(demo: Demo) -> None:
    entries = keyring_entries(demo.unlock())
    sections = [e.section for e in entries]
    assert sections == sorted(sections, key=["intake", "force", "room", "user"].index)
    assert [e.owner for e in entries if e.section == "intake"] == ["intake-online", "intake-phone"]
    assert len([e for e in entries if e.section == "force"]) == 47 * 2
    kent = [e for e in entries if e.force == "kent"]
    assert [(e.key_type, e.use) for e in kent] == [("minisign", "signs outcomes"), ("age", "referrals are sealed to it")]
    assert kent[1].key_id.startswith("age1") and len(kent[0].key_id) == 16
    room = [(e.key_type, e.state) for e in entries if e.section == "room"]
    assert room == [("minisign", "active"), ("age", "active")]
    assert {e.owner for e in entries if e.section == "user"} == {"officer", "ana", "ben", "sam", "sue"}
    assert all(e.added_by == "officer" for e in entries if e.section in ("intake", "force"))


def test_add_the_city_of_london_keys_from_the_media(demo: Demo) -> None:
    session = demo.unlock()
    files = key_files_on_media(demo.settings)
    assert [p.name for p in files] == ["city-of-london.age.pub", "city-of-london.pub"]
    assert forces_without_recipient(session) == ["city-of-london"]
    assert ("Forces with no key to seal to", 1) in waiting_for(session)
    pub, recipient = files[1], files[0]
    assert guess_force(pub) == "city-of-london"
    expected = PublicKey.load(pub).key_id
    before = audit.head(session.conn)
    assert keys.preview_key_file(session, pub) == [("minisign", expected)]
    assert keys.preview_key_file(session, recipient)[0][0] == "age"
    assert audit.head(session.conn) == before  # a preview changes nothing
    for path in (pub, recipient):
        keys.add_key_file(session, path, "force", "city-of-london")
    listed = [e for e in keyring_entries(session) if e.force == "city-of-london"]
    assert [e.key_id for e in listed] == [expected, keys.preview_key_file(session, recipient)[0][1]]
    assert forces_without_recipient(session) == []
    assert ("Forces with no key to seal to", 0) in waiting_for(session)
    assert [r.action for r in audit.read_log(session, 2)] == ["keyring.add", "keyring.add"]


def test_revoked_intake_key_refuses_every_bundle_not_accepted_before(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock("officer")
    online = demo.intake_key("intake-online")
    revoked_at = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    keys.revoke_key(session, online.key_id, "laptop stolen from the call centre", revoked_at)
    with pytest.raises(KeyRefused, match="already revoked"):
        keys.revoke_key(session, online.key_id, "again")
    entry = next(e for e in keyring_entries(session) if e.key_id == online.key_id)
    assert entry.state.startswith("revoked 2026-03-14 12:00 UTC") and not entry.revocable
    reports = generate_reports(3, seed=31, start=BUILT - timedelta(days=1), end=BUILT, hostile=False)
    backdated = demo.reports_bundle(tmp_path / "new", reports, revoked_at - timedelta(days=30), signer=online)
    session.close()

    ana = demo.unlock("ana")
    listing = {b.path.name: b for b in list_bundles(ana, demo.room.media)}
    old = [b for b in listing.values() if b.signer == "intake-online"]
    assert old and all("revoked" in b.verdict for b in old)
    summary = import_bundles(ana, [backdated.path])
    assert summary.refused == 1
    reason = summary.results[0].reason
    assert "is revoked" in reason and "whatever time the bundle claims" in reason
    summary = import_bundles(ana, [demo.room.media])
    assert summary.refused == 1 + len(old)  # the tampered one, and every bundle of the revoked key
    assert summary.imported == 7 - len(old)


def test_a_revocation_from_the_future_is_refused(demo: Demo) -> None:
    session = demo.unlock("officer")
    online = demo.intake_key("intake-online")
    with pytest.raises(KeyRefused, match="takes effect now"):
        keys.revoke_key(session, online.key_id, "stolen", session.clock() + timedelta(days=1))


def test_rotate_the_rooms_keys_keeps_the_old_ones(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    before = keys.room_public_keys(session)
    signing = keys.rotate_room_signing_key(session, "yearly")
    recipient = keys.rotate_room_identity(session, "yearly")
    after = keys.room_public_keys(session)
    assert after.signing == signing and after.retired_signing == (before.signing,)
    assert after.recipient == recipient != before.recipient
    assert [str(i.to_public()) for i in room_identities(session)] == [recipient, before.recipient]
    room = [(e.key_type, e.key_id, e.state.split(" ")[0]) for e in keyring_entries(session) if e.section == "room"]
    assert room == [
        ("minisign", signing.key_id, "active"), ("minisign", before.signing.key_id, "retired"),
        ("age", recipient, "active"), ("age", before.recipient, "retired"),
    ]
    keyring = keys.build_keyring(session)
    assert keyring.get(before.signing.key_id) is not None and keyring.get(signing.key_id) is not None
    out = tmp_path / "stick"
    out.mkdir()
    written = keys.export_public_keys(session, out)
    assert PublicKey.from_text(written[0].read_text()) == signing
    assert str(agekeys.parse_recipients(written[1].read_text())[0]) == recipient
    assert [r.action for r in audit.read_log(session, 3)] == ["keys.export", "room_key.rotate", "room_key.rotate"]
    session.close()
    # Bundles encrypted to the old recipient (the demo media) still import.
    summary = import_bundles(demo.unlock("ana"), [demo.room.media])
    assert summary.imported == 7


def test_a_force_key_added_from_the_media_is_sealed_to(demo: Demo, tmp_path: Path) -> None:
    from hotline_tui.services.verifying.verification import verify_file

    session = demo.unlock()
    for path in key_files_on_media(demo.settings):
        keys.add_key_file(session, path, "force", "city-of-london")
    session.close()
    bundle = seal_one_referral(demo, tmp_path / "stick", force="city-of-london")
    assert "-city-of-london-" in bundle.name
    result = verify_file(demo.unlock(), bundle)
    assert result.ok and result.lines[-1].detail.startswith("not possible: encrypted to city-of-london only")
