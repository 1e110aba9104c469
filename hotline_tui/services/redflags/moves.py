"""An officer said to have moved force: "he said he used to be in Kent Police".

A name that agrees across two forces is weighed against namesakes in every other force
(matching.py); where either report says the officer came from the other's force, only
that force's namesakes count, and the reason quotes the words. Read at query time from
the reports' narratives and notes (a few reports, only where a move is in question).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from hotline_tui.services.redflags.spans import quote_around
from hotline_tui.services.triage.force_hints import match_force_hint
from hotline_tui.store.connection import Connection

_FORMER = re.compile(
    r"\b(?:used\s+to\s+(?:be|work|serve)\s+(?:in|with|at|for)|transferred\s+(?:over\s+)?from|moved\s+(?:over\s+)?from|"
    r"came\s+(?:over\s+)?from|(?:was|were)\s+(?:previously|formerly|before)\s+(?:in|with|at)|ex[- ]|"
    r"joined\s+from|formerly\s+(?:of|with))\s*(?:the\s+)?(?P<words>[A-Za-z][A-Za-z&']*(?:\s+[A-Za-z&']+){0,3})",
    re.IGNORECASE,
)


def _force_in(words: list[str]) -> str | None:
    """The force the first words name ("Kent Police a few years ago": Kent Police), longest first."""
    for count in range(len(words), 0, -1):
        code = match_force_hint(" ".join(words[:count]))
        if code:
            return code
    return None


def former_forces(text: str) -> dict[str, str]:
    """force code -> the words, for each force the text says the officer came from."""
    found: dict[str, str] = {}
    for match in _FORMER.finditer(text[:50_000]):
        code = _force_in(match.group("words").split())
        if code:
            found.setdefault(code, quote_around(text, match.start(), match.end()))
    return found


def said_former_forces(conn: Connection, keys: Sequence[int]) -> dict[int, dict[str, str]]:
    """report -> force code -> the words, from the narratives and handler's notes."""
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    said: dict[int, dict[str, str]] = {}
    for key, document in conn.execute(f"SELECT id, document FROM reports WHERE id IN ({marks})", list(keys)):
        doc = json.loads(document)
        text = " ".join(str(doc.get(k) or "") for k in ("narrative", "handler_notes"))
        if re.search(r"used|transfer|moved|came|previous|former|before|ex[- ]|joined", text, re.IGNORECASE):
            said[int(key)] = former_forces(text)
    return said
