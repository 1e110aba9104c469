"""Writing bundles exactly as FORMATS.md describes, atomically onto the target folder."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyrage

from . import strictjson
from .atomic import publish, write_temp
from .bundle import FORMAT, LABEL, PAYLOAD_SUFFIX, SIGNATURE_SUFFIX, TrustedComment, rfc3339, utc_now
from .documents import attachment_member
from .minisign import PublicKey, SecretKey


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    signature_path: Path
    bundle_id: str
    kind: str
    count: int
    recipient: str
    signer_key_id: str
    size: int


def manifest_for(
    members: Mapping[str, bytes],
    *,
    kind: str,
    bundle_id: str,
    created: str,
    sender_key_id: str,
    recipient: str,
    audit_head: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "kind": kind,
        "bundle_id": bundle_id,
        "created": created,
        "sender_key_id": sender_key_id,
        "recipient": recipient,
        "files": {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in members.items()
        },
    }
    if audit_head is not None:
        manifest["audit_head"] = dict(audit_head)
    return manifest


def jsonl(documents: Iterable[Mapping[str, Any]]) -> bytes:
    return b"".join(strictjson.dumps(dict(doc)) + b"\n" for doc in documents)


def report_members(
    reports: Sequence[Mapping[str, Any]], attachments: Mapping[str, bytes] | None = None
) -> dict[str, bytes]:
    """``reports.jsonl`` and each attachment, keyed by the member path of the
    attachment (``attachments/<report_id>/<name>``) or by (report_id, path)."""
    members = {"reports.jsonl": jsonl(reports)}
    attachments = attachments or {}
    for report in reports:
        for item in report.get("attachments", []):
            member = attachment_member(report["report_id"], item["path"])
            members[member] = attachments[member]
    return members


def outcome_members(outcomes: Sequence[Mapping[str, Any]]) -> dict[str, bytes]:
    return {"outcomes.jsonl": jsonl(outcomes)}


@dataclass(frozen=True)
class SealedReferral:
    """A referral ready for a bundle: its exact JSON bytes, the approving supervisor's
    signature of them, and the readable rendering."""

    referral_id: str
    document: bytes
    signature: str
    text: str
    attachments: Mapping[str, bytes]


@dataclass(frozen=True)
class CertifiedKey:
    """A supervisor's public key and the room key's signature over its file."""

    public_key: PublicKey
    pub_text: str
    certificate: str


def certify_supervisor_key(room_key: SecretKey, public_key: PublicKey, name: str, when: datetime) -> CertifiedKey:
    pub_text = public_key.to_text(f"hotline supervisor {public_key.key_id}")
    comment = f"hotline-supervisor-key key_id={public_key.key_id} name={_comment_safe(name)} certified={rfc3339(when)}"
    return CertifiedKey(public_key, pub_text, room_key.sign(pub_text.encode("utf-8"), comment))


def _comment_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)[:64]


def referral_signature(supervisor: SecretKey, referral_id: str, force: str, document: bytes) -> str:
    comment = f"hotline-referral id={referral_id} force={force} approved_by={supervisor.key_id}"
    return supervisor.sign(document, comment)


def referral_members(referrals: Sequence[SealedReferral], keys: Sequence[CertifiedKey]) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    for referral in referrals:
        base = f"referrals/{referral.referral_id}"
        members[f"{base}.json"] = referral.document
        members[f"{base}.json.minisig"] = referral.signature.encode("utf-8")
        members[f"{base}.txt"] = referral.text.encode("utf-8")
        members.update(referral.attachments)
    for key in keys:
        members[f"keys/{key.public_key.key_id}.pub"] = key.pub_text.encode("utf-8")
        members[f"keys/{key.public_key.key_id}.pub.minisig"] = key.certificate.encode("utf-8")
    return members


def bundle_file_name(kind: str, recipient: str, created: datetime, bundle_id: str) -> str:
    return f"{kind}-{recipient}-{created.strftime('%Y%m%dT%H%M%SZ')}-{bundle_id[:8]}{PAYLOAD_SUFFIX}"


@dataclass(frozen=True)
class PreparedBundle:
    """A bundle made in memory, not yet on any media. ``archive`` is the plaintext tar's
    members, so the sender can check them with the reader's own code before publishing."""

    name: str
    payload: bytes = field(repr=False)
    signature: bytes
    archive: Mapping[str, bytes] = field(repr=False)
    comment: TrustedComment
    signer_key_id: str

    @property
    def payload_sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()


