"""Sealing: one signed referral bundle per force, written to removable media and read
back before anything is marked sealed.

The room cannot decrypt what it seals (only the force can), so "read back and fully
verified" means: the reader's own checks run on the plaintext members in memory, the
files on the media verify with the room's key, and the payload on the media is
byte-for-byte the one that was checked.

Crash safety: a batch is recorded as 'writing' (with the payload's SHA-256) before the
files are published, and as 'sealed' together with its referrals once it was read back
(all the bundles of one run together, at its end). The
contents are checked before anything is written, so a payload on the media whose
digest is the recorded one and whose outer signature verifies is a fully verified
bundle. ``recover`` settles a batch a crash left behind: complete and verified on the
media -> sealed; anything else -> its files (final names and hidden ``.partial``
temporaries) are removed and the referrals wait again.

Recovery and sealing run under the workspace's seal lock (services/people/workspace_locks.py), so a
second session never takes a live 'writing' batch for an interrupted one: it is refused
(SealingBusy) before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hotline_tui import reference
from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring.keys import build_keyring, force_recipients, room_signing_key
from hotline_tui.services.people.users import personal_public_key
from hotline_tui.services.people.workspace_locks import seal_lock
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.referrals.approval import rendering
from hotline_tui.services.sanitiser.seal_check import hold_back_leaks
from hotline_tui.services.session import Session
from hotline_tui.store import sealing as store
from hotline_tui.store.connection import transaction
from hotline_tui.wording import moment
from import_export.atomic import write_atomic
from import_export.bundle import Keyring, signature_path, to_the_second
from import_export.errors import BundleRefused
from import_export.minisign import SecretKey
from import_export.reader import verify_outer, verify_outer_bytes, verify_plaintext
from import_export.wording import counted
from import_export.writer import (
    CertifiedKey,
    PreparedBundle,
    SealedReferral,
    certify_supervisor_key,
    prepare_bundle,
    publish_bundle,
    referral_members,
)


@dataclass(frozen=True)
class ForceBatch:
    code: str
    name: str
    count: int
    blocked_reason: str | None


@dataclass(frozen=True)
class SealedBundle:
    force_code: str
    force_name: str
    path: Path
    count: int
    room_key_id: str
    bundle_id: str
    audit_head: tuple[int, str]  # (seq, sha256) sealed into the manifest


@dataclass
class SealSummary:
    out_dir: Path
    sealed: list[SealedBundle] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def referrals_sealed(self) -> int:
        return sum(b.count for b in self.sealed)


@dataclass(frozen=True)
class SealProgress:
    done: int
    total: int
    current: str


def _force_name(code: str) -> str:
    force = reference.force_by_code(code)
    return force.name if force else code


def sealing_plan(session: Session) -> list[ForceBatch]:
    """Forces with approved, unsealed referrals; blocked where the keyring lacks a recipient."""
    require(session, Action.SEAL_REFERRALS)
    plan = []
    for code, count in sorted(store.approved_counts(session.conn).items(), key=lambda item: _force_name(item[0])):
        blocked = None
        if not force_recipients(session, code):
            blocked = (f"no age recipient for {_force_name(code)} in the keyring: a security officer must add "
                       f"the force's age recipient file (Keyring, or hotline-tui keys add --kind force "
                       f"--force {code} {code}.age.pub)")
        plan.append(ForceBatch(code, _force_name(code), count, blocked))
    return plan


def _certified_keys(session: Session, room_key: SecretKey, referrals: Sequence[store.ApprovedReferral],
                    when: datetime) -> list[CertifiedKey]:
    """Each approving supervisor's public key, certified by the room key for this bundle."""
    keys = []
    for name in sorted({r.approved_by for r in referrals}):
        public = personal_public_key(session, name)
        keys.append(certify_supervisor_key(room_key, public, name, when))
    return keys


