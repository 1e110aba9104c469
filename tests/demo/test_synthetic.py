"""The synthetic report generator: valid, deterministic, realistic enough to exercise the room."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from hotline_tui.demo import synthetic
from hotline_tui.demo.synthetic import (
    FORCES,
    HOSTILE_KINDS,
    REPEAT_OFFICERS,
    generate_attachments,
    generate_outcomes,
    generate_reports,
    generate_reports_with_truth,
    hostile_positions,
)
from import_export.documents import BEHAVIOURS, parse_timestamp, validate_outcome, validate_report

START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 3, 1, tzinfo=UTC)
COUNT = 3_000
KNOWN_FIELDS = {
    "report_id", "reference", "channel", "received_at", "reporter", "subjects", "force_hint",
    "behaviours", "narrative", "when", "where", "handler_notes", "attachments",
}
SENTENCE_END = re.compile(r"(?<=[a-z0-9')])[.!?](?= |$)")
OFFICERS = {officer.key: officer for officer in REPEAT_OFFICERS}
NEXT_STATUS = {
    "received": {"assessed_no_further_action", "investigation_opened"},
    "investigation_opened": {"misconduct_proceedings", "criminal_proceedings", "closed", "resigned_or_retired"},
    "misconduct_proceedings": {"dismissed", "resigned_or_retired", "other_outcome"},
    "criminal_proceedings": {"dismissed"},
    "other_outcome": {"closed"},
}


@pytest.fixture(scope="module")
def generated() -> tuple[list[dict[str, Any]], dict[str, str]]:
    return generate_reports_with_truth(COUNT, seed=7, start=START, end=END)


@pytest.fixture(scope="module")
def reports(generated: tuple[list[dict[str, Any]], dict[str, str]]) -> list[dict[str, Any]]:
    return generated[0]


@pytest.fixture(scope="module")
def truth(generated: tuple[list[dict[str, Any]], dict[str, str]]) -> dict[str, str]:
    return generated[1]


class TestReports:
    def test_every_report_is_valid(self, reports: list[dict[str, Any]]) -> None:
        """Each report passes the same validation a bundle import applies."""
        assert len(reports) == COUNT
        for report in reports:
            validate_report(report)

    def test_the_same_seed_gives_the_same_reports(self) -> None:
        """Deterministic for a seed, different for another."""
        first = generate_reports(400, seed=11, start=START, end=END)
        again = generate_reports(400, seed=11, start=START, end=END)
        other = generate_reports(400, seed=12, start=START, end=END)
        assert json.dumps(first) == json.dumps(again)
        assert [r["report_id"] for r in first] != [r["report_id"] for r in other]

    def test_ids_references_and_times(self, reports: list[dict[str, Any]]) -> None:
        """Unique ids, sequential unique references, times in order within the window."""
        assert len({r["report_id"] for r in reports}) == COUNT
        numbers = [int(r["reference"].rsplit("-", 1)[1]) for r in reports]
        assert numbers == list(range(1, COUNT + 1))
        assert all(r["reference"].startswith(("PAC-2025-", "PAC-2026-")) for r in reports)
        times = [parse_timestamp(r["received_at"]) for r in reports]
        assert all(r["received_at"].endswith("Z") for r in reports)
        assert times == sorted(times)
        assert START <= times[0] and times[-1] < END
        assert times[-1] - times[0] > (END - START) * 0.95

    def test_channels_follow_the_published_figures(self, reports: list[dict[str, Any]]) -> None:
        """About 1,988 calls to 890 online reports."""
        phone = sum(r["channel"] == "phone" for r in reports) / COUNT
        assert abs(phone - 1988 / 2878) < 0.03
        notes = [r for r in reports if "handler_notes" in r]
        assert notes and all(r["channel"] == "phone" for r in notes if not r["handler_notes"].startswith("Caller read"))

    def test_every_behaviour_occurs_and_some_reports_choose_none(self, reports: list[dict[str, Any]]) -> None:
        counts = Counter(b for r in reports for b in r["behaviours"])
        assert set(counts) == set(BEHAVIOURS)
        assert any(r["behaviours"] == [] for r in reports)
        assert all(len(set(r["behaviours"])) == len(r["behaviours"]) for r in reports)

    def test_subjects(self, reports: list[dict[str, Any]]) -> None:
        """One to three subjects with every role and the service's ranks."""
        ordinary = [r for i, r in enumerate(reports) if i not in hostile_positions(COUNT)]
        assert {len(r["subjects"]) for r in ordinary} == {1, 2, 3}
        subjects = [s for r in ordinary for s in r["subjects"]]
        assert {s["role"] for s in subjects} == {"officer", "staff", "volunteer", "unknown"}
        ranks = {s.get("rank") for s in subjects}
        assert {"PC", "DC", "PS", "DS", "Insp", "Ch Insp", "Supt", "PCSO", "Special Constable"} <= ranks
        for field in ("name", "collar_number", "station", "force_hint", "description"):
            assert any(field in s for s in subjects), field

    def test_force_hints_name_real_forces_mostly(self, reports: list[dict[str, Any]]) -> None:
        names = {name for _code, name in FORCES}
        hints = Counter(r.get("force_hint") for r in reports)
        named = sum(n for hint, n in hints.items() if hint in names)
        assert 0.45 < named / COUNT < 0.75
        assert hints["Metropolitan Police Service"] + hints["the Met"] > COUNT * 0.1
        assert hints[None] > 0

    def test_narratives_are_a_few_sentences(self, reports: list[dict[str, Any]]) -> None:
        ordinary = [r for i, r in enumerate(reports) if i not in hostile_positions(COUNT)]
        for report in ordinary:
            narrative = report["narrative"]
            assert "{" not in narrative and "}" not in narrative
            sentences = len(SENTENCE_END.findall(narrative))
            assert 1 <= sentences <= 6, narrative
            assert narrative[0].isupper(), narrative

    def test_reporters_are_mostly_anonymous(self, reports: list[dict[str, Any]]) -> None:
        """About 70% absent or anonymous; the rest leave details, sometimes in the narrative too."""
        detailed = [r for r in reports if r.get("reporter") and "anonymous" not in r["reporter"]]
        assert abs(len(detailed) / COUNT - 0.30) < 0.04
        assert any("reporter" not in r for r in reports)
        assert any(r.get("reporter") == {"anonymous": True} for r in reports)
        fields = Counter(field for r in detailed for field in r["reporter"])
        assert {"name", "phone", "email", "relationship", "consent_to_contact"} <= set(fields)
        own_phone = [r for r in detailed if r["reporter"].get("phone", "\0") in r["narrative"]]
        assert len(own_phone) > 10
        how = ("I work with", "my partner", "My sister", "my brother-in-law", "I live two doors", "same team")
        assert sum(any(p.lower() in r["narrative"].lower() for p in how) for r in detailed) > 20

    def test_reporter_details_are_reserved_fiction(self, reports: list[dict[str, Any]]) -> None:
        """Drama-reserved phone numbers and example domains only."""
        for report in reports:
            reporter = report.get("reporter") or {}
            if "phone" in reporter:
                digits = reporter["phone"].replace(" ", "").replace("+44", "0")
                assert digits[:8] in ("07700900", "01134960", "02079460", "01614960"), digits
            if "email" in reporter:
                assert reporter["email"].split("@")[1] in ("example.com", "example.org", "example.net")

    def test_ordinary_reports_carry_only_the_format_fields(self, reports: list[dict[str, Any]]) -> None:
        """Nothing about the ground truth leaks into the documents."""
        hostile = hostile_positions(COUNT)
        for index, report in enumerate(reports):
            if index not in hostile:
                assert set(report) <= KNOWN_FIELDS

    def test_arguments(self) -> None:
        assert generate_reports(0, start=START, end=END) == []
        small = generate_reports(3, start=START, end=START)
        assert len(small) == 3 and all(validate_report(r) for r in small)
        naive = generate_reports(5, start=datetime(2025, 1, 1), end=datetime(2025, 2, 1))
        assert all(r["received_at"].startswith("2025-01") for r in naive)
        with pytest.raises(ValueError):
            generate_reports(5, start=END, end=START)
        later = generate_reports(2, start=START, end=END, reference_start=4211, hostile=False)
        assert later[0]["reference"] == "PAC-2025-004211"


