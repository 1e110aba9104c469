"""The documents inside bundles (FORMATS.md, "Documents"), validated field by field.

Documents stay plain dicts exactly as received: unknown fields are kept, text is not
altered. Validation only says whether the document is acceptable, naming the field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .errors import DocumentInvalid

CHANNELS = ("phone", "online")
SUBJECT_ROLES = ("officer", "staff", "volunteer", "unknown")
RELATIONSHIPS = ("public", "police_colleague", "victim", "family", "other")
BEHAVIOURS = (
    "corruption",
    "sexual_misconduct",
    "abuse_or_control",
    "discrimination",
    "other_criminality",
    "other",
)
OUTCOME_STATUSES = (
    "received",
    "assessed_no_further_action",
    "investigation_opened",
    "misconduct_proceedings",
    "criminal_proceedings",
    "dismissed",
    "resigned_or_retired",
    "other_outcome",
    "closed",
)
# Optional Home Office categories of an outcome (FORMATS.md, "outcome").
OUTCOME_PROCEEDINGS = ("misconduct_meeting", "misconduct_hearing", "accelerated_misconduct_hearing", "criminal_charge")
OUTCOME_FINDINGS = ("proven", "not_proven")
OUTCOME_SANCTIONS = (
    "dismissal_without_notice", "would_have_been_dismissed", "final_written_warning", "written_warning",
    "reduction_in_rank", "management_advice", "reflective_practice", "no_further_action",
)
MAX_NARRATIVE = 100_000
MAX_SHORT_TEXT = 2_000
MAX_TEXT = 100_000
ATTACHMENT_NAME = re.compile(r"[A-Za-z0-9._-]+")
REPORTER_TEXT_FIELDS = ("name", "phone", "email")


def _require(doc: dict[str, Any], field: str, kind: type | tuple[type, ...], label: str) -> Any:
    if field not in doc:
        raise DocumentInvalid(field, "is missing")
    value = doc[field]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise DocumentInvalid(field, f"must be {label}")
    return value


def _optional(doc: dict[str, Any], field: str, kind: type, label: str) -> Any:
    if field not in doc or doc[field] is None:
        return None
    return _require(doc, field, kind, label)


def _text(doc: dict[str, Any], field: str, limit: int, required: bool = True) -> str | None:
    value = doc.get(field)
    if type(value) is str and len(value) <= limit:  # the usual case, checked at the cost of one call
        return value
    value = _require(doc, field, str, "text") if required else _optional(doc, field, str, "text")
    if value is not None and len(value) > limit:
        raise DocumentInvalid(field, f"is longer than {limit:,} characters ({len(value):,})")
    return value


# The form every sender writes; anything else uuid.UUID accepts is checked by it.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(doc: dict[str, Any], field: str) -> str:
    value = _require(doc, field, str, "a UUID")
    if _CANONICAL_UUID.fullmatch(value):
        return value
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise DocumentInvalid(field, f"{value[:60]!r} is not a UUID") from exc
    return value


def parse_timestamp(value: str) -> datetime:
    """RFC 3339 with a time zone (``Z`` or an offset)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if "T" not in value.upper() or parsed.tzinfo is None:
        raise ValueError("no time zone")
    return parsed


def _timestamp(doc: dict[str, Any], field: str) -> str:
    value = _require(doc, field, str, "an RFC 3339 time")
    try:
        parse_timestamp(value)
    except ValueError as exc:
        raise DocumentInvalid(field, f"{value[:60]!r} is not an RFC 3339 time with a zone") from exc
    return value


def _choice(doc: dict[str, Any], field: str, choices: tuple[str, ...], required: bool = True) -> str | None:
    value = doc.get(field)
    if type(value) is str and value in choices:  # the usual case
        return value
    if value is None and not required:
        return None
    value = _require(doc, field, str, "text")
    if value not in choices:
        raise DocumentInvalid(field, f"{value[:60]!r} is not one of {', '.join(choices)}")
    return value


def _list(doc: dict[str, Any], field: str, limit: int = 1_000) -> list[Any]:
    value = _require(doc, field, list, "a list")
    if len(value) > limit:
        raise DocumentInvalid(field, f"has more than {limit} items")
    return value


SELF = ""  # the field of a DocumentInvalid about a nested value itself, not one of its fields


def _object(value: Any, field: str = SELF) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentInvalid(field, "must be an object")
    return value


