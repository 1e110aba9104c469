"""Verifying any bundle: every check in order, for a security officer to read.

The checks are the bundle reader's own (``import_export.reader``), run on the bytes
from the media or from the quarantine; nothing is stored and nothing is imported. The
room decrypts what was sent to it; a bundle the room sent to a force cannot be
decrypted here (only the force holds that identity), which is shown as a neutral
"not possible", not as a failure. ``signature_valid`` is the verdict stock
``minisign -V -H`` gives with the signer's public key from the keyring.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from hotline_tui import reference
from hotline_tui.services import revocation
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.importing import room_identities
from hotline_tui.services.keyring.keys import build_keyring
from hotline_tui.services.permissions import ROLE_LABELS, Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store import reports as report_store
from hotline_tui.store import users as user_store
from hotline_tui.store.connection import transaction
from hotline_tui.wording import moment
from import_export.bundle import ROOM_LABEL, Limits, TrustedComment, signature_path
from import_export.errors import BundleRefused
from import_export.minisign import PublicKey, Signature, SignatureError
from import_export.reader import Bundle, Check, OuterVerdict, read_bundle_bytes, verify_outer_bytes

PASS, FAIL, NOTE, WARN = "pass", "fail", "note", "warn"
MARKS = {PASS: "✔", FAIL: "✘", NOTE: "·", WARN: "⚠"}


@dataclass(frozen=True)
class Line:
    """One check as shown: its name, pass/fail/note/warn, and what it found."""

    name: str
    status: str
    detail: str

    @property
    def mark(self) -> str:
        return MARKS[self.status]


@dataclass(frozen=True)
class Signer:
    """Who the signature file says signed, and what the room knows of that key."""

    key_id: str
    name: str
    role: str
    revoked: str  # '' when not revoked


@dataclass
class Verification:
    file_name: str
    size: int
    sha256: str
    signer: Signer | None
    comment: str  # the trusted comment as written in the signature file (verified or not)
    lines: list[Line] = field(default_factory=list)
    signature_valid: bool = False
    contents_checked: bool = False
    signature_sha256: str = ""  # of the .minisig file as read ('' when there was none)

    @property
    def failed(self) -> Line | None:
        return next((line for line in self.lines if line.status == FAIL), None)

    @property
    def ok(self) -> bool:
        return self.failed is None

    @property
    def verdict(self) -> str:
        failed = self.failed
        if failed:
            return f"REFUSED at {failed.name}: {failed.detail}"
        warned = " (with warnings)" if any(line.status == WARN for line in self.lines) else ""
        if self.contents_checked:
            return f"VERIFIED: every check passed{warned}"
        return f"OUTER SIGNATURE VERIFIED{warned}; the contents could not be checked here"

    @property
    def verdict_code(self) -> str:
        return "refused" if not self.ok else "verified" if self.contents_checked else "outer-verified"


# -- who signed -----------------------------------------------------------------------


def _claimed(signature: bytes | None) -> tuple[Signature | None, str]:
    """The parsed signature (None if unparseable) and its trusted comment line as written."""
    if signature is None:
        return None, ""
    text = signature.decode("utf-8", "replace")
    lines = text.split("\n")
    comment = lines[2].removeprefix("trusted comment: ").rstrip("\r") if len(lines) > 2 else ""
    try:
        return Signature.from_bytes(signature), comment
    except SignatureError:
        return None, comment


def describe_key(session: Session, key_id: str) -> tuple[str, str, str]:
    """(name, role, revoked) of a key id as the room knows it."""
    row = keyring_store.trusted_by_id(session.conn, key_id)
    if row is not None:
        force = reference.force_name(row.force)
        role = ("intake system" if row.kind == "intake" else "force signing key" if row.name == force
                else f"signing key of {force}")
        revoked = f"revoked {moment(row.revoked_at)}: {row.revoked_reason}" if row.revoked_at else ""
        return row.name, role, revoked
    for room in keyring_store.room_keys(session.conn, "signing"):
        if room.key_id == key_id:
            state = "active" if room.active else f"retired {moment(room.retired_at)}"
            return ROOM_LABEL, f"the room's signing key ({state})", ""
    for user in user_store.all_users(session.conn, include_removed=True):
        if user.personal_key_id == key_id:
            return user.name, f"personal key of {user.name} ({ROLE_LABELS.get(user.role, user.role).lower()})", ""
    return "", "not in the keyring", ""


def _signer(session: Session, signature: Signature | None) -> Signer | None:
    if signature is None:
        return None
    return Signer(signature.key_id, *describe_key(session, signature.key_id))


# -- the checks -----------------------------------------------------------------------


def _lines(checks: list[Check]) -> list[Line]:
    return [Line(check.name, PASS if check.passed else FAIL, check.detail) for check in checks]


def _replay_note(session: Session, line: Line, outer: OuterVerdict) -> Line:
    if line.name != "replay":
        return line
    bundle_id = outer.comment.bundle_id
    if outer.comment.kind == "referrals":
        return Line("replay", NOTE, f"bundle {bundle_id} is a referral bundle: forces import those, the room does not")
    if report_store.bundle_imported(session.conn, bundle_id):
        return Line("replay", NOTE, f"bundle {bundle_id} was already imported; an import would skip it")
    return Line("replay", NOTE, f"bundle {bundle_id} has not been imported")


def _member_lines(bundle: Bundle) -> list[Line]:
    """Each member's digest and name as ``sha256sum`` prints them, so a sender can compare."""
    files = bundle.manifest["files"]
    return [
        Line("member", PASS, f"{files[name]['sha256']}  {name}  ({files[name]['size']:,} bytes)")
        for name in sorted(files)
    ]


