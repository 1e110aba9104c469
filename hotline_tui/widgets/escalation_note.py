"""The red-flag pattern about a report's subject, shown first where a decision is made.

Self-contained: give it the session and the report; it shows the escalation (independent
reports about the same person at the threshold) or nothing at all.
"""

from __future__ import annotations

from textual.widgets import Static

from hotline_tui.services.redflags.escalation import escalation_of
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import safe


class EscalationNote(Static):
    DEFAULT_CSS = """
    EscalationNote { height: auto; border: round $error; padding: 0 1; margin-bottom: 1; }
    """

    def __init__(self, session: Session, report_key: int, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        found = escalation_of(session, report_key)
        self.escalation = found
        self.display = found is not None
        if found is not None:
            self.border_title = "Red-flag pattern"
            self.update(safe(f"{found.describe()}. Open the subject's file from the report view (f) before approving."))
