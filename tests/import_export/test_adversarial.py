"""Hostile and damaged bundles: each is refused as a whole, naming the check (and the
member and field where they apply), nothing but ``BundleRefused`` escapes, and the
media is left exactly as it was."""

from __future__ import annotations

import base64
import hashlib
import shutil
import tarfile
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import bundlekit
import pyrage
import pytest
from bundlekit import CREATED, Parties, assemble, make_report, regular, sign_payload, special

from import_export import strictjson
from import_export.bundle import KeyCollision, Keyring, Limits, TrustedKey, signature_path
from import_export.errors import AlreadyImported, BundleRefused
from import_export.minisign import SecretKey
from import_export.reader import Bundle, read_bundle, verify_outer
from import_export.strictjson import JsonLimits

ATTACHMENT = bytes(range(256)) * 1000  # 250 KiB: the payload spans four age chunks
AGE_CHUNK = 64 * 1024 + 16  # 64 KiB of plaintext and its 16-byte tag


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def refused(path: Path, parties: Parties, **options: Any) -> BundleRefused:
    """Read ``path`` as the room does and return the refusal; the folder is unchanged."""
    keyring = options.pop("keyring", parties.keyring)
    identities = options.pop("identities", [parties.room_identity])
    before = snapshot(path.parent)
    with pytest.raises(BundleRefused) as info:
        read_bundle(path, keyring, identities, **options)
    assert snapshot(path.parent) == before
    assert info.value.reason.startswith(info.value.check)
    return info.value


def reports_members(reports: list[dict[str, Any]] | None = None) -> dict[str, bytes]:
    reports = reports if reports is not None else [make_report()]
    return {"reports.jsonl": b"".join(strictjson.dumps(r) + b"\n" for r in reports)}


@pytest.fixture
def bundle(write_reports, report):
    """A small, valid reports bundle written by our writer."""
    return write_reports([report()])


@pytest.fixture
def hand(tmp_path: Path, parties: Parties) -> Callable[..., Path]:
    """``hand(members, **options)``: a bundle assembled from raw members by the intake key."""

    def make(members: dict[str, bytes] | None = None, **options: Any) -> Path:
        options.setdefault("count", 1)
        signer = options.pop("signer", parties.intake)
        recipients = options.pop("recipients", [parties.room_identity.to_public()])
        return assemble(tmp_path, signer, recipients, members if members is not None else reports_members(), **options).path

    return make


def test_the_baseline_bundles_are_read(bundle, hand, read) -> None:
    """Every case below changes one thing in one of these."""
    assert len(read(bundle.path).documents) == 1
    assert len(read(hand()).documents) == 1


# --- the outer signature file ----------------------------------------------------------


def _edit_line(number: int, edit: Callable[[str], str]) -> Callable[[str], str]:
    def apply(text: str) -> str:
        lines = text.split("\n")
        lines[number] = edit(lines[number])
        return "\n".join(lines)

    return apply


def _flip_b64(offset: int) -> Callable[[str], str]:
    def apply(line: str) -> str:
        raw = bytearray(base64.b64decode(line))
        raw[offset] ^= 0x01
        return base64.b64encode(bytes(raw)).decode()

    return apply


SIGNATURE_EDITS: dict[str, Callable[[str], str]] = {
    "empty": lambda t: "",
    "not-minisign": lambda t: "hello, world\n",
    "three-lines": lambda t: "\n".join(t.split("\n")[:3]),
    "extra-line": lambda t: t + "untrusted comment: appended\n",
    "not-base64": _edit_line(1, lambda line: line[:-4] + "!!!!"),
    "short-signature": _edit_line(1, lambda line: base64.b64encode(base64.b64decode(line)[:-1]).decode()),
    "unknown-algorithm": _edit_line(1, lambda line: base64.b64encode(b"XY" + base64.b64decode(line)[2:]).decode()),
    "legacy-algorithm-label": _edit_line(1, lambda line: base64.b64encode(b"Ed" + base64.b64decode(line)[2:]).decode()),
    "signature-bit": _edit_line(1, _flip_b64(40)),
    "signature-last-bit": _edit_line(1, _flip_b64(73)),
    "key-id-bit": _edit_line(1, _flip_b64(3)),
    "global-signature-bit": _edit_line(3, _flip_b64(10)),
    "comment-count": lambda t: t.replace("count=1", "count=2"),
    "comment-kind": lambda t: t.replace("kind=reports", "kind=outcomes"),
    "comment-to": lambda t: t.replace("to=triage-room", "to=kent"),
    "comment-created": lambda t: t.replace("created=2026", "created=2027"),
    "comment-trailing-space": _edit_line(2, lambda line: line + " "),
    "comment-removed": _edit_line(2, lambda line: "trusted comment: "),
    "comment-id": lambda t: t.replace(" id=", " id=0"),
}


@pytest.mark.parametrize("edit", SIGNATURE_EDITS.values(), ids=SIGNATURE_EDITS.keys())
def test_edited_outer_signature(bundle, parties: Parties, edit) -> None:
    sig = bundle.signature_path
    sig.write_text(edit(sig.read_text()))
    assert refused(bundle.path, parties).check == "outer signature"


def test_missing_outer_signature(bundle, parties: Parties) -> None:
    bundle.signature_path.unlink()
    error = refused(bundle.path, parties)
    assert error.check == "outer signature"
    assert "missing" in error.message


