"""The audit log: a filtered, paged view (newest first), the chain check, and exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from hotline_tui import wording
from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer_modals import ChooseMediumScreen, Field, FormScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.audit_trail import heads as audit_heads
from hotline_tui.services.audit_trail.log import AuditFilter, AuditView, day_bounds, export_range, parse_day
from hotline_tui.services.intake.media import media_for
from hotline_tui.services.session import Session
from hotline_tui.widgets.paged_table import Column, PagedTable, Row
from hotline_tui.widgets.safe_text import safe
from hotline_tui.widgets.steady_footer import SteadyFooter

COLUMNS = [
    Column("seq", "Seq", 6),
    Column("at", "At (UTC)", 19),
    Column("actor", "Actor", 10),
    Column("action", "Action", 24),
    Column("object", "Object", 34),
    Column("reason", "Reason", 40),
]
HELP = (
    "Enter shows every entry about the highlighted entry's object. h verifies against a head published earlier "
    "(a dispatch note's, or an export's head=): only that catches a log cut short. x exports a date range to media: "
    "audit-FROM-TO.jsonl (one entry a line, as stored, with each entry's hash) and audit-FROM-TO.jsonl.minisig, "
    "signed by the room's key; its trusted comment gives the range, count, head and chain state. Any auditor "
    "checks it with: minisign -Vm audit-FROM-TO.jsonl -p triage-room.pub"
)


HEAD_HELP = (
    "A head published earlier: the dispatch note's line 'Audit log head sealed into these bundles: entry N, "
    "sha256 H', or head=N:H in a signed export's trusted comment. The log must still hold that entry with that "
    "hash; a log cut short after it, or rewritten, fails."
)


def _head_problem(values: dict[str, str]) -> str:
    try:
        audit.parse_head(values["entry"], values["hash"])
    except ValueError as exc:
        return str(exc)
    return ""


def _range_problem(values: dict[str, str]) -> str:
    try:
        first, last = parse_day(values["from"]), parse_day(values["to"])
    except ValueError:
        first = last = None
    return "" if first is not None and last is not None else "Give both days as YYYY-MM-DD, e.g. 2026-03-14."


class AuditSource:
    def __init__(self, view: AuditView) -> None:
        self.view = view

    def count(self) -> int:
        return self.view.count()

    def rows(self, offset: int, limit: int) -> list[Row]:
        return [
            Row(r.seq, [str(r.seq), r.at[:19].replace("T", " "), r.actor, r.action, r.object, r.reason])
            for r in self.view.page(offset, limit)
        ]


class AuditScreen(Screen[None]):
    PURPOSE = (
        "The tamper-evident audit log: filter it, verify its hash chain (and against a head written down "
        "earlier), and export a signed range to media."
    )
    CSS_PATH = "audit_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "focus_filters", "Filter", id="audit.filter"),
        Binding("v", "verify", "Verify chain", id="audit.verify"),
        Binding("n", "verify_note", "Verify against dispatch note", id="audit.verify_note"),
        Binding("h", "verify_head", "Verify against typed head", id="audit.verify_head"),
        Binding("x", "export", "Export range", id="audit.export"),
        Binding("escape", "back", "Back", id="audit.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.view = AuditView(session)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Input(placeholder="Actor", id="actor")
            yield Input(placeholder="Action, e.g. keyring", id="action")
            yield Input(placeholder="Object/reason text", id="text")
            yield Input(placeholder="From YYYY-MM-DD", id="from")
            yield Input(placeholder="To YYYY-MM-DD", id="to")
        with Horizontal(id="audit-status"):
            yield Static("", id="audit-count")
            yield Static(Content("Chain not checked yet: press v."), id="audit-chain")
        yield PagedTable(COLUMNS, id="audit-log")
        yield Static("", id="audit-entry", classes="panel")
        yield Static(Content(HELP), id="audit-help", classes="hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(PagedTable).focus()

    def _filter(self) -> AuditFilter | None:
        try:
            since, until = day_bounds(parse_day(self._value("from")), parse_day(self._value("to")))
        except ValueError:
            self._count("Dates are written YYYY-MM-DD, e.g. 2026-03-14.")
            return None
        return AuditFilter(self._value("actor"), self._value("action"), self._value("text"), since, until)

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def reload(self) -> None:
        flt = self._filter()
        if flt is None:
            return
        self.view = AuditView(self.session, flt)
        table = self.query_one(PagedTable)
        table.set_source(AuditSource(self.view))
        self._count(f"{table.row_count:,} entr{'y' if table.row_count == 1 else 'ies'}")

    def _count(self, text: str) -> None:
        self.query_one("#audit-count", Static).update(Content(text))

    @on(Input.Changed)
    def _filters_changed(self) -> None:
        self.reload()

    @on(Input.Submitted)
    def _filters_done(self) -> None:
        self.query_one(PagedTable).focus()

    @on(PagedTable.CursorMoved)
    def _entry(self, event: PagedTable.CursorMoved) -> None:
        row = self.view.entry(event.row_id) if event.row_id is not None else None
        text = "" if row is None else (
            f"#{row.seq}  {wording.moment(row.at, seconds=True)}  {row.actor}  {row.action}\n"
            f"object: {row.object}\nreason: {row.reason}\nhash:   {row.hash}"
        )
        self.query_one("#audit-entry", Static).update(safe(text))

    @on(PagedTable.RowChosen)
    def _same_object(self, event: PagedTable.RowChosen) -> None:
        """Enter: every entry about the same object (a key, a user, a bundle)."""
        row = self.view.entry(event.row_id)
        if row is not None:
            self.query_one("#text", Input).value = row.object

    def action_focus_filters(self) -> None:
        self.query_one("#actor", Input).focus()

    def action_verify(self) -> None:
        self.query_one("#audit-chain", Static).update(Content("Verifying the chain…"))
        self._verify()

    def action_verify_head(self) -> None:
        fields = [Field("entry", "Entry number, or paste: entry N, sha256 H  /  N:H"), Field("hash", "SHA-256 (64 hex digits)")]
        form = FormScreen("Verify against a published head", HEAD_HELP, fields, "Verify", check=_head_problem)
        self.app.push_screen(form, self._head_given)

    def _head_given(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        anchor = audit.parse_head(values["entry"], values["hash"])  # the form checked it
        self.query_one("#audit-chain", Static).update(Content(f"Verifying the chain against entry {anchor[0]}…"))
        self._verify_head(lambda: audit_heads.verify_against_typed(self.session, anchor))

    def action_verify_note(self) -> None:
        notes = audit_heads.notes_on([medium.path for medium in media_for(self.session.settings)])
        fields = [Field("path", "The dispatch note (its .minisig beside it)", str(notes[0]) if notes else "")]
        hint = ("The head is read from the signed dispatch note written when referrals were sealed; its signature "
                "is checked with the room's signing keys first, so nothing is typed.")
        self.app.push_screen(FormScreen("Verify against a signed dispatch note", hint, fields, "Verify"),
                             self._note_chosen)

    def _note_chosen(self, values: dict[str, str] | None) -> None:
        if not values or not values["path"].strip():
            return
        path = Path(values["path"].strip()).expanduser()
        self.query_one("#audit-chain", Static).update(Content(f"Verifying the chain against {path.name}…"))
        self._verify_head(lambda: audit_heads.verify_against_note(self.session, path))

    @work(thread=True, exclusive=True, group="audit-verify", exit_on_error=False)
    def _verify(self) -> None:
        verdict = audit.verify(self.session)
        self.app.call_from_thread(self._verified, verdict)

    @work(thread=True, exclusive=True, group="audit-verify", exit_on_error=False)
    def _verify_head(self, check: Callable[[], audit_heads.HeadCheck]) -> None:
        try:
            result = check()
        except HotlineError as exc:
            self.app.call_from_thread(self._say_chain, f"✘ {exc}", False)
            return
        self.app.call_from_thread(self._head_checked, result)

    def _head_checked(self, result: audit_heads.HeadCheck) -> None:
        verdict, (seq, _) = result.verdict, result.anchor
        where = "the signed dispatch note's head" if result.source != "typed" else "the head you typed"
        if result.typed_mismatch:
            self._say_chain(f"? The chain is intact ({verdict.entries_checked:,} entries), but entry {seq} does not "
                            "match what you typed; check it against the signed note (n).", False)
        elif verdict.ok:
            self._say_chain(f"✔ Chain intact and it holds {where}, entry {seq}: "
                            f"{verdict.entries_checked:,} entries verified.", True)
        else:
            self._say_chain(f"✘ Chain BROKEN at entry {verdict.first_bad_seq}: {verdict.problem}", False)
        self.reload()

    def _verified(self, verdict: audit.ChainVerdict) -> None:
        if verdict.ok:
            self._say_chain(f"✔ Chain intact: {verdict.entries_checked:,} entries verified.", True)
        else:
            self._say_chain(f"✘ Chain BROKEN at entry {verdict.first_bad_seq}: {verdict.problem}", False)
        self.reload()

    def _say_chain(self, text: str, ok: bool) -> None:
        chain = self.query_one("#audit-chain", Static)
        chain.update(safe(text))
        chain.set_class(ok, "ok")
        chain.set_class(not ok, "error")

    def action_export(self) -> None:
        fields = [Field("from", "From YYYY-MM-DD (UTC)", self._value("from")), Field("to", "To YYYY-MM-DD", self._value("to"))]
        form = FormScreen("Export a range of the audit log", HELP, fields, "Choose the medium…", check=_range_problem)
        self.app.push_screen(form, self._range_chosen)

    def _range_chosen(self, values: dict[str, str] | None) -> None:
        if not values:
            return
        start, end = parse_day(values["from"]), parse_day(values["to"])  # the form checked them
        if start is None or end is None:
            return
        first, last = start, end
        media = media_for(self.session.settings)
        self.app.push_screen(ChooseMediumScreen(f"Export {first} to {last} to…", media),
                             lambda folder: self._export(folder, start, end) if folder else None)

    def _export(self, folder: Path, first: date, last: date) -> None:
        try:
            written = export_range(self.session, folder, first, last)
        except HotlineError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Wrote {written.path.name} ({written.count:,} entries) and its .minisig to {folder}.", markup=False)
        self.reload()

    def action_back(self) -> None:
        if self.focused is not self.query_one(PagedTable):
            self.query_one(PagedTable).focus()
            return
        self.app.pop_screen()
