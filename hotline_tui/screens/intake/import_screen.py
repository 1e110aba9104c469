"""Import: pick a medium, see its bundles, import them with progress, then a summary.

One screen for both kinds of incoming bundle: reports from intake (analysts) and
outcomes from forces (the security officer); ``KINDS`` holds what differs."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Header, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from hotline_tui.errors import HotlineError
from hotline_tui.screens.resume import Reopen
from hotline_tui.services.intake.importing import (
    BundleListing,
    BundleResult,
    ImportProgress,
    ImportSummary,
    describe,
    import_bundles,
    list_bundles,
)
from hotline_tui.services.intake.media import Medium, media_for
from hotline_tui.services.redflags.indexing import start_indexing, stop_indexing
from hotline_tui.services.referrals.outcomes import describe_outcomes, import_outcomes, list_outcome_bundles
from hotline_tui.services.session import Session
from hotline_tui.widgets.indexing_line import IndexingLine
from hotline_tui.widgets.menu import Menu
from hotline_tui.widgets.safe_text import safe, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter
from import_export.wording import counted

# Longest the UI waits, at lock, for an import to finish its bundle and commit.
LOCK_WAIT_SECONDS = 60.0


# What writer.py names a bundle: <kind>-<recipient>-<created>-<id>. On this screen the
# kind and the recipient are the same for every bundle; the time and the id tell them apart.
_BUNDLE_NAME = re.compile(r"(?:reports|outcomes)-[a-z0-9-]+-(\d{8}T\d{6}Z-[0-9a-f]{8})")


def short_name(path: Path, width: int = 30) -> str:
    """A bundle's name as the list shows it: the time and id of a name as the writer
    makes them, else the name cut in the middle when long."""
    name = path.name.removesuffix(".tar.age")
    usual = _BUNDLE_NAME.fullmatch(name)
    if usual:
        return usual.group(1)
    if len(name) <= width:
        return name
    tail = width // 2 + 2
    return f"{name[: width - tail - 1]}…{name[-tail:]}"


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return str(n)


@dataclass(frozen=True)
class ImportKind:
    unit: str  # what a bundle carries: 'reports', 'outcomes'
    panel_title: str
    list_bundles: Callable[[Session, Path], list[BundleListing]]
    import_bundles: Callable[..., ImportSummary]
    describe: Callable[[BundleResult], str]
    red_flags: bool = False  # its reports' red flags are indexed in the background once it is in


KINDS = {
    "reports": ImportKind("reports", "Bundles on this medium (nothing is ever written to it)", list_bundles,
                          import_bundles, describe, red_flags=True),
    "outcomes": ImportKind("outcomes", "Forces' outcome bundles on this medium (nothing is ever written to it)",
                           list_outcome_bundles, import_outcomes, describe_outcomes),
}


def progress_line(p: ImportProgress, unit: str = "reports") -> str:
    left = f", about {p.seconds_left:,.0f} s left" if p.seconds_left is not None else ""
    return (
        f"Bundle {min(p.bundles_done + 1, p.bundles_total)} of {p.bundles_total} · "
        f"{p.reports_done:,} of {p.reports_expected:,} {unit} · {p.rate:,.0f} {unit}/s{left}"
    )


class ImportScreen(Screen[None]):
    PURPOSE = (
        "Read signed, encrypted bundles from removable media into the store. Every bundle is verified first; "
        "a bundle that fails a check is refused and kept in quarantine, and nothing of it is imported."
    )
    CSS_PATH = "import_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle", "Select", id="import.toggle"),
        Binding("n", "import_new", "Import all new", id="import.new"),
        Binding("i", "import_selected", "Import selected", id="import.selected"),
        Binding("c", "cancel", "Cancel import", id="import.cancel"),
        Binding("escape", "back", "Back", id="import.back"),
    ]

    def __init__(self, session: Session, kind: str = "reports") -> None:
        super().__init__()
        self.session = session
        self.kind = KINDS[kind]
        self.media: list[Medium] = []
        self.listings: list[BundleListing] = []
        self.selected: set[Path] = set()
        self._cancel = threading.Event()
        self._idle = threading.Event()  # set while no import runs
        self._idle.set()
        self.running = False
        self.summary: ImportSummary | None = None
        self.refused: set[Path] = set()  # refused by the last import here

    def reopen(self) -> Reopen:
        kind = self.kind.unit  # the key of KINDS
        return lambda session, _below: ImportScreen(session, kind)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="import-top"):
            with Vertical(id="media-box", classes="panel"):
                yield Label("Media", classes="panel-title")
                yield Menu(id="media-list")
            with Vertical(id="bundles-box", classes="panel"):
                yield Label(self.kind.panel_title, classes="panel-title")
                yield DataTable(id="bundles", cursor_type="row", zebra_stripes=True)
                yield Static("", id="bundle-detail")  # the highlighted bundle's whole verdict, wrapped
                yield Checkbox("Keep refused bundles in quarantine for the security officer", True, id="quarantine")
        with Vertical(id="progress-box", classes="panel"):
            yield Label("Import", classes="panel-title")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(
                "Choose bundles: space selects, i imports the selection, n imports every new bundle.", id="progress-text"
            )
            with VerticalScroll(id="results-box"):  # one line a bundle, wrapped whole at any width
                yield Static("", id="results")
            yield IndexingLine(id="indexing-line")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#bundles", DataTable)
        # Most telling first, so that what a narrow screen cuts at its edge is the least:
        # the name, its state and verdict, then the count; signer, key id and size (the
        # line under the table gives the highlighted bundle's whole).
        table.add_columns(" ", "Bundle", "State", "Verdict", self.kind.unit.capitalize(), "Signer", "Key id", "Size")
        self.query_one("#results-box").display = False
        self._load_media()

    @work(thread=True, exclusive=True, group="media", exit_on_error=False)
    def _load_media(self) -> None:
        media = media_for(self.session.settings)
        self.app.call_from_thread(self._show_media, media)

    def _show_media(self, media: list[Medium]) -> None:
        self.media = media
        options = self.query_one("#media-list", OptionList)
        options.clear_options()
        options.add_options([Option(safe(f"{m.label} ({m.bundle_count})"), id=str(i)) for i, m in enumerate(media)])
        if media:
            options.highlighted = 0
            self._list(media[0].path)
            self.query_one("#bundles", DataTable).focus()
        else:
            self._say(f"No removable media seen. Insert a stick with {self.kind.unit} bundles, or start with --media DIR.")

    @on(OptionList.OptionHighlighted, "#media-list")
    def _medium_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and not self.running:
            self._list(self.media[int(event.option.id)].path)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def _list(self, folder: Path) -> None:
        listings = self.kind.list_bundles(self.session, folder)
        self.app.call_from_thread(self._show_listings, listings)

    def _show_listings(self, listings: list[BundleListing]) -> None:
        self.listings = listings
        self.selected = {b.path for b in listings if b.path in self.selected}
        table = self.query_one("#bundles", DataTable)
        table.clear()
        for listing in listings:
            table.add_row(*self._cells(listing), key=str(listing.path))
        if not listings:
            self._say(f"This medium carries no {self.kind.unit} bundles (*.tar.age).")

    def _cells(self, b: BundleListing) -> list[Text]:
        mark = "✔" if b.path in self.selected else " "
        # A refusal can quote the file's name, which comes from the media: controls made visible.
        # The verdict without its explanation in brackets, so that it fits whole at 160
        # columns; the line under the table gives the highlighted bundle's in full.
        verdict = safe_cell(b.verdict if b.signature_ok else f"✘ {b.verdict.split(' (')[0]}", 200)
        if not b.signature_ok:
            verdict.stylize("bold red")
        return [
            Text(mark), safe_cell(short_name(b.path), 30), self._state(b), verdict,
            Text("" if b.count is None else f"{b.count:,}"), safe_cell(b.signer, 18), Text(b.key_id), Text(_size(b.size)),
        ]

    @on(DataTable.RowHighlighted, "#bundles")
    def _bundle_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The table may cut the verdict at the screen's edge: here it is whole."""
        if not 0 <= event.cursor_row < len(self.listings):
            return
        b = self.listings[event.cursor_row]
        verdict = b.verdict if b.signature_ok else f"✘ {b.verdict}"
        signer = f"signed by {b.signer} (key {b.key_id})" if b.key_id else f"signer {b.signer}"
        detail = self.query_one("#bundle-detail", Static)
        detail.update(safe(f"{short_name(b.path, 60)} · {self._state(b).plain} · {signer} · {verdict}"))
        detail.set_class(not b.signature_ok or b.quarantined, "error")

    def _state(self, b: BundleListing) -> Text:
        """Imported, new, held in quarantine, or refused by the last import here (not kept)."""
        if b.state == "new" and b.path in self.refused:
            return Text("refused", style="bold red")
        return Text(b.state, style="bold red" if b.quarantined else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers what applies now: cancel while importing, the rest while not."""
        if action == "cancel":
            return self.running
        if action in ("toggle", "import_new", "import_selected"):
            return not self.running
        return True

    def action_toggle(self) -> None:
        table = self.query_one("#bundles", DataTable)
        if not self.listings or self.running:
            return
        listing = self.listings[table.cursor_row]
        self.selected ^= {listing.path}
        table.update_cell_at((table.cursor_row, 0), Text("✔" if listing.path in self.selected else " "))

    def action_import_new(self) -> None:
        self._start([b.path for b in self.listings if not b.imported])

    def action_import_selected(self) -> None:
        if not self.selected:
            self._say("Nothing selected: space selects a bundle, n imports every new one.")
            return
        self._start([b.path for b in self.listings if b.path in self.selected])

    def _start(self, paths: list[Path]) -> None:
        if self.running:
            return
        if not paths:
            self._say("No new bundles on this medium.")
            return
        self.running = True
        self.refresh_bindings()
        self._cancel.clear()
        self._idle.clear()
        self.query_one("#results-box").display = False
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=len(paths), progress=0)
        bar.display = True  # hidden until then: an idle bar pulsing "--%" looks like work under way
        self._say(f"Importing {len(paths)} bundle(s)… (c cancels between bundles)")
        quarantine = self.query_one("#quarantine", Checkbox).value
        self._run(paths, quarantine)

    class Progressed(Message):
        def __init__(self, progress: ImportProgress) -> None:
            super().__init__()
            self.progress = progress

    class Finished(Message):
        def __init__(self, summary: ImportSummary | None, problem: str = "") -> None:
            super().__init__()
            self.summary = summary  # None: the import stopped on an error
            self.problem = problem  # what stopped it, when the room can say (e.g. the store stayed busy)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _run(self, paths: list[Path], quarantine: bool) -> None:
        # Messages, not call_from_thread: posting never waits for the UI, so before_lock
        # can hold the UI while it waits for this import to commit.
        summary, problem = None, ""
        try:
            # Red flags are indexed once the import is in (on_import_screen_finished), not in its way.
            extra = {"index": False} if self.kind.red_flags else {}
            if self.kind.red_flags:
                stop_indexing(self.session)  # resumed after: an import goes first
            summary = self.kind.import_bundles(
                self.session, paths, progress=lambda p: self.post_message(self.Progressed(p)),
                cancelled=self._cancel.is_set, quarantine=quarantine, **extra,
            )
        except HotlineError as exc:  # a refusal the room explains (the store stayed busy, say)
            problem = str(exc)
        finally:
            self._idle.set()
            self.post_message(self.Finished(summary, problem))

    def before_lock(self) -> None:
        """Locking mid-import stops it after the bundle in progress and waits for its last
        commit, so the store closes with every bundle that was imported in it."""
        if not self._idle.is_set():
            self._cancel.set()
            self._idle.wait(timeout=LOCK_WAIT_SECONDS)

    def on_import_screen_progressed(self, message: Progressed) -> None:
        progress = message.progress
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=progress.bundles_total, progress=progress.bundles_done)
        bar.display = True
        self._say(progress_line(progress, self.kind.unit))

    def on_import_screen_finished(self, message: Finished) -> None:
        self.running = False
        self.refresh_bindings()
        if self.kind.red_flags and not self.session.closed:  # the reports just imported: red flags in the background
            self.query_one(IndexingLine).follow(start_indexing(self.session))
        if message.summary is None:
            self._say(
                f"The import stopped{': ' + message.problem if message.problem else ' on an error.'} Each bundle is "
                "wholly in the store or not at all; import the medium again to bring in the rest."
            )
            return
        self._finished(message.summary)

    def _finished(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.refused = {r.path for r in summary.results if r.status == "refused"}
        head = "Import cancelled" if summary.cancelled else "Import finished"
        self._say(
            f"{head}: {summary.imported} imported, {summary.skipped} skipped, {summary.refused} refused, "
            f"{counted(summary.reports_added, self.kind.unit)} added."
        )
        # What needs the user first: the refused, then the skipped, then the imported.
        order = {"refused": 0, "skipped": 1}
        results = sorted(summary.results, key=lambda result: order.get(result.status, 2))
        lines = [safe(self.kind.describe(result)) for result in results]  # names the files on the media
        lines = [line.stylize("bold red") if result.status == "refused" else line
                 for line, result in zip(lines, results, strict=True)]
        self.query_one("#results", Static).update(Content("\n").join(lines))
        self.query_one("#results-box").display = True
        self.selected.clear()
        options = self.query_one("#media-list", OptionList)
        if options.highlighted is not None and self.media:
            self._list(self.media[options.highlighted].path)

    def action_cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self._say("Cancelling after the bundle in progress…")

    def action_back(self) -> None:
        if self.running:
            self._say("An import is running: press c to cancel it first.")
            return
        self.app.pop_screen()

    def _say(self, text: str) -> None:
        self.query_one("#progress-text", Static).update(Content(text))
