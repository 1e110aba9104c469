"""Assessment: an analyst takes a report, fills the form, and decides.

The form (``AssessmentForm``) is saved as a draft on every change, inside the encrypted
store; ``submit`` checks it again (``problems`` and ``sanitise.referral_leaks``)
whatever the screen showed, then in one transaction either creates the referral for
supervisor approval or records why not. A supervisor may return a referral with
comments (``return_to_analyst``); the analyst sees them and resubmits.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from hotline_tui import reference
from hotline_tui.errors import Refused
from hotline_tui.services import audit, redflags
from hotline_tui.services.force_hints import match_force_hint
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.sanitiser import ROOM_REFERENCE_PREFIX, blocking_flags, referral_leaks
from hotline_tui.services.sanitiser.answers import (
    FieldWarning,
    WarningAnswer,
    answered_lines,
    field_warnings,
    parse_answers,
    unanswered,
)
from hotline_tui.services.sanitiser.referral import force_leaks, rendering_leaks
from hotline_tui.services.sealed.contact import full_document, without_contact
from hotline_tui.services.session import Session
from hotline_tui.store import assessments as store
from hotline_tui.store.assessments import ReportHead
from hotline_tui.store.connection import Connection, transaction

DECISIONS = ("refer", "no_further_action", "duplicate", "information_only")
PRIORITIES = ("normal", "high", "urgent")
SUBJECT_ROLES = ("officer", "staff", "volunteer", "unknown")
NFA_REASONS: tuple[tuple[str, str], ...] = (
    ("insufficient_detail", "Insufficient detail to identify anyone"),
    ("not_police_conduct", "Not about police conduct"),
    ("already_known", "Already known to the force"),
    ("malicious_or_false", "Malicious or false"),
    ("outside_remit", "Outside the service's remit"),
    ("other", "Other (say why in the note)"),
)
MIN_SUMMARY = 40
TAKEABLE = ("new", "in_assessment")
STATUS_WORDS = {
    "awaiting_approval": "referred, awaiting approval",
    "approved": "referred, approved and waiting to be sealed",
    "referred": "referred",
    "no_further_action": "no further action",
    "duplicate": "a duplicate",
    "information_only": "information only",
}
# Words by which a reporter says they saw or suffered it themselves.
_FIRST_HAND = re.compile(
    r"\bI (?:saw|watched|witnessed|heard|overheard|was there|was present|was with)\b|\b(?:to|at|with) me\b"
    r"|\b(?:he|she|they) (?:hit|pushed|grabbed|threatened|told|texted|messaged|showed|sent|offered|asked) me\b"
    r"|\bmy own eyes\b|\bhappened to me\b",
    re.IGNORECASE,
)


@dataclass
class SubjectEntry:
    role: str = "unknown"
    name: str = ""
    rank: str = ""
    collar_number: str = ""
    station: str = ""
    description: str = ""  # the report's words about them, to sanitise like the summary

    @classmethod
    def from_dict(cls, data: Any) -> SubjectEntry:
        data = data if isinstance(data, dict) else {}
        keys = ("name", "rank", "collar_number", "station", "description")
        texts = {k: data.get(k) if isinstance(data.get(k), str) else "" for k in keys}
        role = data.get("role")
        return cls(role=role if role in SUBJECT_ROLES else "unknown", **texts)

    def fields(self) -> dict[str, str]:
        """The text fields that travel in a referral, by name."""
        return {"name": self.name, "rank": self.rank, "collar_number": self.collar_number, "station": self.station,
                "description": self.description}

    @property
    def empty(self) -> bool:
        return not any(value.strip() for key, value in self.fields().items() if key != "description")

    @property
    def identifying(self) -> bool:
        return bool(self.name.strip() or self.collar_number.strip() or (self.rank.strip() and self.station.strip()))


@dataclass
class AssessmentForm:
    force: str | None = None
    force_other_note: str = ""
    subjects: list[SubjectEntry] = field(default_factory=list)
    behaviours: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    discrimination: list[str] = field(default_factory=list)
    source: str | None = None
    intelligence: str | None = None
    handling: str | None = None
    handling_conditions: list[str] = field(default_factory=list)
    priority: str = "normal"
    priority_reason: str = ""
    iopc_criteria: list[str] = field(default_factory=list)
    summary: str = ""
    when: str = ""   # when and where it happened, as the force will read them (sanitised)
    where: str = ""
    decision: str | None = None
    nfa_reason: str | None = None
    decision_note: str = ""
    duplicate_of: str = ""
    # The analyst's answers to the sanitiser's warnings (WarningAnswer.to_dict), oldest first.
    warning_answers: list[dict[str, str]] = field(default_factory=list)

    def answers(self) -> list[WarningAnswer]:
        return parse_answers(self.warning_answers)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> AssessmentForm:
        """Tolerant: missing or mistyped keys take their defaults, so old drafts load."""
        data = data if isinstance(data, dict) else {}

        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        def choice(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        def codes(key: str) -> list[str]:
            value = data.get(key)
            return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

        subjects = data.get("subjects")
        return cls(
            force=choice("force"), force_other_note=text("force_other_note"),
            subjects=[SubjectEntry.from_dict(s) for s in subjects if isinstance(s, dict)] if isinstance(subjects, list) else [],
            behaviours=codes("behaviours"), categories=codes("categories"), discrimination=codes("discrimination"),
            source=choice("source"), intelligence=choice("intelligence"), handling=choice("handling"),
            handling_conditions=codes("handling_conditions"), priority=choice("priority") or "normal",
            priority_reason=text("priority_reason"), iopc_criteria=codes("iopc_criteria"), summary=text("summary"),
            when=text("when"), where=text("where"),
            decision=choice("decision"), nfa_reason=choice("nfa_reason"), decision_note=text("decision_note"),
            duplicate_of=text("duplicate_of"),
            warning_answers=[a.to_dict() for a in parse_answers(data.get("warning_answers"))],
        )


@dataclass
class Assessment:
    """A report being assessed; its document carries no contact details (see services/sealed/)."""

    key: int
    report_id: str
    reference: str
    document: dict[str, Any]
    status: str
    assigned_to: str | None
    form: AssessmentForm
    returned_comments: str | None
    draft_saved_at: str | None
    returned: store.ReturnNote | None = None  # who returned it, when, and the comments


# -- starting points -------------------------------------------------------------------


def _hint_force(report: dict[str, Any]) -> str | None:
    hints = [report.get("force_hint")] + [s.get("force_hint") for s in report.get("subjects") or [] if isinstance(s, dict)]
    for hint in hints:
        code = match_force_hint(hint) if isinstance(hint, str) else None
        if code:
            return code
    return None


def starting_form(report: dict[str, Any]) -> AssessmentForm:
    """The report's own subjects, behaviours and (from the reporter's hint) force. The
    grading stays empty: the anonymous default is offered on screen, never applied."""
    behaviours = {label.code for label in reference.BEHAVIOURS}
    return AssessmentForm(
        force=_hint_force(report),
        subjects=[SubjectEntry.from_dict(s) for s in report.get("subjects") or [] if isinstance(s, dict)],
        behaviours=[b for b in report.get("behaviours") or [] if b in behaviours],
        when=_report_text(report, "when"), where=_report_text(report, "where"),
    )


def _report_text(report: dict[str, Any], key: str) -> str:
    """The report's when or where, offered to the analyst to keep, change or clear."""
    value = report.get(key)
    return value if isinstance(value, str) else ""


