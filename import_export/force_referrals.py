"""What a force holds: the referral bundles it opened (``hotline-bundle open --out DIR``
writes one folder per bundle) and the outcomes it has already sent back, kept in
``DIR/outcomes-sent.jsonl`` by ``hotline-bundle outcomes``.

Only files the force received are read: each opened bundle's ``manifest.json`` (when it
was sealed, to whom) and ``referrals/<id>.json`` (reference, summary). The facts feed the
same outcome rules the room applies on import (outcome_rules.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import strictjson
from .atomic import write_atomic
from .outcome_rules import HeldOutcome, ReferralFacts
from .wording import outcome_words

LEDGER = "outcomes-sent.jsonl"


class NotReferrals(ValueError):
    """The folder holds no opened referral bundle, or one that cannot be read."""


@dataclass(frozen=True)
class OpenedReferral:
    referral_id: str
    reference: str
    force: str
    sealed_at: str  # the bundle's created time (when the room sealed it)
    summary_line: str
    bundle: str  # the opened bundle's folder name
    sent: list[HeldOutcome] = field(default_factory=list)

    def facts(self) -> ReferralFacts:
        return ReferralFacts(self.referral_id, self.force, self.sealed_at, tuple(self.sent), self.reference)

    @property
    def reported(self) -> str:
        """What the force already sent, in date order: 'nothing yet' or 'Received 2026-03-02; …'."""
        steps = sorted(self.sent, key=lambda h: h.date)
        return "; ".join(f"{outcome_words(h.status)} {h.date[:10]}" for h in steps) or "nothing yet"


def _read_json(path: Path) -> Any:
    try:
        return strictjson.loads(path.read_bytes(), strictjson.JsonLimits())
    except (OSError, strictjson.JsonRefused) as exc:
        raise NotReferrals(f"{path} cannot be read: {exc}") from exc


def _bundle_folders(folder: Path) -> list[Path]:
    if (folder / "manifest.json").is_file():
        return [folder]
    found = sorted(p.parent for p in folder.glob("*/manifest.json"))
    if not found:
        raise NotReferrals(f"{folder} holds no opened referral bundle: open the bundles first with "
                           "'hotline-bundle open --out FOLDER', then point this command at FOLDER")
    return found


def _first_line(text: str, width: int = 70) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def _opened(bundle: Path) -> list[OpenedReferral]:
    manifest = _read_json(bundle / "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("kind") != "referrals":
        raise NotReferrals(f"{bundle} is not an opened referral bundle (its manifest says kind "
                           f"{manifest.get('kind') if isinstance(manifest, dict) else '?'})")
    created = str(manifest.get("created", ""))
    found = []
    for path in sorted((bundle / "referrals").glob("*.json")):
        doc = _read_json(path)
        if not isinstance(doc, dict) or "referral_id" not in doc:
            raise NotReferrals(f"{path} is not a referral")
        found.append(OpenedReferral(
            str(doc["referral_id"]), str(doc.get("reference") or doc["referral_id"]),
            str(doc.get("force") or manifest.get("recipient", "")), created,
            _first_line(str(doc.get("summary", ""))), bundle.name,
        ))
    return found


def read_ledger(folder: Path) -> list[dict[str, Any]]:
    path = folder / LEDGER
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        if line.strip():
            try:
                entries.append(strictjson.loads(line, strictjson.JsonLimits()))
            except strictjson.JsonRefused as exc:
                raise NotReferrals(f"{path} line {number} cannot be read: {exc}") from exc
    return entries


def load_referrals(folder: Path) -> list[OpenedReferral]:
    """Every referral opened under ``folder``, with what was already sent about it, oldest bundle first."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotReferrals(f"{folder} is not a folder")
    referrals = [r for bundle in _bundle_folders(folder) for r in _opened(bundle)]
    referrals.sort(key=lambda r: (r.sealed_at, r.reference))
    by_id = {r.referral_id: r for r in referrals}
    for entry in read_ledger(ledger_folder(folder)):
        referral = by_id.get(str(entry.get("referral_id")))
        if referral is not None:
            referral.sent.append(HeldOutcome(str(entry["date"]), str(entry["status"]), str(entry.get("note") or "")))
    return referrals


def ledger_folder(folder: Path) -> Path:
    folder = Path(folder)
    return folder.parent if (folder / "manifest.json").is_file() else folder


def record_sent(folder: Path, outcomes: Sequence[dict[str, Any]], bundle_id: str, at: datetime) -> None:
    """Add the outcomes just packed to the ledger (rewritten whole, atomically)."""
    path = ledger_folder(folder) / LEDGER
    before = path.read_bytes() if path.exists() else b""
    lines = [json.dumps({**doc, "bundle_id": bundle_id, "packed_at": at.isoformat()}, ensure_ascii=False)
             for doc in outcomes]
    write_atomic(path, before + "".join(f"{line}\n" for line in lines).encode("utf-8"))
