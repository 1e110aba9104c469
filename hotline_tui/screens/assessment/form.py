"""The assessment form: its fields, made with the draft's values, and read back in one go.

The screen (screen.py) decides what a change does; this module only knows which widget
holds which field of an ``AssessmentForm``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.dom import DOMNode
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.select import NoSelection

from hotline_tui import reference
from hotline_tui.screens.assessment.red_flags import compose_red_flags
from hotline_tui.services.triage.assessment import NFA_REASONS, Assessment, AssessmentForm, SubjectEntry
from hotline_tui.widgets.menu import Choices
from hotline_tui.widgets.safe_text import SafeText
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
CATEGORY_LISTS = (  # in the Tab order: the two short lists side by side, then the long one below
    ("behaviours", "Behaviours", reference.BEHAVIOURS),
    ("discrimination", "Discrimination", reference.DISCRIMINATION_TYPES),
    ("categories", "National categories", reference.CATEGORIES),
)
GRADINGS = (
    ("source", reference.GRADING_SOURCE),
    ("intelligence", reference.GRADING_INTELLIGENCE),
    ("handling", reference.GRADING_HANDLING),
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


def _choices(table: tuple[reference.Label, ...], chosen: Sequence[str] = ()) -> list[tuple[str, str, bool]]:
    return [(entry.label, entry.code, entry.code in chosen) for entry in table]


def _pick(options: Sequence[tuple[str, str]], value: str | None) -> str | NoSelection:
    """The value to show, if it is one of the options (an old draft may hold anything)."""
    return value if value in {code for _, code in options} else Select.NULL


def coded(table: tuple[reference.Label, ...]) -> list[tuple[str, str]]:
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
        self.collar_input = Input(entry.collar_number, placeholder="Collar no.", classes="collar")
        self.station_input = Input(entry.station, placeholder="Station", classes="station")  # whole at 160
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


def grading_meaning(form: AssessmentForm) -> str:
    """The chosen grades in words, e.g. "2CP: Untested; Known indirectly to the source…"."""
    chosen = [(code, reference.label_of(table, code)) for (_, table), code in
              zip(GRADINGS, (form.source, form.intelligence, form.handling), strict=True) if code]
    if not chosen:
        return ""
    return f"{''.join(code for code, _ in chosen)}: " + "; ".join(label for _, label in chosen)


def section(title: str, name: str) -> Label:
    """A section's title, with the key that jumps to it."""
    return Label(Text.assemble(title, (f"  {SECTION_KEYS[name]}", "dim")), id=f"section-{name}", classes="section")


def compose_form(assessment: Assessment, answers: WarningAnswers) -> ComposeResult:
    """The form, each widget made with the draft's value: filling them after mounting
    cost a relayout of the whole form per change."""
    form = assessment.form
    if assessment.returned_comments:
        note = assessment.returned
        yield Label(note.heading if note else "Returned by the supervisor", classes="panel-title", id="returned-heading")
        yield SafeText(assessment.returned_comments, id="returned", classes="panel returned")
    yield section("Force", "force")
    forces = [(f.name, f.code) for f in reference.forces()] + [("Other body (not sealed)", reference.OTHER_FORCE)]
    yield SearchSelect(forces, prompt="Choose the force (type to search)", value=_pick(forces, form.force), id="force")
    yield Input(form.force_other_note, placeholder="Which body, and why (for 'other')", id="force-note")
    yield section("Subjects", "subjects")
    with Horizontal(id="subject-headings"):  # a filled field shows no placeholder
        for heading in SUBJECT_HEADINGS:
            yield Label(heading)
    with Vertical(id="subjects"):
        for entry in form.subjects or [SubjectEntry()]:
            yield SubjectRow(entry)
    yield Button("Add subject (ctrl+n)", id="add-subject")
    yield section("Categories", "categories")
    with Horizontal(id="category-lists"):
        for list_id, title, table in CATEGORY_LISTS:
            selection = Choices[str](*_choices(table, getattr(form, list_id)), id=list_id)
            selection.border_title = title
            yield selection
    yield section("Grading 3x5x2", "grading")
    with Horizontal(id="grading"):
        for grade_id, table in GRADINGS:
            options = coded(table)
            yield SearchSelect(options, prompt=grade_id.title(), value=_pick(options, getattr(form, grade_id)), id=grade_id)
    yield Static("", id="grading-meaning", classes="hint")  # the whole labels: the choices are cut short
    yield Choices[str](*_choices(reference.HANDLING_CONDITIONS, form.handling_conditions), id="conditions")
    yield Static("", id="default-grading", classes="hint")
    yield Label("Priority", classes="section")
    with Horizontal(id="priority-row"):
        yield SearchSelect(PRIORITIES, value=_pick(PRIORITIES, form.priority), allow_blank=False, id="priority")
        yield Input(form.priority_reason, placeholder="Why urgent (risk to someone's safety, ongoing abuse)",
                    id="priority-reason")
    yield Label("IOPC mandatory-referral criteria", classes="section")
    yield Static("", id="iopc-note", classes="hint")
    yield Choices[str](*_choices(reference.IOPC_CRITERIA, form.iopc_criteria), id="iopc")
    yield Label("When and where it happened (the force reads them: nothing of the reporter)", classes="section")
    with Horizontal(id="when-where"):
        yield Input(form.when, placeholder="When it happened", id="when")
        yield Input(form.where, placeholder="Where it happened", id="where")
    yield section("Sanitised summary (what the force will read)", "summary")
    yield TextArea(form.summary, id="summary", soft_wrap=True, show_line_numbers=False)
    yield Static("", id="flags")
    yield answers
    yield from _compose_decision(form)


def _compose_decision(form: AssessmentForm) -> ComposeResult:
    yield from compose_red_flags()
    yield section("Decision", "decision")
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


def read_form(screen: DOMNode, answers: WarningAnswers) -> AssessmentForm:
    """What the widgets hold now, as the form the services check and save."""

    def chosen(list_id: str) -> list[str]:
        return list(screen.query_one(list_id, SelectionList).selected)

    def text(input_id: str) -> str:
        return screen.query_one(input_id, Input).value

    def choice(select_id: str) -> str | None:
        return _value(screen.query_one(select_id, Select))

    return AssessmentForm(
        force=choice("#force"),
        force_other_note=text("#force-note"),
        subjects=[row.read() for row in screen.query_one("#subjects").children if isinstance(row, SubjectRow)],
        behaviours=chosen("#behaviours"),
        categories=chosen("#categories"),
        discrimination=chosen("#discrimination"),
        source=choice("#source"),
        intelligence=choice("#intelligence"),
        handling=choice("#handling"),
        handling_conditions=chosen("#conditions"),
        priority=choice("#priority") or "normal",
        priority_reason=text("#priority-reason"),
        iopc_criteria=chosen("#iopc"),
        summary=screen.query_one("#summary", TextArea).text,
        when=text("#when"),
        where=text("#where"),
        decision=choice("#decision"),
        nfa_reason=choice("#nfa-reason"),
        decision_note=text("#decision-note"),
        duplicate_of=text("#duplicate-of"),
        warning_answers=[answer.to_dict() for answer in answers.answers],
    )
