"""``hotline-bundle verify``, ``open`` and ``inspect``: checking bundles, opening one
after every check, and what can be seen of one without keys."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from .atomic import write_tree
from .bundle import PAYLOAD_SUFFIX, Keyring, TrustedComment, signature_path
from .cli_support import (
    FAILED,
    OK,
    USAGE,
    CommandFailed,
    bundles_named,
    existing_path,
    identities_from,
    keyring_of,
    print_checks,
    say,
)
from .errors import BundleRefused, why_unreadable
from .minisign import Signature, SignatureError
from .reader import Bundle, Check, read_bundle, verify_outer
from .wording import counted


def _verify_one(path: Path, keyring: Keyring, identities: list[Any]) -> bool:
    say(f"{path}")
    try:
        if identities:
            bundle = read_bundle(path, keyring, identities)
            print_checks(bundle.checks)
            for referral_id, approval in bundle.approvals.items():
                say(f"  [PASS] referral {referral_id}: approved by {approval.supervisor_name} ({approval.supervisor_key_id})")
            warnings = bundle.outer.warnings
        else:
            outer = verify_outer(path, keyring)
            print_checks(outer.checks)
            say("  (no --identity: the contents were not decrypted or checked)")
            warnings = outer.warnings
    except BundleRefused as exc:
        print_checks(getattr(exc, "checks", [Check(exc.check, False, exc.detail)]))
        say(f"  REFUSED: {exc.reason}")
        return False
    for warning in warnings:
        say(f"  WARNING: {warning}")
    say("  VERIFIED" if identities else "  OUTER SIGNATURE VERIFIED")
    return True


def cmd_verify(args: argparse.Namespace) -> int:
    keyring = keyring_of(args)
    identities = identities_from(args.identity)
    results = [_verify_one(path, keyring, identities) for path in bundles_named(args.bundles)]
    return OK if all(results) else FAILED


# open -----------------------------------------------------------------------------


_READABLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def readable_names(bundle: Bundle) -> dict[str, str]:
    """referral id -> the name of its rendering's readable copy: the room's reference
    (``HTR-2026-000123.txt``), where it makes a safe file name held by no other."""
    names: dict[str, str] = {}
    for document in bundle.documents if bundle.kind == "referrals" else []:
        reference = str(document.get("reference", ""))
        name = f"{reference}.txt"
        if _READABLE_NAME.fullmatch(reference) and name not in names.values() and name not in bundle.members:
            names[str(document["referral_id"])] = name
    return names


def _open_files(bundle: Bundle) -> dict[str, bytes]:
    """Every member, manifest.json.minisig included, so the force can re-verify the
    manifest later with stock minisign; read_bundle has checked each name and digest.
    Beside them, each referral's rendering again under its reference, the name people use."""
    files = dict(bundle.members)
    for referral_id, name in readable_names(bundle).items():
        files[name] = bundle.members[f"referrals/{referral_id}.txt"]
    return files


def cmd_open(args: argparse.Namespace) -> int:
    keyring = keyring_of(args)
    identities = identities_from(args.identity)
    out = Path(args.out)
    path = existing_path(args.bundle, "bundle")
    if path.is_dir():
        raise CommandFailed(f"{path} is a folder: name one bundle ({PAYLOAD_SUFFIX}) to open", USAGE)
    try:
        bundle = read_bundle(path, keyring, identities, kind=args.kind, recipient=args.force)
    except BundleRefused as exc:
        print_checks(getattr(exc, "checks", []))
        raise CommandFailed(f"refused, nothing written: {exc.reason}") from exc
    target = out / path.name.removesuffix(".tar.age")
    if target.exists():
        raise CommandFailed(f"{target} already exists; nothing written")
    out.mkdir(parents=True, exist_ok=True)
    try:
        write_tree(target, _open_files(bundle))
    except OSError as exc:
        raise CommandFailed(f"cannot write {target}: {exc.strerror}; nothing written") from exc
    print_checks(bundle.checks)
    say(f"opened {counted(len(bundle.documents), bundle.kind)} into {target}")
    names = readable_names(bundle)
    for referral_id, approval in bundle.approvals.items():
        say(f"  {names.get(referral_id, f'referrals/{referral_id}.txt')}  approved by {approval.supervisor_name}"
             f" ({approval.supervisor_key_id})")
    return OK


# inspect --------------------------------------------------------------------------


def _age_stanzas(path: Path) -> list[str]:
    with path.open("rb") as handle:
        header = handle.read(64 * 1024)
    if not header.startswith(b"age-encryption.org/v1\n"):
        return ["not an age file (no age-encryption.org/v1 header)"]
    stanzas = []
    for line in header.split(b"\n")[1:]:
        if line.startswith(b"---"):
            break
        if line.startswith(b"-> "):
            parts = line[3:].decode("ascii", "replace").split(" ")
            stanzas.append(f"{parts[0]} (grease, ignored)" if parts[0].endswith("-grease") else parts[0])
    return stanzas


def _recipients(stanzas: list[str]) -> str:
    real = [s for s in stanzas if not s.endswith("(grease, ignored)")]
    grease = len(stanzas) - len(real)
    return (f"{counted(len(real), 'stanzas')}: {', '.join(real) or 'none'}"
            + (f" (and {counted(grease, 'grease stanzas')}, ignored)" if grease else ""))


def _inspect_one(path: Path) -> None:
    try:
        size = path.stat().st_size
        stanzas = _age_stanzas(path)
    except OSError as exc:
        raise CommandFailed(f"cannot read {path}: {exc.strerror}") from exc
    say(f"{path}  (NOT VERIFIED: inspect checks nothing)")
    say(f"  size:       {size:,} bytes")
    say(f"  recipients: {_recipients(stanzas)}")
    try:
        signature = Signature.from_text(signature_path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, SignatureError) as exc:
        say(f"  signature:  unreadable or missing ({why_unreadable(exc)})")
        return
    say(f"  signer key: {signature.key_id} (claimed, not checked)")
    try:
        comment = TrustedComment.parse(signature.trusted_comment)
    except ValueError as exc:
        say(f"  comment:    {signature.trusted_comment}")
        say(f"  the comment is not a hotline-bundle/1 comment: {exc}")
        return
    for label, value in (("kind", comment.kind), ("bundle id", comment.bundle_id), ("created", comment.created),
                         ("items", comment.count), ("to", comment.to)):
        say(f"  {label + ':':<11} {value}")


def cmd_inspect(args: argparse.Namespace) -> int:
    """Each bundle named, or each in the folders named (as verify finds them)."""
    for path in bundles_named(args.bundles, "nothing was inspected"):
        _inspect_one(path)
    return OK
