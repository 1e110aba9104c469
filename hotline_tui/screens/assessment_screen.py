"""Assessment: the original report beside the form; every change is saved as a draft.

The screen only reads and fills widgets; what is allowed, what is flagged and what a
decision does are the assessment, sanitise and redflags services' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.select import NoSelection
from textual.widgets.text_area import Selection

from hotline_tui import reference
from hotline_tui.errors import HotlineError
from hotline_tui.screens.compare_screen import CompareScreen
from hotline_tui.screens.report_screen import report_header, subject_lines
from hotline_tui.screens.resume import Reopen
from hotline_tui.screens.subject_file_screen import SubjectFileScreen
from hotline_tui.services import redflags
from hotline_tui.services.assessment import (
    NFA_REASONS,
    AssessmentForm,
    SubjectEntry,
    anonymous_default_grading,
    release_report,
    save_draft,
    submit,
    take_report,
)
from hotline_tui.services.redflags.tokens import disposed_matches
from hotline_tui.services.sealed.checks import check_typed
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import SafeText, safe, safe_cell
from hotline_tui.widgets.warning_answers import WarningAnswers

DECISIONS = (
    ("Refer to the force (supervisor approval)", "refer"),
    ("No further action", "no_further_action"),
    ("Duplicate of another report", "duplicate"),
    ("Information only (kept for red flags)", "information_only"),
)
# The decision's own fields: widget, the form's field, the decisions that use it.
DECISION_FIELDS = (
    ("#nfa-reason", "nfa_reason", ("no_further_action",)),
    ("#decision-note", "decision_note", ("no_further_action", "duplicate", "information_only")),
    ("#duplicate-of", "duplicate_of", ("duplicate",)),
)
PRIORITIES = (("Normal", "normal"), ("High", "high"), ("Urgent: risk to safety or ongoing abuse", "urgent"))
SUBJECT_HEADINGS = ("Role", "Name", "Rank", "Collar no.", "Station", "")
CATEGORY_LISTS = (
    ("behaviours", "Behaviours", reference.BEHAVIOURS),
    ("categories", "National categories", reference.CATEGORIES),
    ("discrimination", "Discrimination", reference.DISCRIMINATION_TYPES),
)
ROLES = tuple((role, role) for role in ("officer", "staff", "volunteer", "unknown"))
# Section jumps: key, section, its first field. The decision is some 30 Tabs from the
# force; F-keys reach every terminal (ctrl+digits and often alt+letters do not). Not
# f6/f7: the summary's TextArea selects the line and all with them. Not f1/f10/f11,
# which terminals often keep for themselves.
SECTIONS = (
    ("f2", "force", "#force"),
    ("f3", "subjects", "#subjects .role"),
    ("f4", "categories", "#behaviours"),
    ("f5", "grading", "#source"),
    ("f8", "summary", "#summary"),
    ("f9", "decision", "#decision"),
)
SECTION_KEYS = {name: key for key, name, _ in SECTIONS}
JUMP = Binding.Group("Jump to section")


def _choices(table: tuple[reference.Label, ...], chosen: Sequence[str] = ()) -> list[tuple[str, str, bool]]:
    return [(entry.label, entry.code, entry.code in chosen) for entry in table]


def _pick(options: Sequence[tuple[str, str]], value: str | None) -> str | NoSelection:
    """The value to show, if it is one of the options (an old draft may hold anything)."""
    return value if value in {code for _, code in options} else Select.NULL


def _coded(table: tuple[reference.Label, ...]) -> list[tuple[str, str]]:
    """Grading choices show their code ("2 Untested"), as analysts speak of a 2CP, and
    typing the code finds it."""
    return [(f"{entry.code}  {entry.label}", entry.code) for entry in table]


def _value(select: Select[str]) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


class SearchSelect(Select[str]):
    """A choice that opens and searches as soon as the user types, as its prompt says.

    Textual's Select searches only once opened (Enter); typing on a closed one did nothing.
    """

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and character != " "

    async def _on_key(self, event: events.Key) -> None:
        if not self.check_consume_key(event.key, event.character):
            return
        event.stop()
        event.prevent_default()
        if not self.expanded:
            self.action_show_overlay()
        # The open list takes focus on the app's queue (and forgets any search when it
        # does), so each key typed before then follows on that queue, in order.
        overlay = self.query_one("SelectOverlay")
        self.app.call_later(overlay.post_message, events.Key(event.key, event.character))


class SteadyFooter(Footer):
    """A footer that recomposes only when what it shows changes.

    Textual's recomposes on every change of focus, and a recompose costs a relayout of
    this whole form: most of the time a Tab took. Most fields show the same keys.
    """

    _keys: tuple[tuple[str, str, bool], ...] = ()

    def bindings_changed(self, screen: Screen[object]) -> None:
        keys = tuple((b.key, b.description, enabled) for _, b, enabled, _ in screen.active_bindings.values() if b.show)
        if keys == self._keys and self.children:
            return
        if screen.app.app_focus:
            self._keys = keys
        super().bindings_changed(screen)


class RedFlagTable(DataTable[Text]):
    """Earlier reports that may be about the same person; c and x decide the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "screen.decide_link(True)", "Confirm link", id="assess.redflag_confirm"),
        Binding("x", "screen.decide_link(False)", "Reject link", id="assess.redflag_reject"),
    ]


