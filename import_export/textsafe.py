"""Make untrusted text harmless where it is shown, without changing the record.

Control characters (C0, DEL, C1) become visible symbols, and the invisible
bidirectional controls that can reorder what a reader sees are named in brackets.
Markup is not touched here: the UI renders text as plain ``Text``/``Content``.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = {
    0x061C: "ALM", 0x200E: "LRM", 0x200F: "RLM",
    0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
    0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}
INVISIBLE = {0x200B: "ZWSP", 0x200C: "ZWNJ", 0x200D: "ZWJ", 0x2060: "WJ", 0xFEFF: "BOM"}


def _visible_char(code: int, keep_newlines: bool) -> str | None:
    if code in (0x0A, 0x09) and keep_newlines:
        return None
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F:
        return f"<U+{code:04X}>"
    name = BIDI_CONTROLS.get(code) or INVISIBLE.get(code)
    if name:
        return f"<{name}>"
    return None


# Every character ``_visible_char`` may replace (tab and newline only when they are not
# kept); text with none of them is returned as it is.
_NAMED = "".join(chr(c) for c in sorted({**BIDI_CONTROLS, **INVISIBLE}))
_SUSPECT = {
    True: re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _NAMED + "]"),
    False: re.compile("[\x00-\x1f\x7f-\x9f" + _NAMED + "]"),
}


def visible(text: str, keep_newlines: bool = True) -> str:
    """``text`` with every control or bidi character replaced by a visible sign."""
    if _SUSPECT[keep_newlines].search(text) is None:
        return text
    out: list[str] = []
    for char in text:
        replacement = _visible_char(ord(char), keep_newlines)
        out.append(char if replacement is None else replacement)
    return "".join(out)


def one_line(text: str, limit: int = 200) -> str:
    """For a table cell: controls visible, newlines shown as ⏎, cut to ``limit``."""
    shown = visible(text.replace("\r\n", "\n"), keep_newlines=False).replace("\u240a", "⏎")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
