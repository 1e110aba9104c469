"""Reporters' contact details: only ``queue.reveal_contact`` hands them out (with a reason,
audited in the same transaction). Every other service returns a report's document
without them (``without_contact``); the sanitiser still sees them, inside the services,
through ``full_document``."""

from __future__ import annotations

import json
from typing import Any

from hotline_tui.services.session import Session
from hotline_tui.store import reports as store

# The reporter object's fields that identify or reach the reporter; its relationship to
# the subject and consent to contact stay visible (they say how to handle the report).
CONTACT_FIELDS = ("name", "phone", "email")


def has_contact(document: dict[str, Any]) -> bool:
    reporter = document.get("reporter")
    return isinstance(reporter, dict) and any(reporter.get(k) for k in CONTACT_FIELDS)


def without_contact(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of a report's document with no contact detail in it."""
    reporter = document.get("reporter")
    if not isinstance(reporter, dict):
        return dict(document)
    return dict(document, reporter={k: v for k, v in reporter.items() if k not in CONTACT_FIELDS})


def full_document(session: Session, report_key: int) -> tuple[str, dict[str, Any]] | None:
    """(report_id, the document as received, contact details included). For checks inside
    the services only (the sanitiser, the reveal): never return it to a screen."""
    found = store.report_document(session.conn, report_key)
    if found is None:
        return None
    report_id, document = found
    return report_id, json.loads(document)