def test_signature_file_not_utf8(bundle, parties: Parties) -> None:
    bundle.signature_path.write_bytes(b"\xff\xfe" + bundle.signature_path.read_bytes())
    assert refused(bundle.path, parties).check == "outer signature"


def test_malformed_signature_names_the_file(bundle, parties: Parties) -> None:
    bundle.signature_path.write_text("garbage\n")
    assert refused(bundle.path, parties).member == bundle.signature_path.name


def test_untrusted_comment_is_not_covered(bundle, parties: Parties) -> None:
    """A positive control: the untrusted comment may say anything."""
    sig = bundle.signature_path
    sig.write_text(_edit_line(0, lambda line: "untrusted comment: [@click=app.quit] anything")(sig.read_text()))
    read_bundle(bundle.path, parties.keyring, [parties.room_identity])


def test_legacy_signature_made_by_the_trusted_key(bundle, parties: Parties) -> None:
    """A real non-prehashed 'Ed' signature, as ``minisign -S -l`` makes, by the right key."""
    data = bundle.path.read_bytes()
    comment = bundlekit.TrustedComment("reports", bundle.bundle_id, "2026-03-14T09:26:53Z", 1, "triage-room").render()
    signature = parties.intake.sign_raw(data)
    global_sig = parties.intake.sign_raw(signature + comment.encode())
    bundle.signature_path.write_text(
        "untrusted comment: legacy\n"
        f"{base64.b64encode(b'Ed' + parties.intake.key_id_raw + signature).decode()}\n"
        f"trusted comment: {comment}\n{base64.b64encode(global_sig).decode()}\n"
    )
    error = refused(bundle.path, parties)
    assert error.check == "outer signature"
    assert "legacy" in error.message


def test_signature_from_another_bundle(tmp_path: Path, parties: Parties) -> None:
    first = bundlekit.write_reports(tmp_path, parties, [make_report()])
    second = bundlekit.write_reports(tmp_path, parties, [make_report()])
    shutil.copyfile(second.signature_path, first.signature_path)
    assert refused(first.path, parties).check == "outer signature"


def test_signature_with_the_same_comment_over_another_payload(tmp_path: Path, parties: Parties) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    bundle = assemble(tmp_path / "a", parties.intake, [parties.room_identity.to_public()], reports_members())
    other = assemble(
        tmp_path / "b", parties.intake, [parties.room_identity.to_public()], reports_members(), bundle_id=bundle.bundle_id
    )
    shutil.copyfile(other.signature_path, bundle.signature_path)  # same comment, other payload
    assert refused(bundle.path, parties).check == "outer signature"


def test_trusted_comment_not_ours(tmp_path: Path, hand, parties: Parties) -> None:
    """Signed by a trusted key, but the comment is stock minisign's default."""
    path = hand(comment="timestamp:1710408413\tfile:reports.tar.age")
    assert refused(path, parties).check == "trusted comment"


@pytest.mark.parametrize(
    "comment",
    [
        "hotline-bundle/2 kind=reports id={id} created=2026-03-14T09:26:53Z count=1 to=triage-room",
        "hotline-bundle/1 kind=weather id={id} created=2026-03-14T09:26:53Z count=1 to=triage-room",
        "hotline-bundle/1 kind=reports id=not-a-uuid created=2026-03-14T09:26:53Z count=1 to=triage-room",
        "hotline-bundle/1 kind=reports id={id} created=2026-03-14T09:26:53Z count=-1 to=triage-room",
        "hotline-bundle/1 kind=reports id={id} created=2026-03-14T09:26:53Z count=1",
        "hotline-bundle/1 kind=reports kind=reports id={id} created=2026-03-14T09:26:53Z count=1 to=triage-room",
        "hotline-bundle/1 kind=reports id={id} created=2026-03-14T09:26:53Z count=1 to=../../etc",
        "hotline-bundle/1 kind=reports id={id} created=2026-03-14T09:26:53Z count=1  to=triage-room",
        "hotline-bundle/1 kind=reports id={id} created=yesterday count=1 to=triage-room",
        "hotline-bundle/1 kind=reports id={id} created=2026-03-14T09:26:53 count=1 to=triage-room",
    ],
    ids=["format", "kind", "id", "count", "no-to", "twice", "bad-to", "double-space", "created-not-a-time", "created-no-zone"],
)
def test_signed_but_malformed_trusted_comment(hand, parties: Parties, comment: str) -> None:
    """Signed by the trusted key, the manifest agreeing with it field for field."""
    bundle_id = str(uuid.uuid4())
    fields = dict(part.partition("=")[::2] for part in comment.split(" ")[1:] if "=" in part)
    members = reports_members()
    manifest = _manifest(parties, members, bundle_id=bundle_id, created=fields.get("created"), recipient=fields.get("to"))
    path = hand(members, bundle_id=bundle_id, manifest=manifest, comment=comment.format(id=bundle_id))
    assert refused(path, parties).check == "trusted comment"


# --- the payload ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, parties: Parties):
    """A reports bundle of more than 200 KiB (an attachment), four age chunks."""
    report = make_report(attachments=[{"name": "scan", "media_type": "application/octet-stream", "path": "scan.bin"}])
    members = {f"attachments/{report['report_id']}/scan.bin": ATTACHMENT}
    written = bundlekit.write_reports(tmp_path_factory.mktemp("big"), parties, [report], members)
    assert written.size > 200 * 1024
    data = written.path.read_bytes()
    header = data.index(b"\n---") + 1
    header = data.index(b"\n", header) + 1
    return written, data, header + 16  # the chunks start after the header and the 16-byte nonce


