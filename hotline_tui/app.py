"""The App: screens, bindings, command palette, lock and idle auto-lock. No business logic."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from hotline_tui.actions import actions_for
from hotline_tui.config import Settings
from hotline_tui.demo.room import DemoCredential
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services.session import Session
from hotline_tui.services.store_check import may_check_on_demand

ROLE_LABELS = {"analyst": "Analyst", "supervisor": "Supervisor", "security_officer": "Security officer"}


class HotlineApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Hotline triage room"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, settings: Settings, *, demo_credentials: Sequence[DemoCredential] = ()) -> None:
        super().__init__()
        self.settings = settings
        self.demo_credentials = tuple(demo_credentials)
        self.session: Session | None = None
        self._last_input = time.monotonic()

    def on_mount(self) -> None:
        self.push_screen(self._unlock_screen())
        self.set_interval(5, self._check_idle, name="idle-lock")

    def _unlock_screen(self) -> UnlockScreen:
        return UnlockScreen(self.settings, self.demo_credentials)

    # session --------------------------------------------------------------------

    def on_unlock_screen_unlocked(self, message: UnlockScreen.Unlocked) -> None:
        self.session = message.session
        user = message.session.user
        self.sub_title = f"{user.display_name} ({user.name}) · {ROLE_LABELS.get(str(user.role), str(user.role))}"
        self._last_input = time.monotonic()
        self.switch_screen(HomeScreen(message.session))
        if message.session.must_change_password:
            self._require_new_password(message.session)

    def _require_new_password(self, session: Session) -> None:
        """A password set by a security officer is changed before anything else."""
        from hotline_tui.screens.password_screen import ChangePasswordScreen

        self.push_screen(ChangePasswordScreen(session, required=True))

    def action_lock(self) -> None:
        if self.session is None:
            return
        for screen in self.screen_stack:
            before_lock = getattr(screen, "before_lock", None)
            if callable(before_lock):
                before_lock()  # e.g. the assessment saves its draft while the store is open
        session, self.session = self.session, None
        session.close()
        self.sub_title = "Locked"
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(self._unlock_screen())
        self.notify("Locked: the store is closed.", title="Locked")

    def lock_damaged(self, problem: str) -> None:
        """The store check found damage: lock, and say what to do until it is acknowledged."""
        from hotline_tui.screens.store_damaged_screen import StoreDamagedScreen

        self.action_lock()
        self.push_screen(StoreDamagedScreen(problem))

    def check_store(self) -> None:
        """The officer's on-demand store check: it runs, and shows, on the home screen."""
        self.go_home()
        home = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if isinstance(home, HomeScreen):
            home.action_check_store()

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_input
        if self.session is not None and idle >= self.settings.idle_lock_seconds:
            self.action_lock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    # command palette ------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.session is not None and self.session.must_change_password:
            yield SystemCommand("Lock", "Close the store and return to the unlock screen", self.action_lock)
        elif self.session is not None:
            for action in actions_for(self.session):
                yield SystemCommand(action.label, action.help, lambda a=action: self.open_action(a.action_id))
            if may_check_on_demand(self.session):
                yield SystemCommand("Check the store", "Both whole-store integrity checks, shown on home and audited",
                                    self.check_store)
            yield SystemCommand("Home", "Back to your home screen", self.go_home)
            yield SystemCommand("Lock", "Close the store and return to the unlock screen", self.action_lock)
        yield SystemCommand("Quit", "Close the store and quit", self.exit)

    def open_action(self, action_id: str) -> None:
        if self.session is None or self.session.must_change_password:
            return
        for action in actions_for(self.session):
            if action.action_id == action_id:
                self.push_screen(action.open_screen(self.session))
                return
        self.notify("That action is not available to your role.", severity="warning")

    def go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