def anonymous_default_grading(report: dict[str, Any]) -> tuple[str, str, str]:
    """The usual grading of an anonymous report, as an editable default (*inferred*):
    an untested source (2); known directly (A) when the reporter's words say they saw
    or suffered it themselves, else known indirectly (C); sharing permitted (P)."""
    words = " ".join(str(report.get(k) or "") for k in ("narrative", "handler_notes"))
    return reference.DEFAULT_ANONYMOUS_SOURCE, "A" if _FIRST_HAND.search(words) else "C", "P"


# -- what stops a submission --------------------------------------------------------------


def _codes(table: tuple[reference.Label, ...]) -> set[str]:
    return {label.code for label in table}


def _unknown(chosen: list[str], table: tuple[reference.Label, ...], what: str) -> list[str]:
    bad = [code for code in chosen if code not in _codes(table)]
    return [f"Unknown {what}: {', '.join(bad)}."] if bad else []


def _force_problems(form: AssessmentForm) -> list[str]:
    if not form.force:
        return ["Choose the force to refer to."]
    if form.force == reference.OTHER_FORCE:
        return ["A body outside the 48 forces ('other') cannot be referred: record it as information only "
                "or no further action."]
    if reference.force_by_code(form.force) is None:
        return [f"Unknown force {form.force!r}: choose one of the 48 forces."]
    return []


