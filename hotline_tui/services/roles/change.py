"""Giving a user another role.

``plan_role_change`` refuses what the change would refuse (yourself, the room's last
security officer, the same role, no reason) and says what it would do, so a screen or a
command can show it before asking for confirmation; ``change_role`` checks it all again
inside its write transaction and makes it. Audited as ``user.change_role``.

What follows from it:
- The user's open sessions end at their next action (``Session.check_current``): they
  unlock again in the new role.
- The role keys of the second layer (services/sealed/rolekeys.py) follow the role. A key
  the new role may hold and the old one did not is granted: at once where the officer
  holds it (the room's signing key and age identity), the contact key at the next unlock
  of an analyst or supervisor. A key the old role held and the new one may not is taken
  back and renewed, as after a removal, so a copy they kept opens nothing sealed from
  then on: at once for the officer's keys, the contact key at the next unlock of an
  analyst or supervisor. Keys both roles hold are kept.
- Reports they had taken to assess go back to the queue, drafts kept, when the new role
  does not assess.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.people import users
from hotline_tui.services.people.users import CHANGE_ROLE, UserInfo
from hotline_tui.services.permissions import Action, Role, allowed, require
from hotline_tui.services.sealed import rolekeys
from hotline_tui.services.security.events import record_refusal
from hotline_tui.services.session import Session, SessionRevoked
from hotline_tui.services.triage.assessment import give_back
from hotline_tui.store import assessments as reports
from hotline_tui.store import users as queries
from hotline_tui.store.connection import Connection, transaction
from hotline_tui.wording import a_or_an

KEY_WORDS = {
    "signing": "the room's signing key (sealing referrals, managing keys)",
    "identity": "the room's age identity (importing and verifying bundles)",
    "contact": "reporters' contact details (the audited reveal)",
}
_WHO_HOLDS = {"signing": "the officer", "identity": "the officer", "contact": "an analyst or supervisor"}


@dataclass(frozen=True)
class RoleChange:
    user: UserInfo
    role: Role
    reports_held: int  # reports they are assessing, which go back to the queue

    @property
    def gains(self) -> list[str]:
        return [p for p in rolekeys.PURPOSES if rolekeys.entitled(self.role, p)
                and not rolekeys.entitled(self.user.role, p)]

    @property
    def loses(self) -> list[str]:
        return [p for p in rolekeys.PURPOSES if rolekeys.entitled(self.user.role, p)
                and not rolekeys.entitled(self.role, p)]

    def consequences(self) -> list[str]:
        """What the change does, in words, one line each (shown before confirming)."""
        lines = [f"{self.user.name} ({self.user.display_name}): {self.user.role.label} → {self.role.label}.",
                 "Any session they have open ends at its next action; they unlock again in the new role."]
        for purpose in self.gains:
            when = "now" if _WHO_HOLDS[purpose] == "the officer" else "at the next unlock of an analyst or supervisor"
            lines.append(f"They are given {KEY_WORDS[purpose]} {when}.")
        for purpose in self.loses:
            when = "now" if _WHO_HOLDS[purpose] == "the officer" else "at the next unlock of an analyst or supervisor"
            lines.append(f"They lose {KEY_WORDS[purpose]}; that key is renewed {when}, so a copy opens nothing new.")
        if self.reports_held:
            lines.append(f"The {self.reports_held} report(s) they are assessing go back to the queue, drafts kept.")
        return lines


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise Refused(f"There is no role {role!r}: analyst, supervisor or security officer.") from None


def plan_role_change(session: Session, name: str, role: Role | str, reason: str) -> RoleChange:
    """Everything the change would refuse, refused now (before confirmation is asked),
    and what it would do."""
    require(session, Action.MANAGE_USERS)
    row, new = users.existing_user(session, name), _role(role)
    users.refuse_self(session, row, CHANGE_ROLE)
    users.refuse_last_officer(session, row, CHANGE_ROLE)
    if row.role == new:
        raise Refused(f"{row.name} is already {a_or_an(new.label.lower())}: choose another role.")
    users.need_reason(reason, "given another role")
    held = 0 if allowed(new, Action.ASSESS) else len(reports.held_by(session.conn, row.name))
    return RoleChange(users.user_info(row), new, held)


class _NoOfficerLeft(Refused):
    pass


def change_role(session: Session, name: str, role: Role | str, reason: str) -> UserInfo:
    """Give ``name`` the role ``role``, with the consequences ``plan_role_change`` lists."""
    plan = plan_role_change(session, name, role, reason)
    old, new, target = plan.user.role, plan.role, plan.user.name
    try:
        with transaction(session.conn) as conn:
            _check_still_officer(conn, session)
            queries.set_role(conn, target, new)
            if queries.count_active(conn, Role.SECURITY_OFFICER) == 0:  # another officer's change meanwhile
                raise _NoOfficerLeft(f"Cannot change the role of {target}: the room would have no active security officer.")
            rolekeys.forget_user(session, conn, target, held_as=old)
            record(conn, session.user.name, "user.change_role", target,
                   f"{old.label.lower()} to {new.label.lower()}: {reason.strip()}", session.clock())
            if not allowed(new, Action.ASSESS):
                for key in reports.held_by(conn, target):
                    head = reports.report_head(conn, key)
                    assert head is not None
                    give_back(conn, head, session.user.name, f"{target} no longer assesses ({new.label.lower()})",
                              session.now())
    except _NoOfficerLeft as exc:
        record_refusal(session, f"user.{CHANGE_ROLE}", target, "refused: the last active security officer")
        raise Refused(str(exc)) from None
    except SessionRevoked:
        session.check_current()  # records why this session ended, and says it
        raise
    rolekeys.settle(session)  # the keys this officer holds, granted to the new role
    return users.user_info(users.existing_user(session, target))


def _check_still_officer(conn: Connection, session: Session) -> None:
    """Inside the transaction: another officer may have changed this one since ``require``."""
    row = queries.get(conn, session.user.name)
    if row is None or row.role != Role.SECURITY_OFFICER or row.disabled or row.removed_at:
        raise SessionRevoked("Your own account was changed meanwhile: this session has ended.")
