"""Warnings must be answered: reworded, or kept with a reason.

A warning (a likely hit) is never just shown. The analyst answers each one; ``submit``
refuses while one is unanswered, the answers go to the audit log and travel with the
referral (in the submitted assessment) to the supervisor, who confirms them before
approving. An answer belongs to a warning by its key (what was found and the words
found), so moving text keeps it and changing the words asks again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from hotline_tui.services.sanitiser.check import SanitisationFlag, warning_flags

KEPT = "kept"
REWORDED = "reworded"
MIN_REASON = 10


@dataclass(frozen=True)
class FieldWarning:
    where: str  # "The summary", "Subject 1's name"
    flag: SanitisationFlag

    @property
    def key(self) -> str:
        return self.flag.key

    def describe(self) -> str:
        return f"{self.where}: {self.flag.message}: “{self.flag.text}”"


@dataclass(frozen=True)
class WarningAnswer:
    key: str
    where: str
    text: str
    message: str
    answer: str  # KEPT | REWORDED
    reason: str = ""

    @property
    def settles(self) -> bool:
        """Whether this answer lets the warning stand: kept, with a reason worth the name."""
        return self.answer == KEPT and len(self.reason.strip()) >= MIN_REASON

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> WarningAnswer | None:
        if not isinstance(data, dict):
            return None
        fields = {k: data.get(k) for k in ("key", "where", "text", "message", "answer", "reason")}
        if not all(isinstance(v, str) for v in fields.values()) or fields["answer"] not in (KEPT, REWORDED):
            return None
        return cls(**fields)  # type: ignore[arg-type]

    @classmethod
    def of(cls, warning: FieldWarning, answer: str, reason: str = "") -> WarningAnswer:
        flag = warning.flag
        return cls(warning.key, warning.where, flag.text, flag.message, answer, reason.strip())


def field_warnings(texts: Iterable[tuple[str, str]], report: dict[str, Any]) -> list[FieldWarning]:
    """Every warning in the texts that travel, each once per key (the first place it is)."""
    found: dict[str, FieldWarning] = {}
    for where, text in texts:
        for flag in warning_flags(text, report):
            found.setdefault(flag.key, FieldWarning(where, flag))
    return list(found.values())


def parse_answers(raw: Any) -> list[WarningAnswer]:
    items = raw if isinstance(raw, list) else []
    return [a for a in (WarningAnswer.from_dict(item) for item in items) if a is not None]


def answer_to(warning: FieldWarning, answers: Iterable[WarningAnswer]) -> WarningAnswer | None:
    """The latest answer to this warning, if any."""
    found = None
    for answer in answers:
        if answer.key == warning.key:
            found = answer
    return found


def unanswered(warnings: Iterable[FieldWarning], answers: list[WarningAnswer]) -> list[FieldWarning]:
    """Warnings still standing without a kept answer and its reason (a 'reworded' answer
    whose words are still there is no answer)."""
    return [w for w in warnings if not ((a := answer_to(w, answers)) and a.settles)]


def answered_lines(warnings: list[FieldWarning], answers: list[WarningAnswer]) -> list[str]:
    """For the audit log at submission: each warning kept and why, each one reworded away."""
    standing = {w.key for w in warnings}
    lines = []
    for warning in warnings:
        answer = answer_to(warning, answers)
        if answer and answer.settles:
            lines.append(f"warning kept: {warning.describe()}; reason: {answer.reason}")
    latest = {a.key: a for a in answers}
    for answer in latest.values():
        if answer.key not in standing:
            lines.append(f"warning reworded away: {answer.where}: {answer.message}: “{answer.text}”")
    return lines