def _subject_problems(form: AssessmentForm) -> list[str]:
    found = [] if any(s.identifying for s in form.subjects) else [
        "Identify at least one subject: a name, a collar or warrant number, or a rank and station."]
    roles = [str(n) for n, s in enumerate(form.subjects, 1) if s.role not in SUBJECT_ROLES]
    return found + ([f"Choose a role for subject {', '.join(roles)}."] if roles else [])


def _category_problems(form: AssessmentForm) -> list[str]:
    found = [] if form.categories else ["Choose at least one national category."]
    found += _unknown(form.categories, reference.CATEGORIES, "category")
    found += _unknown(form.behaviours, reference.BEHAVIOURS, "behaviour")
    return found + _unknown(form.discrimination, reference.DISCRIMINATION_TYPES, "discrimination type")


def _grading_problems(form: AssessmentForm) -> list[str]:
    found = []
    if form.source not in _codes(reference.GRADING_SOURCE):
        found.append("Grade the source: 1 reliable, 2 untested or 3 not reliable.")
    if form.intelligence not in _codes(reference.GRADING_INTELLIGENCE):
        found.append("Grade the intelligence: A to E.")
    if form.handling not in _codes(reference.GRADING_HANDLING):
        found.append("Choose the handling code: P, or C with its conditions.")
    elif form.handling == "C" and not form.handling_conditions:
        found.append("Handling code C needs its conditions (A1-A3, S1-S2).")
    elif form.handling == "P" and form.handling_conditions:
        found.append("Conditions go with handling code C only: clear them or choose C.")
    return found + _unknown(form.handling_conditions, reference.HANDLING_CONDITIONS, "handling condition")


def _priority_problems(form: AssessmentForm) -> list[str]:
    if form.priority not in PRIORITIES:
        return [f"Unknown priority {form.priority!r}: normal, high or urgent."]
    if form.priority == "urgent" and not form.priority_reason.strip():
        return ["Say why this is urgent (risk to someone's safety, ongoing abuse)."]
    return []


def _iopc_problems(form: AssessmentForm) -> list[str]:
    found = _unknown(form.iopc_criteria, reference.IOPC_CRITERIA, "IOPC criterion")
    force = reference.force_by_code(form.force or "")
    if form.iopc_criteria and force is not None and not force.iopc:
        found.append(f"IOPC referral criteria apply only to forces of England and Wales and the UK-wide forces; "
                     f"{force.name} answers to the {force.oversight_body}: clear them.")
    return found


def _summary_problems(form: AssessmentForm) -> list[str]:
    length = len(form.summary.strip())
    if length < MIN_SUMMARY:
        return [f"Write the sanitised summary: at least {MIN_SUMMARY} characters ({length} so far)."]
    return []


