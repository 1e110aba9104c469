"""Steps 2 to 5 of reading a bundle, after its outer signature: decrypting the tar,
the signed manifest and each member's digest, the documents of its kind, and for
referrals each supervisor's approval against the keys the room certified."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import pyrage

from . import strictjson
from .bundle import FORMAT, KINDS, ROOM_LABEL, Limits
from .documents import attachment_member, validate_outcome, validate_referral, validate_report
from .errors import BundleRefused, DocumentInvalid
from .minisign import PublicKey, Signature, SignatureError
from .strictjson import JsonRefused
from .verdicts import Bundle, OuterVerdict, ReferralApproval
from .wording import a_or_an


def decrypt_tar(
    payload: bytes, identities: Sequence[pyrage.x25519.Identity], limits: Limits, addressed_to: str = ""
) -> dict[str, bytes]:
    """``addressed_to``: the recipient the signed comment names, said when decryption
    fails, so whoever holds the wrong key learns whose bundle it is."""
    from .tarball import read_tar

    if not identities:
        raise BundleRefused("decrypt", "no age identity given to decrypt with")
    try:
        plain = pyrage.decrypt(payload, list(identities))
    except (pyrage.DecryptError, OSError, ValueError, TypeError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else exc.__class__.__name__
        whose = f"the bundle is addressed to {addressed_to} (its signed comment says) and " if addressed_to else ""
        raise BundleRefused(
            "decrypt",
            f"cannot decrypt: {whose}was not encrypted to this identity, or the file is damaged or cut short ({detail})",
        ) from exc
    return read_tar(plain, limits)


def check_manifest(members: dict[str, bytes], outer: OuterVerdict, limits: Limits) -> dict[str, Any]:
    check = "manifest"
    for name in ("manifest.json", "manifest.json.minisig"):
        if name not in members:
            raise BundleRefused(check, "is missing from the bundle", member=name)
    try:
        signature = Signature.from_bytes(members["manifest.json.minisig"])
        if signature.key_id != outer.signer.key_id:
            raise SignatureError(f"signed by {signature.key_id}, not by the outer signer {outer.signer.key_id}")
        signature.verify(outer.signer.public_key, members["manifest.json"])
    except (SignatureError, UnicodeDecodeError) as exc:
        raise BundleRefused(check, f"manifest signature: {exc}", member="manifest.json.minisig") from exc
    try:
        manifest = strictjson.loads(members["manifest.json"], limits.json)
    except JsonRefused as exc:
        raise BundleRefused(check, str(exc), member="manifest.json") from exc
    if not isinstance(manifest, dict):
        raise BundleRefused(check, "is not a JSON object", member="manifest.json")
    comment = outer.comment
    expected = {
        "format": FORMAT,
        "kind": comment.kind,
        "bundle_id": comment.bundle_id,
        "created": comment.created,
        "sender_key_id": outer.signer.key_id,
        "recipient": comment.to,
    }
    for name, value in expected.items():
        if manifest.get(name) != value:
            raise BundleRefused(
                check, f"{name} is {str(manifest.get(name))[:60]!r}, the signed comment says {value!r}",
                member="manifest.json", field=name,
            )
    _check_files(manifest, members)
    return manifest


def _check_files(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BundleRefused("manifest", "files is not an object", member="manifest.json", field="files")
    present = set(members) - {"manifest.json", "manifest.json.minisig"}
    for name in sorted(present - set(files)):
        raise BundleRefused("manifest", "is in the tar but not listed in the manifest", member=name)
    for name in sorted(set(files) - present):
        raise BundleRefused("manifest", "is listed in the manifest but missing from the tar", member=name)
    for name in sorted(files):
        entry = files[name]
        if not isinstance(entry, dict) or not isinstance(entry.get("size"), int) or not isinstance(entry.get("sha256"), str):
            raise BundleRefused("manifest", "entry needs size and sha256", member=name, field="files")
        if entry["size"] != len(members[name]):
            raise BundleRefused("manifest", f"size is {len(members[name])}, manifest says {entry['size']}", member=name)
        if hashlib.sha256(members[name]).hexdigest() != entry["sha256"].lower():
            raise BundleRefused("manifest", "SHA-256 differs from the manifest (altered)", member=name)


def _json_lines(members: dict[str, bytes], name: str, limits: Limits) -> tuple[list[Any], list[bytes]]:
    """Each line's document, and the lines themselves."""
    if name not in members:
        raise BundleRefused("documents", "is missing", member=name)
    raw = members[name]
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) > limits.max_documents:
        raise BundleRefused("documents", f"more than {limits.max_documents:,} lines", member=name)
    documents = []
    for number, line in enumerate(lines, 1):
        try:
            documents.append(strictjson.loads(line, limits.json))
        except JsonRefused as exc:
            raise BundleRefused("documents", str(exc), member=name, line=number) from exc
    return documents, lines


