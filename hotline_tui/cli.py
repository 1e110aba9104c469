"""``hotline-tui``: start the app, or run a headless command through the same services.

Exit codes: 0 ok, 1 refused or failed, 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.errors import HotlineError
from hotline_tui.services.permissions import Action
from hotline_tui.services.session import Session
from hotline_tui.wording import moment
from import_export.cli_support import USAGE, CommandFailed, bundles_named, existing_path, read_password
from import_export.errors import KeyFileError
from import_export.textsafe import visible
from import_export.wording import counted

OK, FAILED = 0, 1


def _say(text: str) -> None:
    print(visible(text), flush=True)


def _settings(args: argparse.Namespace) -> Settings:
    media = tuple(Path(p) for p in getattr(args, "media", None) or ())
    return Settings(workspace=Path(args.workspace), media_dirs=media)


def _with_session(args: argparse.Namespace, work: Callable[[Session], int], *may: Action) -> int:
    """Unlock, check the role may do one of ``may`` before anything is printed, then work."""
    from hotline_tui.services.people.workspace import unlock
    from hotline_tui.services.permissions import require_any

    # Headless commands run both whole-store checks before anything is written (the app runs
    # them in the background instead): nobody watches a command for a later warning, and a
    # damaged store is better refused before an import or a key change lands in it.
    existing_path(args.workspace, "workspace")  # a usage error, before the password is asked
    session = unlock(_settings(args), args.user, read_password(args, f"Password for {args.user}: "), full_check=True)
    try:
        if may:
            require_any(session, *may)
        return work(session)
    finally:
        session.close()


# commands --------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from hotline_tui.app import HotlineApp

    if args.demo:
        from hotline_tui.demo.room import DEMO_ACCOUNTS, ensure_demo_room

        room = ensure_demo_room(Path(args.workspace or "demo-room"), progress=_say, history=True)
        media = (room.media, *([room.force_media] if room.force_media.is_dir() else []), *(Path(p) for p in args.media or ()))
        settings = Settings(workspace=room.workspace, media_dirs=media)
        app = HotlineApp(settings, demo_credentials=DEMO_ACCOUNTS)
    elif not args.workspace:
        raise CommandFailed("give --workspace DIR (or --demo for a ready demo room)", USAGE)
    else:
        existing_path(args.workspace, "workspace")
        app = HotlineApp(_settings(args))
    app.run()
    return app.return_code or OK


def cmd_init(args: argparse.Namespace) -> int:
    from hotline_tui.services.people.workspace import create_workspace

    password = read_password(args, f"New password for {args.user}: ", twice=True)
    session = create_workspace(_settings(args), args.user, password)
    session.close()
    _say(f"created the room in {args.workspace} with security officer {args.user}")
    _say("next: hotline-tui keys export --workspace DIR --user NAME OUT_DIR, for intake systems and forces")
    return OK


def cmd_demo(args: argparse.Namespace) -> int:
    from hotline_tui.demo.room import build_demo_room

    room = build_demo_room(Path(args.workspace), progress=_say, history=not args.empty)
    _say(f"demo room ready: workspace {room.workspace}, media {room.media}, forces' secret keys {room.secrets}")
    if not args.empty:
        _say(f"referrals sealed to {room.sent}, forces' outcome bundles waiting on {room.force_media}")
    return OK


def cmd_keys_export(args: argparse.Namespace) -> int:
    from hotline_tui.services.keyring.keys import export_public_keys

    out = Path(args.out_dir)
    if out.exists() and not out.is_dir():  # before the password is asked
        raise CommandFailed(f"{out} is a file, not a folder", USAGE)

    def work(session: Session) -> int:
        try:
            out.mkdir(parents=True, exist_ok=True)  # as hotline-bundle keygen --out and pack --out do
        except OSError as exc:
            raise CommandFailed(f"cannot make the folder {out}: {exc.strerror}") from exc
        for path in export_public_keys(session, out):
            _say(f"wrote {path}")
        return OK

    return _with_session(args, work, Action.MANAGE_KEYS)


def cmd_keys_add(args: argparse.Namespace) -> int:
    from hotline_tui.reference import force_by_code
    from hotline_tui.services.keyring.keys import add_key_file, unknown_force

    if args.kind == "force" and not args.force:
        raise CommandFailed("--kind force needs --force CODE, the force the key belongs to (e.g. --force kent)", USAGE)
    if args.kind == "force" and force_by_code(args.force) is None:  # before the password is asked
        raise CommandFailed(f"--force: {unknown_force(args.force)}", USAGE)
    if args.kind == "intake" and args.force:
        raise CommandFailed("--force is for --kind force: an intake key belongs to no force", USAGE)
    for file in args.files:
        existing_path(file, "key file")

    def work(session: Session) -> int:
        for file in args.files:
            for row in add_key_file(session, Path(file), args.kind, args.force, args.name):
                _say(f"added {row.kind} {row.key_type} key {row.key_id} ({row.name}{', ' + row.force if row.force else ''})")
        return OK

    return _with_session(args, work, Action.MANAGE_KEYS)


def cmd_keys_list(args: argparse.Namespace) -> int:
    from hotline_tui.services.keyring.keys import list_keys, room_public_keys

    def work(session: Session) -> int:
        trusted = list_keys(session)  # refuses a role without the right before anything is printed
        room = room_public_keys(session)
        _say(f"room     minisign {room.signing.key_id}  (the room's signing key)")
        _say(f"room     age      {room.recipient}")
        for row in trusted:
            state = f"revoked {moment(row.revoked_at)}" if row.revoked_at else "trusted"
            _say(f"{row.kind:<8} {row.key_type:<8} {row.key_id}  {row.name}  {row.force or ''}  {state}  added by {row.added_by}")
        return OK

    return _with_session(args, work, Action.MANAGE_KEYS)


def cmd_import(args: argparse.Namespace) -> int:
    from hotline_tui.services.intake.importing import describe, import_bundles
    from hotline_tui.services.referrals.outcomes import describe_outcomes, import_outcomes

    run, say, unit = (import_outcomes, describe_outcomes, "outcomes") if args.kind == "outcomes" else \
        (import_bundles, describe, "reports")

    paths = bundles_named(args.paths, "nothing was imported")  # before the password: a wrong path is found at once

    def work(session: Session) -> int:
        extra = {"index": False} if args.kind != "outcomes" else {}  # red flags after the summary, below
        summary = run(session, paths, quarantine=not args.no_quarantine, **extra)
        for result in summary.results:
            _say(say(result))
        _say(
            f"{summary.imported} imported, {summary.skipped} skipped, {summary.refused} refused, "
            f"{counted(summary.reports_added, unit)} added"
        )
        if extra and args.index_later:
            _red_flags_left(session)
        elif extra and not _index_red_flags(session):
            return FAILED
        return FAILED if summary.refused else OK

    return _with_session(args, work, Action.IMPORT_OUTCOMES if args.kind == "outcomes" else Action.IMPORT_BUNDLES)


def _red_flags_left(session: Session) -> None:
    from hotline_tui.store.subjects import pending_count

    left = pending_count(session.conn)
    if left:
        _say(f"red flags: {left:,} reports still to index; the app indexes them in the background when the room is next "
             "unlocked (or the next import without --index-later does)")


def _index_red_flags(session: Session) -> bool:
    """Make the red-flag rows of the reports just imported (and any an earlier run left),
    saying how far it is every few seconds; whether it finished."""
    from hotline_tui.services.redflags.indexing import IndexProgress, index_pending
    from hotline_tui.store.subjects import pending_count

    total = pending_count(session.conn)
    if not total:
        return True
    _say(f"red flags: indexing {total:,} reports…")
    said = [time.monotonic()]

    def heard(step: IndexProgress) -> None:
        if time.monotonic() - said[0] >= 5:
            said[0] = time.monotonic()
            _say(f"red flags: {step.done:,} of {step.total:,} reports indexed")

    started, done = time.monotonic(), 0
    try:
        # Reports' words read in two child processes while this one stores, where there are
        # cores for all three; on two, here (one child would only add the cost of the pipe).
        workers = 2 if (os.cpu_count() or 1) >= 3 else 0
        done = index_pending(session.conn, session.settings.store_path, progress=heard, workers=workers)
    except KeyboardInterrupt:
        left = pending_count(session.conn)
        _say(f"red flags: indexing stopped with {left:,} reports still to index; the room indexes them when it is "
             "next opened (or the next import does)")
        return False
    _say(f"red flags: {done:,} reports indexed in {time.monotonic() - started:.1f} s")
    return True


# parser ----------------------------------------------------------------------------


def _session_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", required=True, help="the room's workspace folder")
    parser.add_argument("--user", required=True, help="your user name")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline-tui",
        description="The triage room. Without a command: open the app on --workspace DIR, or --demo.",
    )
    parser.add_argument("--workspace", help="the room's workspace folder")
    parser.add_argument("--media", action="append", help="a folder to treat as removable media (repeatable)")
    parser.add_argument("--demo", action="store_true", help="make (or reuse) a demo room and open it")
    parser.set_defaults(run=cmd_run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create a new room with its first security officer")
    init.add_argument("--workspace", required=True)
    init.add_argument("--user", required=True, help="the first security officer's user name")
    init.add_argument("--password-stdin", action="store_true")
    init.set_defaults(run=cmd_init)

    demo = commands.add_parser("demo", help="make a demo room (workspace, media, forces' keys) without starting the app")
    demo.add_argument("--workspace", required=True, help="a new folder for the demo room")
    demo.add_argument("--empty", action="store_true", help="no history: an empty store, every report bundle on the media")
    demo.set_defaults(run=cmd_demo)

    keys = commands.add_parser("keys", help="the room's keys and keyring (security officer)")
    key_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="KEYS_COMMAND")
    export = key_commands.add_parser("export", help="write the room's public keys for intake systems and forces")
    _session_args(export)
    export.add_argument("out_dir", metavar="OUT_DIR")
    export.set_defaults(run=cmd_keys_export)
    add = key_commands.add_parser("add", help="trust an intake system's or a force's public key files")
    _session_args(add)
    add.add_argument("--kind", required=True, choices=("intake", "force"))
    add.add_argument("--force", help="the force code, for --kind force")
    add.add_argument("--name", help="a name for the key (default: from the file name)")
    add.add_argument("files", nargs="+", metavar="FILE")
    add.set_defaults(run=cmd_keys_add)
    listing = key_commands.add_parser("list", help="list the room's keys and the trusted keys")
    _session_args(listing)
    listing.set_defaults(run=cmd_keys_list)

    imp = commands.add_parser("import", help="import report (or forces' outcome) bundles headless, one line per bundle")
    _session_args(imp)
    imp.add_argument("--kind", choices=("reports", "outcomes"), default="reports",
                     help="reports from intake (analysts), or outcomes from forces (security officer)")
    imp.add_argument("--no-quarantine", action="store_true", help="do not keep refused bundles in quarantine")
    imp.add_argument("--index-later", action="store_true",
                     help="leave the red-flag indexing to the app (it indexes in the background when next unlocked)")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="bundle files or folders holding them")
    imp.set_defaults(run=cmd_import)

    from hotline_tui.cli_admin import register_backup, register_users

    register_users(commands)
    register_backup(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CommandFailed as exc:
        print(f"hotline-tui: {visible(str(exc))}", file=sys.stderr)
        return exc.code
    except (HotlineError, KeyFileError) as exc:
        print(f"hotline-tui: {visible(str(exc))}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("hotline-tui: interrupted", file=sys.stderr)
        return FAILED
    except Exception as exc:  # never a traceback (it may show values): the kind of failure only
        print(f"hotline-tui: failed ({type(exc).__name__}); what was done so far is kept, the rest was not done."
              " If it happens again, tell a security officer.", file=sys.stderr)
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
