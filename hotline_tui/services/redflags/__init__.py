"""Red flags: joining reports about the same person from what reporters actually say.

- extract.py (with numbers, vehicles, contacts, people): identifiers and named officers
  in every field of a report, at import;
- index.py: keeping the subject index and the identifiers table;
- matching.py: scoring two subjects as one person, a name weighed by how common it is in
  the room (commonness.py); moves.py: the force a report says an officer came from;
  candidates.py: candidates with reasons that quote both reports; links.py: the
  analyst's verdicts;
- tokens.py: keyed one-way tokens that outlive retention;
- subject_file.py: everything the room holds about one person; escalation.py: when
  independent reports about one person reach the threshold.
"""

from hotline_tui.services.redflags.candidates import SAME_PERSON, SAME_REPORTER, Candidate, candidates
from hotline_tui.services.redflags.index import (
    SubjectLike,
    ensure_indexed,
    index_assessed,
    index_new_reports,
    reports_not_indexed,
)
from hotline_tui.services.redflags.links import confirmed_links, decide_link
from hotline_tui.services.redflags.matching import THRESHOLD, score_pair

__all__ = [
    "SAME_PERSON", "SAME_REPORTER", "THRESHOLD", "Candidate", "SubjectLike", "candidates", "confirmed_links",
    "decide_link", "ensure_indexed", "index_assessed", "index_new_reports", "reports_not_indexed", "score_pair",
]
