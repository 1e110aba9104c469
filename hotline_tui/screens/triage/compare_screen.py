"""A red-flag candidate beside the report being assessed, to compare before confirming.

Enter on a candidate in the assessment opens it. The reasons (quoting both reports) are
on top; the two reports side by side below, each as it arrived. c confirms the two are
about the same person, x rejects it, f opens the candidate's subject's file. A
same-reporter candidate (the reporter's own details match) is shown, never confirmed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label

from hotline_tui import wording
from hotline_tui.screens.triage.report_screen import report_header, subject_lines
from hotline_tui.screens.triage.subject_file_screen import SubjectFileScreen
from hotline_tui.services import redflags
from hotline_tui.services.session import Session
from hotline_tui.services.triage.queue import report_detail
from hotline_tui.widgets.safe_text import SafeText
from hotline_tui.widgets.steady_footer import SteadyFooter


def why_text(candidate: redflags.Candidate) -> str:
    if candidate.relation == redflags.SAME_REPORTER:
        head = "The same reporter, or a campaign? This is for you to weigh; it is never a link about the officer."
    else:
        link = {"confirmed": "You confirmed this link.", "rejected": "You rejected this link."}.get(candidate.link or "", "")
        head = f"Why these may be about the same person (strength {candidate.score:.2f}). {link}".rstrip()
    return head + "\n" + "\n".join(f"• {why}" for why in candidate.reasons)


def _panel(document: dict[str, Any], header: str) -> str:
    return "\n".join([header, "", "Subjects", subject_lines(document.get("subjects") or []), "", "Narrative",
                      str(document.get("narrative") or ""),
                      *(["", "Call handler's notes", str(document["handler_notes"])] if document.get("handler_notes") else [])])


class CompareScreen(Screen[bool | None]):
    """Dismissed with True (confirm), False (reject) or None (back, nothing decided)."""

    PURPOSE = ("A red-flag candidate beside the report you are assessing: read both, then confirm or reject that"
               " they are about the same person. Nothing is merged; a confirmed link is listed on both reports.")
    CSS_PATH = "compare_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "decide(True)", "Confirm same person", id="compare.confirm"),
        Binding("x", "decide(False)", "Reject", id="compare.reject"),
        Binding("f", "subject_file", "Subject's file", id="compare.subject_file"),
        Binding("escape", "back", "Back", id="compare.back"),
    ]

    def __init__(self, session: Session, key: int, document: dict[str, Any], candidate: redflags.Candidate) -> None:
        super().__init__()
        self.session = session
        self.key = key
        self.document = document
        self.candidate = candidate
        self.other = report_detail(session, candidate.key)

    def compose(self) -> ComposeResult:
        c = self.candidate
        yield Header()
        yield SafeText(why_text(c), id="compare-why", classes="panel")
        with Horizontal(id="compare-columns"):
            with VerticalScroll(id="compare-mine", classes="column"):
                yield Label(f"This report {self.document.get('reference')}", classes="panel-title")
                received = wording.moment(self.document.get("received_at"))
                yield SafeText(_panel(self.document, f"Received {received}"), id="mine-text")
            with VerticalScroll(id="compare-theirs", classes="column"):
                outcome = c.outcome or c.status.replace("_", " ")
                yield Label(f"Candidate {c.reference}  ({outcome})", classes="panel-title")
                yield SafeText(_panel(self.other.document, report_header(self.other)), id="theirs-text")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = f"Compare with {self.candidate.reference}"
        self.query_one("#compare-theirs").focus()

    def action_decide(self, confirmed: bool) -> None:
        if self.candidate.relation == redflags.SAME_REPORTER:
            self.notify("The same reporter (again, or a campaign) is for you to weigh: it is not a link about the officer"
                        " and never goes in a referral.", title="Not a link", severity="warning", markup=False)
            return
        self.dismiss(confirmed)

    def action_subject_file(self) -> None:
        self.app.push_screen(SubjectFileScreen(self.session, self.candidate.key))

    def action_back(self) -> None:
        self.dismiss(None)
