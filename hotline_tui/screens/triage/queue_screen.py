"""The report queue: every report, sortable and filterable, one screenful at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Input, Select, Static

from hotline_tui import wording
from hotline_tui.errors import HotlineError
from hotline_tui.reference import forces
from hotline_tui.screens.resume import Reopen
from hotline_tui.services.intake.rows import BEHAVIOUR_BITS
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.redflags.escalation import THRESHOLD, escalated_reports
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import may_take
from hotline_tui.services.triage.queue import (
    ESCALATED,
    PRIORITY_CHOICES,
    SORT_KEYS,
    STATUS_CHOICES,
    QueuePreset,
    QueueView,
    force_label,
    status_filter,
)
from hotline_tui.services.triage.search_snippets import snippet_for
from hotline_tui.store.queue import QueueFilter
from hotline_tui.widgets.paged_table import Column, PagedTable, Row
from hotline_tui.widgets.steady_footer import SteadyFooter

# At 100 columns the channel and then the behaviours go (the line under the table gives
# the highlighted report's in full), the received time gives way to its date and a force
# to its short name; at 160 force and behaviours grow.
COLUMNS = [
    Column("reference", "Reference", 17),  # "↩ PAC-2026-000123": a returned report's mark and all
    Column("received", "Received", 16, least=10),
    Column("channel", "Channel", 7, drop=2),
    Column("force", "Force (≈ hint)", 26, least=20, grow=True, most=44),
    Column("behaviours", "Behaviours", 28, least=14, drop=1, grow=True, most=60),
    Column("status", "Status", 17),
    Column("priority", "Priority", 8),
    Column("red_flags", "Flags", 5),
    Column("assigned", "Assigned", 12, least=8),
]


ESCALATED_MARK = "▲"  # in the flags column: the report's subject is reported independently THRESHOLD+ times


def flags_cell(links: int, escalated: bool) -> str:
    """The flags column: ▲ for a report about an escalated person, then its confirmed links."""
    return " ".join(part for part in (ESCALATED_MARK if escalated else "", str(links) if links else "") if part)


class QueueSource:
    """Adapts the queue service to the table's row source."""

    def __init__(self, view: QueueView, escalated: frozenset[int] = frozenset()) -> None:
        self.view = view
        self.escalated = escalated  # reports about an escalated person, marked in the flags column
        self.states: dict[int, tuple[str, str | None]] = {}  # status and assignee of the rows fetched
        self.details: dict[int, str] = {}  # the line under the table: force and behaviours in full

    def count(self) -> int:
        return self.view.count()

    def rows(self, offset: int, limit: int) -> list[Row]:
        page = self.view.page(offset, limit)
        self.states.update((r.key, (r.status, r.assigned_to)) for r in page)
        rows = []
        for r in page:
            received, behaviours = r.received_at[:16].replace("T", " "), wording.behaviours(r.behaviours.split(","))
            how = f"received {received} {wording.received_by(r.channel)}"
            self.details[r.key] = " · ".join((r.reference, force_label(r), behaviours or "no behaviour given", how))
            rows.append(Row(r.key, [
                f"↩ {r.reference}" if r.returned else r.reference, (received, received[:10]), r.channel,
                (force_label(r), force_label(r, short=True)), behaviours, r.status_label, r.priority,
                flags_cell(r.red_flags, r.key in self.escalated), r.assigned_to or "",
            ]))
        return rows


FILTER_IDS = ("search", "status", "channel", "force", "behaviour", "from", "to", "priority", "mine")


@dataclass(frozen=True)
class QueueState:
    """What the queue showed, kept across a lock: each filter's value, the sort, the row."""

    values: dict[str, object]
    sort: str
    descending: bool
    cursor: int


