"""Scoring two subjects as one person: names, collar numbers, stations, forces, ranks.

Blocking keys, each cheap at 100,000 reports: the collar number (an index), and the
surname, exact or close (rapidfuzz over the distinct surnames: commonness.py). Every row
found is then scored field by field against each subject the analyst has.

A name is worth what its commonness in the store says (commonness.py): the fewer other
subjects would agree this well by chance (surname, forename or a nickname of it or an
initial that fits, rank, force, station), the stronger. "Dave Whitfield, PC, Kent" where
three subjects are called Whitfield joins on its own; "David Smith, PC, the Met" where
seven hundred are called Smith needs a collar number or station beside it. Besides:

- same collar number and force (strong); same collar number where a force is unknown;
  a different collar number in the same force counts against (less so across ranks: a
  promotion can bring a new number);
- a clearly different surname or forename, initial or rank counts against; a misspelt
  name is a slip of one letter or spelt as it sounds (Thomson, Thompson), not another
  name a letter or two away (Ormelby, Ormelbury; Nicola, Nicholas); a forename no list
  knows ("Smudge", a short form the lists lack) is neither for nor against;
- a different force counts against, except where the whole name (forename, or an initial
  that fits), spelt the same, and the rank (given in both) agree: the officer may have
  moved force and been given a new collar number. That is offered at lower strength,
  saying so, and only where the name is rare enough across every other force. Where a
  report says he came from the other force (moves.py), a surname and a rank that fits
  will do, weighed against that force's namesakes only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from hotline_tui.reference import force_by_code
from hotline_tui.services.redflags.commonness import NameStats
from hotline_tui.services.redflags.names import (
    PersonKey,
    coined_from,
    forenames_match,
    initial_fits,
    is_given_name,
    misspelt,
    pet_form,
)
from hotline_tui.store.subjects import IndexRow

THRESHOLD = 0.55
OFFER_AT = 0.4  # expected namesakes at which a name with what agrees beside it reaches the threshold
PER_HALVING = 0.1  # what a name gains each time its expected namesakes halve
NAME_MOST = 0.9
MISSPELT_SURNAME, NEAR_FORENAME = 2.0, 3.0  # a near spelling agrees less: as if that many times commoner
LONG_NAME = 6  # a forename a letter off is a slip only when long (Stephen, Stephan); Andy and Mandy are two names
SAME_START = 0.85  # Jaro-Winkler above which two different surnames do not count against
COLLAR_AND_FORCE, COLLAR_ONLY = 0.6, 0.35
COLLAR_CLASH, COLLAR_CLASH_ACROSS_RANKS = -0.4, -0.1
SURNAME_CLASH = -0.3
FORENAME_CLASH, INITIAL_CLASH = -0.4, -0.35  # another forename is another person, however rare the surname
FORCE_DIFFERENT, FORCE_MOVED = -0.2, -0.1
RANK_CLASH = -0.25
MAY_HAVE_MOVED = ": may have moved"


def _title(text: str) -> str:
    return " ".join("-".join(part.capitalize() for part in word.split("-")) for word in text.split())


def _force_name(code: str) -> str:
    force = force_by_code(code)
    return force.name if force else code


class _Pair:
    """What two subjects agree on: the expected namesakes, what counts against, and why."""

    def __init__(self, stats: NameStats) -> None:
        self.stats = stats
        self.namesakes = 1.0
        self.against = 0.0
        self.reasons: list[str] = []
        self.loose = False  # the forenames agree only as a slip, a pet form or an initial through one may

    def agree(self, share: float, reason: str) -> None:
        self.namesakes *= share
        self.reasons.append(reason)

    def clash(self, penalty: float) -> None:
        self.against += penalty


def _collar_score(q: PersonKey, q_force: str, c: IndexRow) -> tuple[float, str]:
    if not q.collar or q.collar != c.collar:
        return 0.0, ""
    if q_force and c.force:
        return (COLLAR_AND_FORCE, f"same collar number {q.collar} and force") if q_force == c.force else (0.0, "")
    return COLLAR_ONLY, f"same collar number {q.collar} (force not known for both)"


def _surname(q: PersonKey, c: IndexRow, pair: _Pair) -> bool:
    """Whether the surnames agree (same or misspelt); a clear difference counts against."""
    if not q.surname or not c.surname:
        return False
    if q.surname == c.surname:
        pair.reasons.append(f"same surname {_title(c.surname)}")
        return True
    if misspelt(q.surname, c.surname):
        # Anyone of a near spelling would agree as well: as many as carry any of them.
        spread = pair.stats.misspelt_rows(q.surname) / pair.stats.surname_rows(q.surname, c.surname)
        pair.agree(MISSPELT_SURNAME * max(1.0, spread), f"similar surname {_title(c.surname)} ~ {_title(q.surname)}")
        return True
    # Haverford, Haverfield: maybe a slip, maybe another name; neither for nor against.
    if JaroWinkler.normalized_similarity(q.surname, c.surname) < SAME_START:
        pair.clash(SURNAME_CLASH)
    return False


def _forenames(q: PersonKey, c: IndexRow, pair: _Pair) -> bool:
    """Two forenames: the same, a nickname, a slip in a long one; one no list knows as a
    name ('Smudge', a short form the lists lack) is neither for nor against."""
    share = pair.stats.share
    if q.forename == c.forename:
        pair.agree(share("forename", q.forename), f"same forename {_title(c.forename)}")
    elif forenames_match(q.forename, c.forename):
        common = max(share("forename", q.forename), share("forename", c.forename))
        pair.agree(common, f"nickname {_title(c.forename)} = {_title(q.forename)}")
    elif min(len(q.forename), len(c.forename)) >= LONG_NAME and misspelt(q.forename, c.forename):
        pair.agree(NEAR_FORENAME * share("forename", q.forename),
                   f"similar forename {_title(c.forename)} ~ {_title(q.forename)}")
        pair.loose = True
    elif coined_from(q.forename, c.forename) or coined_from(c.forename, q.forename):
        short, full = (q.forename, c.forename) if coined_from(q.forename, c.forename) else (c.forename, q.forename)
        pair.agree(NEAR_FORENAME * share("forename", full), f"{_title(short)} may be a pet form of {_title(full)}")
        pair.loose = True
    elif not (is_given_name(q.forename) and is_given_name(c.forename)) and not _pet_form_of_another(q, c):
        pair.reasons.append(f"forename {_title(c.forename)} / {_title(q.forename)}: not known as one name or two")
        return False
    else:
        pair.clash(FORENAME_CLASH)
        return False
    return True


def _pet_form_of_another(q: PersonKey, c: IndexRow) -> bool:
    """A pet form of one name beside another given name (Johnno, Richard): two names."""
    known = (is_given_name(q.forename), is_given_name(c.forename))
    return (known[0] and pet_form(c.forename)) or (known[1] and pet_form(q.forename))


def _forename(q: PersonKey, c: IndexRow, pair: _Pair) -> bool:
    """Whether the forenames agree (same, nickname, typo, or an initial that fits: that
    agrees less, as an initial is commoner); a different forename or initial counts against."""
    if q.forename and c.forename:
        return _forenames(q, c, pair)
    if q.initial and c.initial and (q.forename or c.forename):
        full, initial = (q.forename, c.initial) if q.forename else (c.forename, q.initial)
        if full.startswith(initial):
            pair.agree(pair.stats.share("initial", initial), f"initial {initial.upper()}. fits {_title(full)}")
            return True
        if initial_fits(initial, full):
            # Only through a short or formal form (E.: Ted, Lisa): as many agree as have a
            # forename the initial could stand for that way.
            pair.agree(pair.stats.fits_share(initial), f"initial {initial.upper()}. fits {_title(full)}")
            pair.loose = True  # not enough across forces without a move said
            return True
        pair.clash(INITIAL_CLASH)
    elif q.initial and c.initial:
        if q.initial == c.initial:
            pair.agree(pair.stats.share("initial", q.initial), f"same initial {q.initial.upper()}.")
            return True
        pair.clash(INITIAL_CLASH)
    return False


def _rank(q_rank: str, c: IndexRow, pair: _Pair) -> bool:
    """Whether the rank groups do not clash (agreeing, or one not known)."""
    if not q_rank or not c.rank:
        return True
    if q_rank == c.rank:
        pair.agree(pair.stats.share("rank", q_rank), f"same rank ({q_rank})")
        return True
    pair.clash(RANK_CLASH)
    return False


def _place(q: PersonKey, q_force: str, c: IndexRow, pair: _Pair, may_have_moved: bool) -> None:
    """The station and force; and how many in the row's force would carry the surname by chance."""
    if q.station and q.station == c.station:
        within = pair.stats.share("force", c.force) if c.force else 1.0  # a station is in one force: counted once
        pair.agree(min(1.0, pair.stats.share("station", q.station) / within), f"same station {_title(c.station)}")
    surnames = {q.surname, c.surname}
    if q_force and c.force and (q_force == c.force or may_have_moved):
        moved_from = "" if q_force == c.force else q_force
        pair.namesakes *= max(pair.stats.surname_rows_in(s, c.force, moved_from) for s in surnames)
        if q_force == c.force:
            pair.reasons.append("same force")
        else:
            pair.reasons.append(f"different force ({_force_name(c.force)}, now {_force_name(q_force)}){MAY_HAVE_MOVED}")
            pair.clash(FORCE_MOVED)
        return
    pair.namesakes *= pair.stats.surname_rows(*surnames)
    if q_force and c.force:
        pair.clash(FORCE_DIFFERENT)


