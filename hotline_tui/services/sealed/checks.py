"""The assessment screen's live checks of what the analyst types, against the report as
received (contact details included, which the screen never gets)."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.errors import Refused
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.sanitiser import SanitisationFlag, sanitisation_flags
from hotline_tui.services.sanitiser.answers import FieldWarning
from hotline_tui.services.sealed.contact import full_document
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import AssessmentForm, form_warnings, problems


@dataclass(frozen=True)
class TypedChecks:
    flags: list[SanitisationFlag]  # in the summary, when, where, then each subject's fields
    problems: list[str]  # what ``submit`` would refuse now
    warnings: list[FieldWarning]  # the sanitiser's warnings, to be answered


def check_typed(session: Session, key: int, form: AssessmentForm) -> TypedChecks:
    require(session, Action.ASSESS)
    found = full_document(session, key)
    if found is None:
        raise Refused("That report is no longer in the store.")
    _, report = found
    flags = sanitisation_flags(form.summary, report)
    for text in (form.when, form.where, *(value for row in form.subjects for value in row.fields().values())):
        flags += sanitisation_flags(text, report)
    return TypedChecks(flags, problems(form, report), form_warnings(form, report))