def texts(form: AssessmentForm) -> list[tuple[str, str]]:
    """(where, text) of everything the analyst typed that travels in the referral."""
    found = [("The summary", form.summary), ("The priority reason", form.priority_reason),
             ("When it happened", form.when), ("Where it happened", form.where)]
    for number, subject in enumerate(form.subjects, 1):
        for name, value in subject.fields().items():
            found.append((f"Subject {number}'s {name.replace('_', ' ')}", value))
    return found


def _sanitisation_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    found = []
    for where, text in texts(form):
        for flag in blocking_flags(text, report):
            what = flag.message[0].lower() + flag.message[1:]
            found.append(f"{where} contains {what} (characters {flag.start + 1}-{flag.end}): remove it.")
    return list(dict.fromkeys(found))


def form_warnings(form: AssessmentForm, report: dict[str, Any]) -> list[FieldWarning]:
    """The sanitiser's warnings on everything the analyst typed that travels."""
    return field_warnings(texts(form), report)


def _warning_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    return [f"Answer the warning on {w.where.lower()}: {w.flag.message} (“{w.flag.text}”): reword it, or keep it "
            "with a reason." for w in unanswered(form_warnings(form, report), form.answers())]


# Fields of the referral the analyst types, checked above with positions; the rest are
# codes and ids, checked below so the screen shows whatever ``submit`` would refuse.
_TYPED = ("summary", "subjects", "priority_reason")


def _document_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    draft = build_referral(form, str(uuid.UUID(int=0)), f"{ROOM_REFERENCE_PREFIX}-0000-000000", "2000-01-01T00:00:00Z", "", [])
    rest = {key: value for key, value in draft.items() if key not in _TYPED}
    leaks = [*referral_leaks(rest, report), *rendering_leaks(draft, report)]
    return [f"The referral's {leak}: change it." for leak in leaks]


def _refer_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    return [
        *_force_problems(form), *_subject_problems(form), *_category_problems(form), *_grading_problems(form),
        *_priority_problems(form), *_iopc_problems(form), *_summary_problems(form),
        *_sanitisation_problems(form, report), *_warning_problems(form, report), *_document_problems(form, report),
    ]


def _nfa_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    reasons = dict(NFA_REASONS)
    if not form.nfa_reason:
        return ["Choose the reason for no further action."]
    if form.nfa_reason not in reasons:
        return [f"Unknown reason {form.nfa_reason!r} for no further action."]
    if form.nfa_reason == "other" and not form.decision_note.strip():
        return ["Say why in the note (reason 'other')."]
    return []


def _duplicate_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    other = form.duplicate_of.strip()
    if not other:
        return ["Give the reference of the report this one duplicates."]
    if other == str(report.get("reference", "")).strip():
        return ["A report cannot duplicate itself: give the other report's reference."]
    return []


def _information_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    return [] if form.decision_note.strip() else ["Say in the note why this is kept as information only."]


_CHECKS = {
    "refer": _refer_problems,
    "no_further_action": _nfa_problems,
    "duplicate": _duplicate_problems,
    "information_only": _information_problems,
}


def problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    """What stops submission for the chosen decision, as things a person can fix."""
    if not form.decision:
        return ["Choose a decision: refer, no further action, duplicate or information only."]
    if form.decision not in _CHECKS:
        return [f"Unknown decision {form.decision!r}."]
    found = _CHECKS[form.decision](form, report)
    if form.force == reference.OTHER_FORCE and not form.force_other_note.strip():
        found.append("Say which body 'other' is, in the note beside the force.")
    return found


# -- reading and holding a report ------------------------------------------------------------


def _head(conn: Connection, key: int) -> ReportHead:
    head = store.report_head(conn, key)
    if head is None:
        raise Refused("That report is no longer in the store.")
    return head


