"""Help for the screen in front of the user: what it is for and the keys it answers to.

The keys are read from the screen's live bindings (the screen's own, the field with the
focus, the app's), never from a hand-kept list, so help cannot go stale; what a screen
is for is its ``PURPOSE``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

# Keys Textual itself binds on every screen, described for people rather than code.
LEAVING = frozenset({"back", "cancel", "close"})  # escape already does these; not worth a palette entry
FOCUS_KEYS = (("tab / shift+tab", "Next field / previous field"),)
TEXTUAL_DEFAULTS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})
DESCRIPTIONS = {"palette": "Command palette: find any action by name"}


@dataclass(frozen=True)
class KeyHelp:
    key: str
    description: str
    enabled: bool


def purpose_of(screen: Screen[object]) -> str:
    """What the screen is for: its PURPOSE, else the first paragraph of its docstring."""
    purpose = getattr(screen, "PURPOSE", "")
    if purpose:
        return str(purpose)
    doc = (type(screen).__doc__ or "").strip()
    return " ".join(doc.split("\n\n")[0].split())


def screen_title(screen: Screen[object]) -> str:
    """``HELP_TITLE``, else the class name in words: ``ApprovalQueueScreen`` is "Approval queue"."""
    title = getattr(screen, "HELP_TITLE", "")
    if title:
        return str(title)
    words = re.findall(r"[A-Z][a-z]*", type(screen).__name__.removesuffix("Screen"))
    return " ".join(words).capitalize() or "This screen"


def keys_of(screen: Screen[object]) -> dict[str, list[KeyHelp]]:
    """The keys that work on ``screen`` now, grouped: this screen, the focused field,
    everywhere; keys for the same action share a line ("? / f1")."""
    app = screen.app
    found: dict[tuple[str, str, str], list[str]] = {}
    enabled: dict[tuple[str, str, str], bool] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.system or binding.action in TEXTUAL_DEFAULTS:
            continue
        group = _group(active.node, screen)
        if group == "Where the cursor is" and not binding.show:
            continue  # a field's editing keys (ctrl+a, ctrl+w, ...) would bury the screen's own
        entry = (group, binding.action, DESCRIPTIONS.get(binding.description, binding.description))
        display = app.get_key_display(Binding(key, binding.action))
        if display not in found.setdefault(entry, []):
            found[entry].append(display)
        enabled[entry] = enabled.get(entry, False) or active.enabled
    groups: dict[str, list[KeyHelp]] = {"This screen": [], "Where the cursor is": [], "Everywhere": []}
    for entry, displays in found.items():
        groups[entry[0]].append(KeyHelp(" / ".join(displays), entry[2], enabled[entry]))
    groups["Everywhere"].extend(KeyHelp(key, text, True) for key, text in FOCUS_KEYS)
    return {name: keys for name, keys in groups.items() if keys}


def _group(node: DOMNode, screen: Screen[object]) -> str:
    if node is screen:
        return "This screen"
    if node is screen.app:
        return "Everywhere"
    return "Where the cursor is"


def help_text(screen: Screen[object]) -> str:
    """The help as plain text: the purpose, then each group of keys."""
    lines = [purpose_of(screen)]
    groups = keys_of(screen)
    width = max(len(k.key) for keys in groups.values() for k in keys)
    for group, keys in groups.items():
        lines += ["", group]
        lines += [f"  {k.key:<{width}}  {k.description}{'' if k.enabled else '  (not now)'}" for k in keys]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Help for one screen; any of escape, q, ? or f1 closes it."""

    PURPOSE = "What the screen you came from is for, and the keys it answers to. Escape closes this help."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help-box { width: 90%; max-width: 110; height: auto; max-height: 90%; }
    #help-body { height: auto; max-height: 100%; }
    """

    def __init__(self, about: Screen[object]) -> None:
        super().__init__()
        self.about_title = screen_title(about)
        self.text = help_text(about)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="panel"):
            yield Label(Content(f"Help: {self.about_title}"), classes="panel-title")
            with VerticalScroll(id="help-body"):
                yield Static(Content(self.text), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)



def screen_commands(screen: Screen[object]) -> Iterator[SystemCommand]:
    """The command palette's entries for what ``screen`` can do now: each of its enabled
    keys (and the shown keys of the field with the focus), but not Back or Cancel."""
    app, title = screen.app, screen_title(screen)
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if (node is app or not active.enabled or not binding.description or binding.system
                or binding.action in LEAVING or (node is not screen and not binding.show)):
            continue
        yield SystemCommand(
            binding.description, f"{title}: {app.get_key_display(binding)}",
            lambda action=binding.action, namespace=node: app.run_action(action, namespace),
        )