def _copy_of_big(big, tmp_path: Path, data: bytes) -> Path:
    written, _, _ = big
    path = tmp_path / written.path.name
    path.write_bytes(data)
    shutil.copyfile(written.signature_path, signature_path(path))
    return path


@pytest.mark.parametrize("where", ["first", "age-header", "header-mac", "nonce", "middle", "chunk-tag", "last"])
@pytest.mark.parametrize("resign", [False, True], ids=["as-is", "re-signed"])
def test_byte_flipped(big, tmp_path: Path, parties: Parties, where: str, resign: bool) -> None:
    """Without a new signature the outer signature fails; re-signed by the (compromised or
    careless) sender, age's authentication fails instead."""
    _, data, chunks = big
    offset = {
        "first": 0,
        "age-header": 30,
        "header-mac": chunks - 20,
        "nonce": chunks - 5,
        "middle": len(data) // 2,
        "chunk-tag": chunks + AGE_CHUNK - 3,
        "last": len(data) - 1,
    }[where]
    flipped = bytearray(data)
    flipped[offset] ^= 0x40
    path = _copy_of_big(big, tmp_path, bytes(flipped))
    if resign:
        sign_payload(path, parties.intake, big[0].signature_path.read_text().split("\n")[2][len("trusted comment: ") :])
    assert refused(path, parties).check == ("decrypt" if resign else "outer signature")


CUTS = {
    "in-header": lambda chunks, size: chunks - 40,
    "after-nonce": lambda chunks, size: chunks,
    "first-boundary": lambda chunks, size: chunks + AGE_CHUNK,
    "first-boundary-minus-1": lambda chunks, size: chunks + AGE_CHUNK - 1,
    "first-boundary-plus-1": lambda chunks, size: chunks + AGE_CHUNK + 1,
    "second-boundary": lambda chunks, size: chunks + 2 * AGE_CHUNK,
    "second-boundary-minus-16": lambda chunks, size: chunks + 2 * AGE_CHUNK - 16,
    "third-boundary": lambda chunks, size: chunks + 3 * AGE_CHUNK,
    "third-boundary-plus-17": lambda chunks, size: chunks + 3 * AGE_CHUNK + 17,
    "mid-chunk": lambda chunks, size: chunks + AGE_CHUNK + AGE_CHUNK // 2,
    "last-byte": lambda chunks, size: size - 1,
    "empty": lambda chunks, size: 0,
}


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
@pytest.mark.parametrize("resign", [False, True], ids=["as-is", "re-signed"])
def test_truncated(big, tmp_path: Path, parties: Parties, cut, resign: bool) -> None:
    _, data, chunks = big
    path = _copy_of_big(big, tmp_path, data[: cut(chunks, len(data))])
    if resign:
        comment = big[0].signature_path.read_text().split("\n")[2][len("trusted comment: ") :]
        sign_payload(path, parties.intake, comment)
    assert refused(path, parties).check == ("decrypt" if resign else "outer signature")


@pytest.mark.parametrize(
    "garbage", [b"\n", b"\x00" * 16, b"x" * AGE_CHUNK, b"age-encryption.org/v1\n"], ids=["lf", "zeros", "chunk", "header"]
)
@pytest.mark.parametrize("resign", [False, True], ids=["as-is", "re-signed"])
def test_trailing_garbage(big, tmp_path: Path, parties: Parties, garbage: bytes, resign: bool) -> None:
    _, data, _ = big
    path = _copy_of_big(big, tmp_path, data + garbage)
    if resign:
        sign_payload(path, parties.intake, big[0].signature_path.read_text().split("\n")[2][len("trusted comment: ") :])
    assert refused(path, parties).check == ("decrypt" if resign else "outer signature")


def test_the_big_bundle_itself_reads(big, parties: Parties) -> None:
    written, _, _ = big
    result = read_bundle(written.path, parties.keyring, [parties.room_identity])
    assert result.attachment(result.documents[0]["report_id"], "scan.bin") == ATTACHMENT


def test_encrypted_to_someone_else(hand, parties: Parties) -> None:
    path = hand(recipients=[parties.force_identity.to_public()])
    assert refused(path, parties).check == "decrypt"


def test_no_identity(bundle, parties: Parties) -> None:
    assert refused(bundle.path, parties, identities=[]).check == "decrypt"


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not age at all",
        bundlekit.tar_of([regular("manifest.json", b"{}")]),
        pyrage.passphrase.encrypt(b"tar", "pw"),
    ],
    ids=["empty", "text", "plain-tar", "passphrase"],
)
def test_not_age_to_us(tmp_path: Path, parties: Parties, payload: bytes) -> None:
    path = tmp_path / "odd.tar.age"
    path.write_bytes(payload)
    sign_payload(
        path,
        parties.intake,
        f"hotline-bundle/1 kind=reports id={uuid.uuid4()} created=2026-03-14T09:26:53Z count=1 to=triage-room",
    )
    assert refused(path, parties).check == "decrypt"


def test_over_the_bundle_size_limit(bundle, parties: Parties) -> None:
    assert refused(bundle.path, parties, limits=Limits(max_bundle_bytes=100)).check == "size"


def test_bundle_file_missing(tmp_path: Path, parties: Parties) -> None:
    with pytest.raises(BundleRefused) as info:
        read_bundle(tmp_path / "nothing.tar.age", parties.keyring, [parties.room_identity])
    assert info.value.check == "read"


