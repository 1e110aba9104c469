"""Escalation: when independent reports about one person reach a threshold.

A person is either the reports joined by confirmed red-flag links, or the reports whose
subject shares a strong identifier (the same registration, officer's phone, e-mail,
handle, warrant number, or collar number within one force). Reports count as
independent when they come from different reporters: two reports whose reporter gave
the same phone or e-mail (or joined as the same reporter) count once. At ``THRESHOLD``
independent reports the person is escalated: home counts the reports about them and opens
them in the queue, each marked ▲ (e there lists the people, each opening their file),
and the supervisor's review of a referral about one of them shows the pattern first.
Worked out from counts kept as identifiers are written, in a few queries (home asks on
every return).
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass

from hotline_tui.reference import force_by_code
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags.index import ensure_report_indexed
from hotline_tui.services.session import Session
from hotline_tui.store import identifiers as identifier_store
from hotline_tui.store.connection import Connection

THRESHOLD = identifier_store.COUNTED_FROM  # 3: the counts' partial index holds the values said that often
LABELS = {"registration": "registration", "phone": "phone number", "email": "e-mail address", "handle": "handle",
          "warrant": "warrant number", "collar": "collar number"}


@dataclass(frozen=True)
class Escalation:
    reports: tuple[int, ...]
    independent: int
    forces: tuple[str, ...]
    channels: tuple[str, ...]
    why: str  # 'confirmed links' or 'the same registration KX65ABC'

    def describe(self) -> str:
        forces = ", ".join(self.forces) or "force not known"
        return (f"{self.independent} independent reports about one person ({self.why}); forces: {forces};"
                f" channels: {', '.join(self.channels)}")


class _Facts:
    """Who reported, and the force and channel, of every report escalation looks at: two
    queries for all of them, whatever the number of people (never a query a person)."""

    def __init__(self, conn: Connection, keys: list[int]) -> None:
        listed = json.dumps(keys)
        self.reporter = {int(key): str(value) for key, value in conn.execute(
            "SELECT report_key, min(kind || ':' || value) FROM identifiers"
            " WHERE report_key IN (SELECT value FROM json_each(?)) AND whose = 'reporter' AND kind IN ('phone', 'email')"
            " GROUP BY report_key", (listed,))}
        self.where = {int(key): (force or "", str(channel)) for key, force, channel in conn.execute(
            "SELECT id, coalesce(force_code, hint_code), channel FROM reports WHERE id IN (SELECT value FROM json_each(?))",
            (listed,))}

    def independent(self, keys: list[int]) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
        """How many different reporters (the same phone or e-mail counts once), and the
        forces and channels, of these reports."""
        reporters = {self.reporter.get(key, f"report {key}") for key in keys}
        forces = {found.name for key in keys if key in self.where
                  for found in [force_by_code(self.where[key][0])] if found}
        channels = {self.where[key][1] for key in keys if key in self.where}
        return len(reporters), tuple(sorted(forces)), tuple(sorted(channels))


def _strong_groups(conn: Connection) -> list[tuple[str, str, list[int]]]:
    """Each strong identifier of a subject said in THRESHOLD reports or more, from the
    counts kept as identifiers are written (store/identifiers.py ``identifier_counts``)."""
    return [(kind, f"{value} in {force}" if force else value, keys)
            for kind, value, force, keys in identifier_store.said_often(conn)]


def _linked_groups(conn: Connection) -> list[list[int]]:
    """Components of at least THRESHOLD reports joined by confirmed links (every link read
    once, joined here)."""
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in conn.execute("SELECT report_a, report_b FROM red_flag_links WHERE confirmed = 1"):
        parent[root(int(a))] = root(int(b))
    groups: dict[int, list[int]] = {}
    for key in sorted(parent):
        groups.setdefault(root(key), []).append(key)
    return [group for group in groups.values() if len(group) >= THRESHOLD]


_cache: weakref.WeakKeyDictionary[Session, tuple[tuple[int, int], list[Escalation]]] = weakref.WeakKeyDictionary()


def escalations(session: Session) -> list[Escalation]:
    """Every person reported independently ``THRESHOLD`` times or more, most reported first.
    Worked out again only when the store has changed since (home asks on every return)."""
    require(session, Action.ASSESS)
    conn = session.conn
    # data_version moves when another connection commits; total_changes when this one writes.
    version = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    cached = _cache.get(session)
    if cached is not None and cached[0] == version:
        return list(cached[1])
    found = _work_out(conn)
    _cache[session] = (version, found)
    return list(found)


def _work_out(conn: Connection) -> list[Escalation]:
    found: dict[tuple[int, ...], Escalation] = {}
    candidates = [(group, "confirmed links") for group in _linked_groups(conn)]
    candidates += [(keys, f"the same {LABELS.get(kind, kind)} {value}") for kind, value, keys in _strong_groups(conn)
                   if len(keys) < 50]  # a value in fifty reports is a switchboard or a fleet, not a person
    facts = _Facts(conn, sorted({key for keys, _ in candidates for key in keys}))
    covered: set[int] = set()
    for keys, why in candidates:
        if set(keys) <= covered:  # one person already listed (their links, or another identifier)
            continue
        independent, forces, channels = facts.independent(keys)
        if independent >= THRESHOLD:
            covered.update(keys)
            found[tuple(keys)] = Escalation(tuple(keys), independent, forces, channels, why)
    return sorted(found.values(), key=lambda e: (-e.independent, e.reports))


def escalation_of(session: Session, key: int) -> Escalation | None:
    """The escalation a report is part of, if any (for the supervisor's review): a report
    the indexing has not reached yet is indexed first."""
    ensure_report_indexed(session, key)
    return next((e for e in escalations(session) if key in e.reports), None)


def escalated_reports(session: Session) -> tuple[int, ...]:
    """Every report about a person who is escalated (the queue marks and filters them)."""
    return tuple(sorted({key for found in escalations(session) for key in found.reports}))
