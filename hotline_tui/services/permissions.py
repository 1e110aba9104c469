"""Who may do what. Every service checks here, so hiding a button is never the only guard.

The matrix (decisions worth knowing):

- An analyst works reports: imports bundles, reads the queue and reports, reveals a
  reporter's contact details (audited) and assesses.
- A supervisor can do all of that, and approves or returns referrals and seals them
  for forces; also sees and exports statistics. Not their own work (see
  ``require_not_own_work``).
- A security officer runs the room, not the casework: users, keys, the audit log,
  bundle verification (signatures need no secret), quarantine, retention, backups,
  importing forces' outcomes, statistics, and the queue's counts, but never a report's
  content or a reporter's contact details. Separation of duties: whoever manages access does
  not also read the intelligence.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from hotline_tui.errors import PermissionDenied
from hotline_tui.wording import a_or_an


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    SECURITY_OFFICER = "security_officer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[str, str] = {
    "analyst": "Analyst",
    "supervisor": "Supervisor",
    "security_officer": "Security officer",
}


class Action(StrEnum):
    IMPORT_BUNDLES = "import_bundles"
    VIEW_QUEUE = "view_queue"
    VIEW_REPORT = "view_report"
    REVEAL_CONTACT = "reveal_contact"
    ASSESS = "assess"
    APPROVE_REFERRAL = "approve_referral"
    RETURN_REFERRAL = "return_referral"
    SEAL_REFERRALS = "seal_referrals"
    VERIFY_BUNDLE = "verify_bundle"
    MANAGE_USERS = "manage_users"
    MANAGE_KEYS = "manage_keys"
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"
    MANAGE_QUARANTINE = "manage_quarantine"
    IMPORT_OUTCOMES = "import_outcomes"
    VIEW_STATISTICS = "view_statistics"
    EXPORT_STATISTICS = "export_statistics"
    MANAGE_RETENTION = "manage_retention"
    SET_DISCLOSURE = "set_disclosure"  # the publication export's threshold
    BACK_UP = "back_up"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


_ANALYST = frozenset(
    {Action.IMPORT_BUNDLES, Action.VIEW_QUEUE, Action.VIEW_REPORT, Action.REVEAL_CONTACT, Action.ASSESS}
)
_SUPERVISOR = _ANALYST | {
    Action.APPROVE_REFERRAL,
    Action.RETURN_REFERRAL,
    Action.SEAL_REFERRALS,
    Action.VIEW_STATISTICS,
    Action.EXPORT_STATISTICS,
    Action.SET_DISCLOSURE,
}
_SECURITY_OFFICER = frozenset(
    {
        Action.VERIFY_BUNDLE,
        Action.MANAGE_USERS,
        Action.MANAGE_KEYS,
        Action.VIEW_AUDIT,
        Action.EXPORT_AUDIT,
        Action.MANAGE_QUARANTINE,
        Action.MANAGE_RETENTION,
        Action.BACK_UP,
        Action.IMPORT_OUTCOMES,
        Action.VIEW_STATISTICS,
        Action.EXPORT_STATISTICS,
        Action.VIEW_QUEUE,
    }
)
MATRIX: dict[Role, frozenset[Action]] = {
    Role.ANALYST: _ANALYST,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.SECURITY_OFFICER: _SECURITY_OFFICER,
}


class _User(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> Role: ...


class _Session(Protocol):
    @property
    def user(self) -> _User: ...
    def check_current(self) -> None: ...
    def record_refusal(self, what: str, why: str) -> None: ...


def allowed(role: Role | str, action: Action) -> bool:
    return action in MATRIX[Role(role)]


def can(session: _Session, action: Action) -> bool:
    return allowed(session.user.role, action)


def require(session: _Session, action: Action) -> None:
    """Raise PermissionDenied unless the session's role may take ``action``, audited. First
    the user's state is read again (``Session.check_current``): a change made by a security
    officer ends the session, and a one-time password allows nothing here."""
    session.check_current()
    _require_role(session, action)


def _require_role(session: _Session, action: Action) -> None:
    if not can(session, action):
        role = Role(session.user.role)
        from hotline_tui.services.security.events import record_refusal  # the audit needs this module

        refused = f"{a_or_an(role.label.lower())} may not"
        record_refusal(session, action.value, session.user.name, refused)
        raise PermissionDenied(f"{refused.capitalize()} {action.label} ({session.user.name}).")


def require_any(session: _Session, *actions: Action) -> None:
    """For a capability several actions need (e.g. the room's identity: importing reports or outcomes)."""
    session.check_current()
    if not any(can(session, action) for action in actions):
        _require_role(session, actions[0])


def require_not_own_work(session: _Session, assessed_by: str, what: str = "this referral") -> None:
    """A supervisor never approves what they assessed themselves: two people see every referral."""
    if session.user.name == assessed_by:
        message = (f"You ({session.user.name}) assessed {what} yourself, so you cannot approve it:"
                   " another supervisor must approve it.")
        session.record_refusal(what, message)
        raise PermissionDenied(message)