def prepare_bundle(
    *,
    kind: str,
    members: Mapping[str, bytes],
    count: int,
    signer: SecretKey,
    recipients: Sequence[pyrage.x25519.Recipient],
    recipient_label: str,
    audit_head: Mapping[str, Any] | None = None,
    bundle_id: str | None = None,
    created: datetime | None = None,
) -> PreparedBundle:
    """Sign the manifest, tar, encrypt and sign the payload, all in memory."""
    from .tarball import build_tar

    if not LABEL.fullmatch(recipient_label):
        raise ValueError(f"recipient label {recipient_label!r} is not [A-Za-z0-9._-]")
    if not recipients:
        raise ValueError("a bundle needs at least one age recipient")
    moment = created or utc_now()
    bundle_id = bundle_id or str(uuid.uuid4())
    stamp = rfc3339(moment)
    comment = TrustedComment(kind, bundle_id, stamp, count, recipient_label)
    manifest = manifest_for(
        members, kind=kind, bundle_id=bundle_id, created=stamp,
        sender_key_id=signer.key_id, recipient=recipient_label, audit_head=audit_head,
    )
    manifest_bytes = strictjson.dumps(manifest) + b"\n"
    archive = {
        "manifest.json": manifest_bytes,
        "manifest.json.minisig": signer.sign(manifest_bytes, comment.render()).encode("utf-8"),
        **members,
    }
    payload = pyrage.encrypt(build_tar(archive, int(moment.timestamp())), list(recipients))
    signature = signer.sign(payload, comment.render()).encode("utf-8")
    name = bundle_file_name(kind, recipient_label, moment, bundle_id)
    return PreparedBundle(name, payload, signature, archive, comment, signer.key_id)


def publish_bundle(out_dir: Path, prepared: PreparedBundle) -> WrittenBundle:
    """Write both files under temporary names, sync, then rename the payload first and
    the signature last: a bundle whose signature is in place is complete, and a crash in
    between leaves an unsigned payload that every reader refuses."""
    out_dir = Path(out_dir)
    final = out_dir / prepared.name
    final_sig = out_dir / (prepared.name + SIGNATURE_SUFFIX)
    temps: list[Path] = []
    try:
        temps.append(write_temp(out_dir, prepared.name, prepared.payload))
        temps.append(write_temp(out_dir, prepared.name + SIGNATURE_SUFFIX, prepared.signature))
        publish([(temps[0], final), (temps[1], final_sig)])
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        if final.exists() and not final_sig.exists():
            final.unlink(missing_ok=True)
        raise
    comment = prepared.comment
    return WrittenBundle(
        final, final_sig, comment.bundle_id, comment.kind, comment.count, comment.to,
        prepared.signer_key_id, len(prepared.payload),
    )


def write_bundle(
    out_dir: Path,
    *,
    kind: str,
    members: Mapping[str, bytes],
    count: int,
    signer: SecretKey,
    recipients: Sequence[pyrage.x25519.Recipient],
    recipient_label: str,
    audit_head: Mapping[str, Any] | None = None,
    bundle_id: str | None = None,
    created: datetime | None = None,
) -> WrittenBundle:
    """Prepare a bundle in memory and publish it atomically to ``out_dir``."""
    prepared = prepare_bundle(
        kind=kind, members=members, count=count, signer=signer, recipients=recipients,
        recipient_label=recipient_label, audit_head=audit_head, bundle_id=bundle_id, created=created,
    )
    return publish_bundle(out_dir, prepared)
