"""The audit log for security officers: a filtered, paged view, and exports to media.

An export is two files any auditor can check with the stock tools:

    audit-<from>-<to>.jsonl           one entry a line, oldest first, exactly as stored
    audit-<from>-<to>.jsonl.minisig   minisign signature by the room's signing key

``minisign -Vm audit-....jsonl -p triage-room.pub`` verifies it; the trusted comment
says the range, the number of entries, the first and last seq (every entry between
them is included, even one whose time lies outside the days: ``outside=`` counts them,
so the file never has a hole in the chain), the log's head (seq and
hash) when it was exported, and whether the chain verified. Each line carries its
``prev_hash`` and ``hash``, so the chain can be recomputed from the file alone:
``hash = SHA-256(bytes.fromhex(prev_hash) || canonical JSON of [seq, at, actor, action,
object, reason])`` (``services/audit_trail/chain.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring.keys import room_signing_key
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import audit as queries
from hotline_tui.store.audit import AuditFilter, AuditRow
from hotline_tui.store.connection import transaction
from import_export.atomic import publish, write_temp

FORMAT = "hotline-audit/1"
SIGNATURE_SUFFIX = ".minisig"

__all__ = ["AuditExport", "AuditFilter", "AuditView", "day_bounds", "export_range", "parse_day"]


def parse_day(text: str) -> date | None:
    """``YYYY-MM-DD`` (UTC) or empty; ValueError for anything else."""
    text = text.strip()
    return date.fromisoformat(text) if text else None


def day_bounds(first: date | None, last: date | None) -> tuple[str | None, str | None]:
    """Inclusive days as bounds on ``at``: [first 00:00, the day after last 00:00)."""
    return (first.isoformat() if first else None, (last + timedelta(days=1)).isoformat() if last else None)


class AuditView:
    """One filter over the log; counts and pages straight from SQL, newest first."""

    def __init__(self, session: Session, flt: AuditFilter | None = None) -> None:
        require(session, Action.VIEW_AUDIT)
        self.session = session
        self.filter = flt or AuditFilter()

    def count(self) -> int:
        return queries.count_filtered(self.session.conn, self.filter)

    def page(self, offset: int, limit: int) -> list[AuditRow]:
        return queries.page_filtered(self.session.conn, self.filter, offset, limit)

    def entry(self, seq: int) -> AuditRow | None:
        rows = queries.page(self.session.conn, 1, seq + 1)
        return rows[0] if rows and rows[0].seq == seq else None


@dataclass(frozen=True)
class AuditExport:
    path: Path
    signature_path: Path
    count: int
    trusted_comment: str


def _line(row: AuditRow) -> bytes:
    entry = {
        "seq": row.seq, "at": row.at, "actor": row.actor, "action": row.action, "object": row.object,
        "reason": row.reason, "prev_hash": row.prev_hash, "hash": row.hash,
    }
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def export_range(session: Session, out_dir: Path, first: date, last: date) -> AuditExport:
    """Write the entries of the days ``first`` to ``last`` (UTC, inclusive), signed: a
    contiguous run of entries by seq, from the first dated in the range to the last,
    with any entry between them dated outside it (counted as ``outside=``)."""
    require(session, Action.EXPORT_AUDIT)
    out_dir = Path(out_dir)
    if last < first:
        raise Refused("The range ends before it starts.")
    if not out_dir.is_dir():
        raise Refused(f"{out_dir} is not a folder.")
    since, until = day_bounds(first, last)
    assert since is not None and until is not None
    rows = queries.contiguous_between(session.conn, since, until)
    if not rows:
        raise Refused(f"The log has no entries from {first} to {last}.")
    name = f"audit-{first}-{last}.jsonl"
    if (out_dir / name).exists() or (out_dir / (name + SIGNATURE_SUFFIX)).exists():
        raise Refused(f"{name} is already on that medium; move it away first.")
    verdict = audit.verify_chain(session.conn)
    head_seq, head_hash = audit.head(session.conn)
    chain = "intact" if verdict.ok else f"broken-at-{verdict.first_bad_seq}"
    outside = sum(1 for row in rows if not since <= row.at < until)
    comment = (
        f"{FORMAT} from={first} to={last} count={len(rows)} first={rows[0].seq} last={rows[-1].seq} "
        f"outside={outside} head={head_seq}:{head_hash} chain={chain}"
    )
    data = b"".join(_line(row) for row in rows)
    signature = room_signing_key(session).sign(data, comment, "audit log export from the triage room").encode("utf-8")
    temps: list[Path] = []
    try:
        temps.append(write_temp(out_dir, name, data))
        temps.append(write_temp(out_dir, name + SIGNATURE_SUFFIX, signature))
        publish([(temps[0], out_dir / name), (temps[1], out_dir / (name + SIGNATURE_SUFFIX))])
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise Refused(f"Cannot write to {out_dir}: {exc.strerror or exc}.") from None
    with transaction(session.conn) as conn:
        audit.record(conn, session.user.name, "audit.exported", f"file {name}",
                     f"{len(rows)} entries ({rows[0].seq}-{rows[-1].seq}, every entry between them; {outside} dated "
                     f"outside the days), chain {chain}; to {out_dir}", session.clock())
    return AuditExport(out_dir / name, out_dir / (name + SIGNATURE_SUFFIX), len(rows), comment)
