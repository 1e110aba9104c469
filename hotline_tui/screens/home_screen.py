"""Home: what waits for the user, the removable media seen, their role's actions, and the
store check that runs in the background after unlock."""

from __future__ import annotations

import threading
from datetime import UTC
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.actions import actions_for
from hotline_tui.services.backup.status import backup_status
from hotline_tui.services.intake.media import Medium, media_for
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.redflags.indexing import start_indexing
from hotline_tui.services.session import Session
from hotline_tui.services.store_care import store_check, store_loss
from hotline_tui.services.triage.overview import Waiting, waiting_items
from hotline_tui.widgets.indexing_line import IndexingLine
from hotline_tui.widgets.menu import Menu
from hotline_tui.widgets.safe_text import safe
from hotline_tui.widgets.steady_footer import SteadyFooter


class HomeScreen(Screen[None]):
    PURPOSE = (
        "What waits for you, the removable media seen, and everything your role can do. Enter opens the "
        "highlighted action; ctrl+p finds any action by name."
    )
    CSS_PATH = "home_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="home.refresh"),
        Binding("c", "check_store", "Check store", id="home.check_store"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._stop_check = threading.Event()
        self._waiting: list[Waiting] = []
        self._started = False  # the overview, the media scan and the store check are running

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-columns"):
            with Vertical(id="home-left"):
                with Vertical(id="waiting", classes="panel"):
                    yield Label("Waiting for you (Enter opens the list)", classes="panel-title")
                    yield Menu(id="waiting-list")
                with Vertical(id="media", classes="panel"):
                    yield Label("Removable media", classes="panel-title")
                    yield Static("", id="media-list")
                yield Static(Content("Store check: not run yet"), id="store-check")
                yield Static("", id="backup-line")
                yield IndexingLine(id="indexing-line")
            with Vertical(id="actions", classes="panel"):
                yield Label("What you can do", classes="panel-title")
                yield Menu(id="action-list")
        yield SteadyFooter()

    def on_mount(self) -> None:
        options = [Option(Content(a.label), id=a.action_id) for a in actions_for(self.session)]
        action_list = self.query_one("#action-list", OptionList)
        action_list.add_options(options)
        action_list.highlighted = 0 if options else None
        action_list.focus()
        if not self.session.must_change_password:  # a one-time password reads nothing: see on_screen_resume
            self._start()

    def _start(self) -> None:
        self._started = True
        self.refresh_overview()
        self.set_interval(3, self._scan_media, name="media-scan")
        self._start_check(on_demand=False)
        self._start_indexing()

    def _start_indexing(self) -> None:
        """Red flags an import (or a migration) left to index: in the background, said here."""
        self.query_one(IndexingLine).follow(start_indexing(self.session))

    def on_indexing_line_done(self) -> None:
        if self.is_current and not self.session.closed:
            self.refresh_overview()  # escalations count the reports just indexed

    def on_screen_resume(self) -> None:
        if self.session.closed:  # resumed on the way out of a lock: the store is shut
            return
        if not self._started:
            if not self.session.must_change_password:  # the user has just chosen their own password
                self._start()
            return
        self.refresh_overview()
        self._start_indexing()

    def refresh_overview(self) -> None:
        self._waiting = waiting_items(self.session)
        width = max((len(item.label) for item in self._waiting), default=0)
        # As wide as the largest count, no wider: at 100 columns the officer's longest label
        # and a fixed 7 wrapped every count onto a line of its own.
        digits = max((len(f"{item.count:,}") for item in self._waiting), default=1)
        waiting = self.query_one("#waiting-list", OptionList)
        highlighted = waiting.highlighted
        waiting.clear_options()
        waiting.add_options(
            [Option(Content(f"{item.label:<{width}}  {item.count:>{digits},}"), id=str(number))
             for number, item in enumerate(self._waiting)]
            or [Option(Content("Nothing waits for you."), disabled=True)]
        )
        if self._waiting:
            waiting.highlighted = min(highlighted or 0, len(self._waiting) - 1)
        self._show_backup()
        self._scan_media()

    def _show_backup(self) -> None:
        """The officer's line: when the last good backup was made, a warning when it is overdue."""
        line = self.query_one("#backup-line", Static)
        line.display = can(self.session, Action.BACK_UP)
        if line.display:
            status = backup_status(self.session)
            line.update(safe(status.line()))
            line.set_class(status.overdue, "error")

    @on(OptionList.OptionSelected, "#waiting-list")
    def _open_list(self, event: OptionList.OptionSelected) -> None:
        """A count opens the list of exactly what it counts."""
        if event.option.id is not None:
            self.open_waiting(self._waiting[int(event.option.id)])

    def open_waiting(self, item: Waiting) -> None:
        if item.preset is None:
            self.app.open_action(item.opens)  # type: ignore[attr-defined]
            return
        from hotline_tui.screens.triage.queue_screen import QueueScreen

        self.app.push_screen(QueueScreen(self.session, item.preset))

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

    # the store check ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check_store":  # after unlock it runs for everyone; again on demand, the officer's
            return store_check.may_check_on_demand(self.session)
        return True

    def action_check_store(self) -> None:
        self._start_check(on_demand=True)

    def _start_check(self, on_demand: bool) -> None:
        self._stop_check.set()  # a run still going says nothing the new one will not
        self._stop_check = threading.Event()
        self._show_check("Store check: running…")
        self._check_store(self._stop_check, on_demand)

    @work(thread=True, exclusive=True, group="store-check", exit_on_error=False)
    def _check_store(self, stop: threading.Event, on_demand: bool) -> None:
        settings, key, clock = self.session.settings, self.session.store_key, self.session.clock
        try:
            outcome = store_check.check_store(settings.store_path, key, stop, clock)
        except Exception as exc:  # not damage (that is an outcome): e.g. the file could not be opened
            if not stop.is_set():
                self.app.call_from_thread(self._show_check, f"Store check: could not run ({type(exc).__name__})", True)
            return
        if outcome is not None:
            self.app.call_from_thread(self._store_checked, outcome, on_demand)

    def _store_checked(self, outcome: store_check.StoreCheckOutcome, on_demand: bool) -> None:
        if not outcome.passed and store_loss.key_changed(self.session):  # re-keyed under it, not damaged
            self.app.lock_lost_store(store_loss.StoreLoss(rekeyed=True, problem=outcome.problem))  # type: ignore[attr-defined]
            return
        if not outcome.passed:  # even if locked meanwhile: the failure goes on file and is shown
            store_check.record_outcome(self.session, outcome)
            self.app.lock_damaged(outcome.problem)  # type: ignore[attr-defined]
            return
        if self.session.closed:
            return
        store_check.record_outcome(self.session, outcome)
        self._show_check(f"Store check: passed at {outcome.finished.astimezone(UTC):%H:%M} UTC")
        if on_demand:
            self.notify(f"Store check passed in {outcome.seconds:.1f} s (recorded in the audit log).")

    def _show_check(self, text: str, error: bool = False) -> None:
        line = self.query_one("#store-check", Static)
        line.update(Content(text))
        line.set_class(error, "error")

    def before_lock(self) -> None:
        """Stop a running check, so its reader lets go before the session's last checkpoint."""
        self._stop_check.set()

    def on_unmount(self) -> None:
        self._stop_check.set()

    @on(OptionList.OptionSelected, "#action-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_action(event.option.id)  # type: ignore[attr-defined]

    def action_refresh(self) -> None:
        self.refresh_overview()
