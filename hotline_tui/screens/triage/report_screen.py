"""One report, read-only: every field literally, contact details hidden until revealed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, Label, Static

from hotline_tui import wording
from hotline_tui.errors import HotlineError
from hotline_tui.screens.resume import Reopen
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.referrals.outcomes import history_text, referral_outcomes
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import may_take
from hotline_tui.services.triage.queue import STATUS_LABELS, ReportDetail, report_detail, reveal_contact
from hotline_tui.widgets.safe_text import SafeText, safe
from hotline_tui.widgets.steady_footer import SteadyFooter

SUBJECT_FIELDS = ("role", "rank", "name", "collar_number", "force_hint", "station")
SUBJECT_LABELS = {"role": "role", "rank": "rank", "name": "name", "collar_number": "collar no.",
                  "force_hint": "force hint", "station": "station"}
KNOWN_FIELDS = {
    "report_id", "reference", "channel", "received_at", "reporter", "subjects", "force_hint", "behaviours",
    "narrative", "when", "where", "handler_notes", "attachments",
}


def subject_lines(subjects: list[dict[str, Any]]) -> str:
    lines = []
    for number, subject in enumerate(subjects, 1):
        parts = [f"{SUBJECT_LABELS[k]}: {subject[k]}" for k in SUBJECT_FIELDS if subject.get(k)]
        lines.append(f"{number}. " + "; ".join(str(p) for p in parts))
        if subject.get("description"):
            lines.append(f"   {subject['description']}")
        extra = {k: v for k, v in subject.items() if k not in (*SUBJECT_FIELDS, "description")}
        for key, value in extra.items():
            lines.append(f"   {key}: {wording.shown_value(value)}")
    return "\n".join(lines) or "none named"


def _status(detail: ReportDetail) -> str:
    status = str(detail.state.get("status"))
    label = STATUS_LABELS.get(status, status)
    return f"{label}, returned with comments" if detail.returned else label


def report_header(detail: ReportDetail) -> str:
    doc, state = detail.document, detail.state
    return "\n".join([
        f"Reference  {doc.get('reference')}    Report id {detail.report_id}",
        f"Received   {wording.moment(str(doc.get('received_at') or ''))}  {wording.received_by(doc.get('channel'))}",
        f"Status     {_status(detail)}    "
        f"Priority {state.get('priority')}    Assigned {state.get('assigned_to') or 'nobody'}",
        f"Force hint {doc.get('force_hint') or '—'}",
        f"Behaviours {wording.behaviours(doc.get('behaviours') or []) or 'none chosen'}",
        f"When       {doc.get('when') or '—'}",
        f"Where      {doc.get('where') or '—'}",
    ])


class RevealScreen(ModalScreen[dict[str, Any] | None]):
    """Asks why the reporter's details are needed; ``reveal`` (given the reason) returns
    them, and what it refuses (no reason, say) is shown here with the reason still typed."""
    PURPOSE = (
        "Reveal a reporter's contact details only when you must: your name, the time and your reason go to "
        "the audit log."
    )

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="reveal.cancel")]
    DEFAULT_CSS = """
    RevealScreen { align: center middle; }
    #reveal-box { width: 70; height: auto; }
    #reveal-box Input, #reveal-box Button { margin-top: 1; }
    """

    def __init__(self, reveal: Callable[[str], dict[str, Any]]) -> None:
        super().__init__()
        self.reveal = reveal

    def compose(self) -> ComposeResult:
        with Vertical(id="reveal-box", classes="panel"):
            yield Label("Reveal the reporter's contact details", classes="panel-title")
            yield Static("Your name, the time and this reason are written to the audit log.", classes="hint")
            yield Input(placeholder="Why do you need them?", id="reason")
            yield Static("", id="reveal-problem", classes="error")
            yield Button("Reveal", variant="warning", id="reveal")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed)
    def _submit(self) -> None:
        try:
            details = self.reveal(self.query_one("#reason", Input).value)
        except HotlineError as exc:
            self.query_one("#reveal-problem", Static).update(safe(str(exc)))
            return
        self.dismiss(details)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportScreen(Screen[None]):
    PURPOSE = (
        "One report, read-only, every field exactly as it arrived. The reporter's contact details stay hidden"
        " until revealed with a reason."
    )
    CSS_PATH = "report_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assess", "Assess", id="report.assess"),
        # Not offered on a decided report, or one another analyst has: a says why.
        Binding("a", "assess_refused", show=False, id="report.assess_refused"),
        Binding("v", "reveal", "Reveal contact", id="report.reveal"),
        Binding("f", "subject_file", "Subject's file", id="report.subject_file"),
        Binding("escape", "back", "Back", id="report.back"),
    ]

    def __init__(self, session: Session, key: int) -> None:
        super().__init__()
        self.session = session
        self.detail = report_detail(session, key)
        self.referral = referral_outcomes(session, key)

    def compose(self) -> ComposeResult:
        doc = self.detail.document
        yield Header()
        with VerticalScroll(id="report-body"):
            yield SafeText(report_header(self.detail), id="report-header", classes="panel")
            if self.detail.returned:
                yield Label(self.detail.returned.heading, classes="panel-title", id="returned-heading")
                yield SafeText(self.detail.returned.comments, id="returned", classes="panel returned")
            yield Label("Reporter", classes="panel-title")
            yield Static(Content(self._reporter_summary()), id="reporter", classes="panel")
            yield Label("Subjects", classes="panel-title")
            yield SafeText(subject_lines(doc.get("subjects") or []), id="subjects", classes="panel")
            yield Label("Narrative", classes="panel-title")
            yield SafeText(doc.get("narrative", ""), id="narrative", classes="panel")
            if doc.get("handler_notes"):
                yield Label("Call handler's notes", classes="panel-title")
                yield SafeText(doc["handler_notes"], id="handler-notes", classes="panel")
            if self.referral is not None:
                yield Label("Referral and what the force reports", classes="panel-title")
                yield SafeText(history_text(self.referral), id="outcomes", classes="panel")  # notes: the force's words
            yield Label("Attachments", classes="panel-title")
            yield SafeText(self._attachments(), id="attachments", classes="panel")
            extra = {k: v for k, v in doc.items() if k not in KNOWN_FIELDS}
            if extra:
                yield Label("Other fields sent by the intake system", classes="panel-title")
                yield SafeText("\n".join(f"{k}: {wording.shown_value(v)}" for k, v in extra.items()), id="extra",
                               classes="panel")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#report-body").focus()

    def reopen(self) -> Reopen:
        key = self.detail.key
        return lambda session, _below: ReportScreen(session, key)

    def _reporter_summary(self) -> str:
        reporter = self.detail.document.get("reporter") or {}
        if not self.detail.has_contact:
            return "Anonymous: no contact details were given."
        relationship = reporter.get("relationship")
        known = f" Relationship: {wording.relationship(str(relationship))}." if relationship else ""
        return f"Contact details were given and are hidden.{known} Press v to reveal them (asks for a reason)."

    def _attachments(self) -> str:
        if not self.detail.attachments:
            return "none"
        return "\n".join(f"{name}  ({media_type}, {size:,} bytes)" for _, name, media_type, size in self.detail.attachments)

    def action_reveal(self) -> None:
        if not self.detail.has_contact:
            self.notify("This report has no contact details.")
            return

        def revealed(details: dict[str, Any] | None) -> None:
            if details is None:
                return
            text = "\n".join(wording.reporter_lines(details))
            self.query_one("#reporter", Static).update(Content("Revealed (recorded in the audit log):\n") + safe(text))

        self.app.push_screen(RevealScreen(lambda reason: reveal_contact(self.session, self.detail.key, reason)), revealed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "assess":  # not on a decided report, nor one someone else is assessing
            state = self.detail.state
            return can(self.session, Action.ASSESS) and may_take(
                self.session, str(state.get("status")), state.get("assigned_to"))
        if action == "subject_file":
            return can(self.session, Action.ASSESS)
        return True

    def action_subject_file(self) -> None:
        from hotline_tui.screens.triage.subject_file_screen import SubjectFileScreen  # it opens reports too

        self.app.push_screen(SubjectFileScreen(self.session, self.detail.key))

    def action_assess_refused(self) -> None:
        self.action_assess()  # the service says why not

    def action_assess(self) -> None:
        from hotline_tui.screens.assessment import AssessmentScreen

        try:
            screen = AssessmentScreen(self.session, self.detail.key)
        except HotlineError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.app.switch_screen(screen)

    def action_back(self) -> None:
        self.app.pop_screen()
