"""Which force a reporter's free-text hint most likely means ("the Met", "GMP", "Kent police").

The guess only places an unassessed report in the queue's force filter; the analyst
chooses the force in the assessment.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from hotline_tui.reference import forces

# What people call forces, beyond their names; fact, not guesswork, so kept as data.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "metropolitan": ("met", "the met", "met police", "scotland yard"),
    "greater-manchester": ("gmp",),
    "west-midlands": ("west mids", "wmp"),
    "thames-valley": ("tvp",),
    "btp": ("btp", "transport police", "railway police"),
    "northern-ireland": ("psni", "northern ireland"),
    "police-scotland": ("scotland",),
    "mod-police": ("mod", "mdp", "ministry of defence"),
    "civil-nuclear": ("cnc", "nuclear"),
    "city-of-london": ("city of london", "city police"),
    "devon-and-cornwall": ("devon", "cornwall"),
    "dyfed-powys": ("dyfed powys",),
}
_NOISE = re.compile(r"\b(the|police|constabulary|service|force|of|and|&)\b|[^a-z0-9 ]")


def _normal(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text.lower()).split())


@lru_cache(maxsize=1)
def _choices() -> dict[str, str]:
    """normalised name -> force code."""
    choices: dict[str, str] = {}
    for force in forces():
        for name in (force.name, force.code.replace("-", " "), *COMMON_NAMES.get(force.code, ())):
            normal = _normal(name)
            if normal:
                choices.setdefault(normal, force.code)
    return choices


@lru_cache(maxsize=4096)
def match_force_hint(hint: str) -> str | None:
    normal = _normal(hint[:200])
    if not normal:
        return None
    choices = _choices()
    if normal in choices:
        return choices[normal]
    found = process.extractOne(normal, list(choices), scorer=fuzz.ratio, score_cutoff=85)
    return choices[found[0]] if found else None
