"""Shared by the bundle tests: the parties and their keys, sample documents, bundles
written by our writer, and bundles assembled by hand from raw tar members so that a
test can make the manifest consistent or deliberately wrong.

Plain functions; ``conftest.py`` here and in ``tests/interop`` wrap them as fixtures.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import tarfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
import pytest

from import_export import cli, strictjson
from import_export.agekeys import identity_text
from import_export.bundle import KINDS, ROOM_LABEL, Keyring, TrustedComment, TrustedKey, rfc3339, signature_path
from import_export.minisign import SecretKey
from import_export.writer import (
    SealedReferral,
    WrittenBundle,
    certify_supervisor_key,
    manifest_for,
    outcome_members,
    referral_members,
    referral_signature,
    report_members,
    write_bundle,
)

FORCE = "kent"
CREATED = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
# Cheap scrypt for keys the tests encrypt; stock minisign reads the limits from the file.
FAST_SCRYPT = {"opslimit": 524288, "memlimit": 16777216}


def require_tools(*names: str) -> dict[str, str]:
    """The stock programs by name; a test that needs a missing one fails under CI
    (``CI`` set) and is skipped elsewhere."""
    found = {name: shutil.which(name) for name in names}
    missing = sorted(name for name, path in found.items() if path is None)
    if missing:
        message = f"stock program(s) not installed: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must test against the stock tools)")
        pytest.skip(message)
    return {name: path for name, path in found.items() if path}


@dataclass(frozen=True)
class Parties:
    """Everyone who signs or decrypts: the intake system, the room, a force and two
    supervisors. ``keyring`` is the room's, made afresh at each use so a test may change
    it: intake for reports, the room itself for referrals, the force for outcomes."""

    intake: SecretKey
    room: SecretKey
    force: SecretKey
    supervisors: tuple[SecretKey, SecretKey]
    room_identity: pyrage.x25519.Identity
    force_identity: pyrage.x25519.Identity

    @property
    def keyring(self) -> Keyring:
        return Keyring(
            [
                TrustedKey(self.intake.public_key, "intake", frozenset({"reports"})),
                TrustedKey(self.room.public_key, "room", frozenset({"referrals"})),
                TrustedKey(self.force.public_key, FORCE, frozenset({"outcomes"}), force=FORCE),
            ]
        )


def make_parties() -> Parties:
    return Parties(
        intake=SecretKey.generate(),
        room=SecretKey.generate(),
        force=SecretKey.generate(),
        supervisors=(SecretKey.generate(), SecretKey.generate()),
        room_identity=pyrage.x25519.Identity.generate(),
        force_identity=pyrage.x25519.Identity.generate(),
    )


def make_report(**overrides: Any) -> dict[str, Any]:
    """A valid report, with any field replaced (or removed, with the value ``...``)."""
    report: dict[str, Any] = {
        "report_id": str(uuid.uuid4()),
        "reference": "PAC-2026-004211",
        "channel": "online",
        "received_at": "2026-03-14T09:12:00Z",
        "reporter": {"anonymous": True},
        "subjects": [{"role": "officer", "name": "PC Example", "collar_number": "1234", "force_hint": "Kent"}],
        "force_hint": "Kent",
        "behaviours": ["corruption"],
        "narrative": "He sells PNC checks to a local garage.",
        "when": "since last summer",
        "where": "Maidstone",
        "attachments": [],
    }
    report.update(overrides)
    return {name: value for name, value in report.items() if value is not ...}


def make_outcome(**overrides: Any) -> dict[str, Any]:
    outcome: dict[str, Any] = {
        "referral_id": str(uuid.uuid4()),
        "status": "investigation_opened",
        "date": "2026-04-02",
        "note": "Assessed by PSD; investigation opened.",
    }
    outcome.update(overrides)
    return {name: value for name, value in outcome.items() if value is not ...}


_REFERENCES = itertools.count(1)


def make_referral(supervisor: SecretKey, **overrides: Any) -> dict[str, Any]:
    referral: dict[str, Any] = {
        "referral_id": str(uuid.uuid4()),
        "reference": f"HTR-2026-{next(_REFERENCES):06d}",
        "force": FORCE,
        "created": "2026-03-15T10:00:00Z",
        "subjects": [{"role": "officer", "rank": "PC", "station": "Maidstone"}],
        "categories": ["disclosure of information"],
        "grading": {"source": "2", "intelligence": "C", "handling": "P"},
        "priority": "high",
        "iopc_referral_criteria": ["serious corruption"],
        "summary": "An officer is said to sell police checks to a local business.",
        "linked_referrals": [],
        "analyst": "A. Analyst",
        "approved_by": {"name": "S. Supervisor", "key_id": supervisor.key_id},
        "approved_at": "2026-03-15T11:00:00Z",
        "attachments": [],
    }
    referral.update(overrides)
    return referral


def seal_referral(
    document: Mapping[str, Any], supervisor: SecretKey, attachments: Mapping[str, bytes] | None = None
) -> SealedReferral:
    data = strictjson.dumps(dict(document))
    referral_id = document["referral_id"]
    return SealedReferral(
        referral_id=referral_id,
        document=data,
        signature=referral_signature(supervisor, referral_id, document["force"], data),
        text=f"Referral {referral_id}\n\n{document['summary']}\n",
        attachments=dict(attachments or {}),
    )


def write_reports(
    out_dir: Path,
    parties: Parties,
    reports: Sequence[Mapping[str, Any]],
    attachments: Mapping[str, bytes] | None = None,
    **options: Any,
) -> WrittenBundle:
    options.setdefault("created", CREATED)
    return write_bundle(
        out_dir,
        kind="reports",
        members=report_members(reports, attachments),
        count=len(reports),
        signer=options.pop("signer", parties.intake),
        recipients=options.pop("recipients", [parties.room_identity.to_public()]),
        recipient_label=options.pop("recipient_label", ROOM_LABEL),
        **options,
    )


def write_outcomes(out_dir: Path, parties: Parties, outcomes: Sequence[Mapping[str, Any]], **options: Any) -> WrittenBundle:
    options.setdefault("created", CREATED)
    return write_bundle(
        out_dir,
        kind="outcomes",
        members=outcome_members(outcomes),
        count=len(outcomes),
        signer=parties.force,
        recipients=[parties.room_identity.to_public()],
        recipient_label=ROOM_LABEL,
        **options,
    )


def referral_bundle_members(
    parties: Parties, documents: Sequence[Mapping[str, Any]] | None = None
) -> tuple[dict[str, bytes], int]:
    """Two referrals, each approved by one of the two supervisors, whose keys the room
    certified; the members of the bundle and the number of referrals."""
    if documents is None:
        documents = [make_referral(supervisor) for supervisor in parties.supervisors]
    by_id = {supervisor.key_id: supervisor for supervisor in parties.supervisors}
    sealed = [seal_referral(doc, by_id[doc["approved_by"]["key_id"]]) for doc in documents]
    keys = [
        certify_supervisor_key(parties.room, supervisor.public_key, f"Supervisor {number}", CREATED)
        for number, supervisor in enumerate(parties.supervisors, 1)
    ]
    return referral_members(sealed, keys), len(sealed)


def write_referrals(
    out_dir: Path, parties: Parties, members: Mapping[str, bytes] | None = None, count: int | None = None
) -> WrittenBundle:
    if members is None:
        members, count = referral_bundle_members(parties)
    assert count is not None
    return write_bundle(
        out_dir,
        kind="referrals",
        members=members,
        count=count,
        signer=parties.room,
        recipients=[parties.force_identity.to_public()],
        recipient_label=FORCE,
        audit_head={"seq": 42, "sha256": "ab" * 32},
        created=CREATED,
    )


def open_referrals(tmp_path: Path, parties: Parties) -> tuple[WrittenBundle, Path]:
    """A referral bundle for the force, opened with ``hotline-bundle open`` as the force
    would (room key in ``tmp_path/keyring``); the bundle and the folder it made."""
    written = write_referrals(tmp_path, parties)
    keyring = tmp_path / "keyring"
    keyring.mkdir()
    (keyring / "triage-room.pub").write_text(parties.room.public_key.to_text())
    (tmp_path / "force.age").write_text(identity_text(parties.force_identity))
    code = cli.main(["open", "--identity", str(tmp_path / "force.age"), "--keyring", str(keyring),
                     "--force", FORCE, "--out", str(tmp_path / "opened"), str(written.path)])
    assert code == cli.OK
    return written, tmp_path / "opened" / written.path.name.removesuffix(".tar.age")


# --- bundles assembled by hand ---------------------------------------------------------

Entry = tuple[tarfile.TarInfo, bytes]


def regular(name: str, data: bytes) -> Entry:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(CREATED.timestamp())
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> Entry:
    """A tar entry that is not a regular file (tarfile.SYMTYPE, LNKTYPE, CHRTYPE ...)."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mtime = int(CREATED.timestamp())
    return info, b""