# --- keys -----------------------------------------------------------------------------


def test_unknown_signer(bundle, parties: Parties) -> None:
    keyring = Keyring([TrustedKey(parties.force.public_key, "kent", frozenset({"outcomes"}))])
    error = refused(bundle.path, parties, keyring=keyring)
    assert error.check == "outer signature"
    assert parties.intake.key_id in error.message


def test_signer_not_trusted_for_this_kind(bundle, parties: Parties) -> None:
    keyring = Keyring([TrustedKey(parties.intake.public_key, "intake", frozenset({"outcomes"}))])
    assert refused(bundle.path, parties, keyring=keyring).check == "trusted comment"


def test_outcomes_signed_by_intake_are_refused(tmp_path: Path, parties: Parties) -> None:
    members = {"outcomes.jsonl": strictjson.dumps(bundlekit.make_outcome()) + b"\n"}
    path = assemble(tmp_path, parties.intake, [parties.room_identity.to_public()], members, kind="outcomes").path
    assert refused(path, parties).check == "trusted comment"


def _revoked(parties: Parties, when) -> Keyring:
    keyring = parties.keyring
    key = keyring.get(parties.intake.key_id)
    keyring.keys[key.key_id] = replace(key, revoked_at=when, revoked_reason="laptop lost")
    return keyring


@pytest.mark.parametrize("delta", [timedelta(0), timedelta(days=-1), timedelta(days=1)],
                         ids=["at-creation", "before-creation", "after-creation"])
def test_a_revoked_key_is_refused_whatever_time_the_bundle_claims(bundle, parties: Parties, delta: timedelta) -> None:
    """The created time is the signer's word: a bundle claiming to predate the revocation
    is refused like any other (which ones the room accepted earlier is the room's record)."""
    keyring = _revoked(parties, CREATED + delta)
    error = refused(bundle.path, parties, keyring=keyring)
    assert error.check == "signer revoked"
    assert f"key {parties.intake.key_id}" in error.message and "whatever time the bundle claims" in error.message
    assert [(c.name, c.passed) for c in error.checks] == [("outer signature", True), ("signer revoked", False)]
    with pytest.raises(BundleRefused, match="revoked"):
        verify_outer(bundle.path, keyring)


def test_colliding_key_ids_cannot_both_be_trusted(parties: Parties) -> None:
    impostor = SecretKey(parties.intake.key_id_raw, SecretKey.generate().secret)
    keyring = parties.keyring
    with pytest.raises(KeyCollision):
        keyring.add(TrustedKey(impostor.public_key, "impostor", frozenset({"reports"})))
    assert keyring.get(parties.intake.key_id).public_key == parties.intake.public_key
    keyring.add(TrustedKey(parties.intake.public_key, "intake again", frozenset({"reports"})))  # the same key is no collision


def test_signature_with_a_trusted_key_id_by_another_key(hand, parties: Parties) -> None:
    impostor = SecretKey(parties.intake.key_id_raw, SecretKey.generate().secret)
    error = refused(hand(signer=impostor), parties)
    assert error.check == "outer signature"


def test_manifest_signed_by_another_key_with_the_same_key_id(hand, parties: Parties) -> None:
    impostor = SecretKey(parties.intake.key_id_raw, SecretKey.generate().secret)
    error = refused(hand(manifest_signer=impostor), parties)
    assert (error.check, error.member) == ("manifest", "manifest.json.minisig")


def test_manifest_signed_by_another_trusted_key(hand, parties: Parties) -> None:
    error = refused(hand(manifest_signer=parties.force), parties)
    assert (error.check, error.member) == ("manifest", "manifest.json.minisig")


# --- what the reader was asked for ----------------------------------------------------


def test_replay_is_skipped(bundle, parties: Parties) -> None:
    error = refused(bundle.path, parties, already_imported=lambda bundle_id: bundle_id == bundle.bundle_id)
    assert isinstance(error, AlreadyImported)
    assert error.check == "replay"


def test_wrong_kind_asked(bundle, parties: Parties) -> None:
    assert refused(bundle.path, parties, kind="outcomes").check == "trusted comment"


def test_wrong_recipient_asked(bundle, parties: Parties) -> None:
    assert refused(bundle.path, parties, recipient="kent").check == "trusted comment"


# --- the manifest against the trusted comment ------------------------------------------


def _manifest(parties: Parties, members: dict[str, bytes], **changes: Any) -> dict[str, Any]:
    manifest = bundlekit.manifest_for(
        members,
        kind="reports",
        bundle_id="00000000-0000-4000-8000-000000000000",
        created="2026-03-14T09:26:53Z",
        sender_key_id=parties.intake.key_id,
        recipient="triage-room",
    )
    manifest.update(changes)
    return {name: value for name, value in manifest.items() if value is not ...}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bundle_id", "6f1c9a52-3d7e-4b8a-9c21-5e0f4a7b8d93"),
        ("recipient", "kent"),
        ("kind", "outcomes"),
        ("created", "2026-03-14T09:26:54Z"),
        ("sender_key_id", "0123456789ABCDEF"),
        ("format", "hotline-bundle/2"),
        ("bundle_id", ...),
        ("recipient", ...),
        ("bundle_id", 7),
    ],
)
def test_manifest_disagrees_with_the_trusted_comment(hand, parties: Parties, field: str, value: Any) -> None:
    members = reports_members()
    manifest = _manifest(parties, members, bundle_id="00000000-0000-4000-8000-000000000000")
    manifest = {**manifest, field: value} if value is not ... else {k: v for k, v in manifest.items() if k != field}
    path = hand(members, bundle_id="00000000-0000-4000-8000-000000000000", manifest=manifest)
    error = refused(path, parties)
    assert (error.check, error.member, error.field) == ("manifest", "manifest.json", field)


