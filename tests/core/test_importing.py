"""Importing report bundles from removable media, and the queue over what was imported.

The demo room's media carries 7 good report bundles (360 reports) and one bundle whose
payload was altered after signing. Expected queue counts are computed in Python from the
same generated reports the demo room wrote, never read back through the queue's own SQL.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from deskkit import BUILT, PASSWORDS, Demo, copy_demo, tampered

from hotline_tui import cli
from hotline_tui.demo.room import DEMO_SEED, REPORT_COUNT, DemoRoom
from hotline_tui.demo.synthetic import generate_attachments, generate_reports
from hotline_tui.errors import PermissionDenied
from hotline_tui.services.intake import importing
from hotline_tui.services.intake.importing import import_bundles, list_bundles
from hotline_tui.services.intake.rows import BEHAVIOUR_BITS
from hotline_tui.services.session import Session
from hotline_tui.services.triage.force_hints import match_force_hint
from hotline_tui.services.triage.queue import QueueRow, QueueView
from hotline_tui.store import queue as queue_store
from hotline_tui.store.queue import QueueFilter
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.writer import report_members, write_bundle

GOOD_BUNDLES = 7


def demo_reports() -> list[dict[str, Any]]:
    """The reports build_demo_room wrote to the media (same seed, same window)."""
    return generate_reports(REPORT_COUNT, seed=DEMO_SEED, start=BUILT - timedelta(days=120), end=BUILT - timedelta(hours=2))


def scalar(session: Session, sql: str, *params: object) -> Any:
    return session.conn.execute(sql, params).fetchone()[0]


def audit_actions(session: Session, action: str) -> list[tuple[str, str]]:
    return list(session.conn.execute("SELECT object, reason FROM audit WHERE action = ? ORDER BY seq", (action,)))


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with its SHA-256 (folders as 'dir'), to prove nothing changed."""
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        seen[name] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


# -- importing ------------------------------------------------------------------------------


def test_demo_media_imports_seven_bundles_and_refuses_the_tampered_one(demo: Demo, ana: Session) -> None:
    bad = tampered(demo)
    summary = import_bundles(ana, [demo.room.media])
    assert (summary.imported, summary.skipped, summary.refused) == (GOOD_BUNDLES, 0, 1)
    assert summary.reports_added == REPORT_COUNT
    refused = [r for r in summary.results if r.status == "refused"]
    assert refused[0].path == bad and refused[0].reason.startswith("outer signature")
    assert refused[0].quarantined
    assert scalar(ana, "SELECT count(*) FROM reports") == REPORT_COUNT
    assert scalar(ana, "SELECT count(*) FROM report_search") == REPORT_COUNT
    assert scalar(ana, "SELECT count(*) FROM import_bundles") == GOOD_BUNDLES
    assert {r[0] for r in ana.conn.execute("SELECT report_id FROM reports")} == {r["report_id"] for r in demo_reports()}
    imported = audit_actions(ana, "bundle.imported")
    assert len(imported) == GOOD_BUNDLES
    assert sum(int(reason.split(" ", 1)[0]) for _, reason in imported) == REPORT_COUNT


def test_a_second_import_adds_nothing_and_quarantines_once(demo: Demo, ana: Session) -> None:
    bad = tampered(demo)
    import_bundles(ana, [demo.room.media])
    again = import_bundles(ana, [demo.room.media])
    assert (again.imported, again.skipped, again.refused) == (0, GOOD_BUNDLES, 1)
    assert again.reports_added == 0
    assert all("already imported" in r.reason for r in again.results if r.status == "skipped")
    assert scalar(ana, "SELECT count(*) FROM reports") == REPORT_COUNT
    assert scalar(ana, "SELECT count(*) FROM import_bundles") == GOOD_BUNDLES
    held = list(ana.conn.execute("SELECT file_name, payload, check_name, reason, refused_by, state FROM quarantine"))
    assert len(held) == 1
    file_name, payload, check, reason, by, state = held[0]
    assert (file_name, payload, check, by, state) == (bad.name, bad.read_bytes(), "outer signature", "ana", "held")
    assert reason.startswith("outer signature")
    refusals = audit_actions(ana, "bundle.refused")
    assert [obj for obj, _ in refusals] == [f"file {bad.name}"] * 2
    assert all(reason.startswith("outer signature") for _, reason in refusals)
    assert len(audit_actions(ana, "bundle.imported")) == GOOD_BUNDLES


