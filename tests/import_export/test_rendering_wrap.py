"""The rendering's fast wrap makes exactly the lines ``textwrap.wrap`` makes."""

from __future__ import annotations

import random
import textwrap

from import_export.rendering import _wrap_paragraph


def test_the_fast_wrap_is_textwrap() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        words = ["".join(rng.choice("abcdefgh.,'é") for _ in range(rng.choice([1, 2, 5, 9, 20, 80])))
                 for _ in range(rng.randint(0, 40))]
        paragraph = " ".join(words)
        if rng.random() < 0.3:  # hyphens, tabs, runs of spaces, no-break spaces: textwrap's own path
            paragraph = "".join(rng.choice("abcdefghij \t-.,é\u00a0") for _ in range(rng.randint(0, 200)))
        for width in (76, 73, 10):
            assert _wrap_paragraph(paragraph, width) == textwrap.wrap(paragraph, width), (paragraph, width)
