"""A verified report bundle turned into the rows the store holds: pure, no store, no session.

It runs wherever the bundle was read: in the import's reading process during a large
import (services/intake/reading.py), so that this work overlaps with storing the bundle
before. A ``PreparedBundle`` holds only what the store needs, and pickles cheaply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hotline_tui.services.redflags.contacts import reporter_contacts
from hotline_tui.services.redflags.spans import Identifier
from hotline_tui.services.sealed.contact import ContactSealer
from hotline_tui.services.triage.force_hints import match_force_hint
from hotline_tui.store.reports import AttachmentRow, ContactColumns, ReportRow, SearchRow
from import_export.documents import BEHAVIOURS, REPORTER_TEXT_FIELDS, attachment_member
from import_export.reader import Bundle

BEHAVIOUR_BITS = {code: 1 << index for index, code in enumerate(BEHAVIOURS)}
_SUBJECT_TEXT = ("name", "rank", "collar_number", "station", "force_hint", "description")


@dataclass(frozen=True)
class PreparedBundle:
    """A bundle that passed every check of the reader, as rows for the store."""

    bundle_id: str
    kind: str
    signer_key_id: str
    signer_name: str
    created: str
    reports: list[ReportRow]
    search: list[SearchRow]  # search[i] indexes reports[i]
    attachments: list[AttachmentRow]
    # (position in reports, a contact detail of its reporter object): the only red-flag rows
    # stored at import, for the stored document is sealed without them; the rest are made
    # once the import has committed (services/redflags/indexing.py)
    identifiers: list[tuple[int, Identifier]]
    contacts: list[ContactColumns]  # contacts[i]: reports[i]'s sealed contact details, if any


def subjects_text(report: dict[str, Any]) -> str:
    """What the full-text index holds of the people a report is about."""
    parts = [str(subject.get(k, "")) for subject in report.get("subjects", []) for k in _SUBJECT_TEXT]
    return " ".join(p for p in parts if p)


def has_contact(report: dict[str, Any]) -> bool:
    reporter = report.get("reporter") or {}
    return any(reporter.get(k) for k in REPORTER_TEXT_FIELDS)


def behaviour_codes(report: dict[str, Any]) -> tuple[str, int]:
    """The known behaviour codes comma-joined, and their bits."""
    codes = [b for b in report["behaviours"] if b in BEHAVIOUR_BITS]
    mask = 0
    for code in codes:
        mask |= BEHAVIOUR_BITS[code]
    return ",".join(codes), mask


def report_rows(doc: dict[str, Any], source: str, bundle_id: str) -> tuple[ReportRow, SearchRow]:
    """One valid report's row (its document is ``source``, the line it came in) and its
    search row. For benches and tests: an import seals contact details (``prepare_reports``)."""
    return _rows(doc, source, bundle_id, match_force_hint(doc.get("force_hint") or ""))


def _rows(doc: dict[str, Any], source: str, bundle_id: str, hint_code: str | None) -> tuple[ReportRow, SearchRow]:
    """``source`` is the document as stored: without contact details once sealed."""
    behaviours, mask = behaviour_codes(doc)
    row: ReportRow = (
        doc["report_id"], doc["reference"], bundle_id, doc["channel"], doc["received_at"],
        doc.get("force_hint") or "", hint_code, behaviours, mask, has_contact(doc), source,
    )
    words: SearchRow = (doc["narrative"], subjects_text(doc), doc.get("handler_notes") or "")
    return row, words


def prepare_reports(bundle: Bundle, sealer: ContactSealer) -> PreparedBundle:
    """The store's rows for a reports bundle the reader accepted, each report's contact
    details sealed by ``sealer`` (services/sealed/contact.py)."""
    reports: list[ReportRow] = []
    search: list[SearchRow] = []
    attachments: list[AttachmentRow] = []
    identifiers: list[tuple[int, Identifier]] = []
    contacts: list[ContactColumns] = []
    members = bundle.members
    # The document is stored as the line it came in (the reader parsed and checked it);
    # writing it out again would cost as much as parsing it. Only a report with contact
    # details is written out again, without them.
    sources = bundle.sources or [json.dumps(doc, ensure_ascii=False).encode("utf-8") for doc in bundle.documents]
    split = sealer.splitter()
    for position, (doc, source) in enumerate(zip(bundle.documents, sources, strict=True)):
        hint_code = match_force_hint(doc.get("force_hint") or "")
        stored, sealed = split(doc, source.decode("utf-8"))
        row, words = _rows(doc, stored, bundle.bundle_id, hint_code)
        contacts.append((sealer.key_id, sealed) if sealed is not None else (None, None))
        reports.append(row)
        search.append(words)
        report_id = doc["report_id"]
        for item in doc["attachments"]:
            member = attachment_member(report_id, item["path"])
            attachments.append((report_id, item["name"], item["media_type"], member, members[member]))
        if sealed is not None:
            identifiers += [(position, item) for item in reporter_contacts(doc["reporter"])]
    outer = bundle.outer
    return PreparedBundle(
        bundle.bundle_id, bundle.kind, outer.signer.key_id, outer.signer.name, outer.comment.created,
        reports, search, attachments, identifiers, contacts,
    )