def test_without_quarantine_nothing_is_held(demo: Demo, ana: Session) -> None:
    summary = import_bundles(ana, [tampered(demo)], quarantine=False)
    assert summary.refused == 1 and not summary.results[0].quarantined
    assert scalar(ana, "SELECT count(*) FROM quarantine") == 0
    assert len(audit_actions(ana, "bundle.refused")) == 1


def test_the_media_is_left_byte_for_byte_as_it_was(demo: Demo, ana: Session) -> None:
    before = snapshot(demo.room.media)
    stats = {p: p.stat().st_mtime_ns for p in demo.room.media.rglob("*") if p.is_file()}
    assert len(before) > 2 * GOOD_BUNDLES
    import_bundles(ana, [demo.room.media])
    list_bundles(ana, demo.room.media)
    import_bundles(ana, [demo.room.media])
    assert snapshot(demo.room.media) == before
    assert {p: p.stat().st_mtime_ns for p in demo.room.media.rglob("*") if p.is_file()} == stats


def _bundle_with(demo: Demo, folder: Path, reports: list[dict[str, Any]]) -> Path:
    attachments = generate_attachments(reports)
    folder.mkdir(parents=True, exist_ok=True)
    written = write_bundle(
        folder, kind="reports", members=report_members(reports, attachments), count=len(reports),
        signer=demo.intake_key(), recipients=[agekeys.parse_recipient(demo.room_recipient())], recipient_label=ROOM_LABEL,
        created=BUILT + timedelta(days=1),
    )
    return written.path


def _fresh_reports(count: int, seed: int) -> list[dict[str, Any]]:
    reports = generate_reports(count, seed=seed, start=BUILT, end=BUILT + timedelta(hours=20), hostile=False,
                               reference_start=90_000)
    assert any(r["attachments"] for r in reports)  # so the test sees attachments stay out too
    return reports


def _store_counts(session: Session) -> tuple[int, ...]:
    tables = ("reports", "report_search", "report_attachments", "import_bundles", "audit")
    return tuple(scalar(session, f"SELECT count(*) FROM {t}") for t in tables)


def test_a_bundle_repeating_an_imported_report_id_is_refused_whole(demo: Demo, ana: Session, tmp_path: Path) -> None:
    import_bundles(ana, [demo.room.media])
    existing = demo_reports()[100]["report_id"]
    reports = _fresh_reports(80, seed=5)
    reports[40]["report_id"] = existing  # in the middle: neither first nor last
    path = _bundle_with(demo, tmp_path / "stick", reports)
    before = _store_counts(ana)
    summary = import_bundles(ana, [path])
    assert summary.refused == 1
    reason = summary.results[0].reason
    assert reason.startswith("documents:") and existing in reason and "field report_id" in reason
    assert _store_counts(ana)[:4] == before[:4]  # not one row of it; only the refusal is audited
    ids = [r["report_id"] for r in reports if r["report_id"] != existing]
    marks = ",".join("?" * len(ids))
    assert scalar(ana, f"SELECT count(*) FROM reports WHERE report_id IN ({marks})", *ids) == 0
    assert scalar(ana, f"SELECT count(*) FROM report_attachments WHERE report_id IN ({marks})", *ids) == 0
    assert audit_actions(ana, "bundle.refused")[-1][1] == reason + " (copied to quarantine)"


