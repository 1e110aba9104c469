"""The footer every screen uses: shown with the screen's first paint, recomposed only when
the keys it shows change, and fitted to the terminal's width.

Textual's footer composes empty and fills itself only after the screen's first refresh
and a focus change; on the assessment form (some 200 widgets) each of those waits cost a
relayout, so its keys came a second or two after the screen. And it shows every key in a
line the width of the terminal: at 100 columns the last ones, Help among them, were cut.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

Keys = tuple[tuple[str, str, bool], ...]
HELP = "app.help_f1"  # binding ids
QUIT, LOCK = "app.quit", "app.lock"
PALETTE = 13  # the command palette's key, docked on the right


def _shown_keys(screen: Screen[object]) -> Keys:
    return tuple((b.key, b.description, enabled) for _, b, enabled, _ in screen.active_bindings.values() if b.show)


@dataclass
class _Entry:
    """One thing the footer shows: a key, or a group of keys with one label."""

    actions: tuple[str, ...]
    width: int
    group: str | None = None
    binding_id: str | None = None


def _entries(screen: Screen[object]) -> list[_Entry]:
    """What Textual's footer would show, in its order, with the width each takes."""
    by_action: defaultdict[str, list[Binding]] = defaultdict(list)
    for _, binding, _, _ in screen.active_bindings.values():
        if binding.show:
            by_action[binding.action].append(binding)
    entries: list[_Entry] = []
    firsts = [bindings[0] for bindings in by_action.values()]
    index = 0
    while index < len(firsts):
        binding = firsts[index]
        members = [binding]
        while binding.group and index + len(members) < len(firsts) and firsts[index + len(members)].group == binding.group:
            members.append(firsts[index + len(members)])
        keys = [len(screen.app.get_key_display(member)) for member in members]
        if len(members) > 1 and binding.group:
            width = sum(k + 1 for k in keys) + len(binding.group.description) + 2
            entries.append(_Entry(tuple(m.action for m in members), width, binding.group.description))
        else:
            members = [binding]
            entries.append(_Entry((binding.action,), keys[0] + 2 + len(binding.description) + 1, None, binding.id))
        index += len(members)
    return entries


def _hidden(entries: list[_Entry], room: int) -> set[str]:
    """The actions left out so that the rest fit ``room``: the app's quit, groups (their
    keys are shown where they act), the app's lock, then the screen's from the end. Help is
    never left out: it lists them all."""
    order = [e for e in entries if e.binding_id == QUIT] + [e for e in entries if e.group]
    order += [e for e in entries if e.binding_id == LOCK]
    order += [e for e in reversed(entries) if e not in order and e.binding_id != HELP]
    used = sum(e.width for e in entries)
    left_out: list[_Entry] = []
    for entry in order:
        if used <= room:
            break
        left_out.append(entry)
        used -= entry.width
    for entry in reversed(left_out[:-1]):  # one given up early may fit beside the rest after all
        if used + entry.width <= room:
            left_out.remove(entry)
            used += entry.width
    return {action for entry in left_out for action in entry.actions}


class SteadyFooter(Footer):
    """Composes its keys at once (the screen's and the app's; the focused widget's follow
    if they differ) and skips the recompose Textual does on every change of focus when the
    keys stay the same, as they do on most fields; fitted to the width (see module)."""

    _keys: Keys = ()
    _width = 0  # the terminal's width the keys were fitted to

    def compose(self) -> ComposeResult:
        width = self._width = self.app.size.width
        try:
            self._keys = _shown_keys(self.screen)
        except NoMatches:  # a screen's check_action looked for a widget not there yet:
            return  # Textual's way, once the screen has refreshed
        self.set_reactive(Footer._bindings_ready, True)
        hidden = _hidden(_entries(self.screen), width - PALETTE)
        yield from _without(super().compose(), hidden)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if _shown_keys(screen) == self._keys and self.children:
            return
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        if self.app.size.width != self._width and self.is_attached and self.screen.is_current:
            self.call_after_refresh(self.recompose)


def _without(children: Iterable[Widget], hidden: set[str]) -> Iterator[Widget]:
    """Textual's footer's widgets, those of the hidden actions not displayed (a group's
    keys are yielded inside its container, its label after it)."""
    label_hidden = False
    for child in children:
        if isinstance(child, FooterKey):
            child.display = child.action not in hidden
            label_hidden = "-grouped" in child.classes and child.action in hidden
        elif isinstance(child, FooterLabel):
            child.display = not label_hidden
        yield child
