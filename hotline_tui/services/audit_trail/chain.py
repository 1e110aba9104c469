"""The audit chain: every state change is an entry hashed with the one before it.

``hash = SHA-256(previous hash (32 bytes) || canonical JSON of [seq, at, actor, action,
object, reason])``. The chain shows any entry edited, deleted, inserted or reordered by
someone who did not recompute every later hash; against someone who holds the store key
and rewrites the tail, the defence is the head published elsewhere (each referral
bundle carries it), which ``verify_chain(conn, anchor=...)`` checks.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session, timestamp, utc_now
from hotline_tui.store import audit as queries
from hotline_tui.store.audit import AuditRow
from hotline_tui.store.connection import Connection, transaction

GENESIS = "0" * 64


def canonical(seq: int, at: str, actor: str, action: str, object: str, reason: str) -> bytes:
    return json.dumps([seq, at, actor, action, object, reason], ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, object: str, reason: str) -> str:
    digest = hashlib.sha256(bytes.fromhex(prev_hash))
    digest.update(canonical(seq, at, actor, action, object, reason))
    return digest.hexdigest()


def record(
    conn: Connection, actor: str, action: str, object: str, reason: str = "", at: datetime | str | None = None
) -> AuditRow:
    """Append an entry. Call inside the transaction that makes the change it records."""
    if not conn.in_transaction:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    when = at if isinstance(at, str) else timestamp(at or utc_now())
    previous = queries.last(conn)
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS
    row = AuditRow(seq, when, actor, action, object, reason, prev_hash,
                   entry_hash(prev_hash, seq, when, actor, action, object, reason))
    queries.insert(conn, row)
    return row


def head(conn: Connection) -> tuple[int, str]:
    """(seq, sha256) of the last entry; (0, GENESIS) for an empty log."""
    last = queries.last(conn)
    return (last.seq, last.hash) if last else (0, GENESIS)


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    entries_checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def _bad(checked: int, seq: int, problem: str) -> ChainVerdict:
    return ChainVerdict(False, checked, seq, problem)


def _check_row(row: AuditRow, expected_seq: int, prev_hash: str) -> str:
    """What is wrong with this entry, or ''."""
    if row.seq != expected_seq:
        return f"entry {expected_seq} is missing: deleted, or the entries after it renumbered"
    if row.prev_hash != prev_hash:
        return f"entry {row.seq} does not follow entry {row.seq - 1}: entries inserted, deleted or reordered here"
    if entry_hash(row.prev_hash, row.seq, row.at, row.actor, row.action, row.object, row.reason) != row.hash:
        return f"entry {row.seq} was altered: its contents no longer match its hash"
    return ""


def verify_chain(conn: Connection, anchor: tuple[int, str] | None = None) -> ChainVerdict:
    """Walk the whole chain and name the first bad entry. ``anchor`` is a (seq, hash) head
    published earlier (e.g. in a referral bundle); the chain must still contain it."""
    prev_hash, checked, anchored = GENESIS, 0, anchor is None
    for row in queries.iterate(conn):
        problem = _check_row(row, checked + 1, prev_hash)
        if problem:
            return _bad(checked, checked + 1, problem)
        if anchor and row.seq == anchor[0]:
            if row.hash != anchor[1]:
                return _bad(checked, row.seq, f"entry {row.seq} differs from the head published earlier: the log was rewritten")
            anchored = True
        prev_hash, checked = row.hash, checked + 1
    if not anchored and anchor:
        return _bad(checked, checked + 1, f"the log ends at entry {checked} but entry {anchor[0]} was published: truncated")
    return ChainVerdict(True, checked)


# -- for people: reading and checking the log -----------------------------------------


def read_log(session: Session, limit: int = 200, before_seq: int | None = None) -> list[AuditRow]:
    require(session, Action.VIEW_AUDIT)
    return queries.page(session.conn, limit, before_seq)


def verify(session: Session, anchor: tuple[int, str] | None = None) -> ChainVerdict:
    """A security officer's check of the whole chain, itself recorded; with ``anchor``
    (a head published earlier, see ``parse_head``) it also catches a cut-off tail."""
    require(session, Action.VIEW_AUDIT)
    verdict = verify_chain(session.conn, anchor)
    with transaction(session.conn):
        outcome = "intact" if verdict.ok else f"BROKEN at {verdict.first_bad_seq}: {verdict.problem}"
        if anchor:
            outcome += f"; against the published head entry {anchor[0]}, sha256 {anchor[1]}"
        record(session.conn, session.user.name, "audit.verify", f"{verdict.entries_checked} entries", outcome, session.clock())
    return verdict


HEAD_EXAMPLE = "entry 1234, sha256 <64 hex digits>"
_HEX = frozenset("0123456789abcdef")


def format_head(seq: int, digest: str) -> str:
    """How a head is published (the dispatch note); ``parse_head`` reads it back."""
    return f"entry {seq}, sha256 {digest}"


def _head_text(text: str) -> str:
    """The head out of a longer line pasted whole: the word after ``head=`` (the signed
    export's trusted comment) or what follows the last ``entry`` (a dispatch note)."""
    if "head=" in text:
        return (text.split("head=", 1)[1].split() or [""])[0]
    return text[text.rindex("entry") + len("entry"):] if "entry" in text else text


def _hash_problem(digest: str) -> str:
    if set(digest) - _HEX:
        return "The hash is not 64 hex digits: it holds characters other than 0-9 and a-f."
    if len(digest) != 64:
        return f"The hash is not 64 hex digits: it has {len(digest)}."
    return ""


def parse_head(entry: str, digest: str = "") -> tuple[int, str]:
    """(seq, sha256) from what an officer typed or pasted: the entry number and the hash
    apart, ``entry N, sha256 H`` or ``N:H``. ValueError says what is wrong."""
    text = _head_text(f"{entry} {digest}".strip().lower().rstrip("."))
    tokens = [t for t in re.split(r"[\s,:]+", text) if t and t != "sha256"]
    if not tokens:
        raise ValueError(f"Give the published head: its entry number and its hash, e.g. {HEAD_EXAMPLE}.")
    if not (tokens[0].isascii() and tokens[0].isdigit()):
        raise ValueError("The entry number is not a number: give a whole number such as 1234.")
    if int(tokens[0]) < 1:
        raise ValueError("Entry numbers start at 1.")
    if len(tokens) == 1:
        raise ValueError("Give the head's hash too: 64 hex digits.")
    if len(tokens) > 2:
        raise ValueError(f"Give only the entry number and the hash, e.g. {HEAD_EXAMPLE}.")
    problem = _hash_problem(tokens[1])
    if problem:
        raise ValueError(problem)
    return int(tokens[0]), tokens[1]
