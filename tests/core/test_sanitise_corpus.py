"""The sanitiser against corpora: every disguised leak caught, clean summaries left alone.

Prints, per family, how many disguised details were blocked and warned, and for the
clean summaries how many were blocked and warned (the false-alarm rates).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime
from typing import Any

import pytest
from sanitise_corpus import CLEAN, DISGUISED, REPORTS

from hotline_tui.demo.history import SUMMARIES
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.services.sanitiser import sanitisation_flags

# A warning on a clean summary costs the analyst an answer; more than this and they
# stop reading them.
CLEAN_WARNED_AT_MOST = 0.05


def _verdict(text: str, report: str) -> str:
    flags = sanitisation_flags(text, REPORTS[report])
    if any(f.blocking for f in flags):
        return "block"
    return "warn" if flags else "pass"


def test_every_disguised_detail_is_blocked_or_warned() -> None:
    tally: dict[str, Counter[str]] = {}
    missed = []
    for family, report, text, expected in DISGUISED:
        verdict = _verdict(text, report)
        tally.setdefault(family, Counter())[verdict] += 1
        if verdict == "pass" or (expected == "block" and verdict != "block"):
            missed.append((family, text, expected, verdict))
    print("\nfamily                             cases  blocked  warned  passed")
    for family, counts in tally.items():
        print(f"{family:<34} {counts.total():5}  {counts['block']:7}  {counts['warn']:6}  {counts['pass']:6}")
    assert missed == [], missed
    assert len(tally) >= 14


def test_clean_summaries_are_never_blocked_and_rarely_warned() -> None:
    verdicts = {(report, text): _verdict(text, report) for report, text in CLEAN}
    counts = Counter(verdicts.values())
    warned = [(text, [f.message for f in sanitisation_flags(text, REPORTS[report])])
              for (report, text), verdict in verdicts.items() if verdict == "warn"]
    print(f"\nclean summaries: {len(CLEAN)}, blocked {counts['block']}, warned {counts['warn']} "
          f"({counts['warn'] / len(CLEAN):.1%})")
    for text, messages in warned:
        print(f"  warned: {text[:70]}… {messages}")
    assert counts["block"] == 0, [key for key, verdict in verdicts.items() if verdict == "block"]
    assert counts["warn"] / len(CLEAN) <= CLEAN_WARNED_AT_MOST
    assert len(CLEAN) >= 50


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_the_narratives_own_leaks_are_found_in_it(report: str) -> None:
    """The narrative names the reporter: the same checks over it find what they must."""
    narrative = REPORTS[report]["narrative"]
    reporter = REPORTS[report]["reporter"]
    flags = [f for f in sanitisation_flags(narrative, REPORTS[report]) if f.blocking]
    if "name" in reporter and reporter["name"].split()[0] in narrative:
        assert any("name" in f.message or "forename" in f.message for f in flags)


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|me|my|mine|we|us|our)\b", re.IGNORECASE)


def _demo_clean_cases(count: int) -> list[tuple[dict[str, Any], str]]:
    """The demo's invented reports (written apart from this sanitiser), each with a summary
    an analyst could write from it: its sentences about the subjects and events (none in
    the first person, none carrying a reporter's detail as written), then the demo's own
    summary for a referral."""
    reports = generate_reports(count, seed=1414, start=datetime(2025, 1, 1), end=datetime(2026, 1, 1), hostile=False)
    cases = []
    for report in reports:
        reporter = report.get("reporter") or {}
        if not reporter.get("name") and not reporter.get("email"):
            continue
        values = [str(v).casefold() for k, v in reporter.items() if k in ("name", "phone", "email")]
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", report["narrative"])
                     if not _FIRST_PERSON.search(s) and not any(v in s.casefold() for v in values)]
        summary = " ".join([*sentences[:3], SUMMARIES[random.Random(report["report_id"]).choice(sorted(SUMMARIES))]])
        cases.append((report, summary))
    return cases


def test_the_demo_reports_summaries_are_never_blocked_and_rarely_warned() -> None:
    cases = _demo_clean_cases(600)
    blocked = [(s, [f.text for f in sanitisation_flags(s, r) if f.blocking]) for r, s in cases
               if any(f.blocking for f in sanitisation_flags(s, r))]
    warned = [(s, [(f.text, f.message) for f in sanitisation_flags(s, r)]) for r, s in cases if sanitisation_flags(s, r)]
    print(f"\ndemo reports with a named reporter: {len(cases)}, blocked {len(blocked)}, warned {len(warned)} "
          f"({len(warned) / len(cases):.1%})")
    for text, found in warned[:10]:
        print(f"  {text[:80]}… {found}")
    assert len(cases) >= 100
    assert blocked == []
    assert len(warned) / len(cases) <= CLEAN_WARNED_AT_MOST
