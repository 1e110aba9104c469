"""A failure no screen handled, told without values: what kind of error, and where.

The app locks on one (app.py) and records it here in the audit log. Only the error's
class and the place in the program's own code are kept: never its message, arguments or
local variables, which may hold report text, key ids or settings.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import PurePath

from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.session import Session
from hotline_tui.store.connection import transaction

AUDIT_ACTION = "app.failure"
OWN_PACKAGES = ("hotline_tui", "import_export")


@dataclass(frozen=True)
class Failure:
    kind: str  # the exception's class name, e.g. PermissionDenied
    place: str  # e.g. hotline_tui/screens/triage/report_screen.py:42 in __init__
    screen: str  # the screen's title as the user saw it

    def notice(self) -> str:
        return (
            f"Something went wrong on the {self.screen} screen ({self.kind}), so the room locked: "
            "nothing was left half-done. Unlock to carry on. If it happens again, tell a security "
            "officer: the failure is in the audit log."
        )


def _own_path(filename: str) -> str | None:
    parts = PurePath(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in OWN_PACKAGES:
            return "/".join(parts[index:])
    return None


def place_of(error: BaseException) -> str:
    """The innermost frame in the room's own code (file, line, function), else the
    innermost frame at all; frames are read without their local variables."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        own = _own_path(frame.filename)
        if own is not None:
            return f"{own}:{frame.lineno} in {frame.name}"
    if frames:
        last = frames[-1]
        return f"{PurePath(last.filename).name}:{last.lineno} in {last.name}"
    return "unknown place"


def describe(error: BaseException, screen: str) -> Failure:
    return Failure(type(error).__name__, place_of(error), screen or "current")


def record_failure(session: Session, failure: Failure) -> bool:
    """Into the audit log, if the store still takes entries; False if it could not."""
    try:
        session.check_open()
        with transaction(session.conn) as conn:
            record(conn, session.user.name, AUDIT_ACTION, failure.place, failure.kind, session.clock())
    except Exception:  # the store may be what failed: the lock still happens
        return False
    return True
