"""Reading bundles: the checks of FORMATS.md "What a reader does, in order".

Everything happens in memory: nothing is extracted, nothing is written, and the media
is only ever opened for reading. Any failure refuses the whole bundle with a
``BundleRefused`` naming the check, member and field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage

from . import strictjson
from .bundle import (
    FORMAT,
    KINDS,
    ROOM_LABEL,
    SIGNATURE_SUFFIX,
    Keyring,
    Limits,
    TrustedComment,
    TrustedKey,
    signature_path,
)
from .documents import (
    attachment_member,
    parse_timestamp,
    validate_outcome,
    validate_referral,
    validate_report,
)
from .errors import AlreadyImported, BundleRefused, DocumentInvalid
from .minisign import PublicKey, Signature, SignatureError, prehash, prehash_stream
from .strictjson import JsonRefused


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class OuterVerdict:
    """What the outer signature says, checked with public keys alone."""

    payload_path: Path
    signer: TrustedKey
    comment: TrustedComment
    size: int
    warnings: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


@dataclass
class ReferralApproval:
    referral_id: str
    supervisor_key_id: str
    supervisor_name: str
    trusted_comment: str


@dataclass
class Bundle:
    """A bundle that passed every check, held in memory."""

    outer: OuterVerdict
    manifest: dict[str, Any]
    documents: list[dict[str, Any]]
    members: dict[str, bytes]
    approvals: dict[str, ReferralApproval] = field(default_factory=dict)
    # For reports and outcomes: each document's line exactly as received (``documents[i]``
    # was parsed from ``sources[i]``), so a store can keep it without writing it again.
    sources: list[bytes] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.outer.comment.kind

    @property
    def bundle_id(self) -> str:
        return self.outer.comment.bundle_id

    @property
    def checks(self) -> list[Check]:
        return self.outer.checks

    def attachment(self, owner_id: str, path: str) -> bytes:
        return self.members[attachment_member(owner_id, path)]

    def referral_text(self, referral_id: str) -> str:
        return self.members[f"referrals/{referral_id}.txt"].decode("utf-8")


class _Checks:
    """Records each check as it passes, so a refusal can show what came before it."""

    def __init__(self) -> None:
        self.done: list[Check] = []

    def passed(self, name: str, detail: str) -> None:
        self.done.append(Check(name, True, detail))

    def refuse(self, exc: BundleRefused) -> BundleRefused:
        exc.checks = self.done + [Check(exc.check, False, exc.detail)]  # type: ignore[attr-defined]
        return exc


def _read_signature(path: Path) -> Signature:
    sig_path = signature_path(path)
    try:
        data = sig_path.read_bytes()
    except FileNotFoundError as exc:
        raise BundleRefused("outer signature", f"{sig_path.name} is missing beside the bundle; ask the sender for it") from exc
    except OSError as exc:
        raise BundleRefused("outer signature", f"{sig_path.name} cannot be read: {exc.__class__.__name__}") from exc
    return _parse_signature(data, sig_path.name)


def _parse_signature(data: bytes, name: str) -> Signature:
    """As stock minisign reads it (see Signature.from_bytes)."""
    try:
        return Signature.from_bytes(data)
    except SignatureError as exc:
        raise BundleRefused("outer signature", str(exc), member=name) from exc


def _signature_from_bytes(signature: bytes | None, name: str) -> Signature:
    """The in-memory twin of ``_read_signature``: the same refusals for the same faults."""
    sig_name = name + SIGNATURE_SUFFIX
    if signature is None:
        raise BundleRefused("outer signature", f"{sig_name} is missing beside the bundle; ask the sender for it")
    return _parse_signature(signature, sig_name)


def _check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bundle_bytes:
        raise BundleRefused("size", f"the bundle is {size:,} bytes, over the limit of {limits.max_bundle_bytes:,}")


def _read_payload(path: Path, limits: Limits) -> bytes:
    try:
        _check_size(path.stat().st_size, limits)
        with path.open("rb") as handle:
            return handle.read(limits.max_bundle_bytes + 1)
    except OSError as exc:
        raise BundleRefused("read", f"cannot read {path.name}: {exc.strerror or exc}") from exc


def _prehash_file(path: Path, limits: Limits) -> tuple[bytes, int]:
    """The file's BLAKE2b-512 and size, streamed: checking a large bundle never holds it whole."""
    try:
        size = path.stat().st_size
        _check_size(size, limits)
        with path.open("rb") as handle:
            return prehash_stream(handle), size
    except OSError as exc:
        raise BundleRefused("read", f"cannot read {path.name}: {exc.strerror or exc}") from exc