def _date(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    return date.fromisoformat(text).isoformat()


class QueueScreen(Screen[None]):
    HELP_TITLE = "Report queue"
    PURPOSE = (
        "Every report in the store: search, filter, sort and open one. Enter opens the highlighted report; a "
        f"takes it for assessment. {ESCALATED_MARK} in Flags: a report about a person reported independently "
        f"{THRESHOLD} times or more (the status filter's '{ESCALATED_MARK} reported {THRESHOLD}+ times' lists only "
        "those; e lists the people); a number: the report's confirmed red-flag links."
    )
    CSS_PATH = "queue_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assess", "Assess", id="queue.assess"),
        # Not offered on a decided report, or one another analyst has: a says why.
        Binding("a", "assess_refused", show=False, id="queue.assess_refused"),
        Binding("slash", "focus_search", "Search", id="queue.search"),
        Binding("f", "focus_filters", "Filters", id="queue.filters"),
        Binding("s", "next_sort", "Sort column", id="queue.sort"),
        Binding("S", "reverse_sort", "Reverse", id="queue.reverse"),
        Binding("e", "escalations", "▲ People", id="queue.escalations"),
        Binding("escape", "back", "Back", id="queue.back"),
    ]

    def __init__(self, session: Session, preset: QueuePreset | None = None, *, restore: QueueState | None = None) -> None:
        super().__init__()
        self.session = session
        self.preset = preset or QueuePreset()  # the list it opens on: its filters set so
        self.restore = restore  # after an unlock: as it was at the lock
        self.sort = restore.sort if restore else "received"
        self.descending = restore.descending if restore else True
        self._escalated: tuple[int, ...] = ()  # the reports about an escalated person, as of the last reload

    def reopen(self) -> Reopen:
        state = QueueState({name: self.query_one(f"#{name}").value for name in FILTER_IDS},  # type: ignore[attr-defined]
                           self.sort, self.descending, self.query_one(PagedTable).cursor)
        return lambda session, _below: QueueScreen(session, self.preset, restore=state)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Search reports", id="search",
                        tooltip="Words in the narrative, the subjects or the call handler's notes")
            # Red flags are the analysts' and supervisors': the security officer has no escalated list.
            choices = [c for c in STATUS_CHOICES if c[1] != ESCALATED or can(self.session, Action.ASSESS)]
            yield Select(choices, prompt="Any status", id="status", value=self.preset.status or Select.NULL)
            yield Select([("phone", "phone"), ("online", "online")], prompt="Any channel", id="channel")
            yield Select([(f.name, f.code) for f in forces()], prompt="Any force", id="force")
            yield Select([(wording.behaviours([b]), b) for b in BEHAVIOUR_BITS], prompt="Any behaviour", id="behaviour")
        with Horizontal(id="filters2"):
            yield Input(placeholder="From YYYY-MM-DD", id="from")
            yield Input(placeholder="To YYYY-MM-DD", id="to")
            yield Select(PRIORITY_CHOICES, prompt="Any priority", id="priority", value=self.preset.priority or Select.NULL)
            yield Checkbox("Assigned to me", self.preset.mine, id="mine",
                           tooltip="Reports you hold now: taken by you and still in assessment")
            yield Static("", id="queue-count")
        yield PagedTable(COLUMNS, id="queue", choosable=can(self.session, Action.VIEW_REPORT))
        yield Static("", id="detail")  # the highlighted report's force and behaviours in full
        yield Static("", id="match")  # where the search matched in the highlighted report
        yield SteadyFooter()

    def on_mount(self) -> None:
        if self.restore:
            with self.prevent(Select.Changed, Checkbox.Changed, Input.Changed):
                for name, value in self.restore.values.items():
                    self.query_one(f"#{name}").value = value  # type: ignore[attr-defined]
        self.reload()
        table = self.query_one(PagedTable)
        if self.restore:
            table.cursor = max(0, min(self.restore.cursor, table.row_count - 1))
        table.focus()

    def on_screen_resume(self) -> None:
        if self.session.closed:  # resumed on the way out of a lock: the store is shut
            return
        self.reload(keep_cursor=True)

    def _filter(self) -> QueueFilter | None:
        def value(widget_id: str) -> str | None:
            selected = self.query_one(widget_id, Select).value
            return selected if isinstance(selected, str) else None

        try:
            start, end = _date(self.query_one("#from", Input).value), _date(self.query_one("#to", Input).value)
        except ValueError:
            self._count_text("Dates are written YYYY-MM-DD, e.g. 2026-03-14.")
            return None
        behaviour = value("#behaviour")
        return QueueFilter(
            **status_filter(value("#status"), self._escalated),
            priority=value("#priority"),
            channel=value("#channel"),
            force=value("#force"),
            behaviour_bit=BEHAVIOUR_BITS[behaviour] if behaviour else None,
            received_from=start,
            received_to=(date.fromisoformat(end) + timedelta(days=1)).isoformat() if end else None,
            held_by=self.session.user.name if self.query_one("#mine", Checkbox).value else None,
            search=self.query_one("#search", Input).value,
        )

    def reload(self, keep_cursor: bool = False) -> None:
        # Red flags are the analysts' (and supervisors'): the security officer sees no marker.
        self._escalated = escalated_reports(self.session) if can(self.session, Action.ASSESS) else ()
        flt = self._filter()
        if flt is None:
            return
        table = self.query_one(PagedTable)
        table.sorted_by, table.descending = self.sort, self.descending
        source = QueueSource(QueueView(self.session, flt, self.sort, self.descending), frozenset(self._escalated))
        table.set_source(source, keep_cursor=keep_cursor)
        self._count_text(f"{table.row_count:,} report{'s' if table.row_count != 1 else ''}")
        self._title_the_list()

    def _title_the_list(self) -> None:
        """The header names the list, status and all: at 100 columns its choice shows only
        the start of a long one ("escalated…")."""
        status = self.query_one("#status", Select).value
        label = dict((code, label) for label, code in STATUS_CHOICES).get(status) if isinstance(status, str) else None
        self.title = f"Report queue: {label}" if label else "Report queue"

    def _count_text(self, text: str) -> None:
        self.query_one("#queue-count", Static).update(Content(text))

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self.reload()

    @on(Input.Submitted)
    def _filter_entered(self) -> None:
        """Enter in the search or a date: the filter applies, and the keys go to the results."""
        self.reload()
        self.query_one(PagedTable).focus()

    @on(Input.Changed, "#search")
    def _search_typed(self) -> None:
        self.reload()

    @on(PagedTable.RowChosen)
    def _open(self, event: PagedTable.RowChosen) -> None:
        from hotline_tui.screens.triage.report_screen import ReportScreen

        if not can(self.session, Action.VIEW_REPORT):  # a security officer sees counts, not contents
            return
        self.app.push_screen(ReportScreen(self.session, event.row_id))

    @on(PagedTable.HeaderClicked)
    def _header(self, event: PagedTable.HeaderClicked) -> None:
        if event.column_key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = event.column_key, False
        self.reload()

    def action_next_sort(self) -> None:
        keys = list(SORT_KEYS)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.descending = False
        self.reload()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "assess":  # offered only on a report this user may take
            return can(self.session, Action.ASSESS) and self._highlighted_takeable()
        if action == "escalations":
            return can(self.session, Action.ASSESS)
        return True

    def _highlighted_takeable(self) -> bool:
        table = self.query_one(PagedTable)
        key, source = table.current_row_id, table.source
        if key is None or not isinstance(source, QueueSource) or key not in source.states:
            return False
        return may_take(self.session, *source.states[key])

    @on(PagedTable.CursorMoved)
    def _cursor_moved(self, event: PagedTable.CursorMoved) -> None:
        self.refresh_bindings()
        self._show_detail(event.row_id)
        self._show_match(event.row_id)

    def _show_detail(self, key: int | None) -> None:
        table = self.query_one(PagedTable)
        source = table.source
        detail = source.details.get(key, "") if isinstance(source, QueueSource) and key is not None else ""
        if source is not None and table.row_count == 0:  # rather than an empty table and nothing said
            detail = "No report matches the search and filters."
        self.query_one("#detail", Static).update(Content(detail))

    def _show_match(self, key: int | None) -> None:
        """The words of the search in the highlighted report, highlighted; literal text."""
        line = self.query_one("#match", Static)
        query = self.query_one("#search", Input).value
        readable = key is not None and query.strip() and can(self.session, Action.VIEW_REPORT)
        found = snippet_for(self.session, key, query) if readable and key is not None else None
        line.display = found is not None
        if found is not None:
            text = Text(f"{found.field}: ", style="dim")
            excerpt = Text(found.text)  # a Text: never parsed as markup
            for start, end in found.spans:
                excerpt.stylize("bold reverse", start, end)
            line.update(text + excerpt)

    def action_assess_refused(self) -> None:
        self.action_assess()  # the service says why not

    def action_assess(self) -> None:
        from hotline_tui.screens.assessment import AssessmentScreen

        key = self.query_one(PagedTable).current_row_id
        if key is None:
            return
        try:
            self.app.push_screen(AssessmentScreen(self.session, key))
        except HotlineError as exc:
            self.notify(str(exc), severity="warning", markup=False)

    def action_escalations(self) -> None:
        from hotline_tui.screens.triage.escalations_screen import EscalationsScreen

        self.app.push_screen(EscalationsScreen(self.session))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_filters(self) -> None:
        self.query_one("#status", Select).focus()

    def action_back(self) -> None:
        if self.focused is not self.query_one(PagedTable):
            self.query_one(PagedTable).focus()
            return
        self.app.pop_screen()
