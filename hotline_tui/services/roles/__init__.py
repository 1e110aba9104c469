"""Giving a user another role (services/roles/change.py): checked before anything is
asked, its consequences said before it is confirmed, audited, and followed by the role
keys of the second layer."""

from hotline_tui.services.roles.change import RoleChange, change_role, plan_role_change

__all__ = ["RoleChange", "change_role", "plan_role_change"]
