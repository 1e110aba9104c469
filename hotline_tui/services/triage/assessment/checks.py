"""What stops a submission: ``problems`` lists every reason, in words, the form cannot
be submitted with its decision; the screen shows them as the analyst types and
``submit`` checks them again."""

from __future__ import annotations

import re
import uuid
from typing import Any

from hotline_tui import reference
from hotline_tui.services.sanitiser import ROOM_REFERENCE_PREFIX, SanitisationFlag, blocking_flags, referral_leaks
from hotline_tui.services.sanitiser.answers import FieldWarning, field_warnings, unanswered
from hotline_tui.services.sanitiser.referral import rendering_leaks
from hotline_tui.services.triage.assessment.form import (
    MIN_SUMMARY,
    NFA_REASONS,
    PRIORITIES,
    SUBJECT_ROLES,
    AssessmentForm,
    build_referral,
)
from import_export.documents import DocumentInvalid, validate_referral


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


def _typed_leaks(form: AssessmentForm, report: dict[str, Any]) -> list[tuple[str, SanitisationFlag]]:
    """(where, finding) for each sure hit in what the analyst typed."""
    return [(where, flag) for where, text in texts(form) for flag in blocking_flags(text, report)]


def _said(where: str, flag: SanitisationFlag) -> str:
    return f"{where} contains {flag.message[0].lower()}{flag.message[1:]}"


def _sanitisation_problems(typed: list[tuple[str, SanitisationFlag]]) -> list[str]:
    return list(dict.fromkeys(f"{_said(where, flag)} (characters {flag.start + 1}-{flag.end}): remove it."
                              for where, flag in typed))


def form_warnings(form: AssessmentForm, report: dict[str, Any]) -> list[FieldWarning]:
    """The sanitiser's warnings on everything the analyst typed that travels."""
    return field_warnings(texts(form), report)


def _warning_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    return [f"Answer the warning on {w.where.lower()}: {w.flag.message} (“{w.flag.text}”): reword it, or keep it "
            "with a reason." for w in unanswered(form_warnings(form, report), form.answers())]


# Fields of the referral the analyst types, checked above with positions; the rest are
# codes and ids, checked below so the screen shows whatever ``submit`` would refuse.
_TYPED = ("summary", "subjects", "priority_reason", "when", "where")


_FIELD_WORDS = {"summary": "The summary", "priority_reason": "The priority reason", "when": "When it happened",
                "where": "Where it happened"}


def _field_words(field: str) -> str:
    """'subjects[1].description' as the form says it: "Subject 2's description"."""
    subject = re.fullmatch(r"subjects\[(\d+)\]\.(\w+)", field)
    if subject:
        return f"Subject {int(subject[1]) + 1}'s {subject[2].replace('_', ' ')}"
    return _FIELD_WORDS.get(field, f"The referral's {field.replace('_', ' ')}")


def _document_problems(form: AssessmentForm, report: dict[str, Any], typed: list[tuple[str, SanitisationFlag]]) -> list[str]:
    draft = build_referral(form, str(uuid.UUID(int=0)), f"{ROOM_REFERENCE_PREFIX}-0000-000000", "2000-01-01T00:00:00Z", "", [])
    try:  # a text past the bundle format's limits, which approval would refuse, said now
        validate_referral(dict(draft, approved_by={"name": "-", "key_id": "0" * 16}, approved_at="2000-01-01T00:00:00Z"))
    except DocumentInvalid as exc:  # the other fields' problems are said above, in the form's words
        if "longer than" in exc.message:
            return [f"{_field_words(exc.field)} {exc.message}: shorten it."]
    rest = {key: value for key, value in draft.items() if key not in _TYPED}
    leaks = referral_leaks(rest, report)
    # Only what no single field shows: a hit said above for its field is not said again.
    met = rendering_leaks(draft, report, [*leaks, *(_said(where, flag) for where, flag in typed)])
    return [f"The referral's {leak}: change it." for leak in leaks] + [f"{m[0].upper()}{m[1:]}: change it." for m in met]


def _refer_problems(form: AssessmentForm, report: dict[str, Any]) -> list[str]:
    typed = _typed_leaks(form, report)
    return [
        *_force_problems(form), *_subject_problems(form), *_category_problems(form), *_grading_problems(form),
        *_priority_problems(form), *_iopc_problems(form), *_summary_problems(form),
        *_sanitisation_problems(typed), *_warning_problems(form, report), *_document_problems(form, report, typed),
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


