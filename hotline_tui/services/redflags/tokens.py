"""Links that outlive retention: keyed one-way tokens of what a deleted report identified.

Before retention deletes a report, each strong identifier its subjects had (registration,
phone, e-mail, handle, warrant number, collar number within its force) and each full
name is kept only as HMAC-SHA256 under the room's token key (32 random bytes made on
first use, kept inside the encrypted store, never shown), beside the report's reference,
force, decision and the day it was disposed of. Nothing readable of the content stays:
a token can only be recomputed from the same identifier by someone holding the key. A
new report whose identifiers give the same token "matches a report disposed of on DATE
(reference, force, decision)". The reporter's own details are never kept.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline_tui.reference import force_name
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags.index import SubjectLike, ensure_report_indexed
from hotline_tui.services.redflags.names import forename_key, person_key
from hotline_tui.services.redflags.spans import STRONG, SUBJECT
from hotline_tui.services.session import Session
from hotline_tui.store import identifiers as identifier_store
from hotline_tui.store.connection import Connection
from hotline_tui.store.identifiers import Disposed

KINDS = (*sorted(STRONG | {"collar"}), "name")
LABELS = {"registration": "registration", "phone": "phone number", "email": "e-mail address", "handle": "handle",
          "warrant": "warrant number", "collar": "collar number and force", "name": "name"}
DECISIONS = {"refer": "referred", "no_further_action": "no further action", "duplicate": "duplicate",
             "information_only": "information only", "referred": "referred"}


def _key(conn: Connection) -> bytes:
    key = identifier_store.token_key(conn)
    if key is None:
        identifier_store.set_token_key(conn, secrets.token_bytes(32))
        key = identifier_store.token_key(conn)
    assert key is not None
    return key


def token(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def _identifier_values(said: Iterable[identifier_store.Said], force_of: dict[int, str]) -> set[tuple[str, str]]:
    values = set()
    for item in said:
        if item.whose != SUBJECT or item.kind not in KINDS:
            continue
        if item.kind == "collar":
            force = item.force or force_of.get(item.report_key, "")
            if force:
                values.add(("collar", f"{force}:{item.value}"))
        else:
            values.add((item.kind, item.value))
    return values


def _name_value(surname: str, forename: str) -> str:
    return f"{surname}|{forename_key(forename)}" if surname and forename else ""


def _names(conn: Connection, keys: Sequence[int]) -> dict[int, set[str]]:
    marks = ",".join("?" * len(keys))
    found: dict[int, set[str]] = {}
    for report_key, surname, forename in conn.execute(
        f"SELECT report_key, surname, forename FROM subject_index WHERE report_key IN ({marks})", list(keys)
    ):
        value = _name_value(surname, forename)
        if value:
            found.setdefault(int(report_key), set()).add(value)
    return found


def keep_tokens(conn: Connection, keys: Sequence[int], disposed_at: str) -> int:
    """Keep the tokens of the reports about to be deleted (in the deleting transaction)."""
    if not keys:
        return 0
    secret = _key(conn)
    marks = ",".join("?" * len(keys))
    heads = {int(k): (ref, force or "", DECISIONS.get(decision or status, (decision or status).replace("_", " ")))
             for k, ref, force, decision, status in conn.execute(
                 "SELECT r.id, r.reference, coalesce(r.force_code, r.hint_code), a.decision, r.status FROM reports r"
                 f" LEFT JOIN assessments a ON a.report_key = r.id WHERE r.id IN ({marks})", list(keys))}
    forces = {k: head[1] for k, head in heads.items()}
    by_report: dict[int, set[tuple[str, str]]] = {}
    for item in identifier_store.of_reports(conn, list(keys)):
        by_report.setdefault(item.report_key, set()).update(_identifier_values([item], forces))
    for report_key, names in _names(conn, keys).items():
        by_report.setdefault(report_key, set()).update(("name", value) for value in names)
    rows = [(token(secret, kind, value), kind, *heads[k], disposed_at)
            for k, values in by_report.items() if k in heads for kind, value in sorted(values)]
    identifier_store.insert_tokens(conn, rows)
    return len(rows)


@dataclass(frozen=True)
class DisposedMatch:
    what: str       # 'registration', 'name' ...
    disposed: Disposed

    def describe(self) -> str:
        d = self.disposed
        return (f"Same {LABELS.get(self.what, self.what)} as a report disposed of on {d.disposed_at[:10]}"
                f" ({d.reference}, {force_name(d.force)}, {d.decision})")


def disposed_matches(session: Session, key: int, subjects: Sequence[SubjectLike] = ()) -> list[DisposedMatch]:
    """Reports disposed of under retention that gave an identifier or a name this one gives."""
    require(session, Action.ASSESS)
    conn = session.conn
    if conn.execute("SELECT 1 FROM disposed_tokens LIMIT 1").fetchone() is None:
        return []
    ensure_report_indexed(session, key)
    secret = _key(conn)
    forces = identifier_store.report_forces(conn, [key])
    values = _identifier_values(identifier_store.of_report(conn, key), forces)
    values |= {("name", v) for v in _names(conn, [key]).get(key, set())}
    for subject in subjects:
        found = person_key(subject.name)
        value = _name_value(found.surname, found.forename)
        if value:
            values.add(("name", value))
    kinds = {token(secret, kind, value): kind for kind, value in values}
    matches = identifier_store.tokens_matching(conn, list(kinds))
    return [DisposedMatch(d.kind, d) for d in matches]
