"""Sealing: choose the media and the forces, write one bundle per force, then a summary."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, OptionList, ProgressBar, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from hotline_tui.errors import HotlineError, SealingBusy
from hotline_tui.reference import short_force_name
from hotline_tui.screens.referrals.approval_dialogs import ConfirmPrompt
from hotline_tui.services.intake.media import Medium, media_for
from hotline_tui.services.referrals.sealing import (
    ForceBatch,
    SealProgress,
    SealSummary,
    recover,
    seal,
    sealed_head,
    sealing_plan,
    write_dispatch_note,
)
from hotline_tui.services.session import Session
from hotline_tui.widgets.menu import Choices, Menu
from hotline_tui.widgets.safe_text import safe, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter


class SealScreen(Screen[None]):
    PURPOSE = (
        "Approved referrals by force: seal one signed, encrypted bundle per force to removable media, and "
        "write the dispatch note."
    )
    CSS_PATH = "seal_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "seal", "Seal selected", id="seal.selected"),
        Binding("A", "seal_all", "Seal all", id="seal.all"),
        Binding("d", "dispatch_note", "Write dispatch note", id="seal.dispatch"),
        Binding("c", "cancel", "Cancel", id="seal.cancel"),
        Binding("escape", "back", "Back", id="seal.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.media: list[Medium] = []
        self.plan: list[ForceBatch] = []
        self.summary: SealSummary | None = None
        self.running = False
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="seal-top"):
            with Vertical(id="seal-media", classes="panel"):
                yield Label("Write to", classes="panel-title")
                yield Menu(id="seal-media-list")
            with Vertical(id="seal-forces", classes="panel"):
                yield Label("Forces with approved referrals (space selects)", classes="panel-title")
                yield Choices[str](id="seal-force-list")
                yield Static("", id="blocked", classes="hint")
        with Vertical(id="seal-bottom", classes="panel"):
            yield ProgressBar(id="seal-progress", show_eta=False)
            yield Static("", id="seal-status")
            yield DataTable(id="sealed", cursor_type="row")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#sealed", DataTable).add_columns("Bundle file", "Force", "Referrals", "Room key id")
        busy = self._settle_interrupted()
        self.media = media_for(self.session.settings)
        media_list = self.query_one("#seal-media-list", OptionList)
        media_list.add_options([Option(safe(f"{m.label}  {m.path}"), id=str(i)) for i, m in enumerate(self.media)])
        if self.media:
            media_list.highlighted = 0
        self.reload_plan()
        if busy:
            self._say(busy)
        self.query_one("#seal-force-list", SelectionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers what applies now: cancel while sealing, the dispatch note once
        bundles are sealed, sealing while nothing runs and something waits."""
        if action == "cancel":
            return self.running
        if action == "dispatch_note":
            return not self.running and self.summary is not None and bool(self.summary.sealed)
        if action in ("seal", "seal_all"):
            return not self.running and any(not b.blocked_reason for b in self.plan)
        return True

    def _settle_interrupted(self) -> str | None:
        """Recover what a crash left; while another session seals, its message instead."""
        try:
            settled = recover(self.session)
        except SealingBusy as exc:
            return str(exc)
        for line in settled:
            self.notify(line, title="Interrupted sealing settled", markup=False, timeout=10)
        return None

    def reload_plan(self) -> None:
        self.plan = sealing_plan(self.session)
        forces = self.query_one("#seal-force-list", SelectionList)
        forces.clear_options()
        forces.add_options([
            Selection(f"{b.name}: {b.count} referral(s)" + ("  BLOCKED" if b.blocked_reason else ""), b.code,
                      False, disabled=b.blocked_reason is not None)
            for b in self.plan
        ])
        blocked = [f"{b.name}: {b.blocked_reason}" for b in self.plan if b.blocked_reason]
        self.query_one("#blocked", Static).update(safe("\n".join(blocked)))
        open_ones = [i for i, b in enumerate(self.plan) if not b.blocked_reason]
        if open_ones:  # the first Space selects, without a Down to highlight first
            forces.highlighted = open_ones[0]
        if not self.plan:
            self._say("No approved referrals wait to be sealed.")
        self.refresh_bindings()

    def _target(self) -> Medium | None:
        highlighted = self.query_one("#seal-media-list", OptionList).highlighted
        if highlighted is None or not self.media:
            self._say("No removable media to write to: insert a stick, or start with --media DIR.")
            return None
        return self.media[highlighted]

    def action_seal(self) -> None:
        chosen = list(self.query_one("#seal-force-list", SelectionList).selected)
        if not chosen:
            self._say("Select forces with space, or press A to seal every force that is not blocked.")
            return
        self._start(chosen)

    def action_seal_all(self) -> None:
        self._start([b.code for b in self.plan if not b.blocked_reason])

    def _start(self, codes: list[str]) -> None:
        """Say what will be written where, and ask once more."""
        medium = self._target()
        if medium is None or self.running or not codes:
            return
        batches = [b for b in self.plan if b.code in codes]
        referrals = sum(b.count for b in batches)
        body = "\n".join([
            f"Write to:  {medium.label}  {medium.path}", "",
            *(f"  {b.name}: {b.count} referral(s)" for b in batches), "",
            f"{len(batches)} bundle(s), {referrals} referral(s): each signed with the room's key, encrypted to the "
            "force's keys, then read back and verified.",
        ])

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._begin(medium.path, codes)

        self.app.push_screen(ConfirmPrompt("Seal and write these bundles?", body, "Seal and write"), confirmed)

    def _begin(self, target: Path, codes: list[str]) -> None:
        if self.running:
            return
        self.running = True
        self.refresh_bindings()
        self._cancel.clear()
        bar = self.query_one("#seal-progress", ProgressBar)
        bar.update(total=len(codes), progress=0)
        bar.display = True  # hidden until then: an idle bar pulsing "--%" looks like work under way
        self._say(f"Sealing {len(codes)} force(s) to {target}…")
        self._run(target, codes)

    @work(thread=True, exclusive=True, group="seal", exit_on_error=False)
    def _run(self, target: Path, codes: list[str]) -> None:
        def report(progress: SealProgress) -> None:
            self.app.call_from_thread(self._progress, progress)

        try:
            summary = seal(self.session, target, codes, progress=report, cancelled=self._cancel.is_set)
        except SealingBusy as exc:
            self.app.call_from_thread(self._failed, f"Nothing was sealed: {exc}")
            return
        except (HotlineError, OSError) as exc:
            self.app.call_from_thread(self._failed, f"Sealing stopped: {exc}")
            return
        self.app.call_from_thread(self._finished, summary)

    def _progress(self, progress: SealProgress) -> None:
        bar = self.query_one("#seal-progress", ProgressBar)
        bar.update(total=progress.total, progress=progress.done)
        bar.display = True
        if progress.current:
            self._say(f"Writing and verifying the bundle for {progress.current} ({progress.done + 1} of {progress.total})…")

    def _failed(self, message: str) -> None:
        self.running = False
        self.refresh_bindings()
        self._say(message)

    def _finished(self, summary: SealSummary) -> None:
        self.running = False
        self.summary = summary
        self.refresh_bindings()
        table = self.query_one("#sealed", DataTable)
        table.clear()
        narrow = self.app.size.width < 130  # the forces as the room says them, so the count fits beside
        for bundle in summary.sealed:
            force = short_force_name(bundle.force_name) if narrow else bundle.force_name
            table.add_row(safe_cell(bundle.path.name, 60), safe_cell(force, 30), Text(str(bundle.count)),
                          Text(bundle.room_key_id))
        failed = "".join(f"\n✘ {code}: {why}" for code, why in summary.failed)
        head = "Cancelled" if summary.cancelled else "Sealed"
        folders = sorted({str(bundle.path.parent) for bundle in summary.sealed})
        where = f" written to {', '.join(folders)}" if folders else ""
        self._say(f"{head}: {len(summary.sealed)} bundle(s), {summary.referrals_sealed} referral(s){where}, each read "
                  f"back and verified (listed below). d writes a dispatch note to the same media.{failed}")
        self.reload_plan()

    def action_dispatch_note(self) -> None:
        if self.summary is None or not self.summary.sealed:
            self._say("Seal first; the dispatch note lists the bundles written.")
            return
        try:
            path = write_dispatch_note(self.session, self.summary)
        except (HotlineError, OSError) as exc:
            self._say(f"The dispatch note was not written: {exc}")
            return
        head = sealed_head(self.summary)
        self._say(f"Dispatch note written: {path}" + (f"\nAudit log head in it (file the note): {head}" if head else ""))

    def action_cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self._say("Cancelling after the force in progress…")

    def action_back(self) -> None:
        if self.running:
            self._say("Sealing is running: press c to cancel it first.")
            return
        self.app.pop_screen()

    def _say(self, text: str) -> None:
        self.query_one("#seal-status", Static).update(safe(text))