class TestRepeatOfficers:
    def test_about_twelve_officers_each_two_to_five_times(self, truth: dict[str, str]) -> None:
        counts = Counter(truth.values())
        assert len(counts) == len(REPEAT_OFFICERS) == 12
        assert all(2 <= n <= 5 for n in counts.values())
        assert synthetic.repeat_officers() == REPEAT_OFFICERS

    def test_reports_name_them_with_variations(self, reports: list[dict[str, Any]], truth: dict[str, str]) -> None:
        by_id = {r["report_id"]: r for r in reports}
        names: dict[str, list[str]] = defaultdict(list)
        for report_id, key in truth.items():
            subject = by_id[report_id]["subjects"][0]
            officer = OFFICERS[key]
            assert subject["name"] in officer.name_variants()
            assert subject.get("collar_number", officer.collar_number) == officer.collar_number
            assert subject.get("station", officer.stations[0]) in officer.stations
            names[key].append(subject["name"])
            assert subject["name"] in by_id[report_id]["narrative"]
        for key, seen in names.items():
            assert seen[0] == OFFICERS[key].name_variants()[0]
            assert len(set(seen)) >= 2, key
        variants = {name.split()[0] for seen in names.values() for name in seen}
        assert any(v.endswith(".") for v in variants), "initials"
        assert {"Dave", "Mike"} & variants, "nicknames"

    def test_truth_is_stable_and_independent_of_hostile(self, truth: dict[str, str]) -> None:
        again = generate_reports_with_truth(COUNT, seed=7, start=START, end=END, hostile=False)[1]
        assert again == truth

    def test_small_sets_plant_fewer_officers(self) -> None:
        reports, truth = generate_reports_with_truth(40, start=START, end=END)
        assert len(truth) <= 10
        assert all(2 <= n <= 5 for n in Counter(truth.values()).values())


