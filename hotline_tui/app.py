"""The App: screens, bindings, command palette, lock, idle auto-lock, and the lock when the
store can no longer be read. No business logic."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from hotline_tui.actions import actions_for
from hotline_tui.config import Settings
from hotline_tui.demo.room import DemoCredential
from hotline_tui.errors import HotlineError
from hotline_tui.screens.help_screen import screen_commands
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.screens.resume import Resume, remember
from hotline_tui.screens.unlock_screen import UnlockScreen
from hotline_tui.services import failures
from hotline_tui.services.security import events as security_events
from hotline_tui.services.session import Session, SessionClosed
from hotline_tui.services.store_care import store_loss
from hotline_tui.services.store_care.store_check import may_check_on_demand
from hotline_tui.services.store_care.store_loss import StoreLoss

FAILURE_WINDOW_SECONDS = 10
MAX_FAILURES_IN_WINDOW = 5


def _words(screen: Screen) -> str:
    """QueueScreen -> queue."""
    name = type(screen).__name__.removesuffix("Screen")
    return "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()


ROLE_LABELS = {"analyst": "Analyst", "supervisor": "Supervisor", "security_officer": "Security officer"}


def _duration(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    if minutes and not rest:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


class HotlineApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Hotline triage room"
    # Screens' CSS lays out for 100x30 (the smallest size supported) up to wide terminals.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (130, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (40, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help", show=False),
        Binding("f1", "help", "Help", id="app.help_f1"),
    ]

    def __init__(self, settings: Settings, *, demo_credentials: Sequence[DemoCredential] = ()) -> None:
        super().__init__()
        self.settings = settings
        self.demo_credentials = tuple(demo_credentials)
        self.session: Session | None = None
        self._last_input = time.monotonic()
        self._resume: Resume | None = None  # where the user was at the last lock
        self.failures: list[failures.Failure] = []  # contained this run (kind and place only)
        self._failure_times: list[float] = []

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._watch_workers, immediate=True)
        self.push_screen(self._unlock_screen())
        self.set_interval(5, self._check_idle, name="idle-lock")

    def _unlock_screen(self, notice: str = "", user: str = "") -> UnlockScreen:
        return UnlockScreen(self.settings, self.demo_credentials, notice, user=user)

    # session --------------------------------------------------------------------

    def on_unlock_screen_unlocked(self, message: UnlockScreen.Unlocked) -> None:
        self.session = message.session
        user = message.session.user
        self.sub_title = f"{user.display_name} ({user.name}) · {ROLE_LABELS.get(str(user.role), str(user.role))}"
        self._last_input = time.monotonic()
        home = HomeScreen(message.session)
        self.switch_screen(home)
        resume, self._resume = self._resume, None  # another user never sees where the last one was
        if message.session.must_change_password:
            self._require_new_password(message.session)
        elif resume is not None and resume.user == user.name:
            self._reopen(resume, message.session, home)

    def _reopen(self, resume: Resume, session: Session, home: Screen) -> None:
        """Build again, with the new session, the screens the lock closed."""
        below = home
        for reopen in resume.screens:
            try:
                screen = reopen(session, below)
            except HotlineError as exc:  # e.g. the report was decided or deleted meanwhile
                self.notify(str(exc), title="Could not return to where you were", severity="warning", markup=False)
                return
            self.push_screen(screen)
            below = screen

    def _require_new_password(self, session: Session) -> None:
        """A password set by a security officer is changed before anything else."""
        from hotline_tui.screens.password_screen import ChangePasswordScreen

        self.push_screen(ChangePasswordScreen(session, required=True))

    def action_lock(self) -> None:
        self._lock()

    def _lock(self, notice: str = "", *, resume: bool = True, idle: bool = False, save_drafts: bool = True,
              why: str = "locked by the user") -> None:
        """Close the store and show the unlock screen; with ``resume``, unlocking as the
        same user returns to the screens open now (a lock for a damaged or re-keyed store
        starts again from home). After an ``idle`` lock their name is filled in: they
        stepped away, and come back to their work. Without ``save_drafts`` (locking after a
        failure) a screen that cannot save its work at the lock does not stop the lock."""
        if self.session is None:
            return
        for screen in self.screen_stack:
            before_lock = getattr(screen, "before_lock", None)
            if callable(before_lock):
                try:
                    before_lock()  # e.g. the assessment saves its draft while the store is open
                except Exception:
                    if save_drafts:
                        raise
                    # locking after a failure: what cannot be saved now stays unsaved, the lock goes on
        session, self.session = self.session, None
        if idle:
            security_events.record_session_event(session, security_events.IDLE_LOCK,
                                                 f"no input for {self.settings.idle_lock_seconds} s")
        else:
            security_events.record_session_event(session, security_events.LOCK, why)
        user = session.user.name
        self._resume = remember(user, self.screen_stack[2:]) if resume else None
        session.close()
        if self._resume is not None:
            notice = f"{notice} Unlock as {user} to return to where you were: {self._resume.where}.".strip()
        self._show_unlock(notice, user if idle and self._resume else "")

    def _show_unlock(self, notice: str, user: str = "") -> None:
        self.sub_title = "Locked"
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(self._unlock_screen(notice, user))
        else:
            self.switch_screen(self._unlock_screen(notice, user))
        # No toast: it came after the unlock screen cleared them and covered the demo
        # accounts at 100x30; the header says Locked, the status line why.

    def lock_damaged(self, problem: str, found_by: str = "The store check found damage") -> None:
        """Damage found: lock, and say what to do until it is acknowledged."""
        from hotline_tui.screens.store_damaged_screen import StoreDamagedScreen

        self._lock(resume=False, why="damage found in the store")
        self.push_screen(StoreDamagedScreen(problem, found_by))

    # a store this session can no longer read -------------------------------------
    #
    # Re-keyed under the session (another session removed a user) or a damaged page:
    # wherever a read finds it, the app locks and says which, never a traceback. Textual
    # 8.2.8 has no public hook for an exception a handler lets escape, so three doors:
    # - on_event (public) wraps what the App's own loop runs: bindings' actions and
    #   call_later callbacks (the command palette's). An exception escaping it would end
    #   that loop and the app with it (textual#2818), so it is caught inside.
    # - _handle_exception (private; where Textual sends every other escaped exception:
    #   screens' and widgets' handlers, mount, rendering, timers, exit_on_error workers).
    #   The pump that raised stops, as Textual intends; the lock discards its screen.
    # - each screen's message_signal (public): a worker with exit_on_error=False tells
    #   only its screen of its error, by Worker.StateChanged.

    def store_unreadable(self, error: BaseException) -> bool:
        """Lock, saying why, if ``error`` means the store can no longer be read with this
        session; False for any other error."""
        session = self.session
        if session is None:  # locked already: screens on their way out may still fail to read
            return (store_loss.store_error(error) is not None or isinstance(error, SessionClosed)
                    or store_loss.closed_store(error))
        if session.revoked:
            self._lock(session.revoked, resume=False, save_drafts=False)
            return True
        loss = store_loss.diagnose(session, error)
        if loss is None:
            return False
        self.lock_lost_store(loss)
        return True

    def lock_lost_store(self, loss: StoreLoss) -> None:
        """Nothing more goes through the session (no draft saved at lock, no audit entry: the
        store cannot take them), then lock with what happened and what to do."""
        if self.session is not None:
            store_loss.take_out_of_use(self.session, loss)
        if loss.rekeyed:
            self._lock(store_loss.REKEYED_NOTICE, resume=False)
        else:
            self.lock_damaged(loss.problem, found_by=store_loss.READ_FAILED)

    def _handle_exception(self, error: Exception) -> None:
        cause = error.error if isinstance(error, WorkerFailed) else error
        if not self.store_unreadable(cause):
            self.contain(cause)

    # any other failure ------------------------------------------------------------
    #
    # Never Textual's traceback (it prints local variables: settings, key ids, text):
    # lock with a plain notice, and audit the error's class and place, never its values.

    def contain(self, error: BaseException) -> None:
        """An error no screen handled: record its kind and place, lock, and say what to do."""
        if self.session is None and (isinstance(error, SessionClosed) or store_loss.closed_store(error)):
            return  # a screen on its way out of a lock touched the closed store: nothing lost
        try:
            self._contain(error)
        except Exception as again:  # locking itself failed: stop, still without a traceback
            self.exit(return_code=1, message=f"The room stopped after a failure ({type(again).__name__}). "
                                             "Start it again; if it happens again, tell a security officer.")

    def _contain(self, error: BaseException) -> None:
        failure = failures.describe(error, self._screen_title())
        self.failures.append(failure)
        now = time.monotonic()
        self._failure_times = [t for t in self._failure_times if now - t < FAILURE_WINDOW_SECONDS] + [now]
        if len(self._failure_times) > MAX_FAILURES_IN_WINDOW:  # failing again and again: stop, plainly
            self.exit(return_code=1, message=f"The room stopped after repeated failures ({failure.kind}). "
                                             "Start it again; if it happens again, tell a security officer.")
            return
        if self.session is not None:
            failures.record_failure(self.session, failure)
            self._lock(failure.notice(), resume=False, save_drafts=False, why=f"after a failure ({failure.kind})")
        else:
            self._show_unlock(failure.notice())

    def _screen_title(self) -> str:
        try:
            screen = self.screen
        except Exception:  # no screen yet (failing at start)
            return ""
        return str(getattr(screen, "failure_title", "") or getattr(screen, "TITLE", "") or "") or _words(screen)

    def _watch_workers(self, screen: Screen) -> None:
        screen.message_signal.unsubscribe(self)  # a screen comes back after the one above it goes
        screen.message_signal.subscribe(self, self._worker_changed, immediate=True)

    def _worker_changed(self, message: Message) -> None:
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            error = message.worker.error
            if error is not None:  # on the App's loop: the signal would swallow what this raised
                self.call_later(self._worker_failed, error)

    def _worker_failed(self, error: BaseException) -> None:
        if not self.store_unreadable(error):
            self.contain(error)

    def check_store(self) -> None:
        """The officer's on-demand store check: it runs, and shows, on the home screen."""
        self.go_home()
        home = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        if isinstance(home, HomeScreen):
            home.action_check_store()

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_input
        if self.session is not None and idle >= self.settings.idle_lock_seconds:
            self._lock(f"Locked after {_duration(self.settings.idle_lock_seconds)} without input, to keep the store closed"
                       " while nobody is at the desk.", idle=True)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self._last_input = time.monotonic()
        try:
            await super().on_event(event)
        except Exception as exc:  # escaping, it would end the App's loop (textual#2818)
            if not self.store_unreadable(exc):
                self.contain(exc)
        self.follow_revocation()

    def follow_revocation(self) -> None:
        """A change to this user (disabled, removed, reset, another role) found by the last
        action ends the session: lock, saying why, even if a screen showed the refusal itself.
        Nothing more is saved through it (a disabled user's draft is refused)."""
        if self.session is not None and self.session.revoked:
            self._lock(self.session.revoked, resume=False, save_drafts=False)

    def on_unmount(self) -> None:
        if self.session is not None:
            security_events.record_session_event(self.session, security_events.QUIT)
            self.session.close()
            self.session = None

    # help and the command palette -------------------------------------------------

    def action_help(self) -> None:
        """Help for the screen in front: its purpose and the keys it answers to now."""
        from hotline_tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Help", "What this screen is for and the keys it answers to (? or f1)",
                            lambda: self._help_for(screen))
        if self.session is not None and not self.session.must_change_password:
            yield from screen_commands(screen)
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

    def _help_for(self, screen: Screen) -> None:
        from hotline_tui.screens.help_screen import HelpScreen

        self.push_screen(HelpScreen(screen))

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
