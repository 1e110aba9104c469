"""The import reads narratives for identifiers while it waits for the next bundle: a bundle
stored with its narratives still to read is marked pending, and indexed in full on first
use if the import stopped before reading them."""

from __future__ import annotations

import json
from types import SimpleNamespace

from assesskit import demo
from test_redflags import _doc, ana

from hotline_tui.services import redflags
from hotline_tui.services.intake.rows import report_rows
from hotline_tui.services.redflags.index import TextBacklog
from hotline_tui.services.session import Session
from hotline_tui.store import reports as report_store
from hotline_tui.store.connection import transaction

__all__ = ["ana", "demo"]
SAID = "PC Gareth Prothero drives a black BMW, reg KX65 ABC."


def _stored(session: Session, backlog: TextBacklog, *docs: dict[str, object]) -> list[int]:
    """Reports stored as ``_write_prepared`` stores a bundle: indexed, narratives queued."""
    at = session.now()
    pairs = [report_rows(doc, json.dumps(doc), "backlog-test") for doc in docs]
    report_store.insert_bundle(session.conn, "backlog-test", "reports", "0" * 16, "t", at, len(docs), "t", at, "t")
    first = report_store.insert_reports(session.conn, [p[0] for p in pairs], [p[1] for p in pairs], at,
                                        subjects_indexed=True)
    backlog.add(first, SimpleNamespace(reports=[p[0] for p in pairs], search=[p[1] for p in pairs], subjects=[],
                                       identifiers=[]))
    return list(range(first, first + len(docs)))


def _registrations(session: Session, keys: list[int]) -> list[tuple[int, str]]:
    marks = ",".join("?" * len(keys))
    return list(session.conn.execute(
        f"SELECT report_key, value FROM identifiers WHERE kind = 'registration' AND report_key IN ({marks})"
        " ORDER BY report_key", keys))


def _pending(session: Session) -> int:
    return int(session.conn.execute("SELECT count(*) FROM narratives_pending").fetchone()[0])


def test_narratives_read_while_waiting_leave_nothing_pending(ana: Session) -> None:
    with transaction(ana.conn):
        backlog = TextBacklog(ana.conn)
        keys = _stored(ana, backlog, _doc(71, SAID), _doc(72, "Nothing to go on."), _doc(73, SAID))
        assert _pending(ana) == 1
        backlog.work(2)
        assert _pending(ana) == 1  # one narrative of the bundle still to read
        backlog.drain()
    assert _pending(ana) == 0
    assert _registrations(ana, keys) == [(keys[0], "KX65ABC"), (keys[2], "KX65ABC")]
    redflags.ensure_indexed(ana)  # nothing to do: every report is indexed once
    assert _registrations(ana, keys) == [(keys[0], "KX65ABC"), (keys[2], "KX65ABC")]


def test_an_import_stopped_before_reading_the_narratives_indexes_them_on_first_use(ana: Session) -> None:
    with transaction(ana.conn):
        keys = _stored(ana, TextBacklog(ana.conn), _doc(74, SAID), _doc(75, SAID))  # committed, never read
    assert _pending(ana) == 1 and _registrations(ana, keys) == []
    redflags.ensure_indexed(ana)
    assert _pending(ana) == 0
    assert _registrations(ana, keys) == [(keys[0], "KX65ABC"), (keys[1], "KX65ABC")]
    assert ana.conn.execute("SELECT count(*) FROM reports WHERE subjects_indexed = 0").fetchone()[0] == 0
