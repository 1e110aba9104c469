"""The assessment's red flags: earlier reports that may be about the same person.

The table shows one line a candidate; the line under it gives the highlighted one's
reasons in full, wrapped, as no column is wide enough for them at 100 columns.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label, Static

from hotline_tui.services import redflags
from hotline_tui.widgets.safe_text import safe, safe_cell

HEADINGS = ("Reference", "Received", "Status", "Outcome", "Link", "Why")
LINKS = {"confirmed": "✔ confirmed", "rejected": "✘ rejected"}


def compose_red_flags() -> ComposeResult:
    yield Label("Red flags: earlier reports that may be about the same person", classes="section")
    yield Static("Enter compares the highlighted report beside this one; c confirms, x rejects the link.", classes="hint")
    yield RedFlagTable(id="redflags", cursor_type="row")
    yield Static("", id="redflag-why", classes="hint")
    yield Static("", id="disposed", classes="hint")
    indexing = Static("", id="redflag-indexing", classes="hint")
    indexing.display = False  # only while an import's reports are being indexed
    yield indexing


def _link(candidate: redflags.Candidate) -> str:
    if candidate.relation == redflags.SAME_REPORTER:
        return "same reporter?"
    return LINKS.get(candidate.link or "", "?")


class RedFlagTable(DataTable[Text]):
    """Earlier reports that may be about the same person; c and x decide the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "screen.decide_link(True)", "Confirm link", id="assess.redflag_confirm"),
        Binding("x", "screen.decide_link(False)", "Reject link", id="assess.redflag_reject"),
    ]

    candidates: list[redflags.Candidate]

    def on_mount(self) -> None:
        self.candidates = []
        self.add_columns(*HEADINGS)

    @property
    def highlighted(self) -> redflags.Candidate | None:
        row = self.cursor_row
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def show(self, found: list[redflags.Candidate]) -> None:
        if found == self.candidates and self.row_count:
            return  # most keystrokes in a subject's fields change nothing here
        highlighted = self.highlighted
        self.candidates = found
        self.clear()
        for candidate in found:
            self.add_row(
                Text(candidate.reference), Text(candidate.received_at[:10]), Text(candidate.status),
                Text(candidate.outcome or "—"), Text(_link(candidate)), safe_cell("; ".join(candidate.reasons), 70),
            )
        if not found:
            self.add_row(Text("none found"), *(Text("") for _ in HEADINGS[1:]))
        keys = [candidate.key for candidate in found]
        if highlighted and highlighted.key in keys:  # a decided link moves up the list: the cursor follows it
            self.move_cursor(row=keys.index(highlighted.key))
        self._explain()

    @on(DataTable.RowHighlighted)
    def _explain(self) -> None:
        """The highlighted candidate's reasons in full, under the table."""
        candidate = self.highlighted
        why = f"Why {candidate.reference}: " + "; ".join(candidate.reasons) if candidate and candidate.reasons else ""
        line = self.screen.query_one("#redflag-why", Static)
        line.update(safe(why))
        line.display = bool(why)
