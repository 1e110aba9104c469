"""The audit chain names the first entry edited, deleted, inserted or reordered."""

from __future__ import annotations

import hashlib

import pytest
from corekit import Room

from hotline_tui.errors import PermissionDenied
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.audit_trail.chain import GENESIS, entry_hash, record, verify_chain
from hotline_tui.services.people import users
from hotline_tui.services.session import Session
from hotline_tui.store.connection import transaction


@pytest.fixture
def logged(officer: Session) -> Session:
    """An open session whose log has at least eight entries."""
    with transaction(officer.conn):
        for n in range(4):
            record(officer.conn, "olivia", "test.entry", f"object {n}", f"reason {n}")
    assert verify_chain(officer.conn).entries_checked >= 8
    return officer


def _sql(session: Session, *statements: str) -> None:
    for statement in statements:
        session.conn.execute(statement)


def test_intact_chain_and_head(logged: Session) -> None:
    verdict = verify_chain(logged.conn)
    assert verdict.ok and verdict.first_bad_seq is None
    seq, digest = audit.head(logged.conn)
    assert seq == verdict.entries_checked and len(digest) == 64


def test_empty_log_head_is_genesis(tmp_path) -> None:
    import os

    from hotline_tui.store.connection import open_store
    from hotline_tui.store.schema import migrate

    conn = open_store(tmp_path / "x.db", os.urandom(32))
    migrate(conn)
    assert audit.head(conn) == (0, GENESIS) and verify_chain(conn).ok
    conn.close()


def test_every_state_change_is_recorded(room: Room, officer: Session) -> None:
    users.disable_user(officer, "ann", "on leave")
    actions = [row.action for row in audit.read_log(officer, limit=100)]
    assert actions[0] == "user.disable"
    assert {"workspace.create", "user.add", "room_key.create", "session.unlock"} <= set(actions)


def test_record_outside_a_transaction_is_refused(officer: Session) -> None:
    with pytest.raises(RuntimeError):
        record(officer.conn, "olivia", "x", "y")


def test_edit_is_located(logged: Session) -> None:
    _sql(logged, "UPDATE audit SET reason = 'nothing to see' WHERE seq = 5")
    verdict = verify_chain(logged.conn)
    assert (verdict.ok, verdict.first_bad_seq, verdict.entries_checked) == (False, 5, 4)
    assert "altered" in verdict.problem


def test_edit_of_the_last_entry_is_located(logged: Session) -> None:
    last, _ = audit.head(logged.conn)
    _sql(logged, f"UPDATE audit SET actor = 'mallory' WHERE seq = {last}")
    assert verify_chain(logged.conn).first_bad_seq == last


def test_delete_is_located(logged: Session) -> None:
    _sql(logged, "DELETE FROM audit WHERE seq = 3")
    verdict = verify_chain(logged.conn)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 3)
    assert "missing" in verdict.problem


def test_delete_and_renumber_is_located(logged: Session) -> None:
    _sql(logged, "DELETE FROM audit WHERE seq = 3", "UPDATE audit SET seq = seq - 1 WHERE seq > 3")
    verdict = verify_chain(logged.conn)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 3)


def _shift_up_from(session: Session, seq: int) -> None:
    _sql(session, f"UPDATE audit SET seq = seq + 1000 WHERE seq >= {seq}",
         f"UPDATE audit SET seq = seq - 999 WHERE seq >= {seq + 1000}")


def test_insert_is_located(logged: Session) -> None:
    _shift_up_from(logged, 4)
    _sql(logged, "INSERT INTO audit VALUES (4, '2026-01-01T00:00:00Z', 'mallory', 'x', 'y', '', 'ab', 'cd')")
    verdict = verify_chain(logged.conn)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 4)


def test_insert_with_a_forged_hash_is_located_at_the_next_entry(logged: Session) -> None:
    """A forger who hashes the new entry correctly still breaks the entry after it."""
    prev = logged.conn.execute("SELECT hash FROM audit WHERE seq = 3").fetchone()[0]
    _shift_up_from(logged, 4)
    forged = entry_hash(prev, 4, "2026-01-01T00:00:00Z", "mallory", "x", "y", "")
    logged.conn.execute(
        "INSERT INTO audit VALUES (4, '2026-01-01T00:00:00Z', 'mallory', 'x', 'y', '', ?, ?)", (prev, forged)
    )
    verdict = verify_chain(logged.conn)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 5)


def test_reorder_is_located(logged: Session) -> None:
    _sql(logged, "UPDATE audit SET seq = -1 WHERE seq = 4", "UPDATE audit SET seq = 4 WHERE seq = 6",
         "UPDATE audit SET seq = 6 WHERE seq = -1")
    verdict = verify_chain(logged.conn)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 4)


