"""Retention (security officer): how long decided reports are kept, the reports past it
today (references and dates only), and their deletion on confirmation."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer_modals import ConfirmScreen, Field, FormScreen
from hotline_tui.services.session import Session
from hotline_tui.services.store_care.retention import DueList, RetentionPeriod, delete_due, retention_periods, set_retention
from hotline_tui.services.triage.queue import STATUS_LABELS
from hotline_tui.widgets.paged_table import Column, PagedTable, Row
from hotline_tui.widgets.steady_footer import SteadyFooter

HELP = ("A report is kept for its status' period after its last event (received, decided, sent to a force, the "
        "force's latest outcome). e sets the period of the highlighted status; d deletes every report past it, after "
        "you confirm. Their counts stay in the statistics.")
COLUMNS = [
    Column("reference", "Reference", 17),
    Column("status", "Status", 18),
    Column("received", "Received", 11),
    Column("last", "Last event", 11),
    Column("days", "Kept (days)", 11),
]


class DueSource:
    def __init__(self, due: DueList) -> None:
        self.due = due

    def count(self) -> int:
        return self.due.count()

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [Row(r.key, [r.reference, STATUS_LABELS.get(r.status, r.status), r.received_at[:10], r.last_event[:10],
                            f"{r.days:,}"]) for r in self.due.page(offset, limit)]


def _days(text: str) -> int | None:
    text = text.strip().replace(",", "")
    return int(text) if text else None


def _days_problem(values: dict[str, str]) -> str:
    try:
        _days(values["days"])
    except ValueError:
        return "Give the period as a whole number of days, or leave it blank to keep them."
    return ""


class RetentionScreen(Screen[None]):
    PURPOSE = (
        "How long decided reports are kept, and deleting those past it (each deletion is audited)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Set period", id="retention.edit"),
        Binding("d", "delete", "Delete past reports", id="retention.delete"),
        Binding("escape", "back", "Back", id="retention.back"),
    ]
    DEFAULT_CSS = """
    RetentionScreen #periods { height: auto; max-height: 8; }
    RetentionScreen #retention-help, RetentionScreen #due-count { height: auto; padding: 0 1; }
    RetentionScreen PagedTable { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.periods: list[RetentionPeriod] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(HELP), id="retention-help", classes="hint")
        yield Label("Retention periods", classes="panel-title")
        yield DataTable(id="periods", cursor_type="row")
        yield Label("", id="due-count", classes="panel-title")
        yield PagedTable(COLUMNS, id="due", choosable=False)  # a list to read: Enter opens nothing
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#periods", DataTable).add_columns("Status", "Kept for", "Set by", "Set at")
        self.reload()
        self.query_one("#periods", DataTable).focus()

    def reload(self) -> None:
        self.periods = retention_periods(self.session)
        table = self.query_one("#periods", DataTable)
        row = table.cursor_row
        table.clear()
        for period in self.periods:
            kept = f"{period.days:,} days" if period.days else "kept (no period)"
            table.add_row(Text(STATUS_LABELS.get(period.status, period.status)), Text(kept), Text(period.set_by),
                          Text(period.set_at[:16].replace("T", " ")))
        table.move_cursor(row=min(row, len(self.periods) - 1))
        due = self.query_one("#due", PagedTable)
        due.set_source(DueSource(DueList(self.session)))
        self.query_one("#due-count", Label).update(
            Content(f"Past their retention period today: {due.row_count:,} report(s)"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":  # offered when some report is past its period
            return self.query_one("#due", PagedTable).row_count > 0
        return True

    def action_edit(self) -> None:
        period = self.periods[self.query_one("#periods", DataTable).cursor_row]
        label = STATUS_LABELS.get(period.status, period.status)
        field = Field("days", "days (blank: keep them)", str(period.days or ""))
        form = FormScreen(f"Keep reports that are {label} for…", "Days after the report's last event.", [field], "Set",
                          check=_days_problem, act=lambda values: set_retention(self.session, period.status,
                                                                                _days(values["days"])))
        self.app.push_screen(form, lambda values: self.reload() if values else None)

    def action_delete(self) -> None:
        count = self.query_one("#due", PagedTable).row_count
        if not count:
            self.notify("No report is past its retention period.")
            return
        body = (f"{count:,} report(s) past their retention period will be deleted from the store for good: each "
                "report, its attachments, its assessment, its referral and the forces' outcomes. Only their counts "
                "stay, in the statistics. The deletion is recorded in the audit log.")
        self.app.push_screen(ConfirmScreen("Delete the reports past retention?", body, "Delete", warning=True),
                             self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        try:
            deleted = delete_due(self.session)
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        what = ", ".join(f"{n:,} {STATUS_LABELS.get(s, s)}" for s, n in sorted(deleted.items()))
        self.notify(f"Deleted {sum(deleted.values()):,} report(s): {what}. Their counts stay in the statistics.")
        self.reload()

    @on(DataTable.RowSelected, "#periods")
    def _edit_chosen(self) -> None:
        self.action_edit()

    def action_back(self) -> None:
        self.app.pop_screen()