def _refuse_revoked(signer: TrustedKey) -> None:
    """A revoked key signs nothing the reader accepts, whatever time the bundle claims: the
    trusted comment's ``created`` is the signer's own word, worth nothing once the key is in
    doubt. (Which bundles accepted before the revocation are now suspect is the room's
    question, answered from when it accepted them, not from what they say.)"""
    if signer.revoked_at is None:
        return
    reason = f": {signer.revoked_reason}" if signer.revoked_reason else ""
    raise BundleRefused(
        "signer revoked",
        f"key {signer.key_id} ({signer.name}) is revoked (from {signer.revoked_at:%Y-%m-%d %H:%M}{reason}); "
        "every bundle it signed that was not accepted before is refused, whatever time the bundle claims",
    )


def verify_outer(path: Path, keyring: Keyring, *, limits: Limits = Limits(), payload: bytes | None = None) -> OuterVerdict:
    """Step 1: the outer signature, its signer and the trusted comment."""
    path = Path(path)
    return _verify_outer(
        path,
        lambda: _read_signature(path),
        lambda: (prehash(payload), len(payload)) if payload is not None else _prehash_file(path, limits),
        keyring,
    )


def verify_outer_bytes(
    payload: bytes, signature: bytes | None, keyring: Keyring, *, name: str = "bundle.tar.age", limits: Limits = Limits()
) -> OuterVerdict:
    """``verify_outer`` for a bundle held in memory (e.g. in quarantine): ``signature`` is
    the ``.minisig`` file's bytes (None if it was missing), ``name`` the payload's file name."""
    _check_size(len(payload), limits)
    return _verify_outer(
        Path(name), lambda: _signature_from_bytes(signature, name), lambda: (prehash(payload), len(payload)), keyring
    )


def _verify_outer(
    path: Path, signature_source: Callable[[], Signature], digest_source: Callable[[], tuple[bytes, int]], keyring: Keyring
) -> OuterVerdict:
    """``digest_source`` gives the payload's BLAKE2b-512 (minisign's prehash) and its size."""
    checks = _Checks()
    try:
        signature = signature_source()
        signer = keyring.get(signature.key_id)
        if signer is None:
            raise BundleRefused(
                "outer signature",
                f"signed by key {signature.key_id}, which is not in the keyring; "
                "a security officer must add the sender's key first",
            )
        digest, size = digest_source()
        try:
            signature.verify_digest(signer.public_key, digest)
        except SignatureError as exc:
            raise BundleRefused("outer signature", str(exc)) from exc
        checks.passed("outer signature", f"signed by {signer.name} ({signer.key_id})")
        _refuse_revoked(signer)
        try:
            comment = TrustedComment.parse(signature.trusted_comment)
        except ValueError as exc:
            raise BundleRefused("trusted comment", str(exc)) from exc
        if comment.kind not in signer.kinds:
            raise BundleRefused(
                "trusted comment",
                f"{signer.name} ({signer.key_id}) is not trusted to sign {comment.kind} bundles",
            )
        checks.passed("trusted comment", signature.trusted_comment)
    except BundleRefused as exc:
        raise checks.refuse(exc) from exc
    return OuterVerdict(path, signer, comment, size, checks=checks.done)


