"""Errors whose messages are safe to show a person: they never carry a secret."""

from __future__ import annotations


class HotlineError(Exception):
    """Base of every refusal the room explains to its user."""


class UnlockFailed(HotlineError):
    """The workspace could not be opened; the message says why, and nothing secret."""


class WrongPassword(UnlockFailed):
    """Wrong user name or password. Deliberately the same for both."""

    def __init__(self, message: str = "Wrong user name or password.") -> None:
        super().__init__(message)


class AccountDisabled(UnlockFailed):
    """The password was right but a security officer has disabled the account."""


class WorkspaceMissing(UnlockFailed):
    """No workspace (no key slots) where one was expected."""


class StoreDamaged(UnlockFailed):
    """The store failed its integrity checks or does not open with the key from the slots."""


class StoreTooNew(UnlockFailed):
    """The store was written by a newer version of the program."""


class WorkspaceExists(HotlineError):
    """Refusing to create a workspace over an existing, non-empty folder."""


class PermissionDenied(HotlineError):
    """The user's role does not allow the action, or the action is their own work."""


class PasswordRejected(HotlineError):
    """A password change was refused: wrong current password or a weak new one."""


class Refused(HotlineError):
    """A request that would break a rule of the room (last security officer, unknown user ...)."""


class KeyRefused(HotlineError):
    """A key file that cannot be added to the keyring, with the reason."""


class SealingBusy(Refused):
    """Another session holds the seal lock; nothing was touched."""


class StoreBusy(HotlineError):
    """Another session kept the store's write lock past the wait; nothing was changed."""
