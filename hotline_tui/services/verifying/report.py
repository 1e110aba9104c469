"""A verification written to media: a plain text report and its minisign signature by
the room's signing key, so anyone holding ``triage-room.pub`` can check that the room
said this (``minisign -Vm verification-....txt -p triage-room.pub``).

Both files are written under temporary names, synced, then renamed: the text first and
the signature last, so a report whose signature is in place is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring.keys import room_signing_key
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.services.verifying.verification import Verification, comment_fields
from hotline_tui.store.connection import transaction
from hotline_tui.wording import moment
from import_export.atomic import publish, write_temp
from import_export.bundle import PAYLOAD_SUFFIX, SIGNATURE_SUFFIX, to_the_second
from import_export.textsafe import one_line, visible

FORMAT = "hotline-verification/1"


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    signature_path: Path
    room_key_id: str


def _safe_token(text: str, limit: int = 80) -> str:
    """For the one-line trusted comment: letters, digits and ._- only."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in text)[:limit] or "_"


def report_text(result: Verification, *, by: str, at: str, room_key_id: str) -> str:
    """The report as people read it; every outside value made visible (no controls)."""
    signer = result.signer
    lines = [
        f"{FORMAT}: bundle verification by the triage room",
        "",
        f"file:        {one_line(result.file_name)}",
        f"size:        {result.size:,} bytes",
        f"sha256:      {result.sha256}",
        f"signature:   {one_line(result.file_name)}.minisig sha256 {result.signature_sha256 or '(no signature file)'}",
        f"verified at: {moment(at, seconds=True)}",
        f"verified by: {by}",
        f"signed with: the room's signing key {room_key_id}",
        "",
        f"signer key:  {signer.key_id if signer else 'unreadable signature'}",
    ]
    if signer:
        lines += [
            f"signer:      {one_line(signer.name) or '(unknown)'}, {signer.role}",
            f"revoked:     {one_line(signer.revoked) or 'no'}",
        ]
    state = "verified" if result.signature_valid else "as written, NOT verified"
    lines.append(f"comment:     {one_line(result.comment, 400)}  ({state})")
    lines += [f"  {name}={one_line(value)}" for name, value in comment_fields(result.comment).items()]
    lines += ["", "checks, in order:"]
    lines += [f"  {line.mark} {line.name}: {visible(line.detail, keep_newlines=False)}" for line in result.lines]
    lines += ["", f"verdict:     {visible(result.verdict, keep_newlines=False)}", ""]
    return "\n".join(lines)


def report_name(result: Verification, at: str) -> str:
    stem = _safe_token(result.file_name.removesuffix(PAYLOAD_SUFFIX), 100)
    stamp = at[:19].replace("-", "").replace(":", "")
    return f"verification-{stem}-{stamp}Z.txt"


def write_report(session: Session, result: Verification, out_dir: Path) -> WrittenReport:
    """Write the report and its signature to ``out_dir``; recorded in the audit log."""
    require(session, Action.VERIFY_BUNDLE)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise Refused(f"{out_dir} is not a folder.")
    key, at = room_signing_key(session), session.now()
    text = report_text(result, by=f"{session.user.display_name} ({session.user.name})", at=at, room_key_id=key.key_id)
    comment = (
        f"{FORMAT} file={_safe_token(result.file_name)} sha256={result.sha256 or 'none'} "
        f"verdict={result.verdict_code} at={to_the_second(at)} by={_safe_token(session.user.name)}"
    )
    signature = key.sign(text.encode("utf-8"), comment, "signature from the triage room's signing key")
    name = report_name(result, at)
    final, final_sig = out_dir / name, out_dir / (name + SIGNATURE_SUFFIX)
    temps: list[Path] = []
    try:
        temps.append(write_temp(out_dir, name, text.encode("utf-8")))
        temps.append(write_temp(out_dir, name + SIGNATURE_SUFFIX, signature.encode("utf-8")))
        publish([(temps[0], final), (temps[1], final_sig)])
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise Refused(f"Cannot write the report to {out_dir}: {exc.strerror or exc}.") from None
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "verification.exported", f"file {name}",
                     f"{result.verdict_code} for {result.file_name}; to {out_dir}", session.clock())
    return WrittenReport(final, final_sig, key.key_id)
