"""What a bundle reader concludes: each check passed (``Check``), the outer signature's
verdict, a referral's approval, and the bundle that passed every check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle import TrustedComment, TrustedKey
from .documents import attachment_member
from .errors import BundleRefused


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class OuterVerdict:
    """What the outer signature says, checked with public keys alone."""

    payload_path: Path
    signer: TrustedKey
    comment: TrustedComment
    size: int
    warnings: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


@dataclass
class ReferralApproval:
    referral_id: str
    supervisor_key_id: str
    supervisor_name: str
    trusted_comment: str


@dataclass
class Bundle:
    """A bundle that passed every check, held in memory."""

    outer: OuterVerdict
    manifest: dict[str, Any]
    documents: list[dict[str, Any]]
    members: dict[str, bytes]
    approvals: dict[str, ReferralApproval] = field(default_factory=dict)
    # For reports and outcomes: each document's line exactly as received (``documents[i]``
    # was parsed from ``sources[i]``), so a store can keep it without writing it again.
    sources: list[bytes] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.outer.comment.kind

    @property
    def bundle_id(self) -> str:
        return self.outer.comment.bundle_id

    @property
    def checks(self) -> list[Check]:
        return self.outer.checks

    def attachment(self, owner_id: str, path: str) -> bytes:
        return self.members[attachment_member(owner_id, path)]

    def referral_text(self, referral_id: str) -> str:
        return self.members[f"referrals/{referral_id}.txt"].decode("utf-8")


class CheckLog:
    """Records each check as it passes, so a refusal can show what came before it."""

    def __init__(self) -> None:
        self.done: list[Check] = []

    def passed(self, name: str, detail: str) -> None:
        self.done.append(Check(name, True, detail))

    def refuse(self, exc: BundleRefused) -> BundleRefused:
        exc.checks = self.done + [Check(exc.check, False, exc.detail)]  # type: ignore[attr-defined]
        return exc
