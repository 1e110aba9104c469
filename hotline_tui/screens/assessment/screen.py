"""Assessment: the original report beside the form; every change is saved as a draft.

The screen only reads and fills widgets; what is allowed, what is flagged and what a
decision does are the assessment, sanitise and redflags services' business.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Header, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.text_area import Selection

from hotline_tui import reference
from hotline_tui.errors import HotlineError
from hotline_tui.screens.assessment.form import (
    DECISION_FIELDS,
    SECTIONS,
    SubjectRow,
    compose_form,
    grading_meaning,
    read_form,
)
from hotline_tui.screens.assessment.red_flags import RedFlagTable
from hotline_tui.screens.resume import Reopen
from hotline_tui.screens.triage.compare_screen import CompareScreen
from hotline_tui.screens.triage.report_screen import report_header, subject_lines
from hotline_tui.screens.triage.subject_file_screen import SubjectFileScreen
from hotline_tui.services import redflags
from hotline_tui.services.redflags.tokens import disposed_matches
from hotline_tui.services.sealed.checks import check_typed
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import (
    AssessmentForm,
    SubjectEntry,
    anonymous_default_grading,
    release_report,
    save_draft,
    submit,
    take_report,
)
from hotline_tui.widgets.safe_text import SafeText, safe
from hotline_tui.widgets.steady_footer import SteadyFooter
from hotline_tui.widgets.warning_answers import WarningAnswers

JUMP = Binding.Group("Jump to section")


class AssessmentScreen(Screen[None]):
    PURPOSE = (
        "Assess one report: the original on the left, the form on the right. Choose the force, name the "
        "subjects, pick categories, grade it 3x5x2, write the sanitised summary the force will read, look at "
        "red flags, and decide. Every change is saved as a draft at once."
    )
    CSS_PATH = "screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # In the footer's order; at 100 columns it gives up the last first (the form says ctrl+g).
        Binding("ctrl+s", "submit", "Submit", id="assess.submit"),
        Binding("escape", "back", "Back", id="assess.back"),
        Binding("ctrl+n", "add_subject", "Add subject", id="assess.add_subject"),
        Binding("ctrl+r", "release", "Give back", id="assess.release"),
        Binding("ctrl+o", "subject_file", "Subject's file", id="assess.subject_file"),
        Binding("ctrl+g", "offer_default", "Default grading", id="assess.default_grading"),
        *(Binding(key, f"jump('{name}')", name.title(), id=f"assess.jump_{name}", group=JUMP) for key, name, _ in SECTIONS),
    ]

    def __init__(self, session: Session, key: int) -> None:
        super().__init__()
        self.session = session
        self.assessment = take_report(session, key)
        self._filling = True
        self._saved = self.assessment.form  # what the store holds: save only what differs
        self._shown: dict[str, str] = {}  # what each message shows: repaint only what differs
        self.warning_answers = WarningAnswers(self.assessment.form.answers(), id="warning-answers")

    # layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        doc = self.assessment.document
        yield Header()
        with Horizontal(id="assess-columns"):
            with VerticalScroll(id="original", classes="panel"):
                yield Label("Original report (never leaves the room)", classes="panel-title")
                yield SafeText(report_header_for(self), id="original-header")
                yield SafeText("Subjects named\n" + subject_lines(doc.get("subjects") or []), id="original-subjects")
                yield SafeText(doc.get("narrative", ""), id="original-narrative")
                if doc.get("handler_notes"):
                    yield SafeText("Call handler's notes\n" + doc["handler_notes"], id="original-notes")
            with VerticalScroll(id="form"):
                yield from compose_form(self.assessment, self.warning_answers)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._show_what_applies(self.assessment.form)
        source, intelligence, handling = anonymous_default_grading(self.assessment.document)
        self._show("#default-grading", f"The usual default for an anonymous report is [{source}{intelligence}{handling}]: "
                                       "ctrl+g applies it; check it fits.")
        self.call_after_refresh(self._filled)
        self.query_one("#force", Select).focus()

    def _filled(self) -> None:
        self._filling = False
        form = self.read_form()
        self._refresh_checks(form)
        self._find_red_flags(form)

    # form <-> widgets -------------------------------------------------------------

    def read_form(self) -> AssessmentForm:
        return read_form(self, self.warning_answers)

    # changes ----------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    @on(TextArea.Changed)
    def _changed(self, event: object) -> None:
        # On every keystroke: read the widgets once, and repaint only what changed, or
        # typing lags (a relayout of the whole form costs tens of milliseconds).
        if self._filling:
            return
        form = self.read_form()
        self.save(form)
        self._refresh_checks(form)
        source = getattr(event, "control", None) or getattr(event, "input", None) or getattr(event, "select", None)
        if isinstance(source, Widget) and (source.id == "force" or isinstance(source.parent, SubjectRow)):
            self._find_red_flags(form)

    def save(self, form: AssessmentForm | None = None) -> None:
        """Every change goes to the store at once, so nothing typed is lost on lock or crash.
        Only a change: the widgets echo the form they were filled with, and merely opening
        a report must not count as work begun (the audit log, and giving it back)."""
        if self._filling or self.session.closed:
            return
        form = form or self.read_form()
        if form == self._saved:
            return
        try:
            saved_at = save_draft(self.session, self.assessment.key, form)
        except HotlineError as exc:
            self._show("#saved", f"Not saved: {exc}")
            return
        self._saved = form
        self._show("#saved", f"Draft saved {saved_at[11:19]}")

    def before_lock(self) -> None:
        self.save()

    def reopen(self) -> Reopen:
        """After the unlock: the report again, with the draft saved at the lock."""
        key = self.assessment.key
        return lambda session, _below: AssessmentScreen(session, key)

    def _refresh_checks(self, form: AssessmentForm) -> None:
        try:  # against the report as received, contact details included: in the service
            checks = check_typed(self.session, self.assessment.key, form)
        except HotlineError as exc:
            self._show("#flags", f"Not checked: {exc}")
            return
        lines = ["✘ " + f.message + f": “{f.text}”" for f in checks.flags if f.blocking]
        warnings = checks.warnings
        self.warning_answers.show(warnings)
        self._show("#flags", "\n".join(lines) if lines else "✔ No reporter details found." if warnings
                   else "✔ No reporter details or tell-tale words found.")
        self.query_one("#flags").set_class(bool(lines), "error")
        issues = checks.problems
        self._show("#problems", "Before submitting:\n" + "\n".join(f"• {p}" for p in issues) if issues else "Ready to submit.")
        self._show_what_applies(form)

    def _show_what_applies(self, form: AssessmentForm) -> None:
        """Only the fields that apply are shown (and in the Tab order); a field that no
        longer applies stays while it holds something, so it can be cleared."""
        force = reference.force_by_code(form.force or "")
        applies = bool(force and force.iopc)
        self.query_one("#iopc", SelectionList).disabled = not applies and not form.iopc_criteria
        self._show("#iopc-note", "" if applies else "Only for forces of England and Wales and the UK-wide forces.")
        self.query_one("#iopc-note").display = not applies
        self.query_one("#conditions", SelectionList).display = form.handling == "C" or bool(form.handling_conditions)
        self._show("#grading-meaning", grading_meaning(form))
        self.query_one("#force-note").display = form.force == reference.OTHER_FORCE or bool(form.force_other_note)
        self.query_one("#priority-reason").display = form.priority == "urgent" or bool(form.priority_reason)
        for selector, name, decisions in DECISION_FIELDS:
            self.query_one(selector).display = form.decision in decisions or bool(getattr(form, name))

    def _show(self, selector: str, text: str) -> None:
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(safe(text))

    @on(WarningAnswers.Changed)
    def _answered(self) -> None:
        form = self.read_form()
        self.save(form)
        self._refresh_checks(form)

    @on(WarningAnswers.Reword)
    def _reword(self, event: WarningAnswers.Reword) -> None:
        """To the words in the summary, selected, to reword them."""
        summary = self.query_one("#summary", TextArea)
        flag, text = event.warning.flag, summary.text
        at = flag.start if text[flag.start : flag.end] == flag.text else text.find(flag.text)
        summary.focus()
        if event.warning.where == "The summary" and at >= 0:
            summary.selection = Selection(_location(text, at), _location(text, at + len(flag.text)))
        self.notify(f"Reword it in {event.warning.where.lower()}: the warning goes when its words do.", markup=False)

    # red flags ----------------------------------------------------------------------

    def _find_red_flags(self, form: AssessmentForm | None = None) -> None:
        # A few milliseconds at 100k reports (bench/redflags.py), and on the session's one
        # connection: run here rather than share the connection with a worker thread.
        form = form or self.read_form()
        found = redflags.candidates(self.session, self.assessment.key, form.subjects, form.force)
        self.query_one(RedFlagTable).show(found)
        disposed = disposed_matches(self.session, self.assessment.key, form.subjects)
        self._show("#disposed", "\n".join(match.describe() for match in disposed))
        left = redflags.reports_not_indexed(self.session)  # a large import still being indexed: say so
        self._show("#redflag-indexing", f"{left:,} reports just imported are still being indexed for red flags: none of "
                   "them is among these until it is (home says how far)." if left else "")
        self.query_one("#redflag-indexing").display = bool(left)

    @on(DataTable.RowSelected, "#redflags")
    def _compare(self, event: DataTable.RowSelected) -> None:
        """Enter on a candidate: it opens beside this report, to confirm or reject there."""
        candidates = self.query_one(RedFlagTable).candidates
        if not 0 <= event.cursor_row < len(candidates):
            return
        candidate = candidates[event.cursor_row]

        def decided(confirmed: bool | None) -> None:
            if confirmed is not None:
                self._decide(candidate, confirmed)

        self.app.push_screen(CompareScreen(self.session, self.assessment.key, self.assessment.document, candidate), decided)

    def action_subject_file(self) -> None:
        self.app.push_screen(SubjectFileScreen(self.session, self.assessment.key))

    def action_decide_link(self, confirmed: bool) -> None:
        candidate = self.query_one(RedFlagTable).highlighted
        if candidate is not None:
            self._decide(candidate, confirmed)

    def _decide(self, candidate: redflags.Candidate, confirmed: bool) -> None:
        if candidate.relation == redflags.SAME_REPORTER:
            self.notify("The same reporter (again, or a campaign) is for you to weigh: it is not a link about the officer"
                        " and never goes in a referral.", title="Not a link", severity="warning", markup=False)
            return
        try:
            redflags.decide_link(self.session, self.assessment.key, candidate.key, confirmed)
        except HotlineError as exc:
            self.notify(str(exc), title="Link not recorded", severity="error", markup=False)
            return
        self._find_red_flags()

    # actions ----------------------------------------------------------------------

    @on(Button.Pressed, "#add-subject")
    def action_add_subject(self) -> None:
        row = SubjectRow(SubjectEntry())
        self.query_one("#subjects", Vertical).mount(row)
        self.call_after_refresh(lambda: row.query_one(".name", Input).focus())
        self.call_after_refresh(self.save)

    @on(Button.Pressed, ".remove-subject")
    def _remove_subject(self, event: Button.Pressed) -> None:
        row = event.button.parent
        if isinstance(row, SubjectRow) and len(self.query(SubjectRow)) > 1:
            row.remove()
            self.call_after_refresh(self.save)
            self.call_after_refresh(self._find_red_flags)

    def action_jump(self, section: str) -> None:
        """Focus the section's first field, its title at the top of the form where it fits."""
        selector = next(field for _, name, field in SECTIONS if name == section)
        self.query_one(selector).focus(scroll_visible=False)
        # After the next refresh: pressed as the screen opens, the form is not laid out yet
        # and a scroll now would stop short of the section.
        title = self.query_one(f"#section-{section}")
        self.call_after_refresh(self.query_one("#form").scroll_to_widget, title, animate=False, top=True)

    def action_offer_default(self) -> None:
        source, intelligence, handling = anonymous_default_grading(self.assessment.document)
        self.query_one("#source", Select).value = source
        self.query_one("#intelligence", Select).value = intelligence
        self.query_one("#handling", Select).value = handling
        self.notify(f"Applied [{source}{intelligence}{handling}]: check it fits this report.", markup=False)

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        form = self.read_form()
        try:
            status = submit(self.session, self.assessment.key, form)
        except HotlineError as exc:
            self.notify(str(exc), title="Not submitted", severity="error", markup=False)
            return
        self.notify(f"Submitted: {status.replace('_', ' ')}.", markup=False)
        self.app.pop_screen()

    def action_release(self) -> None:
        self.save()
        release_report(self.session, self.assessment.key)
        self.notify("Given back to the queue; your draft is kept.")
        self.app.pop_screen()

    def action_back(self) -> None:
        self.save()
        self.app.pop_screen()


def _location(text: str, offset: int) -> tuple[int, int]:
    """A TextArea's (row, column) of a character offset."""
    return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1)


def report_header_for(screen: AssessmentScreen) -> str:
    from hotline_tui.services.triage.queue import report_detail

    return report_header(report_detail(screen.session, screen.assessment.key))
