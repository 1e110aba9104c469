"""The readable rendering of a referral: the `.txt` a force's professional standards
unit files beside the JSON. Plain text, one layout, no markup of any kind."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

from .documents import grading_code
from .textsafe import visible

WIDTH = 78
RULE = "=" * WIDTH


def _wrap(text: str, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for paragraph in visible(text).split("\n"):
        wrapped = _wrap_paragraph(paragraph, WIDTH - len(indent)) or [""]
        lines += [indent + line for line in wrapped]
    return lines


_PLAIN = re.compile(r"[^\s-]+(?: [^\s-]+)*")  # \s: every character str.strip() would drop


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    """``textwrap.wrap(paragraph, width)``: for words of at most ``width`` characters
    with one space between them and no hyphen (most summaries) the same greedy lines
    made directly, several times faster; anything else by ``textwrap`` itself."""
    if not _PLAIN.fullmatch(paragraph):
        return textwrap.wrap(paragraph, width)
    lines: list[str] = []
    line = ""
    for word in paragraph.split(" "):
        if len(word) > width:
            return textwrap.wrap(paragraph, width)
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    return [*lines, line]


def _field(name: str, value: str) -> str:
    return f"{name + ':':<22}{visible(value)}"


def _subject(number: int, subject: Mapping[str, Any]) -> list[str]:
    parts = [str(subject.get(k)) for k in ("rank", "name") if subject.get(k)]
    head = f"  {number}. {' '.join(parts) or 'name not known'} ({subject.get('role', 'unknown')})"
    lines = [visible(head)]
    for key, label in (("collar_number", "collar/warrant no."), ("station", "station/unit"), ("force_hint", "force")):
        if subject.get(key):
            lines.append(visible(f"     {label}: {subject[key]}"))
    if subject.get("description"):
        lines += _wrap(str(subject["description"]), "     ")
    return lines


def _approval(approved: Mapping[str, Any], at: str) -> list[str]:
    if not approved.get("name"):
        return [_field("Approved by", "not yet approved")]
    return [_field("Approved by", f"{approved.get('name', '')} (key {approved.get('key_id', '')})"),
            _field("Approved at", at)]


def _linked(referral: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    """Each earlier referral by reference and date with what its force reported; by id
    alone for a referral made before the details travelled."""
    details = referral.get("linked_referral_details")
    if not isinstance(details, list):
        return [f"  {visible(str(item))}" for item in referral.get("linked_referrals") or []]
    lines: list[str] = []
    for item in details:
        force = f" ({item['force']})" if item.get("force") else ""
        sealed = f", sent {item['date']}" if item.get("date") else ""
        lines.append(visible(f"  {item.get('reference', item.get('referral_id', ''))}{force}{sealed}"))
        outcomes = item.get("outcomes") or []
        lines += [visible(f"     {o.get('date', '')}  {labels.get(str(o.get('status')), str(o.get('status')))}")
                  for o in outcomes] or ["     no outcome reported yet"]
    return lines


def render_referral(referral: Mapping[str, Any], *, force_name: str | None = None,
                    labels: Mapping[str, str] | None = None) -> str:
    """The text rendering; ``labels`` turns category and criteria codes into words."""
    labels = labels or {}
    grading = referral.get("grading") or {}
    conditions = ", ".join(grading.get("handling_conditions") or []) or "none"
    approved = referral.get("approved_by") or {}
    force = referral.get("force", "")
    lines = [
        RULE,
        "SANITISED INTELLIGENCE REFERRAL",
        "Anonymous Police Corruption and Abuse Reporting Service",
        RULE,
        _field("Reference", str(referral.get("reference", referral.get("referral_id", "")))),
        _field("Referral id", str(referral.get("referral_id", ""))),
        _field("Force", f"{force_name} ({force})" if force_name else str(force)),
        _field("Date", str(referral.get("created", ""))),
        _field("Grading", grading_code(grading)),
        _field("Handling conditions", conditions),
        _field("Priority", str(referral.get("priority", ""))),
        *([_field("Priority reason", str(referral["priority_reason"]))] if referral.get("priority_reason") else []),
        _field("Behaviours", ", ".join(labels.get(b, b) for b in referral.get("behaviours") or []) or "none named"),
        _field("Categories", ", ".join(labels.get(c, c) for c in referral.get("categories") or []) or "none"),
        _field("IOPC criteria met", ", ".join(labels.get(c, c) for c in referral.get("iopc_referral_criteria") or [])
               or "none judged met"),
        *[_field(label, str(referral[key])) for key, label in (("when", "When"), ("where", "Where"))
          if referral.get(key)],
        "",
        "SUBJECTS",
    ]
    for number, subject in enumerate(referral.get("subjects") or [], 1):
        lines += _subject(number, subject)
    lines += ["", "SUMMARY", *_wrap(str(referral.get("summary", ""))), "", "LINKED REFERRALS"]
    lines += _linked(referral, labels) or ["  none"]
    lines += [
        "",
        _field("Assessed by", str(referral.get("analyst", ""))),
        *_approval(approved, str(referral.get("approved_at", ""))),
        RULE,
        "Handle under the grading above. The source is protected: do not attempt to",
        "identify the reporter. Reply with outcomes through the service's outcome",
        "bundles.",
        RULE,
    ]
    return "\n".join(lines) + "\n"