def test_two_bundles_on_one_stick_sharing_a_report_id(demo: Demo, ana: Session, tmp_path: Path) -> None:
    first = _fresh_reports(80, seed=7)
    second = _fresh_reports(80, seed=8)
    second[-1]["report_id"] = first[0]["report_id"]
    stick = tmp_path / "stick"
    paths = [_bundle_with(demo, stick, reports) for reports in (first, second)]
    summary = import_bundles(ana, paths)
    assert [r.status for r in summary.results] == ["imported", "refused"]
    assert {r[0] for r in ana.conn.execute("SELECT report_id FROM reports")} == {r["report_id"] for r in first}


def test_a_failure_half_way_through_storing_leaves_nothing(
    demo: Demo, ana: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _bundle_with(demo, tmp_path / "stick", _fresh_reports(80, seed=6))
    before = _store_counts(ana)

    def broken(*_args: object) -> None:
        raise RuntimeError("the disk went away")

    # Reports and their index rows are in by then; the attachments fail.
    monkeypatch.setattr(importing.store, "insert_attachments", broken)
    with pytest.raises(RuntimeError, match="disk went away"):
        import_bundles(ana, [path])
    assert not ana.conn.in_transaction
    assert _store_counts(ana) == before
    monkeypatch.undo()
    summary = import_bundles(ana, [path])
    assert summary.imported == 1 and summary.reports_added == 80


def test_a_failure_in_a_later_bundle_rolls_back_every_bundle_since_the_last_commit(
    demo: Demo, ana: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bundles share a transaction between commits, without a savepoint each: a failure
    that is not a refusal takes back all of them, each whole, and a later import brings
    them all in. (A refusal takes back nothing: the demo media's altered bundle.)"""
    stick = tmp_path / "stick"
    for number in range(3):
        _bundle_with(demo, stick, _fresh_reports(40, seed=20 + number))
    before = _store_counts(ana)
    calls: list[int] = []
    real = importing.store.insert_attachments

    def fails_third_time(*args: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk went away")
        real(*args)

    monkeypatch.setattr(importing.store, "insert_attachments", fails_third_time)
    with pytest.raises(RuntimeError, match="disk went away"):
        import_bundles(ana, [stick])
    assert len(calls) == 3 and not ana.conn.in_transaction
    assert _store_counts(ana) == before
    monkeypatch.undo()
    summary = import_bundles(ana, [stick])
    assert (summary.imported, summary.reports_added) == (3, 120)


def test_checkpoints_run_in_the_background_while_importing(demo: Demo, ana: Session) -> None:
    before = scalar(ana, "PRAGMA wal_autocheckpoint")
    seen: list[tuple[int, bool]] = []

    def look(_: object) -> None:
        checkpointing = any(t.name == "store-checkpoints" for t in threading.enumerate())
        seen.append((scalar(ana, "PRAGMA wal_autocheckpoint"), checkpointing))

    import_bundles(ana, [demo.room.media], progress=look)
    assert set(seen) == {(0, True)}  # the writer's own checkpoints are off: a thread does them
    assert scalar(ana, "PRAGMA wal_autocheckpoint") == before
    assert not any(t.name == "store-checkpoints" for t in threading.enumerate())
    wal = demo.room.workspace / "store.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated at the end


def test_attachments_land_in_the_store(demo: Demo, ana: Session) -> None:
    import_bundles(ana, [demo.room.media])
    reports = demo_reports()
    files = generate_attachments(reports)
    assert files
    stored = {
        member: (name, media_type, size, data)
        for report_id, name, media_type, member, size, data in ana.conn.execute(
            "SELECT report_id, name, media_type, member, size, data FROM report_attachments"
        )
        if member.startswith(f"attachments/{report_id}/")
    }
    assert set(stored) == set(files)
    by_member = {
        f"attachments/{r['report_id']}/{item['path']}": item for r in reports for item in r["attachments"]
    }
    for member, (name, media_type, size, data) in stored.items():
        assert data == files[member] and size == len(data)
        assert (name, media_type) == (by_member[member]["name"], by_member[member]["media_type"])


def test_a_security_officer_cannot_import(demo: Demo) -> None:
    officer = demo.unlock("officer")
    try:
        with pytest.raises(PermissionDenied):
            import_bundles(officer, [demo.room.media])
        with pytest.raises(PermissionDenied):
            list_bundles(officer, demo.room.media)
        assert scalar(officer, "SELECT count(*) FROM reports") == 0
        assert scalar(officer, "SELECT count(*) FROM quarantine") == 0
    finally:
        officer.close()


@pytest.mark.parametrize("user", ["ana", "sam"])
def test_analysts_and_supervisors_import(demo: Demo, user: str) -> None:
    session = demo.unlock(user)
    try:
        assert import_bundles(session, [demo.room.media]).imported == GOOD_BUNDLES
    finally:
        session.close()


def test_cancelling_stops_between_bundles_and_progress_is_reported(demo: Demo, ana: Session) -> None:
    seen: list[importing.ImportProgress] = []
    summary = import_bundles(ana, [demo.room.media], progress=seen.append, cancelled=lambda: len(seen) >= 3)
    assert summary.cancelled and len(summary.results) == 3
    assert scalar(ana, "SELECT count(*) FROM import_bundles") == 3
    assert seen[-1].bundles_done == 3 and seen[-1].reports_done == summary.reports_added
    assert seen[0].reports_expected == REPORT_COUNT + 5  # the tampered bundle's comment says 5


# -- the headless command ----------------------------------------------------------------


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], demo: Demo, user: str, *paths: Path
) -> tuple[int, list[str]]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS[user] + "\n"))
    argv = ["import", "--workspace", str(demo.room.workspace), "--user", user, "--password-stdin", *map(str, paths)]
    code = cli.main(argv)
    return code, capsys.readouterr().out.splitlines()


