"""The readable rendering of a referral: the `.txt` a force's professional standards
unit files beside the JSON. Plain text, one layout, no markup of any kind."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

from .bundle import to_the_second
from .documents import grading_code
from .textsafe import visible

# The words for the codes of each field: "behaviours", "discrimination", "categories",
# "iopc_referral_criteria", "source", "intelligence", "handling", "handling_conditions",
# and "outcome" (statuses) and "force" (names) of the linked referrals.
Labels = Mapping[str, Mapping[str, str]]

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
    """``Name:`` then the value, wrapped under itself past the line's width."""
    shown = visible(value)
    if len(shown) <= WIDTH - 22 and "\n" not in shown:
        return f"{name + ':':<22}{shown}"
    lines = [line for paragraph in shown.split("\n") for line in _wrap_paragraph(paragraph, WIDTH - 22) or [""]]
    return "\n".join(f"{name + ':' if number == 0 else '':<22}{line}" for number, line in enumerate(lines))


def _subject(number: int, subject: Mapping[str, Any]) -> list[str]:
    parts = [str(subject.get(k)) for k in ("rank", "name") if subject.get(k)]
    role = str(subject.get("role") or "unknown")
    head = f"  {number}. {' '.join(parts) or 'name not known'} ({'role not known' if role == 'unknown' else role})"
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
            _field("Approved at", to_the_second(at))]


def _linked(referral: Mapping[str, Any], labels: Labels) -> list[str]:
    """Each earlier referral by reference and date with what its force reported; by id
    alone for a referral made before the details travelled."""
    details = referral.get("linked_referral_details")
    if not isinstance(details, list):
        return [f"  {visible(str(item))}" for item in referral.get("linked_referrals") or []]
    lines: list[str] = []
    forces, statuses = labels.get("force", {}), labels.get("outcome", {})
    for item in details:
        force = f" ({forces.get(str(item['force']), item['force'])})" if item.get("force") else ""
        sealed = f", sent {item['date']}" if item.get("date") else ""
        lines.append(visible(f"  {item.get('reference', item.get('referral_id', ''))}{force}{sealed}"))
        outcomes = item.get("outcomes") or []
        lines += [visible(f"     {o.get('date', '')}  {statuses.get(str(o.get('status')), str(o.get('status')))}")
                  for o in outcomes] or ["     no outcome reported yet"]
    return lines


def _words(codes: Any, table: Mapping[str, str], none: str) -> str:
    return "; ".join(table.get(str(code), str(code)) for code in codes or []) or none  # a label may hold a comma


def _grading(grading: Mapping[str, Any], labels: Labels) -> list[str]:
    """The written grading, e.g. [2CP], then what each of its letters means, and each
    handling condition on a line of its own with its words."""
    lines = [_field("Grading", grading_code(grading))]
    for part in ("source", "intelligence", "handling"):
        code = str(grading.get(part))
        if code in labels.get(part, {}):
            lines.append(_field(f"  {part}", f"{code}  {labels[part][code]}"))
    conditions = [str(c) for c in grading.get("handling_conditions") or []]
    words = labels.get("handling_conditions", {})
    for index, code in enumerate(conditions):
        wrapped = _wrap_paragraph(visible(f"{code}  {words[code]}" if code in words else code), WIDTH - 26)
        lines.append(f"{'Handling conditions:' if index == 0 else '':<22}{wrapped[0] if wrapped else ''}")
        lines += [" " * 26 + line for line in wrapped[1:]]
    return lines if conditions else [*lines, _field("Handling conditions", "none")]


def render_referral(referral: Mapping[str, Any], *, force_name: str | None = None,
                    labels: Labels | None = None) -> str:
    """The text rendering. ``labels`` gives, per field (see ``Labels``), the words for its
    codes; a code without words is shown as it is."""
    labels = labels or {}
    grading = referral.get("grading") or {}
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
        _field("Date", to_the_second(str(referral.get("created", "")))),
        *_grading(grading, labels),
        _field("Priority", str(referral.get("priority", ""))),
        *([_field("Priority reason", str(referral["priority_reason"]))] if referral.get("priority_reason") else []),
        _field("Behaviours", _words(referral.get("behaviours"), labels.get("behaviours", {}), "none named")),
        *([_field("Discrimination", _words(referral["discrimination"], labels.get("discrimination", {}), ""))]
          if referral.get("discrimination") else []),
        _field("Categories", _words(referral.get("categories"), labels.get("categories", {}), "none")),
        _field("IOPC criteria met", _words(referral.get("iopc_referral_criteria"),
                                           labels.get("iopc_referral_criteria", {}), "none judged met")),
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