def test_count_disagrees_with_the_documents(hand, parties: Parties) -> None:
    error = refused(hand(count=2), parties)
    assert error.check == "documents"
    assert "count=2" in error.message


# --- the tar --------------------------------------------------------------------------


def _with(*extra: bundlekit.Entry, members: dict[str, bytes] | None = None) -> list[bundlekit.Entry]:
    members = members if members is not None else reports_members()
    return [regular(name, data) for name, data in members.items()] + list(extra)


def _long_name(name: str) -> bundlekit.Entry:
    return regular(name, b"x")


TAR_CASES: dict[str, tuple[list[bundlekit.Entry], str]] = {
    "dot-dot": (_with(regular("../evil.sh", b"x")), "../evil.sh"),
    "dot-dot-inside": (_with(regular("attachments/../../evil", b"x")), "attachments/../../evil"),
    "absolute": (_with(regular("/etc/cron.d/evil", b"x")), "/etc/cron.d/evil"),
    "symlink": (_with(special("attachments/x/passwd", tarfile.SYMTYPE, "/etc/passwd")), "attachments/x/passwd"),
    "hard-link": (_with(special("attachments/x/link", tarfile.LNKTYPE, "reports.jsonl")), "attachments/x/link"),
    "char-device": (_with(special("attachments/x/dev", tarfile.CHRTYPE)), "attachments/x/dev"),
    "block-device": (_with(special("attachments/x/blk", tarfile.BLKTYPE)), "attachments/x/blk"),
    "fifo": (_with(special("attachments/x/fifo", tarfile.FIFOTYPE)), "attachments/x/fifo"),
    "directory": (_with(special("attachments", tarfile.DIRTYPE)), "attachments"),
    "duplicate": (_with(regular("reports.jsonl", b"{}\n")), "reports.jsonl"),
    "duplicate-manifest": (_with(regular("manifest.json", b"{}\n")), "manifest.json"),
    "space-in-name": (_with(regular("attachments/x/a b", b"x")), "attachments/x/a b"),
    "non-ascii-name": (_with(regular("attachments/x/é", b"x")), "attachments/x/é"),
    "empty-part": (_with(regular("attachments//x", b"x")), "attachments//x"),
    "dot-slash": (_with(regular("./reports.jsonl", b"x")), "./reports.jsonl"),
    "dot-part": (_with(regular("attachments/./x", b"x")), "attachments/./x"),
    "control-in-name": (_with(regular("attachments/x/\x1b[2J", b"x")), "attachments/x/\x1b[2J"),
    "long-name": (_with(_long_name("a/" + "b" * 199)), "a/" + "b" * 198),
}


@pytest.mark.parametrize(("entries", "member"), TAR_CASES.values(), ids=TAR_CASES.keys())
def test_hostile_tar_members(hand, parties: Parties, entries, member: str) -> None:
    """The manifest lists the honest members; the tar adds something it must not hold."""
    error = refused(hand(entries=entries), parties)
    assert error.check == "tar"
    assert error.member == member[:200]


def test_tar_written_in_gnu_and_ustar_formats_is_read(tmp_path: Path, parties: Parties) -> None:
    for fmt in (tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT):
        members = reports_members()
        bundle_id = str(uuid.uuid4())
        manifest = _manifest(parties, members, bundle_id=bundle_id)
        manifest_bytes = strictjson.dumps(manifest) + b"\n"
        comment = bundlekit.TrustedComment("reports", bundle_id, "2026-03-14T09:26:53Z", 1, "triage-room").render()
        tar = bundlekit.tar_of(
            [
                regular("manifest.json", manifest_bytes),
                regular("manifest.json.minisig", parties.intake.sign(manifest_bytes, comment).encode()),
                *[regular(n, d) for n, d in members.items()],
            ],
            format=fmt,
        )
        path = assemble(tmp_path, parties.intake, [parties.room_identity.to_public()], members, bundle_id=bundle_id, tar=tar).path
        read_bundle(path, parties.keyring, [parties.room_identity])


def test_tar_member_cut_short(tmp_path: Path, parties: Parties) -> None:
    members = reports_members()
    bundle_id = str(uuid.uuid4())
    manifest_bytes = strictjson.dumps(_manifest(parties, members, bundle_id=bundle_id)) + b"\n"
    comment = bundlekit.TrustedComment("reports", bundle_id, "2026-03-14T09:26:53Z", 1, "triage-room").render()
    whole = bundlekit.tar_of(
        [
            regular("manifest.json", manifest_bytes),
            regular("manifest.json.minisig", parties.intake.sign(manifest_bytes, comment).encode()),
            regular("reports.jsonl", members["reports.jsonl"] + b" " * 2000),
        ]
    )
    cut = whole.index(members["reports.jsonl"]) + 100  # inside the last member's data
    path = assemble(
        tmp_path, parties.intake, [parties.room_identity.to_public()], members, bundle_id=bundle_id, tar=whole[:cut]
    ).path
    assert refused(path, parties).check == "tar"