def test_truncation_is_caught_by_a_published_head(logged: Session) -> None:
    anchor = audit.head(logged.conn)
    assert verify_chain(logged.conn, anchor).ok
    _sql(logged, f"DELETE FROM audit WHERE seq >= {anchor[0] - 1}")
    assert verify_chain(logged.conn).ok  # the chain alone cannot see a cut tail
    verdict = verify_chain(logged.conn, anchor)
    assert not verdict.ok and "truncated" in verdict.problem


def test_verify_is_itself_recorded_and_reports_damage(logged: Session) -> None:
    _sql(logged, "UPDATE audit SET object = 'edited' WHERE seq = 2")
    verdict = audit.verify(logged)
    assert verdict.first_bad_seq == 2
    newest = audit.read_log(logged, limit=1)[0]
    assert newest.action == "audit.verify" and "BROKEN at 2" in newest.reason


# -- against a head published earlier (a dispatch note, an export's head=) ---------------


def test_parse_head_reads_a_published_head_however_it_was_copied() -> None:
    digest = "ab" * 32
    for entry, given in [(f"entry 12, sha256 {digest}", ""), (f"12:{digest}", ""), ("12", digest),
                         (f"Audit log head sealed into these bundles: entry 12, sha256 {digest.upper()}.", ""),
                         (f"hotline-audit/1 from=2026-03-14 to=2026-03-14 head=12:{digest} chain=intact", "")]:
        assert audit.parse_head(entry, given) == (12, digest)
    assert audit.parse_head(audit.format_head(7, digest)) == (7, digest)


@pytest.mark.parametrize(("entry", "given", "message"), [
    ("", "", "Give the published head"),
    ("twelve", "ab" * 32, "The entry number is not a number"),
    ("0", "ab" * 32, "Entry numbers start at 1"),
    ("12", "", "Give the head's hash too"),
    ("12", "ab" * 31, "The hash is not 64 hex digits: it has 62"),
    ("12", "xy" * 32, "The hash is not 64 hex digits: it holds characters other than 0-9 and a-f"),
    ("12 13", "ab" * 32, "Give only the entry number and the hash"),
])
def test_parse_head_says_what_is_wrong(entry: str, given: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        audit.parse_head(entry, given)


def test_verify_against_a_published_head_passes_on_an_intact_log(logged: Session) -> None:
    anchor = audit.head(logged.conn)
    with transaction(logged.conn):
        record(logged.conn, "olivia", "test.entry", "after the head")
    verdict = audit.verify(logged, anchor)
    assert verdict.ok and verdict.entries_checked == anchor[0] + 1
    newest = audit.read_log(logged, limit=1)[0]
    assert newest.action == "audit.verify"
    assert newest.reason == f"intact; against the published head entry {anchor[0]}, sha256 {anchor[1]}"


def test_verify_against_a_published_head_catches_a_cut_tail(logged: Session) -> None:
    anchor = audit.head(logged.conn)
    _sql(logged, f"DELETE FROM audit WHERE seq > {anchor[0] - 3}")
    assert audit.verify(logged).ok  # the chain alone cannot see it (and this check adds an entry)
    verdict = audit.verify(logged, anchor)
    assert (verdict.ok, verdict.first_bad_seq) == (False, anchor[0] - 1)
    assert verdict.problem == f"the log ends at entry {anchor[0] - 2} but entry {anchor[0]} was published: truncated"
    newest = audit.read_log(logged, limit=1)[0]
    assert newest.reason.startswith(f"BROKEN at {anchor[0] - 1}: the log ends at entry {anchor[0] - 2}")
    assert newest.reason.endswith(f"against the published head entry {anchor[0]}, sha256 {anchor[1]}")


def test_verify_against_a_published_head_with_another_hash_fails(logged: Session) -> None:
    seq, digest = audit.head(logged.conn)
    other = ("0" if digest[0] != "0" else "1") + digest[1:]
    verdict = audit.verify(logged, (seq, other))
    assert (verdict.ok, verdict.first_bad_seq) == (False, seq)
    assert verdict.problem == f"entry {seq} differs from the head published earlier: the log was rewritten"


def test_verify_against_a_head_needs_the_audit_permission(room: Room) -> None:
    analyst = room.unlock("ann")
    try:
        with pytest.raises(PermissionDenied):
            audit.verify(analyst, audit.head(analyst.conn))
    finally:
        analyst.close()


def test_the_readme_worked_example_with_non_ascii_text() -> None:
    """The README states the canonical JSON exactly (non-ASCII as itself, no \\u escapes)
    and works one entry through: the code must give the same bytes and hash."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    fields = (1, "2026-03-14T09:00:00.000000Z", "olu", "user.add", "zoë", "rôle analyst — “Zoë Ørsted”")
    text = audit.canonical(*fields).decode("utf-8")
    assert f"canonical = {text}" in readme and "\\u" not in text and len(text.encode("utf-8")) == 96
    digest = audit.entry_hash(audit.GENESIS, *fields)
    assert f"hash      = {digest}" in readme
    assert digest == hashlib.sha256(bytes(32) + text.encode("utf-8")).hexdigest()
