"""Escalation reads counts kept as identifiers are written and deleted, not the whole table."""

from __future__ import annotations

from assesskit import demo
from test_redflags import _doc, _store, ana

from hotline_tui.services import redflags
from hotline_tui.services.redflags.escalation import escalation_of
from hotline_tui.services.session import Session
from hotline_tui.store import retention as retention_store
from hotline_tui.store.connection import transaction

__all__ = ["ana", "demo"]

RECOUNT = """
SELECT kind, value, CASE WHEN kind = 'collar' THEN force ELSE '' END, count(DISTINCT report_key) FROM identifiers
WHERE whose = 'subject' AND kind IN ('collar', 'warrant', 'registration', 'phone', 'email', 'handle')
    AND (kind != 'collar' OR force != '')
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""


def _counts(session: Session) -> list[tuple[str, str, str, int]]:
    return list(session.conn.execute("SELECT kind, value, force, reports FROM identifier_counts ORDER BY 1, 2, 3"))


def test_counts_follow_every_report_written_and_deleted(ana: Session) -> None:
    said = "Officer in a grey Kia Ceed, reg YT21 XYZ, his number was 4471, he texted me from 07700 900555."
    keys = _store(ana, _doc(61, said, force_hint="Kent", reporter={"phone": "07700 900611"}),
                  _doc(62, said, force_hint="Kent", reporter={"phone": "07700 900622"}),
                  _doc(63, said, force_hint="Essex", reporter={"phone": "07700 900633"}))
    redflags.ensure_indexed(ana)
    assert _counts(ana) == list(ana.conn.execute(RECOUNT))
    assert ("registration", "YT21XYZ", "", 3) in _counts(ana)
    assert ("collar", "4471", "kent", 2) in _counts(ana) and ("collar", "4471", "essex", 1) in _counts(ana)
    found = escalation_of(ana, keys[0])
    assert found is not None and set(found.reports) == set(keys)

    with transaction(ana.conn) as conn:
        retention_store.delete_reports(conn, keys[:1])
    assert _counts(ana) == list(ana.conn.execute(RECOUNT))
    assert ("registration", "YT21XYZ", "", 2) in _counts(ana)
    assert escalation_of(ana, keys[1]) is None  # two reports left: below the threshold
    with transaction(ana.conn) as conn:
        retention_store.delete_reports(conn, keys[1:])
    kept = " ".join(str(v) for row in _counts(ana) for v in row)
    assert "YT21XYZ" not in kept and "+447700900555" not in kept  # nothing readable of the deleted reports stays


def test_reports_joined_by_confirmed_links_escalate_as_one_person(ana: Session) -> None:
    from hotline_tui.store import assessments as assessment_store

    keys = _store(ana, _doc(81, "The officer shouted at me."), _doc(82, "A sergeant pushed my son."),
                  _doc(83, "He took my phone and kept it."), _doc(84, "Nothing to do with them."))
    with transaction(ana.conn) as conn:
        assessment_store.set_link(conn, keys[0], keys[1], True, "ana", ana.now())
        assessment_store.set_link(conn, keys[2], keys[1], True, "ana", ana.now())  # a chain: one person
        assessment_store.set_link(conn, keys[2], keys[3], False, "ana", ana.now())  # rejected: not them
    found = escalation_of(ana, keys[2])
    assert found is not None and found.reports == tuple(keys[:3]) and found.why == "confirmed links"
    assert escalation_of(ana, keys[3]) is None