class SubjectRow(Container):
    """One subject: role, name, rank, collar number, station; below them the description
    the force will read (the report's, to sanitise like the summary)."""

    DEFAULT_CSS = """
    SubjectRow { layout: grid; grid-size: 6; grid-columns: 16 1fr 1fr 1fr 1fr 5; grid-rows: 3; height: auto; }
    SubjectRow Select { width: 16; }
    SubjectRow Input { width: 1fr; }
    SubjectRow Input.description { column-span: 6; width: 1fr; }
    SubjectRow Button { min-width: 5; width: 5; }
    """

    def __init__(self, entry: SubjectEntry) -> None:
        super().__init__()
        # Kept, not queried: the form is read on every keystroke.
        self.role_select = SearchSelect(ROLES, value=_pick(ROLES, entry.role), allow_blank=False, classes="role")
        self.name_input = Input(entry.name, placeholder="Name", classes="name")
        self.rank_input = Input(entry.rank, placeholder="Rank", classes="rank")
        self.collar_input = Input(entry.collar_number, placeholder="Collar / warrant no.", classes="collar")
        self.station_input = Input(entry.station, placeholder="Station or unit", classes="station")
        self.description_input = Input(entry.description, classes="description",
                                        placeholder="Description the force will read (nothing of the reporter)")

    def compose(self) -> ComposeResult:
        yield from (self.role_select, self.name_input, self.rank_input, self.collar_input, self.station_input)
        yield Button("✕", classes="remove-subject", tooltip="Remove this subject")
        yield self.description_input

    def read(self) -> SubjectEntry:
        return SubjectEntry(
            role=_value(self.role_select) or "unknown", name=self.name_input.value, rank=self.rank_input.value,
            collar_number=self.collar_input.value, station=self.station_input.value,
            description=self.description_input.value,
        )


