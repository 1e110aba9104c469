"""``hotline-tui users ...``, ``backup`` and ``restore``: the security officer's work, headless.

The same services and permission checks as the Users screen (services/people/users.py), so a
room can be set up or rebuilt from a runbook; every change is audited there. The
officer's password comes from the terminal or, with ``--password-stdin``, the first line
of standard input; a one-time password is made at random and printed once, or read from
the next line with ``--one-time-password-stdin``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline_tui.cli import OK, _say, _session_args, _settings, _with_session
from hotline_tui.services.people import accounts, users
from hotline_tui.services.permissions import Action, Role
from hotline_tui.services.session import Session
from hotline_tui.wording import moment
from import_export.cli_support import CommandFailed, existing_path, read_password

ROLE_CHOICES = {"analyst": Role.ANALYST, "supervisor": Role.SUPERVISOR, "security-officer": Role.SECURITY_OFFICER}


def _one_time_password(args: argparse.Namespace) -> tuple[str, bool]:
    """The new user's one-time password and whether to print it (it was made here)."""
    if not args.one_time_password_stdin:
        return accounts.one_time_password(), True
    import sys

    line = sys.stdin.readline()
    if not line:
        raise CommandFailed("--one-time-password-stdin: no line for the one-time password on standard input")
    return line.rstrip("\r\n"), False


def _hand_over(name: str, password: str, show: bool) -> None:
    if show:
        _say(f"one-time password for {name}: {password}")
        _say("  shown once: give it to them in person; they choose their own at their first unlock")
    else:
        _say(f"{name} must choose their own password at their first unlock")


def _as_officer(work: Callable[[Session, argparse.Namespace], None]) -> Callable[[argparse.Namespace], int]:
    """A ``users`` command: unlock, refuse every role but the security officer before anything
    is printed, then ``work``; what the service refuses ends the command with its words (exit 1)."""

    def run(args: argparse.Namespace) -> int:
        def work_done(session: Session) -> int:
            work(session, args)
            return OK

        return _with_session(args, work_done, Action.MANAGE_USERS)

    return run


def _list(session: Session, args: argparse.Namespace) -> None:
    for info in users.list_users(session, include_removed=args.all):
        state = (f"removed {moment(info.removed_at)}" if info.removed_at else "disabled" if info.disabled
                 else "must change password" if info.must_change_password else "active")
        _say(f"{info.name:<16} {info.role.label:<17} {state:<21} {info.display_name}")


def _add(session: Session, args: argparse.Namespace) -> None:
    password, show = _one_time_password(args)
    info = users.add_user(session, args.name, ROLE_CHOICES[args.role], password, args.display_name)
    _say(f"added {info.name} ({info.role.label.lower()}), personal key {info.personal_key_id}")
    _hand_over(info.name, password, show)


def _reset(session: Session, args: argparse.Namespace) -> None:
    password, show = _one_time_password(args)
    info = users.reset_password(session, args.name, password)
    _say(f"reset the password of {info.name}: new personal key {info.personal_key_id}")
    _hand_over(info.name, password, show)


def _enable(session: Session, args: argparse.Namespace) -> None:
    password, show = _one_time_password(args)
    info = users.enable_user(session, args.name, password, args.reason)
    _say(f"enabled {info.name} with a new personal key {info.personal_key_id}")
    _hand_over(info.name, password, show)


def _disable(session: Session, args: argparse.Namespace) -> None:
    users.disable_user(session, args.name, args.reason)
    _say(f"disabled {accounts.normalise_name(args.name)}: their key slot is deleted, their password opens nothing")


def _remove(session: Session, args: argparse.Namespace) -> None:
    users.remove_user(session, args.name, args.reason)
    _say(f"removed {accounts.normalise_name(args.name)}: the store is re-encrypted with a new key")


def _role(session: Session, args: argparse.Namespace) -> None:
    from hotline_tui.services.roles import change_role, plan_role_change  # the assessment services: slow to import

    plan = plan_role_change(session, args.name, ROLE_CHOICES[args.role], args.reason)
    change_role(session, args.name, plan.role, args.reason)
    _say(f"changed the role of {plan.user.name}: {plan.consequences()[0].split(': ', 1)[1]}")
    for line in plan.consequences()[1:]:
        _say(f"  {line}")