def _validate_all(documents: list[Any], member: str, validate: Callable[[Any], Any]) -> None:
    for number, document in enumerate(documents, 1):
        try:
            validate(document)
        except DocumentInvalid as exc:
            raise BundleRefused("documents", exc.message, member=member, line=number, field=exc.field) from exc


def _expect_members(bundle: Bundle, allowed: Callable[[str], bool]) -> None:
    for name in bundle.manifest["files"]:
        if not allowed(name):
            raise BundleRefused("documents", f"is not a member of {a_or_an(bundle.kind)} bundle", member=name)


def _check_attachments(bundle: Bundle, owner_field: str, member: str) -> None:
    referenced: set[str] = set()
    for number, document in enumerate(bundle.documents, 1):
        for index, item in enumerate(document.get("attachments", [])):
            path = attachment_member(document[owner_field], item["path"])
            if path not in bundle.members:
                raise BundleRefused(
                    "documents", f"attachment {path} is not in the bundle",
                    member=member, line=number, field=f"attachments[{index}].path",
                )
            referenced.add(path)
    for name in bundle.members:
        if name.startswith("attachments/") and name not in referenced:
            raise BundleRefused("documents", "attachment is not referenced by any document", member=name)


def _unique(bundle: Bundle, id_field: str, member: str) -> None:
    seen: set[str] = set()
    for number, document in enumerate(bundle.documents, 1):
        if document[id_field] in seen:
            raise BundleRefused(
                "documents", f"{id_field} appears twice in this bundle", member=member, line=number, field=id_field
            )
        seen.add(document[id_field])


def read_documents(bundle: Bundle, limits: Limits) -> None:
    kind = bundle.kind
    if kind == "reports":
        _expect_members(bundle, lambda n: n == "reports.jsonl" or n.startswith("attachments/"))
        bundle.documents, bundle.sources = _json_lines(bundle.members, "reports.jsonl", limits)
        _validate_all(bundle.documents, "reports.jsonl", validate_report)
        _unique(bundle, "report_id", "reports.jsonl")
        _check_attachments(bundle, "report_id", "reports.jsonl")
    elif kind == "outcomes":
        _expect_members(bundle, lambda n: n == "outcomes.jsonl")
        bundle.documents, bundle.sources = _json_lines(bundle.members, "outcomes.jsonl", limits)
        _validate_all(bundle.documents, "outcomes.jsonl", validate_outcome)
    else:
        assert kind in KINDS
        _read_referrals(bundle, limits)
    if len(bundle.documents) != bundle.outer.comment.count:
        raise BundleRefused(
            "documents", f"holds {len(bundle.documents)} items, the signed comment says count={bundle.outer.comment.count}"
        )