@pytest.mark.parametrize(
    "tar",
    [b"", b"\x00" * 1024, b"not a tar" * 100, bundlekit.tar_of([])],
    ids=["empty", "zeros", "text", "no-members"],
)
def test_not_a_tar(tmp_path: Path, parties: Parties, tar: bytes) -> None:
    path = assemble(tmp_path, parties.intake, [parties.room_identity.to_public()], reports_members(), tar=tar).path
    assert refused(path, parties).check == "tar"


def test_huge_pax_header(hand, parties: Parties) -> None:
    info, data = regular("reports2.jsonl", b"x")
    info.pax_headers = {"comment": "x" * 100_000}
    error = refused(hand(entries=_with((info, data))), parties)
    assert (error.check, error.member) == ("tar", "reports2.jsonl")


# --- the manifest against the tar -----------------------------------------------------


def test_unlisted_member(hand, parties: Parties) -> None:
    error = refused(hand(entries=_with(regular("notes.txt", b"hello"))), parties)
    assert (error.check, error.member) == ("manifest", "notes.txt")


def test_listed_member_missing(hand, parties: Parties) -> None:
    members = {**reports_members(), "attachments/x/photo.jpg": b"jpeg"}
    error = refused(hand(members, entries=_with(members=reports_members())), parties)
    assert (error.check, error.member) == ("manifest", "attachments/x/photo.jpg")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"size": 1, "sha256": None}, "size"),
        ({"size": None, "sha256": "00"}, "size"),
        ({"size": "12", "sha256": "00"}, "size"),
        ("12 bytes", "size"),
        ({"sha256": "00"}, "size"),
    ],
)
def test_manifest_entry_malformed(hand, parties: Parties, entry: Any, message: str) -> None:
    members = reports_members()
    manifest = _manifest(parties, members, bundle_id="00000000-0000-4000-8000-000000000001")
    manifest["files"]["reports.jsonl"] = entry
    error = refused(hand(members, bundle_id="00000000-0000-4000-8000-000000000001", manifest=manifest), parties)
    assert (error.check, error.member, error.field) == ("manifest", "reports.jsonl", "files")


@pytest.mark.parametrize("files", [None, [], "reports.jsonl", ...], ids=["null", "list", "text", "absent"])
def test_manifest_files_not_an_object(hand, parties: Parties, files: Any) -> None:
    members = reports_members()
    bundle_id = "00000000-0000-4000-8000-000000000002"
    manifest = _manifest(parties, members, bundle_id=bundle_id, files=files)
    error = refused(hand(members, bundle_id=bundle_id, manifest=manifest), parties)
    assert (error.check, error.field) == ("manifest", "files")


@pytest.mark.parametrize("change", ["size+1", "size-1", "digest", "digest-case-other"])
def test_size_or_digest_mismatch(hand, parties: Parties, change: str) -> None:
    members = reports_members()
    bundle_id = "00000000-0000-4000-8000-000000000003"
    manifest = _manifest(parties, members, bundle_id=bundle_id)
    entry = manifest["files"]["reports.jsonl"]
    if change == "size+1":
        entry["size"] += 1
    elif change == "size-1":
        entry["size"] -= 1
    elif change == "digest":
        entry["sha256"] = hashlib.sha256(b"other").hexdigest()
    else:
        entry["sha256"] = entry["sha256"][:-1] + ("0" if entry["sha256"][-1] != "0" else "1")
    error = refused(hand(members, bundle_id=bundle_id, manifest=manifest), parties)
    assert (error.check, error.member) == ("manifest", "reports.jsonl")


def test_member_altered_after_the_manifest(hand, parties: Parties) -> None:
    members = reports_members()
    altered = {"reports.jsonl": members["reports.jsonl"].replace(b"PNC", b"DVLA")}
    error = refused(hand(members, entries=_with(members=altered)), parties)
    assert (error.check, error.member) == ("manifest", "reports.jsonl")


@pytest.mark.parametrize("missing", ["manifest.json", "manifest.json.minisig"])
def test_manifest_or_its_signature_missing(tmp_path: Path, parties: Parties, missing: str) -> None:
    members = reports_members()
    bundle_id = str(uuid.uuid4())
    manifest_bytes = strictjson.dumps(_manifest(parties, members, bundle_id=bundle_id)) + b"\n"
    comment = bundlekit.TrustedComment("reports", bundle_id, "2026-03-14T09:26:53Z", 1, "triage-room").render()
    entries = {
        "manifest.json": manifest_bytes,
        "manifest.json.minisig": parties.intake.sign(manifest_bytes, comment).encode(),
        **members,
    }
    del entries[missing]
    tar = bundlekit.tar_of([regular(n, d) for n, d in entries.items()])
    path = assemble(tmp_path, parties.intake, [parties.room_identity.to_public()], members, bundle_id=bundle_id, tar=tar).path
    error = refused(path, parties)
    assert (error.check, error.member) == ("manifest", missing)


def test_manifest_signature_garbled(tmp_path: Path, parties: Parties) -> None:
    members = reports_members()
    bundle_id = str(uuid.uuid4())
    manifest_bytes = strictjson.dumps(_manifest(parties, members, bundle_id=bundle_id)) + b"\n"
    tar = bundlekit.tar_of(
        [
            regular("manifest.json", manifest_bytes),
            regular("manifest.json.minisig", b"\xff\xfe garbage"),
            regular("reports.jsonl", members["reports.jsonl"]),
        ]
    )
    path = assemble(tmp_path, parties.intake, [parties.room_identity.to_public()], members, bundle_id=bundle_id, tar=tar).path
    error = refused(path, parties)
    assert (error.check, error.member) == ("manifest", "manifest.json.minisig")


