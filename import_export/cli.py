"""``hotline-bundle``: make, check and open bundles outside the triage room.

Exit codes: 0 ok, 1 refused or a failed check, 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import agekeys, strictjson
from .atomic import write_atomic, write_tree
from .bundle import KINDS, PAYLOAD_SUFFIX, ROOM_LABEL, Keyring, TrustedComment, bundle_files, signature_path
from .documents import attachment_member, validate_outcome, validate_report
from .errors import BundleRefused, DocumentInvalid, KeyFileError, why_unreadable
from .minisign import PublicKey, SecretKey, Signature, SignatureError
from .reader import Bundle, Check, read_bundle, verify_outer
from .strictjson import JsonRefused
from .textsafe import visible
from .writer import outcome_members, report_members, write_bundle

OK, FAILED, USAGE = 0, 1, 2


class CommandFailed(Exception):
    """A failure to report on stderr with exit code 1 (or 2 for usage)."""

    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.code = code


def _say(text: str = "") -> None:
    print(visible(text), flush=True)


def read_password(args: argparse.Namespace, prompt: str, twice: bool = False) -> str:
    """From standard input with --password-stdin, else asked on the terminal (twice to confirm)."""
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise CommandFailed("--password-stdin: nothing on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandFailed("no terminal to ask for the password: use --password-stdin", USAGE)
    password = getpass.getpass(prompt)
    if twice and getpass.getpass("Again, to confirm: ") != password:
        raise CommandFailed("the two passwords differ; nothing was written")
    return password


def existing_path(text: str, what: str) -> Path:
    """A path the user named, which must exist: a usage error (2) if it does not."""
    path = Path(text)
    if not path.exists():
        raise CommandFailed(f"{what} {path} does not exist", USAGE)
    return path


def bundles_named(paths: Sequence[str], unused: str = "nothing was checked") -> list[Path]:
    """Bundle files named, or those in the folders named (and their direct subfolders).
    A missing path is a usage error; a folder without a bundle fails with what it lacks."""
    found: list[Path] = []
    for text in paths:
        path = existing_path(text, "bundle or folder")
        if path.is_dir():
            inside = bundle_files(path)
            if not inside:
                raise CommandFailed(f"no bundles (*{PAYLOAD_SUFFIX}) in {path}; {unused}")
            found += inside
        else:
            found.append(path)
    return found


def _load_secret_key(args: argparse.Namespace) -> SecretKey:
    path = existing_path(args.key, "secret key")
    try:
        text = path.read_text("utf-8")
        password = None
        if SecretKey.is_encrypted_text(text):
            password = read_password(args, f"Password for {path.name}: ")
        return SecretKey.from_text(text, password)
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandFailed(f"cannot read secret key {path}: {why_unreadable(exc)}") from exc


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
    _say(f"key id:     {key.key_id}")
    _say(f"recipient:  {identity.to_public()}")
    for path in files.values():
        _say(f"wrote       {path}")
    _say("Keep the .key and .age files secret; give the .pub and .age.pub files to the other side,")
    _say("and read them the key id over another channel so they can compare it.")
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
    signer = _load_secret_key(args)
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
    _say(f"wrote {written.path}")
    _say(f"      {written.signature_path}")
    _say(f"kind={written.kind} id={written.bundle_id} count={written.count} signer={written.signer_key_id}")
    return OK


# verify ---------------------------------------------------------------------------


def _keyring(args: argparse.Namespace) -> Keyring:
    try:
        if args.keyring:
            return Keyring.from_dir(existing_path(args.keyring, "--keyring"))
        return Keyring.single(PublicKey.load(existing_path(args.pubkey, "--pubkey")), Path(args.pubkey).stem)
    except KeyFileError as exc:
        raise CommandFailed(str(exc), USAGE) from exc


def _identities(path: str | None) -> list[Any]:
    if not path:
        return []
    try:
        return agekeys.load_identities(existing_path(path, "--identity"))
    except KeyFileError as exc:
        raise CommandFailed(f"--identity: {exc}", USAGE) from exc


def _print_checks(checks: Sequence[Check]) -> None:
    for check in checks:
        mark = "PASS" if check.passed else "FAIL"
        _say(f"  [{mark}] {check.name}: {check.detail}")


def _verify_one(path: Path, keyring: Keyring, identities: list[Any]) -> bool:
    _say(f"{path}")
    try:
        if identities:
            bundle = read_bundle(path, keyring, identities)
            _print_checks(bundle.checks)
            for referral_id, approval in bundle.approvals.items():
                _say(f"  [PASS] referral {referral_id}: approved by {approval.supervisor_name} ({approval.supervisor_key_id})")
            warnings = bundle.outer.warnings
        else:
            outer = verify_outer(path, keyring)
            _print_checks(outer.checks)
            _say("  (no --identity: the contents were not decrypted or checked)")
            warnings = outer.warnings
    except BundleRefused as exc:
        _print_checks(getattr(exc, "checks", [Check(exc.check, False, exc.detail)]))
        _say(f"  REFUSED: {exc.reason}")
        return False
    for warning in warnings:
        _say(f"  WARNING: {warning}")
    _say("  VERIFIED" if identities else "  OUTER SIGNATURE VERIFIED")
    return True


def cmd_verify(args: argparse.Namespace) -> int:
    keyring = _keyring(args)
    identities = _identities(args.identity)
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
    keyring = _keyring(args)
    identities = _identities(args.identity)
    out = Path(args.out)
    path = existing_path(args.bundle, "bundle")
    if path.is_dir():
        raise CommandFailed(f"{path} is a folder: name one bundle ({PAYLOAD_SUFFIX}) to open", USAGE)
    try:
        bundle = read_bundle(path, keyring, identities, kind=args.kind, recipient=args.force)
    except BundleRefused as exc:
        _print_checks(getattr(exc, "checks", []))
        raise CommandFailed(f"refused, nothing written: {exc.reason}") from exc
    target = out / path.name.removesuffix(".tar.age")
    if target.exists():
        raise CommandFailed(f"{target} already exists; nothing written")
    out.mkdir(parents=True, exist_ok=True)
    try:
        write_tree(target, _open_files(bundle))
    except OSError as exc:
        raise CommandFailed(f"cannot write {target}: {exc.strerror}; nothing written") from exc
    _print_checks(bundle.checks)
    _say(f"opened {len(bundle.documents)} {bundle.kind} into {target}")
    names = readable_names(bundle)
    for referral_id, approval in bundle.approvals.items():
        _say(f"  {names.get(referral_id, f'referrals/{referral_id}.txt')}  approved by {approval.supervisor_name}"
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


def cmd_inspect(args: argparse.Namespace) -> int:
    path = existing_path(args.bundle, "bundle")
    try:
        size = path.stat().st_size
        stanzas = _age_stanzas(path)
    except OSError as exc:
        raise CommandFailed(f"cannot read {path}: {exc.strerror}") from exc
    _say(f"{path}  (NOT VERIFIED: inspect checks nothing)")
    _say(f"  size:       {size:,} bytes")
    _say(f"  recipients: {len(stanzas)} stanza(s): {', '.join(stanzas) or 'none'}")
    try:
        signature = Signature.from_text(signature_path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, SignatureError) as exc:
        _say(f"  signature:  unreadable or missing ({why_unreadable(exc)})")
        return OK
    _say(f"  signer key: {signature.key_id} (claimed, not checked)")
    try:
        comment = TrustedComment.parse(signature.trusted_comment)
    except ValueError as exc:
        _say(f"  comment:    {signature.trusted_comment}")
        _say(f"  the comment is not a hotline-bundle/1 comment: {exc}")
        return OK
    for label, value in (("kind", comment.kind), ("bundle id", comment.bundle_id), ("created", comment.created),
                         ("items", comment.count), ("to", comment.to)):
        _say(f"  {label + ':':<11} {value}")
    return OK


# parser ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline-bundle",
        description="Make, verify and open hotline bundles (age + minisign). Exit 0 ok, 1 refused or failed, 2 usage.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    keygen = commands.add_parser("keygen", help="make a minisign key pair and an age identity")
    keygen.add_argument("--name", required=True, help="who the keys are for, e.g. intake-online or met")
    keygen.add_argument("--out", required=True, help="folder for NAME.key, NAME.pub, NAME.age, NAME.age.pub")
    keygen.add_argument(
        "--no-password", action="store_true", help="leave the secret key unencrypted (an already protected system)"
    )
    keygen.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    keygen.set_defaults(run=cmd_keygen)

    pack = commands.add_parser("pack", help="pack report or outcome documents into a signed, encrypted bundle")
    pack.add_argument("--kind", required=True, choices=("reports", "outcomes"))
    pack.add_argument("--key", required=True, help="the sender's minisign secret key file")
    pack.add_argument("--to", required=True, action="append", help="age recipient (age1...) or a file of them; repeatable")
    pack.add_argument("--out", required=True, help="folder to write the bundle to")
    pack.add_argument("--label", default=ROOM_LABEL, help=f"recipient label in the bundle (default {ROOM_LABEL})")
    pack.add_argument("--password-stdin", action="store_true", help="read the key's password from standard input")
    pack.add_argument("source", help="folder with reports.jsonl or *.json (and attachments/<report_id>/...)")
    pack.set_defaults(run=cmd_pack)

    verify = commands.add_parser("verify", help="check bundles: outer signature, and every check with --identity")
    who = verify.add_mutually_exclusive_group(required=True)
    who.add_argument("--pubkey", help="the signer's minisign public key file")
    who.add_argument("--keyring", help="folder of trusted *.pub files")
    verify.add_argument("--identity", help="age identity file that can decrypt the bundles")
    verify.add_argument("bundles", nargs="+", metavar="BUNDLE")
    verify.set_defaults(run=cmd_verify)

    open_ = commands.add_parser("open", help="verify a bundle fully and write its documents to a folder")
    open_.add_argument("--identity", required=True, help="your age identity file")
    open_.add_argument("--keyring", required=True, help="folder of trusted *.pub files (the triage room's key)")
    open_.add_argument("--out", required=True, help="folder to write into (a subfolder per bundle)")
    open_.add_argument("--kind", choices=KINDS, default="referrals", help="expected kind (default referrals)")
    open_.add_argument("--force", help="refuse a bundle not addressed to this force code")
    open_.add_argument("bundle", metavar="BUNDLE")
    open_.set_defaults(run=cmd_open)

    inspect = commands.add_parser("inspect", help="what can be seen without keys (never verified)")
    inspect.add_argument("bundle", metavar="BUNDLE")
    inspect.set_defaults(run=cmd_inspect)

    from .outcomes_cli import add_command as add_outcomes  # it uses this module's helpers

    add_outcomes(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CommandFailed as exc:
        print(f"hotline-bundle {args.command}: {visible(str(exc))}", file=sys.stderr)
        return exc.code
    except KeyFileError as exc:
        print(f"hotline-bundle {args.command}: {visible(str(exc))}", file=sys.stderr)
        return FAILED
    except BrokenPipeError:
        return OK if args.command == "keygen" else FAILED
    except KeyboardInterrupt:
        print(f"hotline-bundle {args.command}: interrupted; nothing was left under a final name", file=sys.stderr)
        return FAILED
    except Exception as exc:  # never a traceback (it may show values): the kind of failure only
        print(f"hotline-bundle {args.command}: failed ({type(exc).__name__}); nothing was left under a final name",
              file=sys.stderr)
        return FAILED


if __name__ == "__main__":
    sys.exit(main())


