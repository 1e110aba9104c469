"""The assessment form (``AssessmentForm``), what a taken report carries
(``Assessment``), and where a new assessment starts from the report itself."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from hotline_tui import reference
from hotline_tui.services.sanitiser.answers import WarningAnswer, parse_answers
from hotline_tui.services.triage.force_hints import match_force_hint
from hotline_tui.store import assessments as store

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
        when=report_text(report, "when"), where=report_text(report, "where"),
    )


def report_text(report: dict[str, Any], key: str) -> str:
    """The report's when or where, offered to the analyst to keep, change or clear."""
    value = report.get(key)
    return value if isinstance(value, str) else ""


def anonymous_default_grading(report: dict[str, Any]) -> tuple[str, str, str]:
    """The usual grading of an anonymous report, as an editable default (*inferred*):
    an untested source (2); known directly (A) when the reporter's words say they saw
    or suffered it themselves, else known indirectly (C); sharing permitted (P)."""
    words = " ".join(str(report.get(k) or "") for k in ("narrative", "handler_notes"))
    return reference.DEFAULT_ANONYMOUS_SOURCE, "A" if _FIRST_HAND.search(words) else "C", "P"


# -- the referral it makes ----------------------------------------------------------------


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