def _held(conn: Connection, key: int, user: str) -> ReportHead:
    """The report, if ``user`` is assessing it; else say why not."""
    head = _head(conn, key)
    if head.status in STATUS_WORDS:
        raise Refused(f"Report {head.reference} is already decided ({STATUS_WORDS[head.status]}).")
    if head.assigned_to and head.assigned_to != user:
        raise Refused(f"{head.assigned_to} is assessing report {head.reference}.")
    if head.assigned_to != user:
        raise Refused(f"Take report {head.reference} first.")
    return head


def _assessment(conn: Connection, head: ReportHead) -> Assessment:
    document = json.loads(head.document)
    draft = store.draft(conn, head.key)
    form = AssessmentForm.from_dict(json.loads(draft.form)) if draft else starting_form(document)
    if draft and "when" not in json.loads(draft.form):  # a draft from before when and where travelled
        form = replace(form, when=_report_text(document, "when"), where=_report_text(document, "where"))
    note = store.return_note(conn, head.report_id)
    return Assessment(
        head.key, head.report_id, head.reference, without_contact(document), head.status, head.assigned_to, form,
        note.comments if note else None, draft.draft_saved_at if draft else None, note,
    )


def _form_json(form: AssessmentForm) -> str:
    return json.dumps(form.to_dict(), ensure_ascii=False)


def load_assessment(session: Session, key: int) -> Assessment:
    """The report and its assessment as it stands (the draft, or the starting form)."""
    require(session, Action.ASSESS)
    session.check_open()
    return _assessment(session.conn, _head(session.conn, key))


def may_take(session: Session, status: str, assigned_to: str | None) -> bool:
    """Whether ``take_report`` would let this user take a report in this state (what the
    screens offer "Assess" on)."""
    if status == "in_assessment" and assigned_to == session.user.name:
        return True
    return status in TAKEABLE and assigned_to in (None, "", session.user.name)


def take_report(session: Session, key: int) -> Assessment:
    """Assign the report to the user to assess; theirs already: their draft as it stands."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    with transaction(conn):
        head = _head(conn, key)
        if head.assigned_to == user and head.status == "in_assessment":
            return _assessment(conn, head)
        if head.status not in TAKEABLE:
            raise Refused(f"Report {head.reference} is already decided ({STATUS_WORDS.get(head.status, head.status)}).")
        if head.assigned_to and head.assigned_to != user:
            raise Refused(f"{head.assigned_to} is assessing report {head.reference}; they must give it back first.")
        at = session.now()
        draft = store.draft(conn, key)
        store.start_take(conn, key, draft.form if draft else _form_json(starting_form(json.loads(head.document))), user, at)
        store.set_report_state(conn, key, "in_assessment", user)
        audit.record(conn, user, "report.taken", f"report {head.reference}", "taken to assess", at=at)
        return _assessment(conn, _head(conn, key))


def release_report(session: Session, key: int) -> None:
    """Give the report back to the queue; the draft stays for whoever takes it next."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    with transaction(conn):
        give_back(conn, _held(conn, key, user), user, "given back to the queue", session.now())


def give_back(conn: Connection, head: ReportHead, actor: str, why: str, at: str) -> None:
    """``head``'s report back to the queue for anyone to take, its draft kept (in the
    caller's transaction): by its analyst, or for them when their role no longer assesses."""
    draft = store.draft(conn, head.key)
    started = bool(draft and draft.draft_saved_at) or store.returned_comments(conn, head.report_id) is not None
    store.set_report_state(conn, head.key, "in_assessment" if started else "new", None)
    audit.record(conn, actor, "report.released", f"report {head.reference}", why, at=at)


