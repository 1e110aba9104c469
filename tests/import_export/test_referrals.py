"""Referral bundles: supervisor keys certified by the room key, each referral signed by
its approving supervisor; tampering with either is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bundlekit
import pytest
from bundlekit import FORCE, Parties, assemble, make_referral, seal_referral

from import_export import strictjson
from import_export.bundle import Keyring, TrustedKey
from import_export.errors import BundleRefused
from import_export.minisign import SecretKey
from import_export.reader import read_bundle
from import_export.writer import certify_supervisor_key, referral_members


def read_as_force(path: Path, parties: Parties, **options: Any):
    """The force trusts the room's signing key for referrals and decrypts with its own identity."""
    keyring = Keyring([TrustedKey(parties.room.public_key, "triage room", frozenset({"referrals"}))])
    return read_bundle(path, keyring, [parties.force_identity], **options)


def refused(path: Path, parties: Parties) -> BundleRefused:
    with pytest.raises(BundleRefused) as info:
        read_as_force(path, parties)
    return info.value


def hand(tmp_path: Path, parties: Parties, members: dict[str, bytes], count: int = 2, **options: Any) -> Path:
    """A referrals bundle from these members, sealed properly by the room key."""
    return assemble(
        tmp_path, parties.room, [parties.force_identity.to_public()], members, kind="referrals", count=count, to=FORCE, **options
    ).path


def test_write_and_read_back(tmp_path: Path, parties: Parties) -> None:
    documents = [make_referral(supervisor) for supervisor in parties.supervisors]
    members, count = bundlekit.referral_bundle_members(parties, documents)
    written = bundlekit.write_referrals(tmp_path, parties, members, count)
    bundle = read_as_force(written.path, parties, kind="referrals", recipient=FORCE)
    assert sorted(bundle.documents, key=lambda d: d["referral_id"]) == sorted(documents, key=lambda d: d["referral_id"])
    assert bundle.manifest["audit_head"] == {"seq": 42, "sha256": "ab" * 32}
    for document, supervisor in zip(documents, parties.supervisors, strict=True):
        approval = bundle.approvals[document["referral_id"]]
        assert approval.supervisor_key_id == supervisor.key_id
        assert f"approved_by={supervisor.key_id}" in approval.trusted_comment
        assert document["summary"] in bundle.referral_text(document["referral_id"])
    assert set(bundle.members) >= {f"keys/{s.key_id}.pub.minisig" for s in parties.supervisors}


def test_the_room_cannot_read_what_it_sealed_for_a_force(tmp_path: Path, parties: Parties) -> None:
    written = bundlekit.write_referrals(tmp_path, parties)
    with pytest.raises(BundleRefused) as info:
        read_bundle(written.path, parties.keyring, [parties.room_identity])
    assert info.value.check == "decrypt"


def test_referral_with_an_attachment(tmp_path: Path, parties: Parties) -> None:
    supervisor = parties.supervisors[0]
    document = make_referral(supervisor, attachments=[{"name": "still", "media_type": "image/png", "path": "still.png"}])
    attachment = {f"attachments/{document['referral_id']}/still.png": b"\x89PNG..."}
    sealed = seal_referral(document, supervisor, attachment)
    key = certify_supervisor_key(parties.room, supervisor.public_key, "S", bundlekit.CREATED)
    written = bundlekit.write_referrals(tmp_path, parties, referral_members([sealed], [key]), 1)
    bundle = read_as_force(written.path, parties)
    assert bundle.attachment(document["referral_id"], "still.png") == b"\x89PNG..."


@pytest.fixture
def members(parties: Parties) -> dict[str, bytes]:
    members, _ = bundlekit.referral_bundle_members(parties)
    return members


def _ids(members: dict[str, bytes]) -> list[str]:
    return sorted(n[len("referrals/") : -len(".json")] for n in members if n.startswith("referrals/") and n.endswith(".json"))


def _document(members: dict[str, bytes], referral_id: str) -> dict[str, Any]:
    return strictjson.loads(members[f"referrals/{referral_id}.json"])


