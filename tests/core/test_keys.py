"""The room's keys and the keyring of trusted keys."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from hotline_tui.errors import KeyRefused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring import keys
from hotline_tui.services.session import Session
from import_export.agekeys import generate_identity, identity_text, parse_recipient
from import_export.minisign import PublicKey, SecretKey


def _pub(tmp: Path, name: str = "key.pub") -> tuple[Path, SecretKey]:
    secret = SecretKey.generate()
    path = tmp / name
    path.write_text(secret.public_key.to_text())
    return path, secret


def _age(tmp: Path, name: str = "force.age.txt") -> tuple[Path, str]:
    recipient = str(generate_identity().to_public())
    path = tmp / name
    path.write_text(f"# force recipient\n{recipient}\n")
    return path, recipient


def test_export_public_keys(officer: Session, tmp_path: Path) -> None:
    written = keys.export_public_keys(officer, tmp_path)
    assert [p.name for p in written] == ["triage-room.pub", "triage-room.age.txt"]
    room = keys.room_public_keys(officer)
    assert PublicKey.from_text(written[0].read_text()) == room.signing
    assert str(parse_recipient(written[1].read_text().splitlines()[-1])) == room.recipient
    assert "SECRET" not in written[0].read_text() + written[1].read_text()
    assert audit.read_log(officer, 1)[0].action == "keys.export"


def test_room_secrets_match_their_public_halves(officer: Session) -> None:
    room = keys.room_public_keys(officer)
    assert keys.room_signing_key(officer).public_key == room.signing
    assert str(keys.room_identity(officer).to_public()) == room.recipient


def test_add_intake_and_force_keys_and_build_the_keyring(officer: Session, tmp_path: Path) -> None:
    intake, intake_secret = _pub(tmp_path, "intake-online.pub")
    force_sign, force_secret = _pub(tmp_path, "kent.pub")
    force_age, recipient = _age(tmp_path)
    [row] = keys.add_key_file(officer, intake, "intake")
    assert (row.name, row.kind, row.force) == ("intake-online", "intake", None)
    keys.add_key_file(officer, force_sign, "force", force="kent")
    keys.add_key_file(officer, force_age, "force", force="kent")
    keyring = keys.build_keyring(officer)
    assert keyring.get(intake_secret.key_id).kinds == {"reports"}
    kent = keyring.get(force_secret.key_id)
    assert (kent.kinds, kent.force, kent.name) == ({"outcomes"}, "kent", "Kent Police")
    room = keyring.get(keys.room_public_keys(officer).signing.key_id)
    assert room.kinds == {"referrals"}
    assert [str(r) for r in keys.force_recipients(officer, "kent")] == [recipient]
    assert {r.key_id for r in keys.list_keys(officer)} == {intake_secret.key_id, force_secret.key_id, recipient}


def test_refusals(officer: Session, tmp_path: Path) -> None:
    intake, _ = _pub(tmp_path)
    keys.add_key_file(officer, intake, "intake")
    with pytest.raises(KeyRefused, match="already in the keyring"):
        keys.add_key_file(officer, intake, "intake")
    with pytest.raises(KeyRefused, match="48 forces"):
        keys.add_key_file(officer, _pub(tmp_path, "b.pub")[0], "force", force="atlantis")
    with pytest.raises(KeyRefused, match="belongs to a force"):
        keys.add_key_file(officer, _age(tmp_path)[0], "intake")
    secret = tmp_path / "secret.txt"
    secret.write_text(identity_text(generate_identity()))
    with pytest.raises(KeyRefused, match="secret key"):
        keys.add_key_file(officer, secret, "force", force="kent")
    secret.write_text(SecretKey.generate().to_text(None))
    with pytest.raises(KeyRefused, match="secret key"):
        keys.add_key_file(officer, secret, "intake")
    room_pub = tmp_path / "room.pub"
    room_pub.write_text(keys.room_public_keys(officer).signing.to_text())
    with pytest.raises(KeyRefused, match="room's own"):
        keys.add_key_file(officer, room_pub, "intake")
    junk = tmp_path / "junk.pub"
    junk.write_text("hello\n")
    with pytest.raises(KeyRefused, match="not a minisign public key or age recipient"):
        keys.add_key_file(officer, junk, "intake")


def test_revoke(officer: Session, tmp_path: Path) -> None:
    path, secret = _pub(tmp_path)
    keys.add_key_file(officer, path, "force", force="kent")
    with pytest.raises(KeyRefused, match="why"):
        keys.revoke_key(officer, secret.key_id, " ")
    when = (officer.clock() - timedelta(days=3)).replace(microsecond=0)  # from when the key was in doubt
    keys.revoke_key(officer, secret.key_id, "laptop stolen", when)
    trusted = keys.build_keyring(officer).get(secret.key_id)
    assert trusted.revoked_at == when and trusted.revoked_reason == "laptop stolen"
    with pytest.raises(KeyRefused, match="already revoked"):
        keys.revoke_key(officer, secret.key_id, "again")


def test_revoked_force_recipient_is_not_sealed_to(officer: Session, tmp_path: Path) -> None:
    path, recipient = _age(tmp_path)
    keys.add_key_file(officer, path, "force", force="kent")
    keys.revoke_key(officer, recipient, "replaced")
    assert keys.force_recipients(officer, "kent") == []


def test_rotation_keeps_the_old_signing_key_for_referrals(officer: Session) -> None:
    old = keys.room_public_keys(officer).signing
    new = keys.rotate_room_signing_key(officer, "yearly rotation")
    room = keys.room_public_keys(officer)
    assert room.signing == new and room.retired_signing == (old,)
    keyring = keys.build_keyring(officer)
    assert keyring.get(old.key_id).kinds == keyring.get(new.key_id).kinds == {"referrals"}