def tar_of(entries: Sequence[Entry], format: int = tarfile.PAX_FORMAT) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=format) as archive:
        for info, data in entries:
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return buffer.getvalue()


@dataclass
class HandBundle:
    path: Path
    bundle_id: str
    comment: str

    @property
    def signature_path(self) -> Path:
        return signature_path(self.path)


def sign_payload(path: Path, signer: SecretKey, comment: str) -> None:
    """(Re)write the outer signature of ``path`` as the sender would."""
    signature_path(path).write_text(signer.sign(path.read_bytes(), comment))


def assemble(
    out_dir: Path,
    signer: SecretKey,
    recipients: Sequence[pyrage.x25519.Recipient],
    members: Mapping[str, bytes],
    *,
    kind: str = "reports",
    count: int = 1,
    to: str = ROOM_LABEL,
    bundle_id: str | None = None,
    manifest: dict[str, Any] | None = None,
    manifest_bytes: bytes | None = None,
    manifest_signer: SecretKey | None = None,
    entries: Sequence[Entry] | None = None,
    tar: bytes | None = None,
    comment: str | None = None,
) -> HandBundle:
    """A bundle made the way a stock-tool sender makes one: the manifest of ``members``
    (or the ``manifest`` given), its signature, the tar (of ``entries`` when given, so a
    test can add links, duplicates or odd names; or the raw ``tar`` bytes), age, and
    the outer signature."""
    assert kind in KINDS
    bundle_id = bundle_id or str(uuid.uuid4())
    created = rfc3339(CREATED)
    comment = comment or TrustedComment(kind, bundle_id, created, count, to).render()
    if manifest is None:
        manifest = manifest_for(
            members, kind=kind, bundle_id=bundle_id, created=created, sender_key_id=signer.key_id, recipient=to
        )
    if manifest_bytes is None:
        manifest_bytes = strictjson.dumps(manifest) + b"\n"
    signature = (manifest_signer or signer).sign(manifest_bytes, comment).encode("utf-8")
    if tar is None:
        head = [regular("manifest.json", manifest_bytes), regular("manifest.json.minisig", signature)]
        body = list(entries) if entries is not None else [regular(name, data) for name, data in members.items()]
        tar = tar_of(head + body)
    path = Path(out_dir) / f"hand-{bundle_id[:8]}.tar.age"
    path.write_bytes(pyrage.encrypt(tar, list(recipients)))
    sign_payload(path, signer, comment)
    return HandBundle(path, bundle_id, comment)