@dataclass(frozen=True)
class _UsersCommand:
    name: str
    work: Callable[[Session, argparse.Namespace], None]
    help: str
    one_time_password: bool = False  # makes (or reads) a one-time password
    reason: bool = False  # takes --reason for the audit log


USERS_COMMANDS = (
    _UsersCommand("list", _list, "list the room's users and their state"),
    _UsersCommand("add", _add, "add a user with a one-time password", one_time_password=True),
    _UsersCommand("reset", _reset, "give a user a new one-time password (new key slot and personal key)",
                  one_time_password=True),
    _UsersCommand("enable", _enable, "enable a disabled user with a new one-time password", one_time_password=True,
                  reason=True),
    _UsersCommand("disable", _disable, "disable a user: their key slot is deleted", reason=True),
    _UsersCommand("remove", _remove, "remove a user for good: the store is re-encrypted", reason=True),
    _UsersCommand("role", _role, "give a user another role: their open sessions end, their role keys follow",
                  reason=True),
)


def register_users(commands: Any) -> None:
    """``users list|add|reset|disable|enable|remove|role`` under ``commands`` (argparse subparsers)."""
    parser = commands.add_parser("users", help="the room's users (security officer)")
    user_commands = parser.add_subparsers(dest="users_command", required=True, metavar="USERS_COMMAND")
    for spec in USERS_COMMANDS:
        command = user_commands.add_parser(spec.name, help=spec.help)
        _session_args(command)
        if spec.name == "list":
            command.add_argument("--all", action="store_true", help="include removed users")
        if spec.name == "add":
            command.add_argument("--role", required=True, choices=tuple(ROLE_CHOICES))
            command.add_argument("--display-name", help="the name shown on screens (default: the user name)")
        if spec.one_time_password:
            command.add_argument("--one-time-password-stdin", action="store_true",
                                 help="read the one-time password from the next line of standard input "
                                      "(default: make one and print it once)")
        if spec.reason:
            command.add_argument("--reason", default="", help="why, for the audit log (required)")
        if spec.name != "list":
            command.add_argument("name", metavar="NAME", help="the user's name")
        if spec.name == "role":
            command.add_argument("role", metavar="ROLE", choices=tuple(ROLE_CHOICES),
                                 help=f"the new role: {', '.join(ROLE_CHOICES)}")
        command.set_defaults(run=_as_officer(spec.work))


# backup and restore ------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    from hotline_tui.services.backup.contents import describe_counts
    from hotline_tui.services.backup.make import make_backup

    def work(session: Session) -> int:
        made = make_backup(session, Path(args.out_dir), say=_say)
        _say(f"backup {made.path}: head {made.manifest.head}, {describe_counts(made.manifest.counts)}, "
             f"{made.size} bytes; read back and checked")
        return OK

    return _with_session(args, work, Action.BACK_UP)


def cmd_restore(args: argparse.Namespace) -> int:
    from hotline_tui.services.backup.restore import restore_backup

    existing_path(args.backup, "backup")  # a usage error, before the password is asked
    who = args.user or "the officer who made the backup"
    done = restore_backup(_settings(args), Path(args.backup), args.user, read_password(args, f"Password for {who}: "))
    _say(f"restored {args.backup} into {done.workspace}: back to audit entry {done.manifest.head} "
         f"of {moment(done.manifest.made_at, seconds=True)}")
    _say(f"what was lost: {done.lost}")
    if done.set_aside is not None:
        _say(f"the store it replaced is kept in {done.set_aside}")
    _say(f"can unlock: {', '.join(done.kept)}")
    if done.disabled:
        _say(f"came back disabled (enable each with hotline-tui users enable): {', '.join(done.disabled)}")
    return OK


def register_backup(commands: Any) -> None:
    backup = commands.add_parser("backup", help="write a checked, signed backup of the store (security officer)")
    _session_args(backup)
    backup.add_argument("out_dir", metavar="OUT_DIR", help="the folder (or medium) to write the backup into")
    backup.set_defaults(run=cmd_backup)
    restore = commands.add_parser("restore", help="check a backup and make it the room's store (security officer)")
    restore.add_argument("--workspace", required=True, help="the room's workspace folder, or an empty one")
    restore.add_argument("--user", help="your user name (default: the officer who made the backup)")
    restore.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    restore.add_argument("backup", metavar="BACKUP", help="the backup's folder (room-backup-...)")
    restore.set_defaults(run=cmd_restore)
