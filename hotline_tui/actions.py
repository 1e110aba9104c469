"""The actions a user can take from home and the command palette, by role.

One list serves the home screen's menu and the command palette, so both always offer
the same things; each action names the permission the service layer enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline_tui.services.permissions import Action, can

if TYPE_CHECKING:
    from textual.screen import Screen

    from hotline_tui.services.session import Session


@dataclass(frozen=True)
class RoomAction:
    action_id: str
    label: str
    help: str
    permission: Action | None  # None: every signed-in user
    open_screen: Callable[[Session], Screen]


def _change_password(session: Session) -> Screen:
    from hotline_tui.screens.password_screen import ChangePasswordScreen

    return ChangePasswordScreen(session)


def _import(session: Session) -> Screen:
    from hotline_tui.screens.intake.import_screen import ImportScreen

    return ImportScreen(session)


def _import_outcomes(session: Session) -> Screen:
    from hotline_tui.screens.intake.import_screen import ImportScreen

    return ImportScreen(session, kind="outcomes")


def _statistics(session: Session) -> Screen:
    from hotline_tui.screens.statistics.statistics_screen import StatisticsScreen

    return StatisticsScreen(session)


def _retention(session: Session) -> Screen:
    from hotline_tui.screens.officer.retention_screen import RetentionScreen

    return RetentionScreen(session)


def _backups(session: Session) -> Screen:
    from hotline_tui.screens.officer.backup_screen import BackupScreen

    return BackupScreen(session)


def _queue(session: Session) -> Screen:
    from hotline_tui.screens.triage.queue_screen import QueueScreen

    return QueueScreen(session)


def _approvals(session: Session) -> Screen:
    from hotline_tui.screens.referrals.approval_screen import ApprovalQueueScreen

    return ApprovalQueueScreen(session)


def _seal(session: Session) -> Screen:
    from hotline_tui.screens.referrals.seal_screen import SealScreen

    return SealScreen(session)


def _verify(session: Session) -> Screen:
    from hotline_tui.screens.intake.verify_screen import VerifyScreen

    return VerifyScreen(session)


def _keyring(session: Session) -> Screen:
    from hotline_tui.screens.officer.keyring_screen import KeyringScreen

    return KeyringScreen(session)


def _users(session: Session) -> Screen:
    from hotline_tui.screens.officer.users_screen import UsersScreen

    return UsersScreen(session)


def _audit(session: Session) -> Screen:
    from hotline_tui.screens.officer.audit_screen import AuditScreen

    return AuditScreen(session)


def _quarantine(session: Session) -> Screen:
    from hotline_tui.screens.intake.quarantine_screen import QuarantineScreen

    return QuarantineScreen(session)


ROOM_ACTIONS: list[RoomAction] = [
    RoomAction("import", "Import report bundles", "Read report bundles from removable media", Action.IMPORT_BUNDLES, _import),
    RoomAction("queue", "Report queue", "Every report: sort, filter, search, open", Action.VIEW_QUEUE, _queue),
    RoomAction("approvals", "Approve referrals", "Review referrals awaiting approval; approve or return",
               Action.APPROVE_REFERRAL, _approvals),
    RoomAction("seal", "Seal referral bundles", "Write one signed, encrypted bundle per force to media",
               Action.SEAL_REFERRALS, _seal),
    RoomAction("verify", "Verify a bundle", "Every check of any bundle on media, in order; a signed report",
               Action.VERIFY_BUNDLE, _verify),
    RoomAction("keyring", "Keyring", "Trusted keys by kind: add from media, revoke, rotate the room's keys",
               Action.MANAGE_KEYS, _keyring),
    RoomAction("users", "Users", "Add users, reset passwords, disable, remove", Action.MANAGE_USERS, _users),
    RoomAction("audit", "Audit log", "Filter the log, verify its chain, export a signed range", Action.VIEW_AUDIT, _audit),
    RoomAction("quarantine", "Quarantine", "Refused bundles: inspect, re-verify, release or delete",
               Action.MANAGE_QUARANTINE, _quarantine),
    RoomAction("import_outcomes", "Import outcome bundles", "Read forces' outcome bundles from removable media",
               Action.IMPORT_OUTCOMES, _import_outcomes),
    RoomAction("statistics", "Statistics", "Figures for a period and force, charts, the reports behind each; export",
               Action.VIEW_STATISTICS, _statistics),
    RoomAction("backups", "Backups", "Back up the store to removable media, read back and checked; when home warns",
               Action.BACK_UP, _backups),
    RoomAction("retention", "Retention", "How long decided reports are kept; delete those past it",
               Action.MANAGE_RETENTION, _retention),
    RoomAction("change_password", "Change my password", "Set a new password for your key slot", None, _change_password),
]


def actions_for(session: Session) -> list[RoomAction]:
    return [a for a in ROOM_ACTIONS if a.permission is None or can(session, a.permission)]