def test_headless_import_can_leave_the_red_flags_to_the_app_and_says_so(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotline_tui.store.subjects import pending_count

    good = [p for p in demo.bundles() if p != tampered(demo)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["ana"] + "\n"))
    argv = ["import", "--workspace", str(demo.room.workspace), "--user", "ana", "--password-stdin", "--index-later"]
    assert cli.main([*argv, *map(str, good)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == f"{GOOD_BUNDLES} imported, 0 skipped, 0 refused, {REPORT_COUNT} reports added"
    assert lines[-1] == (f"red flags: {REPORT_COUNT} reports still to index; the app indexes them in the background "
                         "when the room is next unlocked (or the next import without --index-later does)")
    session = demo.unlock("ana")
    try:
        assert pending_count(session.conn) == REPORT_COUNT
    finally:
        session.close()
    code, lines = run_cli(monkeypatch, capsys, demo, "ana", *good)  # nothing new: the red flags left are indexed
    assert code == 0 and re.fullmatch(rf"red flags: {REPORT_COUNT} reports indexed in \d+\.\d s", lines[-1])


def test_headless_import_prints_a_line_per_bundle_and_fails_on_a_refusal(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tampered(demo)
    good = [p for p in demo.bundles() if p != bad]
    code, lines = run_cli(monkeypatch, capsys, demo, "ana", *good)
    assert code == 0
    assert len(lines) == GOOD_BUNDLES + 3
    assert all(re.fullmatch(r"imported  reports-triage-room-\S+: \d+ reports", line) for line in lines[:-3])
    assert lines[-3] == f"{GOOD_BUNDLES} imported, 0 skipped, 0 refused, {REPORT_COUNT} reports added"
    # Red flags after the summary, before the command exits: the store is left fully indexed.
    assert lines[-2] == f"red flags: indexing {REPORT_COUNT} reports…"
    assert re.fullmatch(rf"red flags: {REPORT_COUNT} reports indexed in \d+\.\d s", lines[-1])

    code, lines = run_cli(monkeypatch, capsys, demo, "ana", demo.room.media)
    assert code == 1
    assert len(lines) == GOOD_BUNDLES + 2
    assert sum(line.startswith("skipped   ") for line in lines) == GOOD_BUNDLES
    refused = [line for line in lines if line.startswith("refused   ")]
    assert len(refused) == 1 and "outer signature" in refused[0] and refused[0].endswith("(kept in quarantine)")
    assert lines[-1] == f"0 imported, {GOOD_BUNDLES} skipped, 1 refused, 0 reports added"

    code, lines = run_cli(monkeypatch, capsys, demo, "ana", *good)
    assert code == 0 and lines[-1].startswith("0 imported")


def test_headless_import_by_a_security_officer_is_refused(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_cli(monkeypatch, capsys, demo, "officer", demo.room.media)
    assert code == 1 and lines == []


# -- the queue -----------------------------------------------------------------------------

ASSIGNEES = ("ana", "ben", None)
STATUS_CYCLE = ("new", "in_assessment", "new", "awaiting_approval", "referred", "new", "duplicate")
PRIORITY_CYCLE = ("normal", "high", "normal", "urgent", "normal")


def _worked(index: int, report: dict[str, Any]) -> dict[str, Any]:
    """The state the queue test gives report ``index`` (some worked, some assessed)."""
    return {
        "status": STATUS_CYCLE[index % len(STATUS_CYCLE)],
        "priority": PRIORITY_CYCLE[index % len(PRIORITY_CYCLE)],
        "assigned_to": ASSIGNEES[index % len(ASSIGNEES)],
        "red_flags": index % 4,
        # Every ninth report assessed to a force other than the hint's.
        "force_code": "kent" if index % 9 == 0 else None,
    }


@pytest.fixture(scope="module")
def queue_room(template: DemoRoom, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, list[dict[str, Any]]]]:
    demo = copy_demo(template, tmp_path_factory.mktemp("queue"))
    session = demo.unlock("ana")
    import_bundles(session, [demo.room.media])
    reports = demo_reports()
    for index, report in enumerate(reports):
        state = _worked(index, report)
        report.update({f"_{k}": v for k, v in state.items()})
        session.conn.execute(
            "UPDATE reports SET status = ?, priority = ?, assigned_to = ?, red_flags = ?, force_code = ? WHERE report_id = ?",
            (state["status"], state["priority"], state["assigned_to"], state["red_flags"], state["force_code"],
             report["report_id"]),
        )
    yield session, reports
    session.close()


def _received(report: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(report["received_at"].replace("Z", "+00:00"))


def _force(report: dict[str, Any]) -> str | None:
    return report["_force_code"] or match_force_hint(report.get("force_hint") or "")


SUBJECT_TEXT = ("name", "rank", "collar_number", "station", "force_hint", "description")


def _words(text: str) -> list[str]:
    """FTS5 unicode61 with remove_diacritics: letters and digits, folded, everything else splits."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", folded)


def _searchable(report: dict[str, Any]) -> set[str]:
    subjects = " ".join(str(s.get(k, "")) for s in report.get("subjects", []) for k in SUBJECT_TEXT)
    return set(_words(" ".join((report["narrative"], subjects, report.get("handler_notes") or ""))))


def _matches(report: dict[str, Any], text: str) -> bool:
    words = _words(text)
    have = _searchable(report)
    return all(w in have for w in words[:-1]) and any(h.startswith(words[-1]) for h in have)


def _behaviour(code: str) -> Callable[[dict[str, Any]], bool]:
    return lambda r: code in r["behaviours"]


FILTERS: list[tuple[str, QueueFilter, Callable[[dict[str, Any]], bool]]] = [
    ("everything", QueueFilter(), lambda r: True),
    ("status new", QueueFilter(status="new"), lambda r: r["_status"] == "new"),
    ("status referred", QueueFilter(status="referred"), lambda r: r["_status"] == "referred"),
    ("channel phone", QueueFilter(channel="phone"), lambda r: r["channel"] == "phone"),
    ("channel online", QueueFilter(channel="online"), lambda r: r["channel"] == "online"),
    ("force metropolitan", QueueFilter(force="metropolitan"), lambda r: _force(r) == "metropolitan"),
    ("force kent", QueueFilter(force="kent"), lambda r: _force(r) == "kent"),
    ("force west-midlands", QueueFilter(force="west-midlands"), lambda r: _force(r) == "west-midlands"),
    *[(f"behaviour {code}", QueueFilter(behaviour_bit=bit), _behaviour(code)) for code, bit in BEHAVIOUR_BITS.items()],
    ("assigned ben", QueueFilter(assigned_to="ben"), lambda r: r["_assigned_to"] == "ben"),
    ("search whitfield", QueueFilter(search="whitfield"), lambda r: _matches(r, "whitfield")),
    ("search prefix", QueueFilter(search="constab"), lambda r: _matches(r, "constab")),
    ("search without accents", QueueFilter(search="cafe"), lambda r: _matches(r, "café")),
    ("search two words", QueueFilter(search="cash police"), lambda r: _matches(r, "cash police")),
    ("search and channel", QueueFilter(channel="phone", search="money"),
     lambda r: r["channel"] == "phone" and _matches(r, "money")),
    ("search quotes", QueueFilter(search='"caller" OR'), lambda r: _matches(r, "caller or")),
]


def _date_filters(reports: list[dict[str, Any]]) -> list[tuple[str, QueueFilter, Callable[[dict[str, Any]], bool]]]:
    first = min(_received(r) for r in reports)
    lo = (first + timedelta(days=30)).date()
    hi = (first + timedelta(days=75)).date()

    def midnight(day: Any) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    return [
        ("from", QueueFilter(received_from=lo.isoformat()), lambda r: _received(r) >= midnight(lo)),
        ("to", QueueFilter(received_to=hi.isoformat()), lambda r: _received(r) < midnight(hi)),
        ("between, phone, new", QueueFilter(received_from=lo.isoformat(), received_to=hi.isoformat(), channel="phone",
                                            status="new"),
         lambda r: midnight(lo) <= _received(r) < midnight(hi) and r["channel"] == "phone" and r["_status"] == "new"),
    ]


def test_filters_and_search_count_what_python_counts(queue_room: tuple[Session, list[dict[str, Any]]]) -> None:
    session, reports = queue_room
    nonzero = 0
    for name, flt, wanted in FILTERS + _date_filters(reports):
        expected = [r["reference"] for r in reports if wanted(r)]
        view = QueueView(session, flt, "reference", False)
        assert view.count() == len(expected), name
        got = [row.reference for row in view.page(0, 1000)]
        assert got == sorted(expected), name
        nonzero += bool(expected) and len(expected) < len(reports)
    assert nonzero == len(FILTERS) + 2  # each filter (bar 'everything') picked some reports, not all


_NULLS_FIRST = (0,)


def _sort_value(sort: str, row: QueueRow) -> tuple[Any, ...]:
    value: Any = {
        "reference": row.reference,
        "received": row.received_at,
        "channel": row.channel,
        "force": row.force_code,
        "behaviours": row.behaviours,
        "status": row.status,
        "priority": {"urgent": 0, "high": 1}.get(row.priority, 2),
        "red_flags": row.red_flags,
        "assigned": row.assigned_to,
    }[sort]
    return _NULLS_FIRST if value is None else (1, value)  # SQLite puts NULL first ascending


@pytest.mark.parametrize("sort", list(queue_store.SORTS))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("walk", [False, True], ids=["planner", "walk"])
def test_every_sort_pages_without_overlap(
    queue_room: tuple[Session, list[dict[str, Any]]], sort: str, descending: bool, walk: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session, reports = queue_room
    if walk:  # as for a large set: walk the sort's own index (demo sets are all small)
        monkeypatch.setattr(queue_store, "SMALL", 0)
    by_time = "received_at" in queue_store.SORTS[sort] and sort != "received"
    filters = (QueueFilter(), QueueFilter(channel="online"), QueueFilter(search="police", status="new"),
               QueueFilter(behaviour_bit=1, received_from="2026-01-01"))
    for flt in filters:
        view = QueueView(session, flt, sort, descending)
        total = view.count()
        assert total > 20
        rows: list[QueueRow] = []
        for offset in range(0, total + 37, 37):
            page = view.page(offset, 37)
            assert len(page) == min(37, max(0, total - offset))
            rows += page
        keys = [row.key for row in rows]
        assert len(keys) == len(set(keys)) == total
        # Ties in the sort column: the time received, then the id, in the same direction.
        expected = sorted(
            rows, key=lambda row: (_sort_value(sort, row), row.received_at if by_time else "", row.key), reverse=descending
        )
        assert [row.key for row in expected] == keys, (sort, descending, flt)
    assert len({_sort_value(sort, row) for row in QueueView(session, QueueFilter(), sort).page(0, 1000)}) > 1


@pytest.mark.parametrize("sort", list(queue_store.SORTS))
def test_a_page_of_a_large_set_walks_one_covering_index(queue_room: tuple[Session, list[dict[str, Any]]], sort: str) -> None:
    """No table scan and no sort of the reports, whatever the filter: the order comes from
    the index walked (the sort's own, or the time received within each group of a grouped
    sort), the filter is tested on it (it holds every filtered column), rows are read only
    for the page. A count, and a grouped sort's count of its groups, walk a narrow covering
    index, never the table."""
    session, _ = queue_room

    def plan(sql: str, params: list[Any]) -> str:
        return " | ".join(row[3] for row in session.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))

    for flt in (QueueFilter(), QueueFilter(status="new", channel="phone", force="kent", assigned_to="ana", behaviour_bit=3,
                                           received_from="2026-01-01", received_to="2026-02-01", search="police car")):
        for descending in (False, True):
            if queue_store.grouped(sort, queue_store.SMALL + 1):
                sql, params = queue_store.group_page_query(flt, sort, descending)
                page_plan, index = plan(sql, ["a value", *params, 50, 5000]), "reports_received"
                groups_sql, params = queue_store.group_counts_query(flt, sort, descending)
                groups_plan = plan(groups_sql, params)
                assert "USING COVERING INDEX reports_received" in groups_plan, groups_plan
            else:
                sql, params = queue_store.page_query(flt, sort, descending, queue_store.SMALL + 1)
                page_plan, index = plan(sql, [*params, 50, 5000]), queue_store.WALKED[sort]
            assert re.search(rf"USING (COVERING )?INDEX {index}\b", page_plan), page_plan
            assert "TEMP B-TREE" not in page_plan, page_plan
        sql, params = queue_store.count_query(flt)
        count_plan = plan(sql, params)
        assert "USING COVERING INDEX" in count_plan and "TEMP B-TREE" not in count_plan, count_plan


def test_a_grouped_sort_counts_its_groups_again_when_the_queue_is_refreshed(
    queue_room: tuple[Session, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    session, _ = queue_room
    monkeypatch.setattr(queue_store, "SMALL", 0)  # group by group, as for a large set
    view = QueueView(session, QueueFilter(), "status", descending=False)
    total = view.count()
    last = view.page(total - 1, 1)[0]
    assert last.status != "awaiting_approval"  # sorts after it
    session.conn.execute("UPDATE reports SET status = 'awaiting_approval' WHERE id = ?", (last.key,))
    try:
        assert view.count() == total  # the refresh
        rows = [row for offset in range(0, total, 37) for row in view.page(offset, 37)]
        assert len(rows) == len({row.key for row in rows}) == total  # none lost between pages, none twice
        statuses = [row.status for row in rows]
        assert statuses == sorted(statuses)
        first_group = [row.key for row in view.page(0, statuses.count("awaiting_approval"))]
        assert last.key in first_group
    finally:
        session.conn.execute("UPDATE reports SET status = ? WHERE id = ?", (last.status, last.key))


def test_an_unknown_sort_is_refused(queue_room: tuple[Session, list[dict[str, Any]]]) -> None:
    with pytest.raises(ValueError):
        QueueView(queue_room[0], QueueFilter(), "document")