def _prepare(session: Session, code: str, referrals: Sequence[store.ApprovedReferral],
             head: tuple[int, str]) -> PreparedBundle:
    room_key = room_signing_key(session)
    when = session.clock()
    sealed = [
        SealedReferral(r.referral_id, r.signed_document, r.approval_signature,
                       rendering(json.loads(r.signed_document)), {})
        for r in referrals
    ]
    keys = _certified_keys(session, room_key, referrals, when)
    seq, head_hash = head
    return prepare_bundle(
        kind="referrals", members=referral_members(sealed, keys), count=len(sealed), signer=room_key,
        recipients=force_recipients(session, code), recipient_label=code,
        audit_head={"seq": seq, "sha256": head_hash}, created=when,
    )


def _check_before_writing(prepared: PreparedBundle, keyring: Keyring) -> None:
    """The reader's own checks on the bundle in memory: outer signature, manifest, every
    member's digest, each referral's approval and its supervisor's certification."""
    outer = verify_outer_bytes(prepared.payload, prepared.signature, keyring, name=prepared.name)
    verify_plaintext(dict(prepared.archive), outer)


def _read_back(path: Path, prepared: PreparedBundle, keyring: Keyring) -> None:
    """Raise BundleRefused unless the media holds exactly the bundle that was checked."""
    verify_outer(path, keyring)
    on_media = hashlib.sha256(path.read_bytes()).hexdigest()
    if on_media != prepared.payload_sha256:
        raise BundleRefused("read back", "the bundle on the media differs from the one written")


def _remove(path: Path) -> None:
    """The bundle's files under their final names, and any hidden temporaries of them."""
    signature_path(path).unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    for name in (path.name, signature_path(path).name):
        for temp in path.parent.glob(f".{name}.*.partial"):
            temp.unlink(missing_ok=True)


def seal_force(session: Session, out_dir: Path, code: str, keyring: Keyring) -> SealedBundle:
    """One force's bundle written, read back, and its referrals marked sealed."""
    require(session, Action.SEAL_REFERRALS)
    with seal_lock(session.settings):
        written = _write_force(session, out_dir, code, keyring, audit.head(session.conn))
        _record_sealed(session, [written])
    return written[0]


def _write_force(session: Session, out_dir: Path, code: str, keyring: Keyring,
                 head: tuple[int, str]) -> tuple[SealedBundle, store.SealBatch]:
    """The bundle written and read back; its batch is still 'writing' (see ``_record_sealed``).
    ``head`` is the audit head to seal into it."""
    referrals = store.approved_unsealed(session.conn, code)
    if not referrals:
        raise Refused(f"{_force_name(code)} has no approved referrals waiting.")
    if not force_recipients(session, code):
        raise Refused(f"{_force_name(code)} is blocked: no age recipient in the keyring.")
    unsettled = [b for b in store.unfinished_batches(session.conn) if b.force_code == code]
    if unsettled:
        raise Refused(f"{_force_name(code)}: an interrupted bundle ({unsettled[0].file_name}) is not settled yet; "
                      f"insert {unsettled[0].media_dir} so it can be checked, then seal again.")
    hold_back_leaks(session, _force_name(code), referrals)
    prepared = _prepare(session, code, referrals, head)
    try:
        _check_before_writing(prepared, keyring)
    except BundleRefused as exc:
        raise Refused(f"{_force_name(code)}: the bundle failed its own checks ({exc}); nothing was written.") from exc
    ids = [r.referral_id for r in referrals]
    batch = store.SealBatch(prepared.comment.bundle_id, code, prepared.name, str(out_dir), prepared.payload_sha256,
                            json.dumps(ids), prepared.signer_key_id, "writing")
    with transaction(session.conn) as conn:
        store.start_batch(conn, batch, session.now(), session.user.name)
        audit.record(conn, session.user.name, "seal.started", f"bundle {batch.bundle_id}",
                     f"{counted(len(ids), 'referrals')} for {_force_name(code)} to {out_dir}", session.now())
    final = Path(out_dir) / prepared.name
    try:
        written = publish_bundle(Path(out_dir), prepared)
        _read_back(written.path, prepared, keyring)
    except (BundleRefused, OSError) as exc:
        _remove(final)
        _finish(session, batch, "abandoned", f"read back failed: {exc}")
        raise Refused(f"{_force_name(code)}: the bundle did not verify after writing ({exc}); nothing was sealed.") from exc
    sealed = SealedBundle(code, _force_name(code), written.path, len(ids), prepared.signer_key_id, batch.bundle_id, head)
    return sealed, batch


