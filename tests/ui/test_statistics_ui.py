"""Forces' outcomes, the statistics and their export, from the keyboard, on the demo room
with history: outcome bundles imported by the security officer (one naming another
force's referral refused, with the reason), every figure equal to counts taken straight
from the store, a figure opened to its reports and a report showing its outcomes, the
export scanned for report text; snapshots at a fixed size, data and period."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from statskit import history_room, history_template, media_of, open_as, report_texts, sealed_referrals, write_outcomes
from textual.widgets import DataTable, Static
from uikit import SIZE, open_session, settle, shown

from hotline_tui.app import HotlineApp
from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.intake.import_screen import ImportScreen
from hotline_tui.screens.statistics.statistics_drill import DrillScreen
from hotline_tui.screens.statistics.statistics_screen import StatisticsScreen
from hotline_tui.screens.triage.report_screen import ReportScreen
from hotline_tui.services.referrals.outcomes import history_text, import_outcomes, referrals_outcomes
from hotline_tui.services.statistics import Period, compute
from hotline_tui.services.statistics.export import export_statistics
from hotline_tui.widgets.paged_table import PagedTable

__all__ = ["history_room", "history_template"]  # fixtures


def table_rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def figure(rows: list[list[str]], section: str, label: str) -> int:
    found = [r for r in rows if r[0] == section and r[1] == label]
    assert len(found) == 1, (section, label)
    return int(found[0][2].replace(",", ""))


async def export_from_keyboard(room: DemoRoom, make_app: Callable[..., HotlineApp], stick: str, *choice: str) -> Path:
    """As the security officer: x, the export chosen by ``choice`` keys, the one medium ``stick``."""
    out = Path(stick)
    out.mkdir()
    app = make_app(room, media=[out])
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(pilot, "officer")
        for keys in (("x",), choice, ("enter",)):
            await pilot.press(*keys)
            await settle(pilot)
    return out


async def open_statistics(pilot, name: str) -> StatisticsScreen:  # type: ignore[no-untyped-def]
    await open_session(pilot, name)
    pilot.app.open_action("statistics")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StatisticsScreen)
    return screen


async def test_the_security_officer_imports_the_forces_outcome_bundles(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    officer = open_as(history_room, "officer")
    before = officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    officer.close()
    app = make_app(history_room, media=media_of(history_room))
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "officer")
        app.open_action("import_outcomes")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen) and screen.kind.unit == "outcomes"
        intake = table_rows(screen.query_one("#bundles", DataTable))
        # The report bundles are not listed here; the tampered one is (its explanation under the table).
        assert [r[3] for r in intake] == ["✘ the signature does not match the file"]
        screen.query_one("#media-list").focus()
        await pilot.press("down")  # the second medium: the forces' media
        await settle(pilot)
        listed = table_rows(screen.query_one("#bundles", DataTable))
        new = [r for r in listed if r[2] == "new"]
        assert new and all("signature valid" in r[3] for r in listed)
        await pilot.press("n")
        await settle(pilot)
        status = shown(screen.query_one("#progress-text", Static))
    officer = open_as(history_room, "officer")
    try:
        after = officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
        added = sum(int(r[4]) for r in new)
        assert status == f"Import finished: {len(new)} imported, 0 skipped, 0 refused, {added:,} outcomes added."
        assert after == before + added
        audited = officer.conn.execute("SELECT count(*) FROM audit WHERE action = 'outcomes.imported'").fetchone()[0]
        assert audited == officer.conn.execute("SELECT count(*) FROM import_bundles WHERE kind = 'outcomes'").fetchone()[0]
    finally:
        officer.close()


async def test_an_outcome_about_another_forces_referral_is_refused(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    officer = open_as(history_room, "officer")
    referrals = sealed_referrals(officer)
    officer.close()
    theirs, force = referrals[0]
    other = next(f for _, f in referrals if f != force)
    stick = Path("stick")
    write_outcomes(history_room, other, [{"referral_id": theirs, "status": "dismissed", "date": "2026-11-01"}], stick)
    app = make_app(history_room, media=[stick])
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "officer")
        app.open_action("import_outcomes")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        status = shown(app.screen.query_one("#progress-text", Static))
        result = shown(app.screen.query_one("#results", Static))
    assert status == "Import finished: 0 imported, 0 skipped, 1 refused, 0 outcomes added."
    assert f"referral {theirs} (HTR-" in result and ") was sent to" in result
    assert "a force reports only on its own referrals" in result
    assert "outcomes.jsonl line 1" in result or "line 1" in result
    officer = open_as(history_room, "officer")
    try:
        dismissed = officer.conn.execute(
            "SELECT count(*) FROM outcomes WHERE referral_id = ? AND status = 'dismissed' AND date = '2026-11-01'",
            (theirs,)).fetchone()[0]
        assert dismissed == 0
        refusal = officer.conn.execute("SELECT reason FROM audit WHERE action = 'bundle.refused'").fetchall()[-1][0]
        assert "a force reports only on its own referrals" in refusal
    finally:
        officer.close()


def direct_counts(history_room: DemoRoom, start: str, end: str) -> dict[str, object]:
    """The figures counted straight from the store, by the test."""
    session = open_as(history_room, "officer")
    try:
        conn = session.conn
        where = "r.received_at >= ? AND r.received_at < ?"
        channels = Counter(dict(conn.execute(f"SELECT channel, count(*) FROM reports r WHERE {where} GROUP BY 1",
                                             (start, end)).fetchall()))
        assessed = conn.execute(f"SELECT count(*) FROM reports r WHERE {where} AND status NOT IN ('new', 'in_assessment')",
                                (start, end)).fetchone()[0]
        sealed = conn.execute(f"SELECT f.referral_id, f.force_code FROM referrals f JOIN reports r"
                              f" ON r.report_id = f.report_id WHERE f.state = 'sealed' AND {where}", (start, end)).fetchall()
        ids = {rid for rid, _ in sealed}
        outcomes = Counter(s for rid, s in set(conn.execute("SELECT referral_id, status FROM outcomes")) if rid in ids)
        nfa = conn.execute(f"SELECT count(*) FROM reports r WHERE {where} AND status = 'no_further_action'",
                           (start, end)).fetchone()[0]
        flagged = conn.execute(f"SELECT count(*) FROM reports r WHERE {where} AND red_flags > 0", (start, end)).fetchone()[0]
        return {"channels": channels, "assessed": assessed, "passed_on": len(sealed), "outcomes": outcomes, "nfa": nfa,
                "by_force": Counter(f for _, f in sealed), "flagged": flagged}
    finally:
        session.close()


async def test_every_figure_equals_the_store_counted_directly(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    expected = direct_counts(history_room, "2025-12-01", "2026-11-21")
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_statistics(pilot, "officer")
        rows = table_rows(screen.query_one("#figures", DataTable))
    assert figure(rows, "Contacts", "By phone") == expected["channels"]["phone"]  # type: ignore[index]
    assert figure(rows, "Contacts", "Online") == expected["channels"]["online"]  # type: ignore[index]
    assert figure(rows, "Contacts", "All contacts") == sum(expected["channels"].values())  # type: ignore[attr-defined]
    assert figure(rows, "Assessment", "Reports assessed") == expected["assessed"]
    assert figure(rows, "Assessment", "No further action") == expected["nfa"]
    assert figure(rows, "Intelligence passed on", "Passed on to forces") == expected["passed_on"]
    by_force = {r[1]: int(r[2]) for r in rows if r[0] == "Passed on, by force"}
    assert sum(by_force.values()) == expected["passed_on"] and len(by_force) == len(expected["by_force"])  # type: ignore[arg-type]
    assert figure(rows, "Outcomes", "Investigations opened") == expected["outcomes"]["investigation_opened"]  # type: ignore[index]
    removals = figure(rows, "Outcomes", "Dismissed, resigned or retired")
    assert removals <= expected["outcomes"]["dismissed"] + expected["outcomes"]["resigned_or_retired"]  # type: ignore[index]
    assert figure(rows, "Red flags", "Joined by a confirmed red flag") == expected["flagged"]
    assert expected["passed_on"] and expected["outcomes"]  # the demo's history is there


async def test_a_figure_opens_to_its_reports_and_a_report_to_its_outcomes(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_statistics(pilot, "sam")
        await pilot.press("6")  # All figures
        rows = table_rows(screen.query_one("#figures", DataTable))
        index = next(i for i, r in enumerate(rows) if r[1] == "Investigations opened")
        table = screen.query_one("#figures", DataTable)
        table.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert drill.query_one(PagedTable).row_count == int(rows[index][2])
        await pilot.press("enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        history = shown(report.query_one("#outcomes", Static))
    assert "Investigation opened" in history and history.startswith("HTR-")


async def test_the_security_officer_cannot_open_a_report_from_a_figure(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(pilot, "officer")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)


async def test_the_export_holds_counts_and_no_report_text(
    history_room: DemoRoom, make_app: Callable[..., HotlineApp]
) -> None:
    out = await export_from_keyboard(history_room, make_app, "export-stick", "enter")  # internal: exact figures
    written = sorted(p.name for p in out.iterdir() if not p.name.endswith(".minisig"))
    stem = "statistics-2025-12-01-to-2026-11-20"
    assert written == [f"{stem}-tables.csv", f"{stem}.csv", f"{stem}.txt"]
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".minisig")) == [f"{n}.minisig" for n in written]
    exported = "\n".join((out / name).read_text("utf-8") for name in written)
    officer = open_as(history_room, "officer")
    try:
        texts = report_texts(officer)
        leaked = [t for t in texts if t in exported]
        audit = officer.conn.execute("SELECT reason FROM audit WHERE action = 'statistics.exported'").fetchone()[0]
    finally:
        officer.close()
    assert len(texts) > 500 and leaked == []
    assert "PAC-" not in exported and "HTR-" not in exported
    assert written[0] in audit and "signed" in audit
    assert "All contacts" in exported and "Investigations opened" in exported


def test_the_export_service_writes_what_the_screen_shows(history_room: DemoRoom) -> None:
    officer = open_as(history_room, "officer")
    try:
        stats = compute(officer, Period(date(2025, 12, 1), date(2026, 11, 20)))
        folder = Path("out")
        folder.mkdir()
        written = export_statistics(officer, stats, folder)
        lines = written.csv_path.read_text("utf-8").splitlines()
    finally:
        officer.close()
    assert lines[0] == "period_start,period_end,force,section,figure,code,count,median_days,p90_days"
    assert f"2025-12-01,2026-11-20,,Contacts,All contacts,,{stats.total_contacts}," in "\n".join(lines)
    assert written.figures == len(lines) - 1


def test_outcome_import_service_refuses_a_non_force_signer(history_room: DemoRoom) -> None:
    """A report bundle given to the outcome import is refused as the wrong kind, never stored."""
    officer = open_as(history_room, "officer")
    try:
        bundle = next(p for p in sorted(history_room.media.glob("*.tar.age")) if "reports" in p.name)
        summary = import_outcomes(officer, [bundle], quarantine=False)
    finally:
        officer.close()
    assert summary.refused == 1 and summary.imported == 0


def test_a_referrals_red_flags_carry_their_outcomes(history_room: DemoRoom) -> None:
    """The supervisor's review shows what became of the earlier referrals a referral links to."""
    sam = open_as(history_room, "sam")
    try:
        heard = sam.conn.execute("SELECT referral_id FROM outcomes ORDER BY id LIMIT 1").fetchone()[0]
        (earlier,) = referrals_outcomes(sam, [heard, "00000000-0000-4000-8000-000000000000"])
    finally:
        sam.close()
    assert earlier.referral_id == heard and earlier.history and history_text(earlier).startswith(earlier.reference)


async def test_a_forces_note_is_shown_literally(history_room: DemoRoom, make_app: Callable[..., HotlineApp]) -> None:
    officer = open_as(history_room, "officer")
    referral_id, force = sealed_referrals(officer)[0]
    key = officer.conn.execute("SELECT r.id FROM reports r JOIN referrals f ON f.report_id = r.report_id"
                               " WHERE f.referral_id = ?", (referral_id,)).fetchone()[0]
    note = "[bold red]Dismissed[/] [@click=app.quit]here[/] \x1b[31mred"
    write_outcomes(history_room, force, [{"referral_id": referral_id, "status": "closed", "date": "2026-11-19",
                                          "note": note}], Path("stick"))
    assert import_outcomes(officer, [Path("stick")]).imported == 1
    officer.close()
    app = make_app(history_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "sam")
        app.push_screen(ReportScreen(app.session, key))  # type: ignore[arg-type]
        await settle(pilot)
        history = shown(app.screen.query_one("#outcomes", Static))
    assert "2026-11-19  Closed: [bold red]Dismissed[/] [@click=app.quit]here[/] ␛[31mred" in history