def test_hand_assembled_baseline_reads(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    assert len(read_as_force(hand(tmp_path, parties, members), parties).documents) == 2


# --- supervisor certification ----------------------------------------------------------


def _key_member(parties: Parties, number: int = 0) -> str:
    return f"keys/{parties.supervisors[number].key_id}.pub"


def test_certificate_by_another_key(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    """The supervisor certifies their own key: not the room's certification."""
    name = _key_member(parties)
    supervisor = parties.supervisors[0]
    members[name + ".minisig"] = certify_supervisor_key(
        supervisor, supervisor.public_key, "me", bundlekit.CREATED
    ).certificate.encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", name)


def test_certified_key_swapped_for_another(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    """An attacker's key put in place of the certified one, under the certified name."""
    name = _key_member(parties)
    members[name] = SecretKey.generate().public_key.to_text().encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", name)


def test_certificate_byte_flipped(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    name = _key_member(parties, 1)
    text = members[name + ".minisig"].decode()
    members[name + ".minisig"] = text.replace("name=Supervisor_2", "name=Supervisor_3").encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", name)


def test_certificate_missing(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    name = _key_member(parties)
    del members[name + ".minisig"]
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", name)


def test_certificate_garbled(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    name = _key_member(parties)
    members[name + ".minisig"] = b"\xff not a signature"
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", name)


def test_certified_key_under_another_file_name(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    name = _key_member(parties)
    moved = "keys/0123456789ABCDEF.pub"
    members[moved], members[moved + ".minisig"] = members.pop(name), members.pop(name + ".minisig")
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", moved)


def test_certificate_naming_another_key(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    """Signed by the room, but the certificate's comment is about another key id."""
    supervisor = parties.supervisors[0]
    name = _key_member(parties)
    comment = f"hotline-supervisor-key key_id={parties.supervisors[1].key_id} name=S certified=2026-03-14T09:26:53Z"
    members[name + ".minisig"] = parties.room.sign(
        supervisor.public_key.to_text(f"hotline supervisor {supervisor.key_id}").encode(), comment
    ).encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", name)


def test_certificate_without_its_key(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    members["keys/0123456789ABCDEF.pub.minisig"] = members[_key_member(parties) + ".minisig"]
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("supervisor certification", "keys/0123456789ABCDEF.pub.minisig")


# --- referral approval ----------------------------------------------------------------


def _approved_by(members: dict[str, bytes], supervisor: SecretKey) -> str:
    return next(i for i in _ids(members) if _document(members, i)["approved_by"]["key_id"] == supervisor.key_id)


def test_referral_signature_byte_flipped(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    referral_id = _approved_by(members, parties.supervisors[0])
    name = f"referrals/{referral_id}.json.minisig"
    members[name] = members[name].decode().replace(f"force={FORCE}", "force=essex").encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("referral approval", name)


def test_referral_edited_after_approval(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    referral_id = _ids(members)[0]
    document = _document(members, referral_id)
    document["grading"]["intelligence"] = "A"
    members[f"referrals/{referral_id}.json"] = strictjson.dumps(document)
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("referral approval", f"referrals/{referral_id}.json.minisig")


def test_referral_signed_by_an_uncertified_key(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    rogue = SecretKey.generate()
    referral_id = _ids(members)[0]
    document = _document(members, referral_id)
    document["approved_by"]["key_id"] = rogue.key_id
    sealed = seal_referral(document, rogue)
    members[f"referrals/{referral_id}.json"] = sealed.document
    members[f"referrals/{referral_id}.json.minisig"] = sealed.signature.encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("referral approval", f"referrals/{referral_id}.json.minisig")
    assert rogue.key_id in error.message


def test_approved_by_key_id_edited(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    """The document claims the other (certified) supervisor approved it."""
    first, second = parties.supervisors
    referral_id = _approved_by(members, first)
    document = _document(members, referral_id)
    document["approved_by"]["key_id"] = second.key_id
    members[f"referrals/{referral_id}.json"] = strictjson.dumps(document)
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.field) == ("referral approval", "approved_by.key_id")


def test_approved_by_names_another_supervisor_than_the_signer(
    tmp_path: Path, parties: Parties, members: dict[str, bytes]
) -> None:
    """Signed for real by supervisor 1, over a document that says supervisor 2 approved."""
    first, second = parties.supervisors
    referral_id = _approved_by(members, first)
    document = _document(members, referral_id)
    document["approved_by"]["key_id"] = second.key_id
    data = strictjson.dumps(document)
    members[f"referrals/{referral_id}.json"] = data
    members[f"referrals/{referral_id}.json.minisig"] = first.sign(
        data, f"hotline-referral id={referral_id} force={FORCE}"
    ).encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.field) == ("referral approval", "approved_by.key_id")


def test_approval_signatures_swapped(tmp_path: Path, parties: Parties) -> None:
    """Two referrals by the same supervisor, their signatures swapped."""
    supervisor = parties.supervisors[0]
    documents = [make_referral(supervisor), make_referral(supervisor)]
    members, count = bundlekit.referral_bundle_members(parties, documents)
    first, second = (f"referrals/{d['referral_id']}.json.minisig" for d in documents)
    members[first], members[second] = members[second], members[first]
    error = refused(hand(tmp_path, parties, members, count=count), parties)
    assert error.check == "referral approval"
    assert error.member in (first, second)


def test_approval_signature_for_another_referral_id(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    """A genuine signature over these exact bytes, but its comment names another referral."""
    supervisor = parties.supervisors[0]
    referral_id = _approved_by(members, supervisor)
    data = members[f"referrals/{referral_id}.json"]
    members[f"referrals/{referral_id}.json.minisig"] = supervisor.sign(data, f"hotline-referral id=other force={FORCE}").encode()
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("referral approval", f"referrals/{referral_id}.json.minisig")


def test_approval_signature_legacy(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    referral_id = _ids(members)[0]
    members[f"referrals/{referral_id}.json.minisig"] = b"untrusted comment: x\nnot a signature\n"
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("referral approval", f"referrals/{referral_id}.json.minisig")


# --- the rest of a referral bundle ----------------------------------------------------


@pytest.mark.parametrize("suffix", [".json.minisig", ".txt"])
def test_referral_part_missing(tmp_path: Path, parties: Parties, members: dict[str, bytes], suffix: str) -> None:
    referral_id = _ids(members)[0]
    del members[f"referrals/{referral_id}{suffix}"]
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("documents", f"referrals/{referral_id}{suffix}")


def test_referral_for_another_force(tmp_path: Path, parties: Parties) -> None:
    supervisor = parties.supervisors[0]
    members, count = bundlekit.referral_bundle_members(parties, [make_referral(supervisor, force="essex")])
    error = refused(hand(tmp_path, parties, members, count=count), parties)
    assert (error.check, error.field) == ("documents", "force")


def test_referral_file_named_for_another_id(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    referral_id = _ids(members)[0]
    other = "00000000-0000-4000-8000-00000000abcd"
    for suffix in (".json", ".json.minisig", ".txt"):
        members[f"referrals/{other}{suffix}"] = members.pop(f"referrals/{referral_id}{suffix}")
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.field) == ("documents", "referral_id")


def test_stray_referral_file(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    members["referrals/notes.md"] = b"hello"
    error = refused(hand(tmp_path, parties, members), parties)
    assert (error.check, error.member) == ("documents", "referrals/notes.md")


def test_invalid_referral_document(tmp_path: Path, parties: Parties) -> None:
    supervisor = parties.supervisors[0]
    document = make_referral(supervisor, grading={"source": "2", "intelligence": "C", "handling": "C"})
    members, count = bundlekit.referral_bundle_members(parties, [document])
    error = refused(hand(tmp_path, parties, members, count=count), parties)
    assert (error.check, error.member, error.field) == (
        "documents",
        f"referrals/{document['referral_id']}.json",
        "grading.handling_conditions",
    )


def test_referrals_addressed_to_the_room(tmp_path: Path, parties: Parties, members: dict[str, bytes]) -> None:
    path = assemble(
        tmp_path, parties.room, [parties.force_identity.to_public()], members, kind="referrals", count=2, to="triage-room"
    ).path
    assert refused(path, parties).check == "trusted comment"