def test_manifest_signed_with_another_trusted_comment_is_accepted(hand, parties: Parties) -> None:
    """FORMATS asks the manifest signature for the same key only: a stock-tool sender may
    sign manifest.json with minisign's default comment. Its content is what is checked."""
    members = reports_members()
    bundle_id = str(uuid.uuid4())
    manifest_bytes = strictjson.dumps(_manifest(parties, members, bundle_id=bundle_id)) + b"\n"
    tar = bundlekit.tar_of(
        [
            regular("manifest.json", manifest_bytes),
            regular(
                "manifest.json.minisig", parties.intake.sign(manifest_bytes, "timestamp:1710408413\tfile:manifest.json").encode()
            ),
            regular("reports.jsonl", members["reports.jsonl"]),
        ]
    )
    read_bundle(hand(members, bundle_id=bundle_id, tar=tar), parties.keyring, [parties.room_identity])


# --- limits ---------------------------------------------------------------------------


def _with_attachment(size: int) -> dict[str, bytes]:
    report = make_report(attachments=[{"name": "a", "media_type": "x", "path": "a.bin"}])
    return {**reports_members([report]), f"attachments/{report['report_id']}/a.bin": b"a" * size}


@pytest.mark.parametrize(
    ("limits", "members", "member"),
    [
        (Limits(max_member_bytes=1000), _with_attachment(1001), "attachments/"),
        (Limits(max_total_bytes=3000), _with_attachment(2500), None),
        (Limits(max_members=3), _with_attachment(10), None),
        (Limits(max_path_bytes=20), reports_members(), None),
    ],
    ids=["member-size", "total-size", "member-count", "path-length"],
)
def test_over_a_tar_limit(hand, parties: Parties, limits: Limits, members: dict[str, bytes], member: str | None) -> None:
    error = refused(hand(members), parties, limits=limits)
    assert error.check == "tar"
    if member:
        assert error.member.startswith(member)


def test_at_the_limits_is_accepted(hand, parties: Parties) -> None:
    members = _with_attachment(1000)
    limits = Limits(max_member_bytes=1000 + 2000, max_members=4, max_documents=1)
    read_bundle(hand(members), parties.keyring, [parties.room_identity], limits=limits)


def test_too_many_documents(hand, parties: Parties) -> None:
    error = refused(hand(reports_members([make_report(), make_report()]), count=2), parties, limits=Limits(max_documents=1))
    assert (error.check, error.member) == ("documents", "reports.jsonl")


@pytest.mark.parametrize(
    ("json_limits", "report"),
    [
        (JsonLimits(max_depth=3), make_report(x_nested={"a": {"b": {"c": 1}}})),
        (JsonLimits(max_string=80), make_report(narrative="n" * 81)),
        (JsonLimits(max_number_digits=3), make_report(x_number=12345)),
    ],
    ids=["depth", "string", "number"],
)
def test_over_a_json_limit(hand, parties: Parties, json_limits: JsonLimits, report: dict[str, Any]) -> None:
    # the manifest is small and shallow, so only the report line trips the limit
    error = refused(hand(reports_members([report])), parties, limits=Limits(json=json_limits))
    assert (error.check, error.member, error.line) == ("documents", "reports.jsonl", 1)


# --- the documents --------------------------------------------------------------------

GOOD_LINE = strictjson.dumps(make_report()) + b"\n"
BAD_LINES: dict[str, bytes] = {
    "duplicate-key": b'{"report_id": "a", "report_id": "b"}',
    "nan": GOOD_LINE.replace(b'"reference": "PAC-2026-004211"', b'"reference": NaN').rstrip(b"\n"),
    "infinity": b'{"x": Infinity}',
    "deep": b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "very-deep": b"[" * 200_000 + b"]" * 200_000,
    "huge-int": b'{"x": 1' + b"0" * 5000 + b"}",
    "huge-float": b'{"x": 1e400}',
    "invalid-utf8": GOOD_LINE.replace(b"garage", b"gar\xc3ge").rstrip(b"\n"),
    "overlong-utf8": b'{"x": "\xc0\xaf"}',
    "lone-surrogate": b'{"x": "\\udc00"}',
    "not-json": b"report_id=1",
    "empty-line": b"",
    "truncated": GOOD_LINE[:40],
    "array": b"[]",
    "string": b'"report"',
    "nul-byte": b'{"x": "\x00"}',
}