def _collar_clash(q: PersonKey, q_force: str, c: IndexRow, same_rank: bool) -> float:
    """Two collar numbers in one force: two officers, unless a promotion brought a new one."""
    if q.collar and c.collar and q.collar != c.collar and q_force and q_force == c.force:
        return COLLAR_CLASH if same_rank else COLLAR_CLASH_ACROSS_RANKS
    return 0.0


def name_strength(namesakes: float) -> float:
    """What a name is worth, from how many other subjects would agree as well by chance."""
    gained = PER_HALVING * math.log2(OFFER_AT / max(namesakes, 1e-9))
    return max(0.0, min(NAME_MOST, THRESHOLD + gained))


@dataclass(frozen=True)
class PairEvidence:
    """What two subjects agree on: the name as the namesakes it leaves, and the rest."""

    namesakes: float  # other subjects expected to agree this well by chance (inf: the name does not agree)
    other: float  # collar number, and what counts against
    reasons: tuple[str, ...]
    # Across forces with only a surname, or a rank not known for both: the name counts
    # only where a report says the officer came from the other force (moves.py).
    needs_said_move: bool = False

    @property
    def named(self) -> bool:
        return math.isfinite(self.namesakes)

    @property
    def moved(self) -> bool:
        return any(why.endswith(MAY_HAVE_MOVED) for why in self.reasons)

    def also(self, share: float, reason: str) -> PairEvidence:
        """The same, agreeing on one thing more that ``share`` of subjects have."""
        return PairEvidence(self.namesakes * share, self.other, (*self.reasons, reason), self.needs_said_move)

    def said_moved(self, share: float, reason: str) -> PairEvidence:
        """The same, a report saying the officer came from the other force (``share``: of
        the namesakes, those in that force)."""
        return PairEvidence(self.namesakes * share, self.other, (*self.reasons, reason))

    def score(self) -> tuple[float, tuple[str, ...]]:
        if not self.named or self.needs_said_move:
            return round(self.other, 3), self.reasons
        return round(name_strength(self.namesakes) + self.other, 3), self.reasons