def save_draft(session: Session, key: int, form: AssessmentForm) -> str:
    """Save the draft (one read, one write); returns when. Only the analyst holding the
    report may save. The audit log records the first save of each take ("work began"),
    not every keystroke: the screen saves on every change, and an entry per keystroke
    would bury the log's real events while saying nothing a reviewer needs."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    at = session.now()
    data = _form_json(form)
    with transaction(conn):
        head = _held(conn, key, user)
        draft = store.draft(conn, key)
        store.save_form(conn, key, data, at)
        if form.priority in PRIORITIES:
            store.set_draft_priority(conn, key, form.priority)
        if draft is None or not draft.draft_logged:
            audit.record(conn, user, "assessment.draft_started", f"report {head.reference}",
                         "first draft save of this take; later saves are not logged", at=at)
    return at


def returned_comments(session: Session, key: int) -> str | None:
    """The supervisor's comments on a returned referral of this report, if it is returned."""
    require(session, Action.ASSESS)
    head = _head(session.conn, key)
    return store.returned_comments(session.conn, head.report_id)


# -- deciding -------------------------------------------------------------------------------


def _created(now: str) -> str:
    """RFC 3339 to the second: the referral's date, no finer than a reader needs."""
    return now[:19] + "Z"


def build_referral(
    form: AssessmentForm, referral_id: str, room_reference: str, created: str, analyst: str, linked: list[str]
) -> dict[str, Any]:
    """The referral document (FORMATS.md 'referral'): only what the analyst wrote, never
    the reporter object or the intake reference. Approval fills approved_by/approved_at."""
    subjects = [
        {"role": s.role, **{k: v.strip() for k, v in s.fields().items() if v.strip()}} for s in form.subjects if not s.empty
    ]
    return {
        "referral_id": referral_id,
        "reference": room_reference,
        "force": form.force,
        "created": created,
        "subjects": subjects,
        "categories": list(form.categories),
        "behaviours": list(form.behaviours),
        "discrimination": list(form.discrimination),
        "grading": {
            "source": form.source, "intelligence": form.intelligence, "handling": form.handling,
            "handling_conditions": list(form.handling_conditions) if form.handling == "C" else [],
        },
        "priority": form.priority,
        "priority_reason": form.priority_reason.strip(),
        "iopc_referral_criteria": list(form.iopc_criteria),
        "summary": form.summary.strip(),
        **{key: value.strip() for key, value in (("when", form.when), ("where", form.where)) if value.strip()},
        "linked_referrals": linked,
        "analyst": analyst,
        "approved_by": {"name": "", "key_id": ""},
        "approved_at": "",
        "attachments": [],
    }


