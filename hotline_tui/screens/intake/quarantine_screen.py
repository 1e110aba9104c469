"""The quarantine: bundles an import refused, with the reason; inspect (every check on
the stored bytes, as the keyring stands now), release for import, or delete."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from hotline_tui.errors import HotlineError
from hotline_tui.screens.intake.import_screen import short_name
from hotline_tui.screens.officer_modals import Field, FormScreen
from hotline_tui.services.intake import quarantine
from hotline_tui.services.intake.quarantine import QuarantineRow
from hotline_tui.services.session import Session
from hotline_tui.services.verifying.verification import Verification
from hotline_tui.widgets.safe_text import safe, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter
from hotline_tui.widgets.verification_view import VerificationView
from import_export.wording import counted

# The columns but the reason, which takes the rest of the width (at least REASON_LEAST):
# the file by its time and id, as the import list names it; the line under the table
# gives the highlighted bundle's name and reason whole.
# Narrow, the time refused gives way to its date.
COLUMNS = (("#", 4), ("File", 26), ("State", 8), ("Refused at", 16), ("By", 8))
REASON_LEAST = 24
NARROW_BELOW = 120  # the table's width under which "Refused at" shows the date only

HELP = (
    "Enter inspects the highlighted bundle: every check again, with the keyring as it is now (add a missing key "
    "on the keyring screen, then inspect again). r releases it for import if it now passes; d deletes its bytes."
)


class QuarantineScreen(Screen[None]):
    PURPOSE = (
        "Bundles that were refused on import: inspect why, re-verify them, release them to import, or delete "
        "them with a reason."
    )
    CSS_PATH = "quarantine_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "inspect", "Inspect", id="quarantine.inspect"),
        Binding("r", "release", "Release for import", id="quarantine.release"),
        Binding("d", "delete", "Delete", id="quarantine.delete"),
        Binding("a", "toggle_all", "Show released/deleted", id="quarantine.all"),
        Binding("escape", "back", "Back", id="quarantine.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.items: list[QuarantineRow] = []
        self.show_all = False
        self._reason_width = 0  # the columns are laid out once the table's width is known
        self._refused_width = 16

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quarantine-box", classes="panel"):
            yield Label("Held bundles", classes="panel-title")
            yield DataTable(id="held", cursor_type="row", zebra_stripes=True)
            yield Static("", id="held-detail")  # the highlighted bundle's name and reason, whole
        yield Static("", id="quarantine-status", classes="panel")
        with Vertical(id="quarantine-checks", classes="panel"):
            yield Label("Checks, in order", classes="panel-title")
            yield VerificationView(id="verification")
        yield Static(Content(HELP), id="quarantine-help", classes="hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(VerificationView).say("Enter inspects the highlighted bundle.")
        self.query_one("#held", DataTable).focus()

    def on_resize(self) -> None:
        """Lay the columns out for the width the table has now (not the one at mount, before
        any layout), the reason taking what the others leave."""
        table = self.query_one("#held", DataTable)
        room = table.scrollable_content_region.width or self.size.width - 4
        columns = [(label, 10 if label == "Refused at" and room < NARROW_BELOW else width) for label, width in COLUMNS]
        reason = max(REASON_LEAST, room - sum(width + 2 for _, width in columns) - 2)
        if reason == self._reason_width:
            return
        self._reason_width = reason
        self._refused_width = columns[3][1]
        table.clear(columns=True)
        for label, width in (*columns, ("Reason", reason)):
            table.add_column(label, width=width)
        self.reload()

    def reload(self) -> None:
        self.items = quarantine.items(self.session, include_done=self.show_all)
        table = self.query_one("#held", DataTable)
        row = table.cursor_row
        table.clear()
        for item in self.items:
            table.add_row(
                Text(str(item.item_id)), safe_cell(short_name(Path(item.file_name), 26), 26), Text(item.state),
                Text(item.refused_at[:self._refused_width].replace("T", " ")), safe_cell(item.refused_by, 8),
                safe_cell(item.reason, 200),
            )
        table.move_cursor(row=min(row, max(len(self.items) - 1, 0)))
        held = sum(1 for i in self.items if i.state == "held")
        self._say(f"{held} bundle{'s' if held != 1 else ''} held." if self.items else "The quarantine is empty.")
        self.query_one("#held-detail", Static).display = bool(self.items)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#held")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted bundle's whole name and reason, which the table may cut."""
        self.refresh_bindings()
        if 0 <= event.cursor_row < len(self.items):
            item = self.items[event.cursor_row]
            detail = self.query_one("#held-detail", Static)
            detail.update(safe(f"#{item.item_id} {item.file_name} · {item.state} · {item.reason}"))
            detail.set_class(item.state == "held", "error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Inspect, release and delete are offered on a bundle still held."""
        if action in ("inspect", "release", "delete"):
            row = self.query_one("#held", DataTable).cursor_row
            return 0 <= row < len(self.items) and self.items[row].state == "held"
        return True

    def _current(self) -> QuarantineRow | None:
        row = self.query_one("#held", DataTable).cursor_row
        item = self.items[row] if 0 <= row < len(self.items) else None
        if item is not None and item.state != "held":
            self._say(f"#{item.item_id} was {item.state}; its bytes are gone.", error=True)
            return None
        return item

    def _say(self, text: str, error: bool = False) -> None:
        status = self.query_one("#quarantine-status", Static)
        status.update(safe(text))
        status.set_class(error, "error")

    @on(DataTable.RowSelected, "#held")
    def _row_chosen(self) -> None:
        self.action_inspect()

    def action_inspect(self) -> None:
        item = self._current()
        if item is None:
            return
        self.query_one(VerificationView).say(f"Verifying #{item.item_id} {item.file_name}…")
        self._inspect(item.item_id)

    @work(thread=True, exclusive=True, group="quarantine-inspect", exit_on_error=False)
    def _inspect(self, item_id: int) -> None:
        try:
            result = quarantine.inspect(self.session, item_id)
        except HotlineError as exc:
            self.app.call_from_thread(self._say, str(exc), True)
            return
        self.app.call_from_thread(self._inspected, result)

    def _inspected(self, result: Verification) -> None:
        self.query_one(VerificationView).show(result)

    def action_release(self) -> None:
        item = self._current()
        if item is None:
            return
        try:
            released = quarantine.release(self.session, item.item_id)
        except HotlineError as exc:
            self._say(str(exc), error=True)
            return
        self.reload()
        self._say(f"Released #{item.item_id}: bundle {released.bundle_id}, "
                  f"{counted(released.reports_added, released.kind)} imported.")

    def action_delete(self) -> None:
        item = self._current()
        if item is None:
            return
        form = FormScreen(f"Delete #{item.item_id} {item.file_name}",
                          "Its bytes are erased from the store; the record of what was held stays.",
                          [Field("reason", "Why (recorded in the audit log)")], "Delete",
                          act=lambda values: quarantine.delete(self.session, item.item_id, values["reason"]))
        self.app.push_screen(form, lambda values: self._deleted(item) if values else None)

    def _deleted(self, item: QuarantineRow) -> None:
        self.reload()
        self._say(f"Deleted #{item.item_id} {item.file_name}.")
        self.query_one(VerificationView).say("")

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