def pair_evidence(q: PersonKey, q_force: str, c: IndexRow, stats: NameStats, q_rank: str = "") -> PairEvidence | None:
    """What two subjects agree on, or None where neither the name nor a collar number does.
    ``q_rank`` is the rank group (people.rank_group) of the query subject."""
    collar, collar_why = _collar_score(q, q_force, c)
    pair = _Pair(stats)
    surname = _surname(q, c, pair)
    if collar <= 0 and not surname:
        return None
    before = pair.against
    whole = _forename(q, c, pair)
    forename_fits = pair.against == before
    rank_fits = _rank(q_rank, c, pair)
    # Across forces the whole name, spelt the same (not a slip or pet form), and the rank agree (a rank each side),
    # or a report says he came from the other force (then a surname and a fitting rank do).
    moved = surname and forename_fits and rank_fits and bool(q_force and c.force and q_force != c.force)
    needs_words = moved and not (whole and not pair.loose and q_rank and c.rank and q.surname == c.surname)
    _place(q, q_force, c, pair, moved)
    against = pair.against + _collar_clash(q, q_force, c, rank_fits)
    reasons = [why for why in pair.reasons if not (collar_why and why == "same force")]
    if surname:
        rows = stats.surname_rows(q.surname, c.surname)
        reasons.append(f"{rows:,} subject{'s' if rows != 1 else ''} in the room named {_title(c.surname)}")
    namesakes = pair.namesakes if surname else math.inf
    return PairEvidence(namesakes, collar + against, tuple(why for why in (collar_why, *reasons) if why), needs_words)


def score_pair(
    q: PersonKey, q_force: str, c: IndexRow, stats: NameStats, q_rank: str = ""
) -> tuple[float, tuple[str, ...]]:
    """How likely two subjects are one person, and why; no name or collar evidence, no match."""
    evidence = pair_evidence(q, q_force, c, stats, q_rank)
    return evidence.score() if evidence else (0.0, ())
