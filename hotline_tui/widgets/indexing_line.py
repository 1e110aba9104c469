"""How far the background red-flag indexing is, on one line (hidden when none is under way)."""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from hotline_tui.services.redflags.indexing import Indexer


class IndexingLine(Static):
    """Follows an ``Indexer`` (services/redflags/indexing.py) from a worker that reads only
    its memory, never the store: the screen's own workers may be using the connection."""

    DEFAULT_CSS = """
    IndexingLine {
        height: auto;
        padding: 0 1;
        display: none;
    }
    """

    class Said(Message):
        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    class Done(Message):
        """The indexing ended: what counts indexed reports (escalations) may have changed."""

    def follow(self, indexer: Indexer | None) -> None:
        if indexer is not None:
            self._show(indexer.line())
            self._watch(indexer)

    @work(thread=True, exclusive=True, group="indexing", exit_on_error=False)
    def _watch(self, indexer: Indexer) -> None:
        while not indexer.wait(0.25):
            self.post_message(self.Said(indexer.line()))
        self.post_message(self.Said(indexer.line()))

    def on_indexing_line_said(self, message: Said) -> None:
        message.stop()
        was_shown = self.display
        self._show(message.line)
        if was_shown and not message.line:
            self.post_message(self.Done())

    def _show(self, line: str) -> None:
        self.update(Content(line))
        self.display = bool(line)
