"""A list of choices whose cursor stops at the ends.

Textual's OptionList wraps: Up on the first item highlights the last, so one key too
many on home opened "Change my password" instead of importing.
"""

from __future__ import annotations

from textual import _widget_navigation
from textual.widgets import OptionList


class Menu(OptionList):
    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: _widget_navigation.Direction) -> None:
        found = _widget_navigation.find_next_enabled_no_wrap(self.options, anchor=self.highlighted, direction=direction)
        if found is not None:
            self.highlighted = found