def _nested(field: str, index: int | None, exc: DocumentInvalid) -> DocumentInvalid:
    prefix = field if index is None else f"{field}[{index}]"
    return DocumentInvalid(prefix if exc.field == SELF else f"{prefix}.{exc.field}", exc.message)


def validate_subject(subject: Any) -> None:
    subject = _object(subject)
    _choice(subject, "role", SUBJECT_ROLES)
    for field in ("name", "rank", "collar_number", "force_hint", "station"):
        _text(subject, field, MAX_SHORT_TEXT, required=False)
    _text(subject, "description", MAX_TEXT, required=False)


def _subjects(doc: dict[str, Any]) -> None:
    for index, subject in enumerate(_list(doc, "subjects")):
        try:
            validate_subject(subject)
        except DocumentInvalid as exc:
            raise _nested("subjects", index, exc) from exc


def validate_reporter(reporter: Any) -> None:
    reporter = _object(reporter)
    if "anonymous" in reporter:
        _require(reporter, "anonymous", bool, "true or false")
    for field in REPORTER_TEXT_FIELDS:
        _text(reporter, field, MAX_SHORT_TEXT, required=False)
    _choice(reporter, "relationship", RELATIONSHIPS, required=False)
    _optional(reporter, "consent_to_contact", bool, "true or false")


def attachment_member(owner_id: str, path: str) -> str:
    """The tar member of an attachment: ``attachments/<owner id>/<path>``."""
    prefix = f"attachments/{owner_id}/"
    return path if path.startswith(prefix) else prefix + path


def _attachments(doc: dict[str, Any], owner_id: str) -> None:
    for index, item in enumerate(_list(doc, "attachments")):
        try:
            item = _object(item)
            _text(item, "name", 255)
            _text(item, "media_type", 255)
            path = _text(item, "path", 200)
            assert path is not None
            name = attachment_member(owner_id, path)[len(f"attachments/{owner_id}/"):]
            if not all(ATTACHMENT_NAME.fullmatch(part) for part in name.split("/")) or ".." in name.split("/"):
                raise DocumentInvalid("path", f"{path[:80]!r} is not a safe member path")
        except DocumentInvalid as exc:
            raise _nested("attachments", index, exc) from exc


def validate_report(doc: Any) -> dict[str, Any]:
    doc = _object(doc, "report")
    report_id = _uuid(doc, "report_id")
    _text(doc, "reference", 100)
    _choice(doc, "channel", CHANNELS)
    _timestamp(doc, "received_at")
    if doc.get("reporter") is not None:
        try:
            validate_reporter(doc["reporter"])
        except DocumentInvalid as exc:
            raise _nested("reporter", None, exc) from exc
    _subjects(doc)
    _text(doc, "force_hint", MAX_SHORT_TEXT, required=False)
    for index, behaviour in enumerate(_list(doc, "behaviours", 20)):
        if behaviour not in BEHAVIOURS:
            raise DocumentInvalid(
                f"behaviours[{index}]", f"{str(behaviour)[:60]!r} is not one of {', '.join(BEHAVIOURS)}"
            )
    _text(doc, "narrative", MAX_NARRATIVE)
    for field in ("when", "where"):
        _text(doc, field, MAX_SHORT_TEXT, required=False)
    _text(doc, "handler_notes", MAX_TEXT, required=False)
    if "attachments" not in doc:
        raise DocumentInvalid("attachments", "is missing")
    _attachments(doc, report_id)
    return doc


def validate_outcome(doc: Any) -> dict[str, Any]:
    doc = _object(doc, "outcome")
    _uuid(doc, "referral_id")
    _choice(doc, "status", OUTCOME_STATUSES)
    value = _require(doc, "date", str, "a date (YYYY-MM-DD) or RFC 3339 time")
    try:
        if "T" in value.upper():
            parse_timestamp(value)
        else:
            date.fromisoformat(value)
    except ValueError as exc:
        raise DocumentInvalid("date", f"{value[:60]!r} is not a date or RFC 3339 time") from exc
    _text(doc, "note", MAX_TEXT, required=False)
    _optional(doc, "case_to_answer", bool, "true or false")
    _choice(doc, "proceedings", OUTCOME_PROCEEDINGS, required=False)
    _choice(doc, "finding", OUTCOME_FINDINGS, required=False)
    _choice(doc, "sanction", OUTCOME_SANCTIONS, required=False)
    return doc


