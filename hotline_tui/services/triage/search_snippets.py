"""Where a search matched: a short excerpt of the report around the first match.

The full-text index keeps no copy of the text (contentless), so the excerpt is cut
from the report itself, case-insensitively, on the words of the search (a word matches
at the start of a word, as the index's prefix search does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotline_tui.services.session import Session
from hotline_tui.services.triage.queue import report_detail
from import_export.textsafe import visible

OPERATORS = {"and", "or", "not", "near"}


@dataclass(frozen=True)
class Snippet:
    field: str  # where it matched: narrative, subjects, handler's notes
    text: str  # the excerpt, one line
    spans: list[tuple[int, int]]  # the matched words in ``text``


def search_words(query: str) -> list[str]:
    words = re.findall(r"\w+", query.lower())
    return [w for w in words if w not in OPERATORS]


def _fields(document: dict[str, Any]) -> list[tuple[str, str]]:
    subjects = "; ".join(
        " ".join(str(v) for k, v in subject.items() if isinstance(v, str)) for subject in document.get("subjects") or []
        if isinstance(subject, dict)
    )
    return [("narrative", str(document.get("narrative") or "")), ("subjects", subjects),
            ("handler's notes", str(document.get("handler_notes") or ""))]


def find_snippet(document: dict[str, Any], query: str, width: int = 90) -> Snippet | None:
    words = search_words(query)
    if not words:
        return None
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    for field, text in _fields(document):
        flat = visible(" ".join(text.split()))  # report text: controls made visible before cutting
        first = pattern.search(flat)
        if first is None:
            continue
        start = max(0, first.start() - width // 3)
        excerpt = flat[start:start + width]
        prefix = "…" if start else ""
        suffix = "…" if start + width < len(flat) else ""
        text_out = prefix + excerpt + suffix
        spans = [(m.start() + len(prefix), m.end() + len(prefix)) for m in pattern.finditer(excerpt)]
        return Snippet(field, text_out, spans)
    return None


def snippet_for(session: Session, key: int, query: str, width: int = 90) -> Snippet | None:
    """Where ``query`` matched in report ``key`` (contact details never searched or shown)."""
    return find_snippet(report_detail(session, key).document, query, width)
