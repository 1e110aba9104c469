"""Red-flag extraction: CPU microseconds a report, by stage.

The import itself reads no report's words for red flags any more (issue 16: it must not
slow by more than 10 %): it stores each bundle pending, and the indexing after it
(services/redflags/indexing.py; bench/import.py times it) runs these stages on every
report, on the import bench's own demo reports and on the red-flag corpus
(bench/redflags_corpus.py: reports dense with plates, phones and numbers):

- ``structured``: the reporter object, subject fields, when/where, descriptions;
- ``subject_rows``: the people of the subject fields;
- ``free_text``: identifiers in the narrative and the handler's notes;
- ``narrative_rows``: officers the narrative names.

CPU time (time.process_time), best of a few passes: the bench machine is shared.

    python bench/redflags_extract.py [reports]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from redflags_corpus import make_corpus

from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.services.redflags.extract import free_text, structured
from hotline_tui.services.redflags.people import narrative_rows, subject_rows
from hotline_tui.services.triage.force_hints import match_force_hint

PASSES = 5


def _text(doc: dict[str, Any], key: str) -> str:
    value = doc.get(key)
    return value if isinstance(value, str) else ""


def _stages(docs: list[dict[str, Any]]) -> dict[str, Callable[[], object]]:
    hints = [match_force_hint(d.get("force_hint") or "") for d in docs]
    pairs = list(zip(docs, hints, strict=True))
    texts = [(_text(d, "narrative"), _text(d, "handler_notes"), h) for d, h in pairs]
    return {
        "structured": lambda: [structured(d, h) for d, h in pairs],
        "subject_rows": lambda: [subject_rows(d, h) for d, h in pairs],
        "free_text": lambda: [free_text(n, notes, h) for n, notes, h in texts],
        "narrative_rows": lambda: [narrative_rows(n, notes, h, []) for n, notes, h in texts],
    }


def _best(run: Callable[[], object]) -> float:
    run()  # warm: compiled patterns, phonenumbers' metadata
    best = float("inf")
    for _ in range(PASSES):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def measure(name: str, docs: list[dict[str, Any]]) -> None:
    figures = {stage: _best(run) * 1e6 / len(docs) for stage, run in _stages(docs).items()}
    cells = "  ".join(f"{stage} {us:6.1f}" for stage, us in figures.items())
    print(f"{name:8s} {len(docs):6,} reports  µs/report CPU: {cells}  total {sum(figures.values()):6.1f}")


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    demo = generate_reports(count, seed=100, start=datetime(2025, 1, 1, tzinfo=UTC),
                            end=datetime(2026, 3, 1, tzinfo=UTC), hostile=False)
    measure("demo", demo)
    measure("corpus", make_corpus(count).reports[:count])
    return 0


if __name__ == "__main__":
    sys.exit(main())