def force_texts(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The free texts of a referral a force reads, by where they are: each is checked
    for the reporter as the summary is (the sanitiser's warnings and its blocking checks)."""
    texts = [(key, str(document.get(key) or "")) for key in ("summary", "when", "where")]
    for number, subject in enumerate(document.get("subjects") or [], 1):
        if isinstance(subject, dict) and subject.get("description"):
            texts.append((f"subject {number}'s description", str(subject["description"])))
    return [(where, text) for where, text in texts if text]


def _refuse_problems(found: list[str]) -> None:
    if found:
        raise Refused("Not submitted:\n" + "\n".join(f"- {p}" for p in found))


def _refer(session: Session, head: ReportHead, report: dict[str, Any], form: AssessmentForm, at: str) -> str:
    conn, user = session.conn, session.user.name
    existing = store.referral_of_report(conn, head.report_id)
    if existing and existing.state not in ("returned", "withdrawn"):
        raise Refused(f"Report {head.reference} already has referral {existing.reference} ({existing.state}).")
    linked = [r for r in store.referral_ids_of_reports(conn, redflags.confirmed_links(conn, head.key))
              if not existing or r != existing.referral_id]
    year = int(at[:4])
    number = 0 if existing else store.next_referral_number(conn, year)
    referral_id = existing.referral_id if existing else str(uuid.uuid4())
    room_reference = existing.reference if existing else f"{ROOM_REFERENCE_PREFIX}-{year}-{number:06d}"
    document = build_referral(form, referral_id, room_reference, _created(at), user, linked)
    leaks = force_leaks(document, report)
    if leaks:
        raise Refused("Not submitted: the referral would identify the reporter:\n" + "\n".join(f"- {p}" for p in leaks))
    text = json.dumps(document, ensure_ascii=False)
    assert form.force is not None  # checked by problems()
    if existing:
        store.resubmit_referral(conn, referral_id, form.force, user, text, at)
    else:
        store.insert_referral(conn, referral_id, room_reference, year, number, head.report_id, form.force, user, text, at)
    store.set_report_state(conn, head.key, "awaiting_approval", user, form.force, form.priority)
    return f"referral {room_reference} to {form.force} for approval" + (" (resubmitted)" if existing else "")


def _close(session: Session, head: ReportHead, form: AssessmentForm, at: str) -> str:
    conn = session.conn
    decision = form.decision or ""
    if decision == "duplicate":
        other = store.report_key_by_reference(conn, form.duplicate_of.strip())
        if other is None or other == head.key:
            raise Refused(f"No other report has the reference {form.duplicate_of.strip()!r}.")
    existing = store.referral_of_report(conn, head.report_id)
    if existing and existing.state == "returned":
        store.set_referral_state(conn, existing.referral_id, "withdrawn")
    store.set_report_state(conn, head.key, decision, session.user.name, form.force or None, form.priority)
    if decision == "no_further_action":
        return f"no further action: {dict(NFA_REASONS).get(form.nfa_reason or '', '')}"
    if decision == "duplicate":
        return f"duplicate of {form.duplicate_of.strip()}"
    return "information only"


def submit(session: Session, key: int, form: AssessmentForm) -> str:
    """Decide the report; returns its new status. Refer creates (or, after a return,
    renews) the referral awaiting approval. Everything is checked here again."""
    require(session, Action.ASSESS)
    session.check_open()
    conn, user = session.conn, session.user.name
    with transaction(conn):
        head = _held(conn, key, user)
        _, report = full_document(session, key) or ("", json.loads(head.document))  # contact details included
        _refuse_problems(problems(form, report))
        at = session.now()
        if form.decision == "refer":
            what = _refer(session, head, report, form, at)
        else:
            what = _close(session, head, form, at)
        store.record_decision(conn, key, _form_json(form), form.decision or "", user, at)
        if form.decision == "refer":
            for line in answered_lines(form_warnings(form, report), form.answers()):
                audit.record(conn, user, "assessment.warning_answered", f"report {head.reference}", line, at=at)
        redflags.index_assessed(conn, key, form.subjects, form.force)
        audit.record(conn, user, "assessment.submitted", f"report {head.reference}", what, at=at)
        return _head(conn, key).status


# -- the supervisor's side ------------------------------------------------------------------


def return_to_analyst(session: Session, referral_id: str, comments: str) -> None:
    """Send a referral awaiting approval back to its analyst with comments; the report
    goes back to their queue, still theirs."""
    require(session, Action.RETURN_REFERRAL)
    session.check_open()
    comments = comments.strip()
    if not comments:
        raise Refused("Say what the analyst should change: comments are required.")
    conn, user = session.conn, session.user.name
    with transaction(conn):
        found = store.referral(conn, referral_id)
        if found is None:
            raise Refused("No such referral.")
        if found.state != "awaiting_approval":
            raise Refused(f"Referral {found.reference} is {found.state.replace('_', ' ')}, not awaiting approval.")
        at = session.now()
        store.return_referral(conn, referral_id, user, at, comments)
        key = store.report_key_of(conn, found.report_id)
        store.set_report_state(conn, key, "in_assessment", found.analyst)
        store.reopen(conn, key, found.analyst, at)
        audit.record(conn, user, "referral.returned", f"referral {found.reference}", comments, at=at)


def referral_document(session: Session, referral_id: str) -> dict[str, Any]:
    """The referral as it stands (for the supervisor's review)."""
    require(session, Action.VIEW_REPORT)
    found = store.referral(session.conn, referral_id)
    if found is None:
        raise Refused("No such referral.")
    document: dict[str, Any] = json.loads(found.document)
    return document