class AssessmentScreen(Screen[None]):
    PURPOSE = (
        "Assess one report: the original on the left, the form on the right. Choose the force, name the "
        "subjects, pick categories, grade it 3x5x2, write the sanitised summary the force will read, look at "
        "red flags, and decide. Every change is saved as a draft at once."
    )
    CSS_PATH = "assessment_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", id="assess.submit"),
        Binding("ctrl+n", "add_subject", "Add subject", id="assess.add_subject"),
        Binding("ctrl+g", "offer_default", "Default grading", id="assess.default_grading"),
        Binding("ctrl+r", "release", "Give back", id="assess.release"),
        Binding("ctrl+o", "subject_file", "Subject's file", id="assess.subject_file"),
        Binding("escape", "back", "Back", id="assess.back"),
        *(Binding(key, f"jump('{name}')", name.title(), id=f"assess.jump_{name}", group=JUMP) for key, name, _ in SECTIONS),
    ]

    def __init__(self, session: Session, key: int) -> None:
        super().__init__()
        self.session = session
        self.assessment = take_report(session, key)
        self._filling = True
        self._saved = self.assessment.form  # what the store holds: save only what differs
        self._shown: dict[str, str] = {}  # what each message shows: repaint only what differs
        self._candidates: list[redflags.Candidate] = []

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
                yield from self._compose_form()
        yield SteadyFooter()

    def _compose_form(self) -> ComposeResult:
        """The form, each widget made with the draft's value: filling them after mounting
        cost a relayout of the whole form per change."""
        form = self.assessment.form
        if self.assessment.returned_comments:
            note = self.assessment.returned
            yield Label(note.heading if note else "Returned by the supervisor", classes="panel-title",
                        id="returned-heading")
            yield SafeText(self.assessment.returned_comments, id="returned", classes="panel returned")
        yield _section("Force", "force")
        forces = [(f.name, f.code) for f in reference.forces()] + [("Other body (not sealed)", reference.OTHER_FORCE)]
        yield SearchSelect(forces, prompt="Choose the force (type to search)", value=_pick(forces, form.force), id="force")
        yield Input(form.force_other_note, placeholder="Which body, and why (for 'other')", id="force-note")
        yield _section("Subjects", "subjects")
        with Horizontal(id="subject-headings"):  # a filled field shows no placeholder
            for heading in SUBJECT_HEADINGS:
                yield Label(heading)
        with Vertical(id="subjects"):
            for entry in form.subjects or [SubjectEntry()]:
                yield SubjectRow(entry)
        yield Button("Add subject (ctrl+n)", id="add-subject")
        yield _section("Categories", "categories")
        with Horizontal(id="category-lists"):
            for list_id, title, table in CATEGORY_LISTS:
                selection = SelectionList[str](*_choices(table, getattr(form, list_id)), id=list_id)
                selection.border_title = title
                yield selection
        yield _section("Grading 3x5x2", "grading")
        with Horizontal(id="grading"):
            for grade_id, table in (("source", reference.GRADING_SOURCE), ("intelligence", reference.GRADING_INTELLIGENCE),
                                    ("handling", reference.GRADING_HANDLING)):
                options = _coded(table)
                yield SearchSelect(options, prompt=grade_id.title(), value=_pick(options, getattr(form, grade_id)), id=grade_id)
        yield SelectionList[str](*_choices(reference.HANDLING_CONDITIONS, form.handling_conditions), id="conditions")
        yield Static("", id="default-grading", classes="hint")
        yield Label("Priority", classes="section")
        with Horizontal(id="priority-row"):
            yield SearchSelect(PRIORITIES, value=_pick(PRIORITIES, form.priority), allow_blank=False, id="priority")
            yield Input(form.priority_reason, placeholder="Why urgent (risk to someone's safety, ongoing abuse)",
                        id="priority-reason")
        yield Label("IOPC mandatory-referral criteria", classes="section")
        yield Static("", id="iopc-note", classes="hint")
        yield SelectionList[str](*_choices(reference.IOPC_CRITERIA, form.iopc_criteria), id="iopc")
        yield Label("When and where it happened (the force reads them: nothing of the reporter)", classes="section")
        with Horizontal(id="when-where"):
            yield Input(form.when, placeholder="When it happened", id="when")
            yield Input(form.where, placeholder="Where it happened", id="where")
        yield _section("Sanitised summary (what the force will read)", "summary")
        yield TextArea(form.summary, id="summary", soft_wrap=True, show_line_numbers=False)
        yield Static("", id="flags")
        self.warning_answers = WarningAnswers(form.answers(), id="warning-answers")
        yield self.warning_answers
        yield Label("Red flags: earlier reports that may be about the same person", classes="section")
        yield Static("Enter compares the highlighted report beside this one; c confirms, x rejects the link.",
                     classes="hint")
        yield RedFlagTable(id="redflags", cursor_type="row")
        yield Static("", id="disposed", classes="hint")
        yield _section("Decision", "decision")
        yield SearchSelect(DECISIONS, prompt="Decide", value=_pick(DECISIONS, form.decision), id="decision")
        reasons = [(label, code) for code, label in NFA_REASONS]
        yield SearchSelect(reasons, prompt="Reason for no further action", value=_pick(reasons, form.nfa_reason),
                           id="nfa-reason")
        yield Input(form.decision_note, placeholder="Note (required for 'other', information only)", id="decision-note")
        yield Input(form.duplicate_of, placeholder="Reference of the report this duplicates", id="duplicate-of")
        yield Static("", id="problems")
        with Horizontal(id="buttons"):
            yield Button("Submit (ctrl+s)", variant="primary", id="submit")
            yield Static("", id="saved", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#redflags", DataTable).add_columns("Reference", "Received", "Status", "Outcome", "Link", "Why")
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
        def chosen(list_id: str) -> list[str]:
            return list(self.query_one(list_id, SelectionList).selected)

        return AssessmentForm(
            force=_value(self.query_one("#force", Select)),
            force_other_note=self.query_one("#force-note", Input).value,
            subjects=[row.read() for row in self.query_one("#subjects").children if isinstance(row, SubjectRow)],
            behaviours=chosen("#behaviours"),
            categories=chosen("#categories"),
            discrimination=chosen("#discrimination"),
            source=_value(self.query_one("#source", Select)),
            intelligence=_value(self.query_one("#intelligence", Select)),
            handling=_value(self.query_one("#handling", Select)),
            handling_conditions=chosen("#conditions"),
            priority=_value(self.query_one("#priority", Select)) or "normal",
            priority_reason=self.query_one("#priority-reason", Input).value,
            iopc_criteria=chosen("#iopc"),
            summary=self.query_one("#summary", TextArea).text,
            when=self.query_one("#when", Input).value,
            where=self.query_one("#where", Input).value,
            decision=_value(self.query_one("#decision", Select)),
            nfa_reason=_value(self.query_one("#nfa-reason", Select)),
            decision_note=self.query_one("#decision-note", Input).value,
            duplicate_of=self.query_one("#duplicate-of", Input).value,
            warning_answers=[answer.to_dict() for answer in self.warning_answers.answers],
        )

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
        self._show_red_flags(redflags.candidates(self.session, self.assessment.key, form.subjects, form.force))
        disposed = disposed_matches(self.session, self.assessment.key, form.subjects)
        self._show("#disposed", "\n".join(match.describe() for match in disposed))

    def _show_red_flags(self, found: list[redflags.Candidate]) -> None:
        table = self.query_one("#redflags", DataTable)
        if found == self._candidates and table.row_count:
            return  # most keystrokes in a subject's fields change nothing here
        highlighted = self._candidates[table.cursor_row].key if 0 <= table.cursor_row < len(self._candidates) else None
        self._candidates = found
        table.clear()
        for candidate in found:
            link = {"confirmed": "✔ confirmed", "rejected": "✘ rejected"}.get(candidate.link or "", "?")
            if candidate.relation == redflags.SAME_REPORTER:
                link = "same reporter?"
            table.add_row(
                Text(candidate.reference), Text(candidate.received_at[:10]), Text(candidate.status),
                Text(candidate.outcome or "—"), Text(link), safe_cell("; ".join(candidate.reasons), 70),
            )
        if not found:
            table.add_row(Text("none found"), *(Text("") for _ in range(5)))
        keys = [candidate.key for candidate in found]
        if highlighted in keys:  # a decided link moves up the list: the cursor follows it
            table.move_cursor(row=keys.index(highlighted))

    @on(DataTable.RowSelected, "#redflags")
    def _compare(self, event: DataTable.RowSelected) -> None:
        """Enter on a candidate: it opens beside this report, to confirm or reject there."""
        if not 0 <= event.cursor_row < len(self._candidates):
            return
        candidate = self._candidates[event.cursor_row]

        def decided(confirmed: bool | None) -> None:
            if confirmed is not None:
                self._decide(candidate, confirmed)

        self.app.push_screen(CompareScreen(self.session, self.assessment.key, self.assessment.document, candidate), decided)

    def action_subject_file(self) -> None:
        self.app.push_screen(SubjectFileScreen(self.session, self.assessment.key))

    def action_decide_link(self, confirmed: bool) -> None:
        table = self.query_one("#redflags", DataTable)
        if not 0 <= table.cursor_row < len(self._candidates):
            return
        self._decide(self._candidates[table.cursor_row], confirmed)

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
        self.query_one("#form").scroll_to_widget(self.query_one(f"#section-{section}"), animate=False, top=True)

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


def _section(title: str, name: str) -> Label:
    """A section's title, with the key that jumps to it."""
    return Label(Text.assemble(title, (f"  {SECTION_KEYS[name]}", "dim")), id=f"section-{name}", classes="section")


def report_header_for(screen: AssessmentScreen) -> str:
    from hotline_tui.services.queue import report_detail

    return report_header(report_detail(screen.session, screen.assessment.key))

