"""Hostile reports: text that would be dangerous if shown as markup or sent to a terminal.

Each mutator keeps the report valid per FORMATS.md (limits included): the reader must
accept them and the UI must show them literally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_NARRATIVE = 100_000
MAX_SHORT = 2_000

CLICK = "[@click=app.quit]x[/]"
STYLE = "[bold red]fake[/]"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
CLEAR = "\x1b[2J\x1b[H"
BIDI = "\u202e"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

Report = dict[str, Any]


def _markup_click(doc: Report) -> None:
    doc["narrative"] = f"He told me to type {CLICK} and it would all go away. " + doc["narrative"]


def _markup_style(doc: Report) -> None:
    doc["narrative"] += f" {STYLE} [link=https://example.invalid/]click here[/link]"
    doc["subjects"][0]["name"] = STYLE
    doc["where"] = "[reverse]the station[/reverse]"


def _osc52(doc: Report) -> None:
    doc["narrative"] += f" {OSC52}"
    doc["handler_notes"] = f"Caller read out a code: {OSC52}"


def _clear_screen(doc: Report) -> None:
    doc["narrative"] = CLEAR + doc["narrative"]
    doc["subjects"][0]["station"] = "\x1b[31mRed Lane\x1b[0m"


def _bidi(doc: Report) -> None:
    doc["narrative"] += f" His collar number is {BIDI}7144\u202c, I think."
    doc["subjects"][0]["name"] = f"PC {BIDI}nhoJ ekaF"


def _zero_width(doc: Report) -> None:
    doc["narrative"] = doc["narrative"].replace(" ", f" {ZERO_WIDTH}", 3)
    doc["subjects"][0]["name"] = "Da\u200bve Sm\u200dith"


def _c1_and_overwrite(doc: Report) -> None:
    doc["narrative"] += " Nothing to see here\rALL CLEAR\x08\x08\x7f \x9b2J\x9d0;title\x9c"


def _huge_narrative(doc: Report) -> None:
    unit = doc["narrative"] + " "
    doc["narrative"] = (unit * (MAX_NARRATIVE // len(unit) + 1))[:MAX_NARRATIVE]


def _long_fields(doc: Report) -> None:
    doc["subjects"] = [_long_subject(letter) for letter in "ABC"]
    doc["force_hint"] = ("Metropolitan " * 200)[:MAX_SHORT]
    doc["where"] = ("Under the railway bridge " * 100)[:MAX_SHORT]


def _long_subject(letter: str) -> dict[str, str]:
    return {
        "role": "officer",
        "name": (f"{letter}bcdefghij Klmnopqrst " * 100)[:MAX_SHORT],
        "rank": ("Detective Chief Superintendent " * 70)[:MAX_SHORT],
        "station": ("Long Station Name " * 120)[:MAX_SHORT],
    }


def _unknown_fields(doc: Report) -> None:
    doc["intake_form_version"] = "4.2"
    doc["x_extra"] = {"nested": [1, 2, {"deep": True}], "note": "kept, shown, never an error"}
    doc["subjects"][0]["nickname"] = "Big Dave"


def _wide_and_combining(doc: Report) -> None:
    doc["narrative"] += " Z\u0336a\u0338l\u0335g\u0337o\u0334 \U0001f46e\u200d\u2642\ufe0f 警察 \U0001f600"
    doc["subjects"][0]["name"] = "Jos\u0065\u0301 \U0001f46e"


def _attachment_name(doc: Report) -> None:
    doc["attachments"] = [
        {"name": f"{CLICK}evidence\x1b[2J.txt", "media_type": "text/plain", "path": "evidence.txt"},
    ]


HOSTILE: tuple[tuple[str, Callable[[Report], None]], ...] = (
    ("markup_click", _markup_click),
    ("markup_style", _markup_style),
    ("osc52", _osc52),
    ("clear_screen", _clear_screen),
    ("bidi", _bidi),
    ("zero_width", _zero_width),
    ("c1_and_overwrite", _c1_and_overwrite),
    ("huge_narrative", _huge_narrative),
    ("long_fields", _long_fields),
    ("unknown_fields", _unknown_fields),
    ("wide_and_combining", _wide_and_combining),
    ("attachment_name", _attachment_name),
)
HOSTILE_KINDS: tuple[str, ...] = tuple(name for name, _ in HOSTILE)


def hostile_positions(count: int) -> dict[int, str]:
    """Where the hostile reports go among ``count``: spread evenly, the same every time."""
    total = len(HOSTILE)
    return {((2 * k + 1) * count) // (2 * total): name for k, name in enumerate(HOSTILE_KINDS) if count}


def make_hostile(doc: Report, kind: str) -> None:
    """Turn a generated report into the hostile case ``kind``, in place."""
    dict(HOSTILE)[kind](doc)
