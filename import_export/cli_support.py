"""What every ``hotline-bundle`` command shares: exit codes, the failure it reports, the
password, the paths and keys it is given, and how checks are printed."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import agekeys
from .bundle import PAYLOAD_SUFFIX, Keyring, bundle_files
from .errors import KeyFileError, why_unreadable
from .minisign import PublicKey, SecretKey
from .reader import Check
from .textsafe import visible

OK, FAILED, USAGE = 0, 1, 2


class CommandFailed(Exception):
    """A failure to report on stderr with exit code 1 (or 2 for usage)."""

    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.code = code


def say(text: str = "") -> None:
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


def load_secret_key(args: argparse.Namespace) -> SecretKey:
    path = existing_path(args.key, "secret key")
    try:
        text = path.read_text("utf-8")
        password = None
        if SecretKey.is_encrypted_text(text):
            password = read_password(args, f"Password for {path.name}: ")
        return SecretKey.from_text(text, password)
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandFailed(f"cannot read secret key {path}: {why_unreadable(exc)}") from exc


def keyring_of(args: argparse.Namespace) -> Keyring:
    try:
        if args.keyring:
            return Keyring.from_dir(existing_path(args.keyring, "--keyring"))
        return Keyring.single(PublicKey.load(existing_path(args.pubkey, "--pubkey")), Path(args.pubkey).stem)
    except KeyFileError as exc:
        raise CommandFailed(str(exc), USAGE) from exc


def identities_from(path: str | None) -> list[Any]:
    if not path:
        return []
    try:
        return agekeys.load_identities(existing_path(path, "--identity"))
    except KeyFileError as exc:
        raise CommandFailed(f"--identity: {exc}", USAGE) from exc


def print_checks(checks: Sequence[Check]) -> None:
    for check in checks:
        mark = "PASS" if check.passed else "FAIL"
        say(f"  [{mark}] {check.name}: {check.detail}")
