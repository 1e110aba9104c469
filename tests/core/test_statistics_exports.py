"""Both exports of the statistics from the hand-built history: the internal one exact, the
publication under disclosure control over whole months with no day-level date; each file
signed by the room's key and checked by stock minisign; both audited."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from corekit import Room
from statshistory import QUARTER, build_history

from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import compute
from hotline_tui.services.statistics.disclosure import set_threshold
from hotline_tui.services.statistics.export import export_statistics
from hotline_tui.services.statistics.publication import export_publication, whole_months


@pytest.fixture
def history(room: Room, officer: Session) -> Session:
    build_history(officer)
    return officer


def stock_minisign_verifies(session: Session, path: Path, tmp_path: Path) -> str:
    pub = session.conn.execute("SELECT public_text FROM room_keys WHERE kind = 'signing' AND active = 1").fetchone()[0]
    (tmp_path / "room.pub").write_text(pub)
    minisign = shutil.which("minisign")
    assert minisign, "the stock minisign is installed (Debian package minisign)"
    done = subprocess.run([minisign, "-Vm", path, "-p", tmp_path / "room.pub"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cells(path: Path) -> dict[tuple[str, str, str], str]:
    with path.open(encoding="utf-8") as handle:
        return {(r["table"], r["code"] or r["row"], r["column"]): r["value"] for r in csv.DictReader(handle)}


def test_the_internal_export_is_exact_and_signed(history: Session, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    written = export_statistics(history, compute(history, QUARTER), stick)
    names = sorted(p.name for p in written.paths)
    stem = "statistics-2026-01-01-to-2026-03-31"
    assert names == sorted(n for f in (f"{stem}.csv", f"{stem}-tables.csv", f"{stem}.txt") for n in (f, f + ".minisig"))
    for path in written.paths:
        if not path.name.endswith(".minisig"):
            said = stock_minisign_verifies(history, path, tmp_path)
            assert "kind=internal from=2026-01-01 to=2026-03-31" in said and f"file={path.name}" in said
    table = cells(stick / f"{stem}-tables.csv")
    assert table[("answer", "reported", "Officers")] == "4" and table[("answer", "dismissed", "Reports")] == "2"
    assert table[("timeliness", "dismissed", "O. median")] == "56"  # per officer first; exact, however small
    assert "Essex Police: 1 of 2 sent unanswered, the oldest for 31 days" in (stick / f"{stem}.txt").read_text()
    entry = history.conn.execute("SELECT reason FROM audit WHERE action = 'statistics.exported'").fetchone()[0]
    assert f"{stem}-tables.csv" in entry and "internal, exact" in entry
    with pytest.raises(Refused, match="already on that medium"):
        export_statistics(history, compute(history, QUARTER), stick)


def test_the_publication_hides_small_counts_and_what_would_reveal_them(history: Session, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    written = export_publication(history, QUARTER, stick)
    stem = "statistics-2026-01-to-2026-03-publication"
    assert sorted(p.name for p in written.paths) == [f"{stem}.csv", f"{stem}.csv.minisig", f"{stem}.txt",
                                                     f"{stem}.txt.minisig"]
    for name in (f"{stem}.csv", f"{stem}.txt"):
        said = stock_minisign_verifies(history, stick / name, tmp_path)
        assert "kind=publication from=2026-01 to=2026-03 threshold=5" in said
        assert not re.search(r"\d{4}-\d{2}-\d{2}", (stick / name).read_text()), "no date finer than a month"
    table = cells(stick / f"{stem}.csv")
    assert table[("answer", "reported", "Reports")] == "7"  # 5 or more: shown
    assert table[("answer", "reported", "Officers")] == "fewer than 5"
    assert table[("answer", "criminal", "Reports")] == "fewer than 5"
    assert table[("answer", "misconduct", "Officers")] == "fewer than 5"
    # by month received: 3, 2 and 2 reports, each fewer than 5; the total, 7, is shown
    assert [table[("by_month", m, "Reports")] for m in ("2026-01", "2026-02", "2026-03", "Total")] == \
        ["fewer than 5"] * 3 + ["7"]
    # referred: kent 3, essex 2 (each fewer), 5 in all; force x month: kent 2 + 1, essex 1 + 1
    assert table[("by_force", "Total", "Referred")] == "5" and table[("by_force", "kent", "Referred")] == "fewer than 5"
    assert table[("timeliness", "referred", "O. median")] == "withheld"  # days over 3 officers
    assert table[("timeliness", "referred", "Reports")] == "5" and table[("timeliness", "referred", "R. median")] == "4"
    assert written.hidden > 20
    entry = history.conn.execute("SELECT reason FROM audit WHERE action = 'statistics.published'").fetchone()[0]
    assert "threshold 5" in entry and f"{stem}.csv" in entry


def test_a_lower_threshold_set_by_a_supervisor_shows_more(room: Room, history: Session, tmp_path: Path) -> None:
    sam = room.unlock("sam")
    set_threshold(sam, 2)
    (tmp_path / "stick").mkdir()
    export_publication(sam, QUARTER, tmp_path / "stick")
    table = cells(tmp_path / "stick" / "statistics-2026-01-to-2026-03-publication.csv")
    assert table[("answer", "reported", "Officers")] == "4"
    assert table[("answer", "criminal", "Reports")] == "fewer than 2"


def test_whole_months_only() -> None:
    assert whole_months(QUARTER) == QUARTER
    part = whole_months(replace(QUARTER, start=date(2026, 1, 3), end=date(2026, 3, 20)))
    assert (part.start, part.end) == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(Refused, match="whole months"):
        whole_months(replace(QUARTER, start=date(2026, 1, 3), end=date(2026, 1, 30)))


def test_an_analyst_exports_nothing(room: Room, history: Session, tmp_path: Path) -> None:
    ann = room.unlock("ann")
    with pytest.raises(PermissionDenied):
        export_publication(ann, QUARTER, tmp_path)
