"""The audit log view (filters, pages), the chain check naming an edited entry, and
exports any auditor can verify with stock minisign."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from deskkit import Demo

from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.audit_trail.log import AuditFilter, AuditView, day_bounds, export_range, parse_day
from hotline_tui.services.keyring import keys
from hotline_tui.store.connection import transaction
from import_export.minisign import Signature

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "import_export"))
from bundlekit import require_tools  # noqa: E402


def test_filters_and_pages(demo: Demo) -> None:
    session = demo.unlock()
    everything = AuditView(session)
    total = everything.count()
    newest = everything.page(0, 3)
    assert [r.seq for r in newest] == [total, total - 1, total - 2]
    assert newest[0].action == "session.unlock"
    assert [r.seq for r in everything.page(total - 1, 10)] == [1]
    keyring = AuditView(session, AuditFilter(action="keyring.add"))
    assert keyring.count() == 2 + 47 * 2
    assert AuditView(session, AuditFilter(action="KEYRING.ADD", text="kent")).count() == 2
    assert AuditView(session, AuditFilter(actor="ana")).count() == 0
    since, until = day_bounds(date(2026, 3, 15), date(2026, 3, 15))
    assert AuditView(session, AuditFilter(since=since, until=until)).count() == 1  # this unlock only
    since, until = day_bounds(date(2026, 3, 14), date(2026, 3, 14))
    assert AuditView(session, AuditFilter(since=since, until=until)).count() == total - 1
    assert everything.entry(5).seq == 5 and everything.entry(total + 9) is None


def test_parse_day() -> None:
    assert parse_day(" 2026-03-14 ") == date(2026, 3, 14) and parse_day("") is None
    with pytest.raises(ValueError):
        parse_day("14/03/2026")


def test_an_entry_edited_behind_the_apps_back_is_named(demo: Demo) -> None:
    session = demo.unlock()
    assert audit.verify(session).ok
    session.conn.execute("UPDATE audit SET reason = 'nothing to see' WHERE seq = 7")
    verdict = audit.verify(session)
    assert not verdict.ok and verdict.first_bad_seq == 7
    assert verdict.problem == "entry 7 was altered: its contents no longer match its hash"
    assert audit.read_log(session, 1)[0].reason.startswith("BROKEN at 7")


def _chain_holds(lines: list[dict]) -> bool:
    for before, entry in zip(lines, lines[1:], strict=False):
        if entry["prev_hash"] != before["hash"]:
            return False
    for entry in lines:
        canonical = json.dumps(
            [entry[k] for k in ("seq", "at", "actor", "action", "object", "reason")], ensure_ascii=False, separators=(",", ":")
        ).encode()
        if hashlib.sha256(bytes.fromhex(entry["prev_hash"]) + canonical).hexdigest() != entry["hash"]:
            return False
    return True


def test_export_a_range_signed_by_the_room(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    out = tmp_path / "stick"
    out.mkdir()
    written = export_range(session, out, date(2026, 3, 14), date(2026, 3, 14))
    assert written.path.name == "audit-2026-03-14-2026-03-14.jsonl"
    lines = [json.loads(line) for line in written.path.read_text().splitlines()]
    assert len(lines) == written.count == AuditView(session).count() - 2  # not this unlock, not the export
    assert lines[0]["seq"] == 1 and lines[0]["action"] == "workspace.create"
    assert _chain_holds(lines)
    signature = Signature.from_text(written.signature_path.read_text())
    signature.verify(keys.room_public_keys(session).signing, written.path.read_bytes())
    seq, head = audit.head(session.conn)
    assert signature.trusted_comment == (
        f"hotline-audit/1 from=2026-03-14 to=2026-03-14 count={len(lines)} first=1 last={len(lines)} outside=0 "
        f"head={seq - 1}:{audit.read_log(session, 2)[1].hash} chain=intact"
    )
    assert audit.read_log(session, 1)[0].action == "audit.exported" and head
    with pytest.raises(Refused, match="already on that medium"):
        export_range(session, out, date(2026, 3, 14), date(2026, 3, 14))
    with pytest.raises(Refused, match="no entries"):
        export_range(session, out, date(2025, 1, 1), date(2025, 1, 2))


def test_an_export_is_a_contiguous_run_of_entries_even_when_times_are_out_of_order(demo: Demo, tmp_path: Path) -> None:
    """An entry whose time is out of order (a failed unlock recorded at the next unlock with
    the time it happened) sits between entries of the range: it is exported, and counted."""
    session = demo.unlock()
    with transaction(session.conn) as conn:
        audit.record(conn, "officer", "test.late", "x", "dated a year back", "2025-03-14T09:00:00.000000Z")
        audit.record(conn, "officer", "test.after", "y", "", "2026-03-14T23:00:00.000000Z")
    written = export_range(session, tmp_path, date(2026, 3, 14), date(2026, 3, 14))
    lines = [json.loads(line) for line in written.path.read_text().splitlines()]
    assert [line["seq"] for line in lines] == list(range(1, len(lines) + 1))  # no hole
    assert "test.late" in [line["action"] for line in lines] and lines[-1]["action"] == "test.after"
    assert _chain_holds(lines)
    outside = [line["action"] for line in lines if not line["at"].startswith("2026-03-14")]
    assert "test.late" in outside and f" outside={len(outside)} " in written.trusted_comment


def test_an_export_says_when_the_chain_is_broken(demo: Demo, tmp_path: Path) -> None:
    session = demo.unlock()
    session.conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 3")
    written = export_range(session, tmp_path, date(2026, 3, 14), date(2026, 3, 15))
    assert written.trusted_comment.endswith(" chain=broken-at-3")


@pytest.mark.interop
def test_stock_minisign_verifies_the_export(demo: Demo, tmp_path: Path) -> None:
    minisign = require_tools("minisign")["minisign"]
    session = demo.unlock()
    written = export_range(session, tmp_path, date(2026, 3, 14), date(2026, 3, 15))
    public = keys.export_public_keys(session, tmp_path)[0]
    result = subprocess.run([minisign, "-V", "-H", "-p", str(public), "-m", str(written.path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert f"Trusted comment: {written.trusted_comment}" in result.stdout
    written.path.write_text(written.path.read_text().replace("officer", "mallory", 1))
    assert subprocess.run([minisign, "-V", "-p", str(public), "-m", str(written.path)], capture_output=True).returncode != 0


def test_only_security_officers_see_or_export_the_log(demo: Demo, tmp_path: Path) -> None:
    ana = demo.unlock("ana")
    with pytest.raises(PermissionDenied):
        AuditView(ana)
    with pytest.raises(PermissionDenied):
        export_range(ana, tmp_path, date(2026, 3, 14), date(2026, 3, 14))