def _read_referrals(bundle: Bundle, limits: Limits) -> None:
    _expect_members(bundle, lambda n: n.startswith(("referrals/", "keys/", "attachments/")))
    if bundle.outer.comment.to == ROOM_LABEL:
        raise BundleRefused("trusted comment", "a referrals bundle must be addressed to a force")
    supervisors = _certified_supervisors(bundle)
    ids = sorted(n[len("referrals/"):-len(".json")] for n in bundle.members if n.startswith("referrals/") and n.endswith(".json"))
    for referral_id in ids:
        member = f"referrals/{referral_id}.json"
        try:
            document = strictjson.loads(bundle.members[member], limits.json)
            validate_referral(document)
        except JsonRefused as exc:
            raise BundleRefused("documents", str(exc), member=member) from exc
        except DocumentInvalid as exc:
            raise BundleRefused("documents", exc.message, member=member, field=exc.field) from exc
        if document["referral_id"] != referral_id:
            raise BundleRefused("documents", "referral_id differs from the file name", member=member, field="referral_id")
        if document["force"] != bundle.outer.comment.to:
            raise BundleRefused(
                "documents", f"is for {document['force']!r}, the bundle for {bundle.outer.comment.to!r}",
                member=member, field="force",
            )
        for suffix in (".json.minisig", ".txt"):
            if f"referrals/{referral_id}{suffix}" not in bundle.members:
                raise BundleRefused("documents", "is missing", member=f"referrals/{referral_id}{suffix}")
        bundle.approvals[referral_id] = _check_approval(bundle, document, supervisors)
        bundle.documents.append(document)
    stems = {f"referrals/{i}" for i in ids}
    for name in bundle.members:
        stem = name.rsplit(".json", 1)[0].rsplit(".txt", 1)[0]
        if name.startswith("referrals/") and stem not in stems:
            raise BundleRefused("documents", "belongs to no referral in this bundle", member=name)
    _check_attachments(bundle, "referral_id", "referrals")


def _certified_supervisors(bundle: Bundle) -> dict[str, tuple[PublicKey, str]]:
    room = bundle.outer.signer
    supervisors: dict[str, tuple[PublicKey, str]] = {}
    for name in sorted(n for n in bundle.members if n.startswith("keys/") and n.endswith(".pub")):
        try:
            key = PublicKey.from_text(bundle.members[name].decode("utf-8"))
            certificate = Signature.from_bytes(bundle.members[name + ".minisig"])
            certificate.verify(room.public_key, bundle.members[name])
        except KeyError as exc:
            raise BundleRefused("supervisor certification", "has no certificate from the room key", member=name) from exc
        except Exception as exc:  # malformed key or certificate: a refusal, not a crash
            raise BundleRefused(
                "supervisor certification", f"not certified by the room key {room.key_id}: {exc}", member=name
            ) from exc
        if name != f"keys/{key.key_id}.pub" or f"key_id={key.key_id} " not in certificate.trusted_comment + " ":
            raise BundleRefused("supervisor certification", "certified key id differs from the file", member=name)
        supervisors[key.key_id] = (key, certificate.trusted_comment)
    for name in bundle.members:
        if name.startswith("keys/") and name.endswith(".minisig") and name[: -len(".minisig")] not in bundle.members:
            raise BundleRefused("supervisor certification", "certificate without its key", member=name)
    return supervisors


def _check_approval(bundle: Bundle, document: dict[str, Any], supervisors: dict[str, tuple[PublicKey, str]]) -> ReferralApproval:
    referral_id = document["referral_id"]
    member = f"referrals/{referral_id}.json.minisig"
    try:
        signature = Signature.from_bytes(bundle.members[member])
    except (SignatureError, UnicodeDecodeError) as exc:
        raise BundleRefused("referral approval", str(exc), member=member) from exc
    if signature.key_id not in supervisors:
        raise BundleRefused("referral approval", f"signed by {signature.key_id}, which the room did not certify", member=member)
    if document["approved_by"]["key_id"] != signature.key_id:
        raise BundleRefused(
            "referral approval", "approved_by.key_id differs from the signer", member=member, field="approved_by.key_id"
        )
    key, certification = supervisors[signature.key_id]
    try:
        signature.verify(key, bundle.members[f"referrals/{referral_id}.json"])
    except SignatureError as exc:
        raise BundleRefused("referral approval", str(exc), member=member) from exc
    if f"id={referral_id}" not in signature.trusted_comment.split(" "):
        raise BundleRefused("referral approval", "the signature's comment names another referral", member=member)
    name = document["approved_by"]["name"]
    return ReferralApproval(referral_id, signature.key_id, name, signature.trusted_comment)