@pytest.mark.parametrize("line", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_json_line(hand, parties: Parties, line: bytes) -> None:
    error = refused(hand({"reports.jsonl": GOOD_LINE + line + b"\n"}, count=2), parties)
    assert (error.check, error.member, error.line) == ("documents", "reports.jsonl", 2)


WRONG_FIELDS: dict[str, tuple[dict[str, Any], str]] = {
    "missing-narrative": (make_report(narrative=...), "narrative"),
    "missing-report-id": (make_report(report_id=...), "report_id"),
    "missing-attachments": (make_report(attachments=...), "attachments"),
    "channel-number": (make_report(channel=5), "channel"),
    "channel-unknown": (make_report(channel="carrier pigeon"), "channel"),
    "subjects-object": (make_report(subjects={"role": "officer"}), "subjects"),
    "subject-role": (make_report(subjects=[{"role": "officer"}, {"role": "boss"}]), "subjects[1].role"),
    "behaviours-text": (make_report(behaviours="corruption"), "behaviours"),
    "reporter-text": (make_report(reporter="anonymous"), "reporter"),
    "received-at-naive": (make_report(received_at="2026-03-14 09:12"), "received_at"),
    "narrative-too-long": (make_report(narrative="x" * 100_001), "narrative"),
    "attachment-escape": (
        make_report(attachments=[{"name": "a", "media_type": "x", "path": "../../manifest.json"}]),
        "attachments[0].path",
    ),
}


@pytest.mark.parametrize(("report", "field"), WRONG_FIELDS.values(), ids=WRONG_FIELDS.keys())
def test_invalid_report(hand, parties: Parties, report: dict[str, Any], field: str) -> None:
    error = refused(hand({"reports.jsonl": GOOD_LINE + strictjson.dumps(report) + b"\n"}, count=2), parties)
    assert (error.check, error.member, error.line, error.field) == ("documents", "reports.jsonl", 2, field)


def test_same_report_twice(hand, parties: Parties) -> None:
    error = refused(hand({"reports.jsonl": GOOD_LINE * 2}, count=2), parties)
    assert (error.check, error.line, error.field) == ("documents", 2, "report_id")


def test_unknown_fields_are_kept(hand, parties: Parties) -> None:
    report = make_report(x_future={"list": [1, 2]}, narrative="[@click=app.quit]\x1b[2J")
    result: Bundle = read_bundle(hand(reports_members([report])), parties.keyring, [parties.room_identity])
    assert result.documents == [report]


def test_attachment_not_in_the_bundle(hand, parties: Parties) -> None:
    report = make_report(attachments=[{"name": "a", "media_type": "x", "path": "a.bin"}])
    error = refused(hand(reports_members([report])), parties)
    assert (error.check, error.member, error.line, error.field) == ("documents", "reports.jsonl", 1, "attachments[0].path")


def test_attachment_of_no_report(hand, parties: Parties) -> None:
    members = {**reports_members(), f"attachments/{uuid.uuid4()}/stray.bin": b"x"}
    error = refused(hand(members), parties)
    assert error.check == "documents"
    assert error.member.endswith("/stray.bin")


@pytest.mark.parametrize("name", ["outcomes.jsonl", "referrals/x.json", "keys/x.pub", "README"])
def test_member_of_another_kind(hand, parties: Parties, name: str) -> None:
    error = refused(hand({**reports_members(), name: b"{}\n"}), parties)
    assert (error.check, error.member) == ("documents", name)


def test_reports_jsonl_missing(hand, parties: Parties) -> None:
    report = make_report(attachments=[{"name": "a", "media_type": "x", "path": "a.bin"}])
    error = refused(hand({f"attachments/{report['report_id']}/a.bin": b"x"}), parties)
    assert (error.check, error.member) == ("documents", "reports.jsonl")


@pytest.mark.parametrize(
    "manifest_bytes",
    [
        b'{"format": "hotline-bundle/1", "format": "hotline-bundle/1"}',
        b'{"format": NaN}',
        b"[]",
        b"\xff\xfe{}",
        b"[" * 10_000 + b"]" * 10_000,
        b'{"files": {"a": {"size": 1' + b"0" * 100 + b"}}}",
    ],
    ids=["duplicate-key", "nan", "array", "not-utf8", "deep", "huge-number"],
)
def test_bad_manifest_json(hand, parties: Parties, manifest_bytes: bytes) -> None:
    error = refused(hand(manifest_bytes=manifest_bytes), parties)
    assert (error.check, error.member) == ("manifest", "manifest.json")


def test_outcomes_bundle_with_a_bad_outcome(tmp_path: Path, parties: Parties) -> None:
    outcomes = [bundlekit.make_outcome(), bundlekit.make_outcome(status="lost in the post")]
    members = {"outcomes.jsonl": b"".join(strictjson.dumps(o) + b"\n" for o in outcomes)}
    path = assemble(tmp_path, parties.force, [parties.room_identity.to_public()], members, kind="outcomes", count=2).path
    error = refused(path, parties)
    assert (error.check, error.member, error.line, error.field) == ("documents", "outcomes.jsonl", 2, "status")


# --- verify_outer on its own (the security officer's check, streamed) ---------------


def test_verify_outer_alone(bundle, parties: Parties) -> None:
    verdict = verify_outer(bundle.path, parties.keyring)
    assert (verdict.comment.bundle_id, verdict.size, verdict.signer.name) == (bundle.bundle_id, bundle.size, "intake")


@pytest.mark.parametrize("fault", ["flipped", "appended", "too-big", "missing"])
def test_verify_outer_alone_refuses(bundle, parties: Parties, fault: str) -> None:
    data = bundle.path.read_bytes()
    limits = Limits()
    if fault == "flipped":
        bundle.path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif fault == "appended":
        bundle.path.write_bytes(data + b"\n")
    elif fault == "too-big":
        limits = Limits(max_bundle_bytes=len(data) - 1)
    else:
        bundle.path.unlink()
    with pytest.raises(BundleRefused) as info:
        verify_outer(bundle.path, parties.keyring, limits=limits)
    assert (
        info.value.check
        == {"flipped": "outer signature", "appended": "outer signature", "too-big": "size", "missing": "read"}[fault]
    )
