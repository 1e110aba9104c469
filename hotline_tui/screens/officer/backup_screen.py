"""Backups (security officer): when the last good backup was made, the backups made,
a new one written to removable media and read back, and the warning period."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer_modals import ChooseMediumScreen, Field, FormScreen
from hotline_tui.services.backup.contents import describe_counts
from hotline_tui.services.backup.make import BackupMade, make_backup
from hotline_tui.services.backup.status import MAX_WARN_DAYS, backup_status, recent_backups, set_warn_after_days
from hotline_tui.services.intake.media import media_for
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import safe
from hotline_tui.widgets.steady_footer import SteadyFooter

HELP = ("b writes a backup to removable media while people work: a consistent copy of the encrypted store, its key "
        "slots and a manifest signed by the room's key, read back and checked before it counts. p sets after how "
        "many days home warns. To restore one, everyone quits the app, then: hotline-tui restore --workspace DIR "
        "BACKUP (see the README).")


LOCK_WAIT_SECONDS = 120.0  # a backup of a large store on a slow stick


def _size(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB" if size >= 100_000 else f"{size / 1000:,.0f} kB"


class BackupScreen(Screen[None]):
    PURPOSE = "Backups of the store: the last good one, a new one to removable media, and when home warns."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "back_up", "Back up now", id="backup.make"),
        Binding("p", "period", "Warning period", id="backup.period"),
        Binding("escape", "back", "Back", id="backup.back"),
    ]
    DEFAULT_CSS = """
    BackupScreen #backup-help, BackupScreen #backup-state, BackupScreen #backup-progress { height: auto; padding: 0 1; }
    BackupScreen #backups { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.busy = False
        self._idle = threading.Event()
        self._idle.set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(HELP), id="backup-help", classes="hint")
        yield Static("", id="backup-state")
        yield Static("", id="backup-progress")
        yield Label("Backups made and checked (newest first)", classes="panel-title")
        yield DataTable(id="backups", cursor_type="row")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#backups", DataTable).add_columns("Made (UTC)", "By", "Backup", "Where", "Audit head", "Reports",
                                                          "Size")
        self.reload()
        self.query_one("#backups", DataTable).focus()

    def reload(self) -> None:
        status = backup_status(self.session)
        state = self.query_one("#backup-state", Static)
        state.update(safe(status.line()))
        state.set_class(status.overdue, "error")
        table = self.query_one("#backups", DataTable)
        table.clear()
        for row in recent_backups(self.session):
            table.add_row(Text(row.made_at[:16].replace("T", " ")), Text(row.made_by), Text(row.name),
                          Text(row.location), Text(f"{row.audit_seq:,}"), Text(f"{row.reports:,}"), Text(_size(row.bytes)))

    def _progress(self, text: str, error: bool = False) -> None:
        line = self.query_one("#backup-progress", Static)
        line.update(safe(text))
        line.set_class(error, "error")

    def action_back_up(self) -> None:
        if self.busy:
            self.notify("A backup is being written; wait for it to finish.")
            return
        hint = "The backup goes into a new folder room-backup-<time> on the medium."
        self.app.push_screen(ChooseMediumScreen("Back up the store to…", media_for(self.session.settings), hint),
                             self._chosen)

    def _chosen(self, folder: Path | None) -> None:
        if folder is None:
            return
        self.busy = True
        self._idle.clear()
        self._progress(f"Backing up to {folder}…")
        self._write(folder)

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def _write(self, folder: Path) -> None:
        def say(text: str) -> None:
            self.post_message(self.Progressed(f"Backing up to {folder}: {text}…"))

        try:
            made = make_backup(self.session, folder, say)
        except (HotlineError, OSError) as exc:
            self.post_message(self.Finished(None, str(exc)))
        else:
            self.post_message(self.Finished(made, ""))
        finally:
            self._idle.set()

    class Finished(Message):
        def __init__(self, made: BackupMade | None, problem: str) -> None:
            super().__init__()
            self.made, self.problem = made, problem

    def on_backup_screen_finished(self, message: Finished) -> None:
        if message.made is None:
            self._failed(message.problem)
        elif not self.session.closed:
            self._done(message.made)

    def before_lock(self) -> None:
        """Locking mid-backup waits for it to be read back and recorded, so the store
        closes with the backup in its record (posting, not call_from_thread: the UI waits here)."""
        self._idle.wait(timeout=LOCK_WAIT_SECONDS)

    class Progressed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_backup_screen_progressed(self, message: Progressed) -> None:
        self._progress(message.text)

    def _failed(self, problem: str) -> None:
        self.busy = False
        self._progress(f"No backup made: {problem}", error=True)

    def _done(self, made: BackupMade) -> None:
        self.busy = False
        self._progress(f"Backup {made.path.name} written, read back and checked: audit entry {made.manifest.audit_seq:,}, "
                       f"{describe_counts(made.manifest.counts)}, {_size(made.size)}.")
        self.notify(f"Backup {made.path.name} made and checked.")
        self.reload()

    def action_period(self) -> None:
        days = str(backup_status(self.session).warn_after_days)
        self.app.push_screen(
            FormScreen("Warn on home when the last backup is older than…", f"1 to {MAX_WARN_DAYS} days.",
                       [Field("days", "days", days)], "Set", check=_check_days),
            self._set_period,
        )

    def _set_period(self, values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            set_warn_after_days(self.session, int(values["days"].strip()))
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.reload()

    def action_back(self) -> None:
        if self.busy:
            self.notify("A backup is being written; wait for it to finish.")
            return
        self.app.pop_screen()


def _check_days(values: dict[str, str]) -> str:
    text = values["days"].strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_WARN_DAYS:
        return f"Give a whole number of days from 1 to {MAX_WARN_DAYS}."
    return ""
