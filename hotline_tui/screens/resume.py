"""What a lock remembers so that unlocking returns the same user to where they were.

At a lock every screen is discarded with the session it read through (nothing the store
held stays on screen or in a widget). What is kept is how to build each one again: a
``Reopen`` per screen above home, made by the screen itself (``reopen()``, for a screen
with state worth keeping: the report open, the queue's filters and row) or, for a screen
that needs nothing but the session, by its class. The assessment's draft is saved at the
lock (``before_lock``), so reopening it is reopening the work in progress.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.screen import ModalScreen, Screen

from hotline_tui.screens.help_screen import screen_title
from hotline_tui.services.session import Session

# Built again with the new session and the screen rebuilt below it (home, for the first).
Reopen = Callable[[Session, Screen], Screen]


@dataclass(frozen=True)
class Resume:
    user: str                   # only this user returns to them
    screens: tuple[Reopen, ...]
    where: str                  # the top screen's title, for the unlock screen's notice


def _by_class(screen: Screen) -> Reopen | None:
    """A screen whose constructor takes the session alone is built again from its class."""
    parameters = list(inspect.signature(type(screen).__init__).parameters.values())[1:]
    if [p.name for p in parameters] != ["session"] or not hasattr(screen, "session"):
        return None
    return lambda session, _below: type(screen)(session)  # type: ignore[call-arg]


def reopener(screen: Screen) -> Reopen | None:
    own = getattr(screen, "reopen", None)
    if callable(own):
        try:
            made: Reopen | None = own()
        except Exception:  # a screen still composing, say: it is not rebuilt, home is
            return None
        return made
    return None if isinstance(screen, ModalScreen) else _by_class(screen)


def remember(user: str, stack: Sequence[Screen]) -> Resume | None:
    """The screens above home that can be built again, bottom first; a dialog on top is
    left out (what it asked is asked again), and so is everything above a screen that
    cannot be rebuilt (what it opened depends on it)."""
    screens: list[Reopen] = []
    where = ""
    for screen in stack:
        made = reopener(screen)
        if made is None:
            if isinstance(screen, ModalScreen):
                continue
            break
        screens.append(made)
        where = screen_title(screen)
    return Resume(user, tuple(screens), where) if screens else None
