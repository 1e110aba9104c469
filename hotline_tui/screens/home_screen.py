"""Home: what waits for the user, the removable media seen, and their role's actions."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.actions import actions_for
from hotline_tui.services.media import Medium, media_for
from hotline_tui.services.overview import waiting_for
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import safe


class HomeScreen(Screen[None]):
    CSS_PATH = "home_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="home.refresh"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-columns"):
            with Vertical(id="home-left"):
                with Vertical(id="waiting", classes="panel"):
                    yield Label("Waiting for you", classes="panel-title")
                    yield Static("", id="waiting-list")
                with Vertical(id="media", classes="panel"):
                    yield Label("Removable media", classes="panel-title")
                    yield Static("", id="media-list")
            with Vertical(id="actions", classes="panel"):
                yield Label("What you can do", classes="panel-title")
                yield OptionList(id="action-list")
        yield Footer()

    def on_mount(self) -> None:
        options = [Option(Content(a.label), id=a.action_id) for a in actions_for(self.session)]
        action_list = self.query_one("#action-list", OptionList)
        action_list.add_options(options)
        action_list.highlighted = 0 if options else None
        action_list.focus()
        self.refresh_overview()
        self.set_interval(3, self._scan_media, name="media-scan")

    def on_screen_resume(self) -> None:
        if self.session.closed:  # resumed on the way out of a lock: the store is shut
            return
        self.refresh_overview()

    def refresh_overview(self) -> None:
        rows = waiting_for(self.session)
        width = max((len(label) for label, _ in rows), default=0)
        text = "\n".join(f"{label:<{width}}  {count:>7,}" for label, count in rows) or "Nothing waits for you."
        self.query_one("#waiting-list", Static).update(Content(text))
        self._scan_media()

    @work(thread=True, exclusive=True, group="media-scan", exit_on_error=False)
    def _scan_media(self) -> None:
        media = media_for(self.session.settings)
        self.app.call_from_thread(self._show_media, media)

    def _show_media(self, media: list[Medium]) -> None:
        if not media:
            text = "No removable media seen. Insert a stick, or start with --media DIR."
        else:
            text = "\n".join(f"{m.label}  ({m.bundle_count} bundle{'s' if m.bundle_count != 1 else ''})  {m.path}" for m in media)
        self.query_one("#media-list", Static).update(safe(text))  # folder names come from the stick

    @on(OptionList.OptionSelected, "#action-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_action(event.option.id)  # type: ignore[attr-defined]

    def action_refresh(self) -> None:
        self.refresh_overview()
