"""Issue 13.1: the room's own keys can be revoked as compromised: the consequences are
shown first, a new key replaces the old at once, and what the old signing key signed is
refused from then on."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from deskkit import Demo

from hotline_tui.errors import KeyRefused
from hotline_tui.services.intake.importing import room_identities
from hotline_tui.services.keyring import keys
from hotline_tui.services.keyring.desk import keyring_entries
from hotline_tui.services.revocation.room import revoke_room_key, room_key_consequences
from import_export.bundle import signature_path
from import_export.errors import BundleRefused
from import_export.reader import verify_outer


def _signed_by_room(demo: Demo, folder: Path) -> Path:
    """A file signed by the room's current key with a referral bundle's trusted comment."""
    session = demo.unlock()
    try:
        key = keys.room_signing_key(session)
    finally:
        session.close()
    folder.mkdir()
    path = folder / "referrals-kent.tar.age"
    path.write_bytes(b"sealed for kent")
    comment = f"hotline-bundle/1 kind=referrals id={uuid.uuid4()} created=2026-03-14T08:00:00Z count=1 to=kent"
    signature_path(path).write_text(key.sign(path.read_bytes(), comment))
    return path


def test_a_compromised_room_signing_key_is_replaced_and_refused(demo: Demo, tmp_path: Path) -> None:
    sent = _signed_by_room(demo, tmp_path / "sent")
    session = demo.unlock()
    old = keys.room_public_keys(session).signing
    assert verify_outer(sent, keys.build_keyring(session)).signer.name == "triage-room"
    said = room_key_consequences(session, old.key_id)
    assert said[0] == "A new signing key replaces it now." and "no longer verify" in said[1]
    with pytest.raises(KeyRefused, match="Say why"):
        revoke_room_key(session, old.key_id, "")
    revoke_room_key(session, old.key_id, "backup tape with the store lost")
    now = keys.room_public_keys(session)
    assert now.signing != old and old in now.retired_signing
    with pytest.raises(BundleRefused, match="revoked") as info:
        verify_outer(sent, keys.build_keyring(session))
    assert info.value.check == "signer revoked"
    entry = next(e for e in keyring_entries(session) if e.key_id == old.key_id)
    assert entry.state.startswith("revoked ") and "backup tape" in entry.state and not entry.revocable
    with pytest.raises(KeyRefused, match="already revoked"):
        revoke_room_key(session, old.key_id, "again")
    session.close()


def test_a_compromised_room_identity_is_replaced_but_still_opens_what_was_sent_to_it(demo: Demo) -> None:
    session = demo.unlock()
    old = keys.room_public_keys(session).recipient
    said = room_key_consequences(session, old)
    assert "must encrypt to the new recipient" in said[1]
    revoke_room_key(session, old, "laptop with an exported identity stolen")
    assert keys.room_public_keys(session).recipient != old
    assert old in [str(i.to_public()) for i in room_identities(session)]  # bundles in transit still open
    session.close()


def test_a_compromised_personal_key_is_replaced_with_a_new_slot(demo: Demo) -> None:
    from deskkit import PASSWORDS

    from hotline_tui.errors import WrongPassword
    from hotline_tui.services.audit_trail import chain as audit
    from hotline_tui.services.revocation.personal import personal_key_consequences, revoke_personal_key

    session = demo.unlock()
    old = next(e for e in keyring_entries(session) if e.section == "user" and e.owner == "sam")
    assert old.revocable
    said = personal_key_consequences(session, "sam")
    assert "new personal key" in said[0] and said[1:] == [f"No approval signed with key {old.key_id} waits to be sealed."]
    new = revoke_personal_key(session, "sam", "sams-new-one-time-pw", "sam's laptop left unlocked on a train")
    assert new != old.key_id
    entry = audit.read_log(session, 1)[0]
    assert (entry.action, entry.object) == ("personal_key.revoke", old.key_id) and new in entry.reason
    session.close()
    with pytest.raises(WrongPassword):
        demo.unlock("sam", PASSWORDS["sam"])
    demo.unlock("sam", "sams-new-one-time-pw").close()
