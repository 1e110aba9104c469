"""Showing untrusted text literally: never as markup, never as terminal controls."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static

from import_export.textsafe import one_line, visible


def safe(text: str) -> Content:
    """Content for any widget: markup not parsed, control characters made visible."""
    return Content(visible(text))


def safe_cell(text: str | None, limit: int = 80) -> Text:
    """A DataTable cell: a plain ``Text`` (str cells would be parsed as markup)."""
    return Text(one_line(text or "", limit), no_wrap=True, overflow="ellipsis")


class SafeText(Static):
    """A Static that shows report text literally."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(safe(text), markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str) -> None:
        self.update(safe(text))