GRADING_SOURCE = ("1", "2", "3")
GRADING_INTELLIGENCE = ("A", "B", "C", "D", "E")
GRADING_HANDLING = ("P", "C")
HANDLING_CONDITIONS = ("A1", "A2", "A3", "S1", "S2")


def validate_grading(grading: Any) -> None:
    grading = _object(grading)
    if str(grading.get("source")) not in GRADING_SOURCE:
        raise DocumentInvalid("source", "must be 1, 2 or 3")
    _choice(grading, "intelligence", GRADING_INTELLIGENCE)
    handling = _choice(grading, "handling", GRADING_HANDLING)
    conditions = grading.get("handling_conditions", [])
    if not isinstance(conditions, list) or any(c not in HANDLING_CONDITIONS for c in conditions):
        raise DocumentInvalid("handling_conditions", f"must be a list of {', '.join(HANDLING_CONDITIONS)}")
    if handling == "C" and not conditions:
        raise DocumentInvalid("handling_conditions", "handling code C needs its conditions")


def validate_referral(doc: Any) -> dict[str, Any]:
    doc = _object(doc, "referral")
    referral_id = _uuid(doc, "referral_id")
    _text(doc, "force", 100)
    _timestamp(doc, "created")
    _subjects(doc)
    for index, category in enumerate(_list(doc, "categories", 50)):
        if not isinstance(category, str):
            raise DocumentInvalid(f"categories[{index}]", "must be text")
    grading = _require(doc, "grading", dict, "an object")
    try:
        validate_grading(grading)
    except DocumentInvalid as exc:
        raise _nested("grading", None, exc) from exc
    _text(doc, "priority", 50)
    _list(doc, "iopc_referral_criteria", 20)
    _text(doc, "summary", MAX_TEXT)
    for index, linked in enumerate(_list(doc, "linked_referrals")):
        if not isinstance(linked, str):
            raise DocumentInvalid(f"linked_referrals[{index}]", "must be a referral id")
    _linked_details(doc)
    for name in ("behaviours", "discrimination"):
        _optional_codes(doc, name)
    _text(doc, "reference", 100, required=False)
    _text(doc, "priority_reason", MAX_SHORT_TEXT, required=False)
    _text(doc, "when", MAX_SHORT_TEXT, required=False)
    _text(doc, "where", MAX_SHORT_TEXT, required=False)
    _text(doc, "analyst", 200)
    approved = _require(doc, "approved_by", dict, "an object with name and key_id")
    try:
        _text(approved, "name", 200)
        _text(approved, "key_id", 16)
    except DocumentInvalid as exc:
        raise _nested("approved_by", None, exc) from exc
    _timestamp(doc, "approved_at")
    _attachments(doc, referral_id)
    return doc


def _optional_codes(doc: dict[str, Any], field: str, limit: int = 20) -> None:
    """An optional list of codes (since 2026-12): each text; words for them are the reader's."""
    if _optional(doc, field, list, "a list") is None:
        return
    for index, code in enumerate(_list(doc, field, limit)):
        if not isinstance(code, str) or len(code) > 100:
            raise DocumentInvalid(f"{field}[{index}]", "must be a code (text)")


def _linked_details(doc: dict[str, Any]) -> None:
    """Optional (since 2026-12): each linked referral by reference and date, with what its
    force reported; ``linked_referrals`` still holds the ids, for readers that know only them."""
    details = _optional(doc, "linked_referral_details", list, "a list")
    for index, item in enumerate(details or []):
        try:
            item = _object(item)
            _uuid(item, "referral_id")
            _text(item, "reference", 100)
            _text(item, "force", 100, required=False)
            _text(item, "date", 40, required=False)
            for number, outcome in enumerate(_optional(item, "outcomes", list, "a list") or []):
                try:
                    outcome = _object(outcome)
                    _text(outcome, "status", 100)
                    _text(outcome, "date", 40)
                except DocumentInvalid as exc:
                    raise _nested("outcomes", number, exc) from exc
        except DocumentInvalid as exc:
            raise _nested("linked_referral_details", index, exc) from exc


def grading_code(grading: Mapping[str, Any]) -> str:
    """The written form, e.g. ``[2CP]``."""
    return f"[{grading.get('source')}{grading.get('intelligence')}{grading.get('handling')}]"
