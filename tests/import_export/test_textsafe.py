"""textsafe.py: control and bidi characters made visible, everything else untouched."""

from __future__ import annotations

import pytest

from import_export.textsafe import one_line, visible


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("\x1b[31mred\x1b[0m", "\u241b[31mred\u241b[0m"),
        ("bell\x07", "bell\u2407"),
        ("nul\x00", "nul\u2400"),
        ("del\x7f", "del\u2421"),
        ("csi\x9b31m", "csi<U+009B>31m"),
        ("abc\u202edcba", "abc<RLO>dcba"),
        ("\u2066x\u2069", "<LRI>x<PDI>"),
        ("zero\u200bwidth\ufeff", "zero<ZWSP>width<BOM>"),
        ("[@click=app.quit]quit[/]", "[@click=app.quit]quit[/]"),
        ("[bold]not bold[/bold]", "[bold]not bold[/bold]"),
        ("lines\nand\ttabs", "lines\nand\ttabs"),
        ("carriage\rreturn", "carriage\u240dreturn"),
        ("émoji 👮 中文", "émoji 👮 中文"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_visible_without_newlines() -> None:
    assert visible("a\nb\tc", keep_newlines=False) == "a\u240ab\u2409c"


def test_one_line() -> None:
    assert one_line("first\r\nsecond\nthird") == "first⏎second⏎third"
    assert one_line("x" * 10, limit=5) == "xxxx…"
    assert one_line("x" * 5, limit=5) == "xxxxx"
    assert one_line("\x1b]8;;http://evil\x07link") == "\u241b]8;;http://evil\u2407link"
