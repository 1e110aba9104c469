"""``hotline-bundle keygen`` and ``pack``: the keys of an intake system or a force, and
the signed, encrypted bundle of its reports or outcomes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import agekeys, strictjson
from .atomic import write_atomic
from .cli_support import OK, USAGE, CommandFailed, existing_path, load_secret_key, read_password, say
from .documents import attachment_member, validate_outcome, validate_report
from .errors import DocumentInvalid, KeyFileError, why_unreadable
from .minisign import SecretKey
from .strictjson import JsonRefused
from .wording import counted
from .writer import outcome_members, report_members, write_bundle

# keygen ---------------------------------------------------------------------------


def cmd_keygen(args: argparse.Namespace) -> int:
    out = Path(args.out)
    name = args.name
    if not name or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-" for c in name):
        raise CommandFailed("--name must be made of letters, digits, '.', '_' and '-'", USAGE)
    files = {suffix: out / f"{name}{suffix}" for suffix in (".key", ".pub", ".age", ".age.pub")}
    existing = [str(p) for p in files.values() if p.exists()]
    if existing:
        raise CommandFailed(f"refusing to overwrite {', '.join(existing)}")
    password = None if args.no_password else read_password(args, "Password for the new secret key: ", twice=True)
    if password == "":
        raise CommandFailed("an empty password protects nothing; use --no-password for a key on a protected system")
    out.mkdir(parents=True, exist_ok=True)
    key = SecretKey.generate()
    identity = agekeys.generate_identity()
    write_atomic(files[".key"], key.to_text(password).encode())
    write_atomic(files[".pub"], key.public_key.to_text(f"minisign public key {key.key_id} of {name}").encode())
    write_atomic(files[".age"], agekeys.identity_text(identity).encode())
    write_atomic(files[".age.pub"], f"# age recipient of {name}\n{identity.to_public()}\n".encode())
    say(f"key id:     {key.key_id}")
    say(f"recipient:  {identity.to_public()}")
    for path in files.values():
        say(f"wrote       {path}")
    say("Keep the .key and .age files secret; give the .pub and .age.pub files to the other side,")
    say("and read them the key id over another channel so they can compare it.")
    return OK


# pack -----------------------------------------------------------------------------


def _load_documents(source: Path, jsonl_name: str, limits: strictjson.JsonLimits) -> list[tuple[str, Any]]:
    """Documents from SOURCE/<jsonl_name> (one a line) or SOURCE/*.json (one a file)."""
    documents: list[tuple[str, Any]] = []
    jsonl_path = source / jsonl_name
    try:
        if jsonl_path.exists():
            for number, line in enumerate(jsonl_path.read_bytes().splitlines(), 1):
                if line.strip():
                    documents.append((f"{jsonl_name} line {number}", strictjson.loads(line, limits)))
        for path in sorted(source.glob("*.json")):
            documents.append((path.name, strictjson.loads(path.read_bytes(), limits)))
    except JsonRefused as exc:
        raise CommandFailed(f"{jsonl_path if not documents else documents[-1][0]}: {exc}") from exc
    except OSError as exc:
        raise CommandFailed(f"cannot read {source}: {why_unreadable(exc)}") from exc
    if not documents:
        raise CommandFailed(f"no documents in {source}: expected {jsonl_name} or *.json files")
    return documents


def _validated(documents: list[tuple[str, Any]], validate: Any) -> list[dict[str, Any]]:
    valid = []
    for origin, document in documents:
        try:
            valid.append(validate(document))
        except DocumentInvalid as exc:
            raise CommandFailed(f"{origin}: field {exc.field} {exc.message}; nothing was written") from exc
    return valid


def _report_attachments(source: Path, reports: list[dict[str, Any]]) -> dict[str, bytes]:
    attachments: dict[str, bytes] = {}
    for report in reports:
        for item in report["attachments"]:
            member = attachment_member(report["report_id"], item["path"])
            path = source / member
            try:
                attachments[member] = path.read_bytes()
            except OSError as exc:
                raise CommandFailed(f"report {report['report_id']}: attachment {path} cannot be read: {exc.strerror}") from exc
    return attachments


def cmd_pack(args: argparse.Namespace) -> int:
    existing_path(args.key, "secret key")  # a usage error comes before any document is read
    source = existing_path(args.source, "source folder")
    if not source.is_dir():
        raise CommandFailed(f"{source} is not a folder of documents", USAGE)
    try:
        recipients = [r for value in args.to for r in agekeys.load_recipients(value)]
    except KeyFileError as exc:
        raise CommandFailed(f"--to: {exc}", USAGE) from exc
    limits = strictjson.JsonLimits()
    if args.kind == "reports":
        reports = _validated(_load_documents(source, "reports.jsonl", limits), validate_report)
        members = report_members(reports, _report_attachments(source, reports))
        count = len(reports)
    else:
        outcomes = _validated(_load_documents(source, "outcomes.jsonl", limits), validate_outcome)
        members, count = outcome_members(outcomes), len(outcomes)
    signer = load_secret_key(args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CommandFailed(f"--out {out} is a file, not a folder", USAGE)
    try:
        out.mkdir(parents=True, exist_ok=True)  # as keygen --out does
    except OSError as exc:
        raise CommandFailed(f"cannot make the folder {out}: {exc.strerror}") from exc
    written = write_bundle(
        out, kind=args.kind, members=members, count=count, signer=signer,
        recipients=recipients, recipient_label=args.label,
    )
    say(f"wrote {written.path}")
    say(f"      {written.signature_path}")
    say(f"{counted(written.count, written.kind)} for {args.label}, bundle {written.bundle_id}, "
        f"signed with key {written.signer_key_id}")
    return OK


