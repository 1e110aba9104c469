"""``hotline-bundle``: make, check and open bundles outside the triage room.

Exit codes: 0 ok, 1 refused or a failed check, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .bundle import KINDS, ROOM_LABEL
from .cli_make import cmd_keygen, cmd_pack
from .cli_read import cmd_inspect, cmd_open, cmd_verify, readable_names
from .cli_support import FAILED, OK, USAGE, CommandFailed
from .errors import KeyFileError
from .outcomes_cli import add_command as add_outcomes
from .textsafe import visible

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
    inspect.add_argument("bundles", nargs="+", metavar="BUNDLE", help="a bundle, or a folder of them")
    inspect.set_defaults(run=cmd_inspect)

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


__all__ = ["FAILED", "OK", "USAGE", "main", "readable_names"]  # what the tests use


if __name__ == "__main__":
    sys.exit(main())