def _record_sealed(session: Session, written: Sequence[tuple[SealedBundle, store.SealBatch]]) -> None:
    """Mark the referrals of bundles written and read back sealed, in one transaction.

    A run records its bundles together: each report's status is in a dozen of the
    queue's indexes, so one transaction per force would write most of their pages again
    for every force. Until then each batch is 'writing', which ``recover`` settles."""
    if not written:
        return
    at = session.now()
    with transaction(session.conn) as conn:
        for bundle, batch in written:
            store.mark_sealed(conn, json.loads(batch.referral_ids), batch.bundle_id, at)
            store.finish_batch(conn, batch.bundle_id, "sealed", at)
            audit.record(conn, session.user.name, "seal.sealed", f"bundle {batch.bundle_id}",
                         f"{bundle.count} referrals in {bundle.path.name}", at)


def _finish(session: Session, batch: store.SealBatch, state: str, why: str) -> None:
    at = session.now()
    with transaction(session.conn) as conn:
        if state == "sealed":
            store.mark_sealed(conn, json.loads(batch.referral_ids), batch.bundle_id, at)
        store.finish_batch(conn, batch.bundle_id, state, at)
        audit.record(conn, session.user.name, f"seal.{state}", f"bundle {batch.bundle_id}", why, at)


def recover(session: Session) -> list[str]:
    """Settle batches a crash left 'writing'. Returns what was done, one line each.
    Raises SealingBusy, touching nothing, while another session seals."""
    require(session, Action.SEAL_REFERRALS)
    with seal_lock(session.settings):
        return _recover(session)


def _recover(session: Session) -> list[str]:
    """``recover`` for a caller that holds the seal lock."""
    done = []
    keyring = build_keyring(session)
    for batch in store.unfinished_batches(session.conn):
        path = Path(batch.media_dir) / batch.file_name
        if not Path(batch.media_dir).is_dir():
            done.append(f"{batch.file_name}: its media is not here; insert {batch.media_dir} to settle it")
            continue
        if _complete_on_media(path, batch, keyring):
            _finish(session, batch, "sealed", "recovered after an interruption: complete and verified on the media")
            done.append(f"{batch.file_name}: complete on the media, referrals marked sealed")
        else:
            _remove(path)
            _finish(session, batch, "abandoned", "interrupted before it was complete; removed, referrals wait again")
            done.append(f"{batch.file_name}: incomplete, removed; its referrals wait to be sealed again")
    return done


def _complete_on_media(path: Path, batch: store.SealBatch, keyring: Keyring) -> bool:
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != batch.payload_sha256:
            return False
        verify_outer(path, keyring)
    except (OSError, BundleRefused):
        return False
    return True


