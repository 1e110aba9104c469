"""A referral as the force receives it: its JSON and the text rendering filed beside it.

Each field of the JSON is checked alone (``referral_leaks``); the rendering puts fields
side by side ("1. Grace Hill (officer)" from a rank "Grace" and a name "Hill", a station
line above a description), so what the force reads is checked as a whole too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from hotline_tui import reference
from hotline_tui.services.sanitiser.check import blocking_flags, referral_leaks
from import_export.rendering import WIDTH, Labels, render_referral


@functools.cache
def code_labels() -> Labels:
    """The words a force reads for each field's codes (a code means different things in
    different fields: ``sexual_misconduct`` as a behaviour and as a national category)."""
    def words(table: Iterable[reference.Label], long: bool = False) -> dict[str, str]:
        return {e.code: f"{e.label} ({e.description[0].lower()}{e.description[1:]})" if long and e.description
                else e.label for e in table}

    return {
        "behaviours": words(reference.BEHAVIOURS), "discrimination": words(reference.DISCRIMINATION_TYPES),
        "categories": words(reference.CATEGORIES), "iopc_referral_criteria": words(reference.IOPC_CRITERIA),
        "source": words(reference.GRADING_SOURCE), "intelligence": words(reference.GRADING_INTELLIGENCE),
        "handling": words(reference.GRADING_HANDLING), "handling_conditions": words(reference.HANDLING_CONDITIONS, True),
        "outcome": words(reference.OUTCOME_STATUSES), "force": {f.code: f.name for f in reference.forces()},
    }


def rendering(document: dict[str, Any]) -> str:
    """The readable referral exactly as the force will file it."""
    force = reference.force_by_code(str(document.get("force", "")))
    return render_referral(document, force_name=force.name if force else None, labels=code_labels())


# The fields an analyst writes; the rest of the rendering is the room's own words.
_TYPED = ("summary", "when", "where", "priority_reason")


def _fields_around_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The referral for the rendering check: the summary is a paragraph of its own between
    labels, checked as written, so it is left out (a keystroke costs half as much) unless
    a word of it is longer than a line, which the rendering would break."""
    summary = str(document.get("summary") or "")
    if any(len(word) > WIDTH - 4 for word in summary.split()):
        return document
    return dict(document, summary="")


def _skeleton(document: dict[str, Any]) -> dict[str, Any]:
    """The referral without what the analyst wrote: the rendering's own words."""
    subjects = [{"role": s.get("role", "unknown")} for s in document.get("subjects") or [] if isinstance(s, dict)]
    return dict(document, subjects=subjects, **{key: "" for key in _TYPED if key in document})


def rendering_leaks(document: dict[str, Any], report: dict[str, Any], known: Iterable[str] = ()) -> list[str]:
    """What the rendering shows that no field shows alone (fields that meet in it), less
    what its own words would show for any referral ("Force:" for a reporter named Force)."""
    said = {leak.partition(" contains ")[2] for leak in known}
    own = {(f.message, f.key) for f in blocking_flags(rendering(_skeleton(document)), report)}
    found = []
    for flag in blocking_flags(rendering(_fields_around_summary(document)), report):
        what = flag.message[0].lower() + flag.message[1:]
        if what not in said and (flag.message, flag.key) not in own:
            found.append(f"the text the force reads contains {what} where two fields meet (“{' '.join(flag.text.split())}”)")
    return list(dict.fromkeys(found))


def force_leaks(document: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Everything in a referral, as the force receives it, that identifies the reporter."""
    found = referral_leaks(document, report)
    return found + rendering_leaks(document, report, found)
