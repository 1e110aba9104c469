"""A footer for screens with many widgets: shown with the screen's first paint, and
recomposed only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Keys = tuple[tuple[str, str, bool], ...]


def _shown_keys(screen: Screen[object]) -> Keys:
    return tuple((b.key, b.description, enabled) for _, b, enabled, _ in screen.active_bindings.values() if b.show)


class SteadyFooter(Footer):
    """Textual's footer composes empty and fills itself only after the screen's first
    refresh and a focus change; on a form of some 200 widgets each of those waits costs a
    relayout, so the keys came a second or two after the screen. This one composes its
    keys at once (the screen's and the app's; the focused widget's follow if they
    differ), and skips the recompose Textual does on every change of focus when the keys
    stay the same, as they do on most fields."""

    _keys: Keys = ()

    def compose(self) -> ComposeResult:
        self.set_reactive(Footer._bindings_ready, True)
        self._keys = _shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if _shown_keys(screen) == self._keys and self.children:
            return
        super().bindings_changed(screen)
