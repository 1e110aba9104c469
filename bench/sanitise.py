"""The sanitiser as the analyst types: a 2,000-character summary on a 100,000-character narrative.

Target: under 20 ms per check. Measures, on one report:

- first check: the report's profile (name forms, phone, the narrative's tells about the
  reporter) is built once per report and kept; printed apart;
- each keystroke after that: ``sanitisation_flags`` over the summary (one character
  changed each time, so no text is reused), and the whole check the assessment screen
  runs per keystroke (the flags, plus ``problems``, which checks the referral again);
- the same with a summary and a narrative full of accented and non-Latin letters, which
  take the slow path of folding.

    python bench/sanitise.py [keystrokes]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from typing import Any

from hotline_tui.demo import _text
from hotline_tui.services.sanitiser import sanitisation_flags
from hotline_tui.services.sanitiser.profile import _profile
from hotline_tui.services.triage.assessment import AssessmentForm, SubjectEntry, problems

NARRATIVE = 100_000
SUMMARY = 2_000


def _fill(template: str, rng: random.Random) -> str:
    values = {
        "who": "PC Gary Marsh", "Who": "PC Gary Marsh", "who2": "DS Ann Lowe", "Who2": "DS Ann Lowe", "He": "He", "he": "he",
        "him": "him", "his": "his", "His": "His", "She": "She", "she": "she", "her": "her", "her_": "her", "v": "woman",
        "town": rng.choice(["Halifax", "Hebden Bridge", "Todmorden"]), "station": "Halifax", "venue": "the Royal Oak",
        "amount": "£200", "force": "West Yorkshire Police", "year": "2025", "phone": "07700 900461",
        "email": "ros.featherstone@example.net", "rname": "Rosalind Featherstone",
    }
    return template.format(**values)


def _narrative(rng: random.Random, size: int, accented: bool) -> str:
    pool = [t for group in (_text.FIRST, _text.FOLLOW) for ts in group.values() for t in ts]
    pool += [t for ts in _text.KNOWS.values() for t in ts]
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        sentence = _fill(rng.choice(pool), rng)
        parts.append(sentence.replace("e", "é").replace("o", "ö") if accented else sentence)
    return " ".join(parts)[:size]


def _summary(rng: random.Random, accented: bool) -> str:
    pool = [_fill(t, rng) for ts in _text.FIRST.values() for t in ts]
    text = ""
    while len(text) < SUMMARY:
        text += rng.choice(pool) + " "
    text = text[:SUMMARY]
    return text.replace("a", "à").replace("Marsh", "Мarsh") if accented else text


def _report(narrative: str) -> dict[str, Any]:
    return {
        "report_id": "3f2a9c1e-5b7d-4c2a-9e8f-1a2b3c4d5e6f", "reference": "PAC-2026-004211",
        "reporter": {"name": "Rosalind Featherstone", "phone": "07700 900461", "email": "ros.featherstone@example.net"},
        "subjects": [{"role": "officer", "name": "PC Gary Marsh", "station": "Halifax"}], "narrative": narrative,
    }


def _times(check: Any, texts: list[str]) -> list[float]:
    found = []
    for text in texts:
        started = time.perf_counter()
        check(text)
        found.append((time.perf_counter() - started) * 1000)
    return found


def _line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    return (f"  {label:<44} median {statistics.median(ordered):6.2f} ms   95th {ordered[int(len(ordered) * 0.95)]:6.2f} ms"
            f"   max {ordered[-1]:6.2f} ms")


def run(keystrokes: int, accented: bool) -> None:
    rng = random.Random(14)
    report = _report(_narrative(rng, NARRATIVE, accented))
    summary = _summary(rng, accented)
    _profile.cache_clear()
    started = time.perf_counter()
    flags = sanitisation_flags(summary, report)
    first = (time.perf_counter() - started) * 1000
    texts = [summary[:i] + "x" + summary[i + 1 :] for i in rng.sample(range(len(summary)), keystrokes)]
    form = AssessmentForm(
        force="west-yorkshire", subjects=[SubjectEntry("officer", "Gary Marsh", "PC", "", "Halifax")],
        behaviours=["corruption"], categories=["disclosure_of_information"], source="2", intelligence="C",
        handling="P", summary=summary, decision="refer",
    )

    def screen_check(text: str) -> None:
        sanitisation_flags(text, report)
        form.summary = text
        problems(form, report)

    kind = "accented and Cyrillic letters" if accented else "plain English"
    print(f"{kind}: narrative {len(report['narrative']):,} chars, summary {len(summary):,} chars, {len(flags)} findings")
    print(f"  first check of the report (profile built)    {first:6.2f} ms")
    print(_line("sanitisation_flags per keystroke", _times(lambda t: sanitisation_flags(t, report), texts)))
    print(_line("the screen's whole check per keystroke", _times(screen_check, texts)))


def main() -> None:
    keystrokes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    print(f"{keystrokes} keystrokes each; target under 20 ms")
    run(keystrokes, accented=False)
    run(keystrokes, accented=True)


if __name__ == "__main__":
    main()