def seal(
    session: Session,
    out_dir: Path,
    forces: Sequence[str],
    *,
    progress: Callable[[SealProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> SealSummary:
    """One bundle per force in ``forces``; each force sealed wholly or not at all.
    Raises SealingBusy, touching nothing, while another session seals."""
    require(session, Action.SEAL_REFERRALS)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise Refused(f"{out_dir} is not a folder: choose the removable media to write to.")
    with seal_lock(session.settings):
        return _seal_locked(session, out_dir, list(dict.fromkeys(forces)), progress, cancelled)


def _seal_locked(session: Session, out_dir: Path, forces: list[str],
                 progress: Callable[[SealProgress], None] | None, cancelled: Callable[[], bool]) -> SealSummary:
    """``seal`` for a caller that holds the seal lock: recovery first, then each force."""
    _recover(session)
    keyring = build_keyring(session)
    # One head for the run, so the dispatch note can name the head every bundle carries.
    head = audit.head(session.conn)
    summary = SealSummary(out_dir)
    written: list[tuple[SealedBundle, store.SealBatch]] = []
    try:
        for index, code in enumerate(forces):
            if cancelled():
                summary.cancelled = True
                break
            if progress:
                progress(SealProgress(index, len(forces), _force_name(code)))
            try:
                written.append(_write_force(session, out_dir, code, keyring, head))
            except Refused as exc:
                summary.failed.append((code, str(exc)))
    finally:
        _record_sealed(session, written)
    summary.sealed = [bundle for bundle, _ in written]
    if progress:
        progress(SealProgress(len(summary.sealed) + len(summary.failed), len(forces), ""))
    return summary


def sealed_head(summary: SealSummary) -> str | None:
    """The audit head every bundle of the run carries, as published (None: none sealed,
    or bundles from runs with different heads)."""
    heads = {bundle.audit_head for bundle in summary.sealed}
    return audit.format_head(*heads.pop()) if len(heads) == 1 else None


def _head_lines(summary: SealSummary) -> list[str]:
    """The audit head the bundles carry: the room cannot read them back, so the note is
    the copy a security officer can later check the log against (a cut-off tail)."""
    if not summary.sealed:
        return []
    why = ["File this note: a security officer can check the audit log against this head later",
           "(Audit log, n: verify against this signed note); a log cut short after it fails that check."]
    head = sealed_head(summary)
    if head:
        return ["", f"Audit log head sealed into these bundles: {head}", *why]
    return ["", *(f"Audit log head sealed into {b.path.name}: {audit.format_head(*b.audit_head)}" for b in summary.sealed),
            *why]


def dispatch_note(summary: SealSummary, sealed_by: str, at: str) -> str:
    lines = [f"Dispatch note - referral bundles sealed by {sealed_by} at {moment(at, seconds=True)}", ""]
    for bundle in summary.sealed:
        lines.append(f"{bundle.path.name}  {bundle.force_name} ({bundle.force_code})  "
                     f"{counted(bundle.count, 'referrals')}  room key {bundle.room_key_id}")
    lines += ["", f"{counted(len(summary.sealed), 'bundles')}, {counted(summary.referrals_sealed, 'referrals')}."]
    lines += _head_lines(summary)
    if summary.failed:
        lines += ["", "Not sealed (their referrals wait):"]
        lines += [f"  {_force_name(code)} ({code}): {why}" for code, why in summary.failed]
    return "\n".join(lines) + "\n"


def write_dispatch_note(session: Session, summary: SealSummary, out_dir: Path | None = None) -> Path:
    """The note beside the bundles (``summary.out_dir``) unless another folder is given,
    with its ``.minisig`` by the room's signing key."""
    require(session, Action.SEAL_REFERRALS)
    at = session.now()
    path = Path(out_dir or summary.out_dir) / f"dispatch-note-{at[:19].replace(':', '')}.txt"
    text = dispatch_note(summary, session.user.name, at).encode("utf-8")
    # Signed by the room's key, so the audit head it names can be checked from the file
    # itself (the audit screen reads it) instead of being typed: minisign -Vm NOTE -p triage-room.pub.
    signature = room_signing_key(session).sign(text, f"dispatch note {path.name} sealed at {to_the_second(at)}",
                                               "signature from the triage room's signing key")
    write_atomic(path, text)
    write_atomic(signature_path(path), signature.encode("utf-8"))
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "seal.dispatch_note", str(path), f"{len(summary.sealed)} bundles", at)
    return path
