"""How codes and times read on screen: labels instead of codes, times to the minute.

Codes (``abuse_or_control``, ``police_colleague``) are the bundles' contract and the
store's; people read the labels. An unknown code is shown as it is, never an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from hotline_tui.reference import BEHAVIOURS, label_of
from import_export.wording import a_or_an  # noqa: F401  (re-exported: the room says it too)

RELATIONSHIPS = {
    "public": "member of the public",
    "police_colleague": "police colleague",
    "victim": "victim",
    "family": "family member",
    "other": "other",
}
REPORTER_FIELD_LABELS = {
    "name": "Name",
    "phone": "Phone",
    "email": "Email",
    "relationship": "Relationship",
    "consent_to_contact": "Consents to be contacted",
}


def moment(timestamp: str | None, *, seconds: bool = False) -> str:
    """'2026-03-14 08:00 UTC' from an ISO timestamp (microseconds, 'Z' or an offset);
    text that is not a timestamp comes back as it is."""
    if not timestamp:
        return "—"
    try:
        parsed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return timestamp
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


def behaviours(codes: Iterable[str]) -> str:
    return ", ".join(label_of(BEHAVIOURS, str(code).strip()) for code in codes if str(code).strip())


def shown_value(value: Any) -> str:
    """A value from a document as people read it: yes/no for true/false, lists and objects
    as JSON (never Python's True, None or quotes), text as it is."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def received_by(channel: object) -> str:
    """How a report came in, after its time: 'by phone', 'online'."""
    return "online" if channel == "online" else f"by {channel}"


def relationship(code: str) -> str:
    return RELATIONSHIPS.get(code, code.replace("_", " "))


def reporter_lines(details: Mapping[str, Any]) -> list[str]:
    """The reporter's revealed details, one labelled line each."""
    lines = []
    for key, value in details.items():
        if key == "relationship":
            value = relationship(str(value))
        else:
            value = shown_value(value)
        lines.append(f"{REPORTER_FIELD_LABELS.get(key, key)}: {value}")
    return lines