class TestHostile:
    def test_every_kind_is_present(self, reports: list[dict[str, Any]]) -> None:
        positions = hostile_positions(COUNT)
        assert sorted(positions.values()) == sorted(HOSTILE_KINDS)
        text = json.dumps(reports, ensure_ascii=False)
        for marker in ("[@click=app.quit]x[/]", "[bold red]fake[/]", "\x1b]52;c;SGVsbG8=\x07", "\x1b[2J\x1b[H",
                       "\u202e", "\u200b"):
            assert json.dumps(marker, ensure_ascii=False)[1:-1] in text, repr(marker)

    def test_limits_are_reached_not_passed(self, reports: list[dict[str, Any]]) -> None:
        assert max(len(r["narrative"]) for r in reports) == 100_000
        names = [s.get("name", "") for r in reports for s in r["subjects"]]
        assert max(len(n) for n in names) == 2_000
        assert any(set(r) - KNOWN_FIELDS for r in reports)

    def test_without_hostile_only_those_reports_change(self, reports: list[dict[str, Any]]) -> None:
        tame = generate_reports(COUNT, seed=7, start=START, end=END, hostile=False)
        positions = hostile_positions(COUNT)
        for index, (a, b) in enumerate(zip(reports, tame, strict=True)):
            assert (a == b) is (index not in positions)
        assert "[@click" not in json.dumps(tame)
        assert max(len(r["narrative"]) for r in tame) < 2_000


class TestAttachments:
    def test_files_match_each_report(self, reports: list[dict[str, Any]]) -> None:
        files = generate_attachments(reports)
        listed = {
            f"attachments/{r['report_id']}/{a['path']}": a["media_type"] for r in reports for a in r["attachments"]
        }
        assert 20 < len(listed) == len(files)
        assert set(files) == set(listed)
        for member, data in files.items():
            assert len(member) <= 200 and 0 < len(data) < 10_000
            if listed[member] == "image/png":
                assert data.startswith(b"\x89PNG\r\n\x1a\n")
                idat = data.index(b"IDAT")
                length = int.from_bytes(data[idat - 4:idat], "big")
                assert len(zlib.decompress(data[idat + 4:idat + 4 + length])) == 12 * (1 + 16 * 3)
            else:
                data.decode("utf-8")
        assert {"image/png", "text/plain"} == set(listed.values())
        assert generate_attachments(reports) == files


class TestOutcomes:
    def referrals(self, count: int) -> list[tuple[str, str, datetime]]:
        reports = generate_reports(count, seed=3, start=START, end=END, hostile=False)
        codes = [code for code, _name in FORCES]
        return [(r["report_id"], codes[i % len(codes)], parse_timestamp(r["received_at"])) for i, r in enumerate(reports)]

    def test_outcomes_are_valid_and_progress_in_order(self) -> None:
        referrals = self.referrals(400)
        outcomes = generate_outcomes(referrals, seed=5)
        assert outcomes == generate_outcomes(referrals, seed=5)
        referred = {rid: at for rid, _force, at in referrals}
        by_referral: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for outcome in outcomes:
            validate_outcome(outcome)
            assert date.fromisoformat(outcome["date"]) > referred[outcome["referral_id"]].date()
            by_referral[outcome["referral_id"]].append(outcome)
        assert set(by_referral) == set(referred)
        for steps in by_referral.values():
            statuses = [o["status"] for o in steps]
            assert statuses[0] == "received"
            for earlier, later in zip(steps, steps[1:], strict=False):
                assert later["status"] in NEXT_STATUS[earlier["status"]]
                assert later["date"] > earlier["date"]
        finals = Counter(steps[-1]["status"] for steps in by_referral.values())
        assert {"assessed_no_further_action", "dismissed", "resigned_or_retired", "closed", "received"} <= set(finals)

    def test_nothing_dated_after_today(self) -> None:
        referrals = self.referrals(200)
        today = max(at for _rid, _force, at in referrals).date() + timedelta(days=30)
        outcomes = generate_outcomes(referrals, seed=5, today=today)
        assert outcomes and all(date.fromisoformat(o["date"]) <= today for o in outcomes)


def test_forces_agree_with_the_room_reference() -> None:
    """The generator's own copy of the 48 forces matches the room's reference data."""
    assert len(FORCES) == 48 and len({code for code, _ in FORCES}) == 48
    reference = pytest.importorskip("hotline_tui.reference")
    assert {(f.code, f.name) for f in reference.forces()} == set(FORCES)


def test_no_textual_import() -> None:
    code = "import sys, hotline_tui.demo.synthetic; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_hundred_thousand_reports() -> None:
    """The benchmark size completes (timing is the benchmarks' business)."""
    reports = generate_reports(100_000, seed=1, start=START, end=END)
    assert len(reports) == 100_000
    assert len({r["report_id"] for r in reports}) == 100_000
    for report in reports[::997]:
        validate_report(report)