def _certification_lines(bundle: Bundle) -> list[Line]:
    lines = []
    for name in sorted(n for n in bundle.members if n.startswith("keys/") and n.endswith(".pub")):
        key = PublicKey.from_text(bundle.members[name].decode("utf-8"))
        certificate = Signature.from_bytes(bundle.members[name + ".minisig"])
        lines.append(Line(
            "supervisor certification", PASS,
            f"key {key.key_id} certified by the room key {bundle.outer.signer.key_id}: {certificate.trusted_comment}",
        ))
    for referral_id, approval in sorted(bundle.approvals.items()):
        lines.append(Line(
            "referral approval", PASS,
            f"{referral_id} approved by {approval.supervisor_name} ({approval.supervisor_key_id})",
        ))
    return lines


def _contents(session: Session, payload: bytes, signature: bytes | None, outer: OuterVerdict) -> tuple[list[Line], bool]:
    """Steps 2-5 with the room's identities: the lines after the outer ones, and whether
    the contents were checked."""
    keyring, identities, skip = build_keyring(session), room_identities(session), len(outer.checks)
    to = outer.comment.to
    try:
        bundle = read_bundle_bytes(payload, signature, keyring, identities, name=outer.payload_path.name)
    except BundleRefused as exc:
        checks: list[Check] = getattr(exc, "checks", [Check(exc.check, False, exc.detail)])
        lines = [_replay_note(session, line, outer) for line in _lines(checks)[skip:]]
        if exc.check == "decrypt" and to != ROOM_LABEL:
            lines[-1] = Line("decrypt", NOTE, f"not possible: encrypted to {to} only (the room holds no identity for it)")
        return lines, False
    lines = [_replay_note(session, line, outer) for line in _lines(bundle.checks)[skip:]]
    return lines + _member_lines(bundle) + _certification_lines(bundle), True


def _accepted_earlier(session: Session, check: str, comment: str) -> list[Line]:
    """A bundle from a revoked key that the room accepted before: when, and whether it is suspect."""
    bundle_id = comment_fields(comment).get("id", "")
    if check != "signer revoked" or not bundle_id:
        return []
    for suspect in revocation.suspect_bundles(session):
        if suspect.bundle.bundle_id == bundle_id:
            return [Line("accepted earlier", WARN, f"SUSPECT: {revocation.suspect_line(suspect)}")]
    if report_store.bundle_imported(session.conn, bundle_id):
        return [Line("accepted earlier", NOTE, "the room accepted this bundle before the key's revocation took effect")]
    return []


def check_bytes(session: Session, name: str, payload: bytes, signature: bytes | None) -> Verification:
    """Every check the room can run on a bundle held in memory; nothing recorded."""
    require(session, Action.VERIFY_BUNDLE)
    parsed, comment = _claimed(signature)
    result = Verification(name, len(payload), hashlib.sha256(payload).hexdigest(), _signer(session, parsed), comment)
    result.signature_sha256 = hashlib.sha256(signature).hexdigest() if signature is not None else ""
    try:
        outer = verify_outer_bytes(payload, signature, build_keyring(session), name=name)
    except BundleRefused as exc:
        checks: list[Check] = getattr(exc, "checks", [Check(exc.check, False, exc.detail)])
        result.lines = _lines(checks) + _accepted_earlier(session, exc.check, comment)
        result.signature_valid = any(c.name == "outer signature" and c.passed for c in checks)
        return result
    result.signature_valid = True
    result.lines = _lines(outer.checks) + [Line("signer revoked", WARN, warning) for warning in outer.warnings]
    contents, result.contents_checked = _contents(session, payload, signature, outer)
    result.lines += contents
    return result


def record_verification(session: Session, what: str, result: Verification) -> None:
    """Into the audit log as 'bundle.verified', with the verdict and the payload's hash."""
    with transaction(session.conn) as conn:
        audit.record(
            conn, session.user.name, "bundle.verified", what,
            f"{result.verdict_code}: {result.verdict} (sha256 {result.sha256[:16]})", session.clock(),
        )


def verify_bytes(session: Session, name: str, payload: bytes, signature: bytes | None, *, what: str = "") -> Verification:
    """``check_bytes``, recorded in the audit log as 'bundle.verified'."""
    result = check_bytes(session, name, payload, signature)
    record_verification(session, what or f"file {name}", result)
    return result


def verify_file(session: Session, path: Path, limits: Limits = Limits()) -> Verification:
    """Verify a bundle on the media (or anywhere); reads, never writes."""
    require(session, Action.VERIFY_BUNDLE)
    path = Path(path)
    try:
        if path.stat().st_size > limits.max_bundle_bytes:
            raise OSError(f"over the limit of {limits.max_bundle_bytes:,} bytes")
        payload = path.read_bytes()
    except OSError as exc:
        result = Verification(path.name, 0, "", None, "", [Line("read", FAIL, f"cannot read {path}: {exc.strerror or exc}")])
        record_verification(session, f"file {path.name}", result)
        return result
    try:
        signature: bytes | None = signature_path(path).read_bytes()
    except FileNotFoundError:
        signature = None
    except OSError as exc:
        signature = f"unreadable: {exc.strerror}".encode()
    return verify_bytes(session, path.name, payload, signature)


def comment_fields(comment: str) -> dict[str, str]:
    """The trusted comment's fields if it is a hotline-bundle comment, else {}."""
    try:
        parsed = TrustedComment.parse(comment)
    except ValueError:
        return {}
    return {"kind": parsed.kind, "id": parsed.bundle_id, "created": parsed.created, "count": str(parsed.count), "to": parsed.to}
