"""Assessment: an analyst takes a report, fills the form, and decides.

The form (``AssessmentForm``, form.py) is saved as a draft on every change, inside the
encrypted store (holding.py); ``submit`` (deciding.py) checks it again (``problems``,
checks.py, and ``sanitise.referral_leaks``) whatever the screen showed, then in one
transaction either creates the referral for supervisor approval or records why not. A
supervisor may return a referral with comments (``return_to_analyst``); the analyst
sees them and resubmits.
"""

from hotline_tui.services.triage.assessment.checks import form_warnings, problems, texts
from hotline_tui.services.triage.assessment.deciding import force_texts, referral_document, return_to_analyst, submit
from hotline_tui.services.triage.assessment.form import (
    DECISIONS,
    MIN_SUMMARY,
    NFA_REASONS,
    PRIORITIES,
    STATUS_WORDS,
    SUBJECT_ROLES,
    TAKEABLE,
    Assessment,
    AssessmentForm,
    SubjectEntry,
    anonymous_default_grading,
    build_referral,
    starting_form,
)
from hotline_tui.services.triage.assessment.holding import (
    give_back,
    load_assessment,
    may_take,
    release_report,
    returned_comments,
    save_draft,
    take_report,
)

__all__ = [
    "DECISIONS", "MIN_SUMMARY", "NFA_REASONS", "PRIORITIES", "STATUS_WORDS", "SUBJECT_ROLES", "TAKEABLE", "Assessment",
    "AssessmentForm", "SubjectEntry", "anonymous_default_grading", "build_referral", "force_texts", "form_warnings",
    "give_back", "load_assessment", "may_take", "problems", "referral_document", "release_report", "return_to_analyst",
    "returned_comments", "save_draft", "starting_form", "submit", "take_report", "texts",
]
