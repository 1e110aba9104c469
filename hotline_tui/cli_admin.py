"""``hotline-tui users ...``, ``backup`` and ``restore``: the security officer's work, headless.

The same services and permission checks as the Users screen (services/users.py), so a
room can be set up or rebuilt from a runbook; every change is audited there. The
officer's password comes from the terminal or, with ``--password-stdin``, the first line
of standard input; a one-time password is made at random and printed once, or read from
the next line with ``--one-time-password-stdin``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hotline_tui.cli import OK, _say, _session_args, _settings, _with_session
from hotline_tui.services import accounts
from hotline_tui.services.permissions import Action, Role
from hotline_tui.services.session import Session
from import_export.cli import CommandFailed, existing_path, read_password

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


def cmd_users_list(args: argparse.Namespace) -> int:
    from hotline_tui.services.users import list_users

    def work(session: Session) -> int:
        for info in list_users(session, include_removed=args.all):
            state = (f"removed {info.removed_at}" if info.removed_at else "disabled" if info.disabled
                     else "must change password" if info.must_change_password else "active")
            _say(f"{info.name:<16} {info.role.label:<17} {state:<21} {info.display_name}")
        return OK

    return _with_session(args, work, Action.MANAGE_USERS)


def cmd_users_add(args: argparse.Namespace) -> int:
    from hotline_tui.services.users import add_user

    def work(session: Session) -> int:
        password, show = _one_time_password(args)
        info = add_user(session, args.name, ROLE_CHOICES[args.role], password, args.display_name)
        _say(f"added {info.name} ({info.role.label.lower()}), personal key {info.personal_key_id}")
        _hand_over(info.name, password, show)
        return OK

    return _with_session(args, work, Action.MANAGE_USERS)


def cmd_users_reset(args: argparse.Namespace) -> int:
    from hotline_tui.services.users import reset_password

    def work(session: Session) -> int:
        password, show = _one_time_password(args)
        info = reset_password(session, args.name, password)
        _say(f"reset the password of {info.name}: new personal key {info.personal_key_id}")
        _hand_over(info.name, password, show)
        return OK

    return _with_session(args, work, Action.MANAGE_USERS)


def cmd_users_enable(args: argparse.Namespace) -> int:
    from hotline_tui.services.users import enable_user

    def work(session: Session) -> int:
        password, show = _one_time_password(args)
        info = enable_user(session, args.name, password, args.reason)
        _say(f"enabled {info.name} with a new personal key {info.personal_key_id}")
        _hand_over(info.name, password, show)
        return OK

    return _with_session(args, work, Action.MANAGE_USERS)


def cmd_users_disable(args: argparse.Namespace) -> int:
    from hotline_tui.services.users import disable_user

    def work(session: Session) -> int:
        disable_user(session, args.name, args.reason)
        _say(f"disabled {accounts.normalise_name(args.name)}: their key slot is deleted, their password opens nothing")
        return OK

    return _with_session(args, work, Action.MANAGE_USERS)


def cmd_users_remove(args: argparse.Namespace) -> int:
    from hotline_tui.services.users import remove_user

    def work(session: Session) -> int:
        remove_user(session, args.name, args.reason)
        _say(f"removed {accounts.normalise_name(args.name)}: the store is re-encrypted with a new key")
        return OK

    return _with_session(args, work, Action.MANAGE_USERS)


def register_users(commands: Any) -> None:
    """``users list|add|reset|disable|enable|remove`` under ``commands`` (argparse subparsers)."""
    users = commands.add_parser("users", help="the room's users (security officer)")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="USERS_COMMAND")
    listing = user_commands.add_parser("list", help="list the room's users and their state")
    _session_args(listing)
    listing.add_argument("--all", action="store_true", help="include removed users")
    listing.set_defaults(run=cmd_users_list)
    for name, run, text, one_time, reason in (
        ("add", cmd_users_add, "add a user with a one-time password", True, False),
        ("reset", cmd_users_reset, "give a user a new one-time password (new key slot and personal key)", True, False),
        ("enable", cmd_users_enable, "enable a disabled user with a new one-time password", True, True),
        ("disable", cmd_users_disable, "disable a user: their key slot is deleted", False, True),
        ("remove", cmd_users_remove, "remove a user for good: the store is re-encrypted", False, True),
    ):
        command = user_commands.add_parser(name, help=text)
        _session_args(command)
        if name == "add":
            command.add_argument("--role", required=True, choices=tuple(ROLE_CHOICES))
            command.add_argument("--display-name", help="the name shown on screens (default: the user name)")
        if one_time:
            command.add_argument("--one-time-password-stdin", action="store_true",
                                 help="read the one-time password from the next line of standard input "
                                      "(default: make one and print it once)")
        if reason:
            command.add_argument("--reason", default="", help="why, for the audit log")
        command.add_argument("name", metavar="NAME", help="the user's name")
        command.set_defaults(run=run)


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
         f"of {done.manifest.made_at}")
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