def read_bundle(
    path: Path,
    keyring: Keyring,
    identities: Sequence[pyrage.x25519.Identity],
    *,
    kind: str | None = None,
    recipient: str | None = None,
    already_imported: Callable[[str], bool] = lambda bundle_id: False,
    limits: Limits = Limits(),
) -> Bundle:
    """Every check, in order; the whole bundle in memory, or ``BundleRefused``."""
    path = Path(path)
    payload = _read_payload(path, limits)
    outer = verify_outer(path, keyring, limits=limits, payload=payload)
    return _read_contents(payload, outer, identities, kind, recipient, already_imported, limits)


def read_bundle_bytes(
    payload: bytes,
    signature: bytes | None,
    keyring: Keyring,
    identities: Sequence[pyrage.x25519.Identity],
    *,
    name: str = "bundle.tar.age",
    kind: str | None = None,
    recipient: str | None = None,
    already_imported: Callable[[str], bool] = lambda bundle_id: False,
    limits: Limits = Limits(),
) -> Bundle:
    """``read_bundle`` for a bundle held in memory: the same checks, in the same order,
    by the same code; ``signature`` is the ``.minisig`` file's bytes or None."""
    outer = verify_outer_bytes(payload, signature, keyring, name=name, limits=limits)
    return _read_contents(payload, outer, identities, kind, recipient, already_imported, limits)


def _read_contents(
    payload: bytes,
    outer: OuterVerdict,
    identities: Sequence[pyrage.x25519.Identity],
    kind: str | None,
    recipient: str | None,
    already_imported: Callable[[str], bool],
    limits: Limits,
) -> Bundle:
    """Steps 2 to 5, after the outer signature."""
    checks = _Checks()
    checks.done = outer.checks
    comment = outer.comment
    try:
        if kind is not None and comment.kind != kind:
            raise BundleRefused("trusted comment", f"this is {_a(comment.kind)} bundle, not {_a(kind)} bundle")
        if recipient is not None and comment.to != recipient:
            raise BundleRefused("trusted comment", f"addressed to {comment.to}, not {recipient}")
        if already_imported(comment.bundle_id):
            raise AlreadyImported(comment.bundle_id)
        checks.passed("replay", f"bundle {comment.bundle_id} not seen before")
        members = _decrypt_tar(payload, identities, limits, addressed_to=comment.to)
        checks.passed("decrypt", f"{len(members)} members read")
        manifest = _check_manifest(members, outer, limits)
        checks.passed("manifest", f"signature, bundle id and {len(manifest['files'])} member digests")
        bundle = Bundle(outer, manifest, [], members)
        _read_documents(bundle, limits)
        checks.passed("documents", f"{len(bundle.documents)} {comment.kind} valid")
    except BundleRefused as exc:
        raise checks.refuse(exc) from exc
    return bundle


def verify_plaintext(
    members: dict[str, bytes], outer: OuterVerdict, *, limits: Limits = Limits()
) -> Bundle:
    """Steps 4 and 5 on members already in memory: how a sender checks a bundle it made
    for someone else (it cannot decrypt it) with the same code every reader runs."""
    checks = _Checks()
    checks.done = list(outer.checks)
    try:
        manifest = _check_manifest(members, outer, limits)
        checks.passed("manifest", f"signature, bundle id and {len(manifest['files'])} member digests")
        bundle = Bundle(outer, manifest, [], members)
        _read_documents(bundle, limits)
        checks.passed("documents", f"{len(bundle.documents)} {outer.comment.kind} valid")
    except BundleRefused as exc:
        raise checks.refuse(exc) from exc
    bundle.outer.checks = checks.done
    return bundle


def _decrypt_tar(
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


def _check_manifest(members: dict[str, bytes], outer: OuterVerdict, limits: Limits) -> dict[str, Any]:
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


def _a(kind: str) -> str:
    """'a reports', 'an outcomes'."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _expect_members(bundle: Bundle, allowed: Callable[[str], bool]) -> None:
    for name in bundle.manifest["files"]:
        if not allowed(name):
            raise BundleRefused("documents", f"is not a member of {_a(bundle.kind)} bundle", member=name)


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


def _read_documents(bundle: Bundle, limits: Limits) -> None:
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


def verified_at(bundle: Bundle) -> datetime:
    return parse_timestamp(bundle.outer.comment.created)
