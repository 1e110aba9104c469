"""Lists whose cursor stops at the ends.

Textual's OptionList (and SelectionList, built on it) wraps: Up on the first item
highlights the last, so one key too many on home opened "Change my password" instead
of importing, or went from the first count to the last.
"""

from __future__ import annotations

from typing import TypeVar

from textual import _widget_navigation
from textual.widgets import OptionList, SelectionList

SelectionType = TypeVar("SelectionType")


def _step(options: OptionList, direction: _widget_navigation.Direction) -> None:
    found = _widget_navigation.find_next_enabled_no_wrap(options.options, anchor=options.highlighted, direction=direction)
    if found is not None:
        options.highlighted = found


class Menu(OptionList):
    def action_cursor_up(self) -> None:
        _step(self, -1)

    def action_cursor_down(self) -> None:
        _step(self, 1)


class Choices(SelectionList[SelectionType]):
    """A SelectionList (space ticks) whose cursor stops at the ends."""

    def action_cursor_up(self) -> None:
        _step(self, -1)

    def action_cursor_down(self) -> None:
        _step(self, 1)
