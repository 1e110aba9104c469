"""A table that renders only the lines on screen, fetching rows page by page.

A ``DataTable`` holds every row in memory; the queue must stay instant at 100k
reports, so this widget asks a ``RowSource`` (a SQL query behind it) for just the
page it needs and keeps a handful of pages cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from import_export.textsafe import one_line


@dataclass(frozen=True)
class Column:
    """``width`` is what the column wants; on a narrow screen it gives way down to
    ``least`` (default: it does not), and a column with ``drop`` > 0 is left out
    altogether, highest ``drop`` first, when even that does not fit. On a wide screen
    a column with ``grow`` takes the room left over, up to ``most``."""

    key: str
    label: str
    width: int
    least: int | None = None
    drop: int = 0
    grow: bool = False
    most: int | None = None


def lay_out(columns: Sequence[Column], room: int) -> list[tuple[Column, int]]:
    """The columns shown in ``room`` cells, each with its width (one space between)."""
    shown = list(columns)

    def needed(cols: Sequence[Column]) -> int:
        return sum((c.least or c.width) + 1 for c in cols)

    while needed(shown) > room and any(c.drop for c in shown):
        shown.remove(max((c for c in shown if c.drop), key=lambda c: c.drop))
    widths = {c.key: c.least or c.width for c in shown}
    spare = room - sum(w + 1 for w in widths.values())
    for column in shown:  # whole where the room allows, in order: a date cut between its forms helps nobody
        need = column.width - widths[column.key]
        if 0 < need <= spare:
            widths[column.key], spare = column.width, spare - need
    for wanted in (lambda c: c.width, lambda c: (c.most or c.width * 3) if c.grow else c.width):
        while spare > 0:  # first every column up to what it wants, then the growing ones beyond
            hungry = [c for c in shown if widths[c.key] < wanted(c)]
            if not hungry:
                break
            for column in hungry:
                if spare > 0:
                    widths[column.key] += 1
                    spare -= 1
    return [(c, widths[c.key]) for c in shown]


Cell = str | tuple[str, ...]  # a value, or its forms longest first: the longest that fits is shown


@dataclass(frozen=True)
class Row:
    row_id: int
    cells: Sequence[Cell]


def fitted(cell: Cell, width: int) -> str:
    """The cell in ``width`` cells: its longest form that fits, else cut with an ellipsis
    (so a cut value never passes for a whole one)."""
    forms = [one_line(form, 1000) for form in ((cell,) if isinstance(cell, str) else cell)]
    text = next((form for form in forms if cell_len(form) <= width), forms[-1])
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)) + "…"
    return set_cell_size(text, width)


class RowSource(Protocol):
    def count(self) -> int: ...

    def rows(self, offset: int, limit: int) -> list[Row]: ...


PAGE = 100
CACHED_PAGES = 12


class PagedTable(ScrollView, can_focus=True):
    """Rows from a ``RowSource``; Enter chooses the row under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="table.first"),
        Binding("end", "edge(1)", "Last", show=False, id="table.last"),
        Binding("enter", "choose", "Open", id="table.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"paged-table--header", "paged-table--cursor", "paged-table--sorted"}
    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    PagedTable > .paged-table--header { text-style: bold; background: $panel; }
    PagedTable > .paged-table--sorted { text-style: bold underline; background: $panel; }
    PagedTable > .paged-table--cursor { background: $accent 40%; }
    PagedTable:focus > .paged-table--cursor { background: $accent; color: $text; }
    """

    cursor: reactive[int] = reactive(0)

    class RowChosen(Message):
        def __init__(self, table: PagedTable, row_id: int) -> None:
            super().__init__()
            self.table = table
            self.row_id = row_id

    class CursorMoved(Message):
        def __init__(self, table: PagedTable, row_id: int | None) -> None:
            super().__init__()
            self.table = table
            self.row_id = row_id

    def __init__(self, columns: Sequence[Column], *, id: str | None = None, choosable: bool = True) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.choosable = choosable  # False: Enter opens nothing here, and the footer does not offer it
        self.sorted_by: str | None = None
        self.descending = False
        self._source: RowSource | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._layout: tuple[int, list[tuple[Column, int]]] = (-1, [])

    # data -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self._count

    def set_source(self, source: RowSource, *, keep_cursor: bool = False) -> None:
        self._source = source
        self._pages.clear()
        self._count = source.count()
        self.virtual_size = Size(self._table_width(), self._count + 1)
        self.cursor = min(self.cursor, max(self._count - 1, 0)) if keep_cursor else 0
        if not keep_cursor:
            self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_row_id))

    def row_at(self, index: int) -> Row | None:
        if self._source is None or not 0 <= index < self._count:
            return None
        page = index // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._source.rows(page * PAGE, PAGE)
            self._pages[page] = rows
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    @property
    def source(self) -> RowSource | None:
        return self._source

    @property
    def current_row_id(self) -> int | None:
        row = self.row_at(self.cursor)
        return row.row_id if row else None

    # rendering --------------------------------------------------------------------

    def _laid_out(self) -> list[tuple[Column, int]]:
        room = self.scrollable_content_region.width or sum(c.width + 1 for c in self.columns)
        if self._layout[0] != room:
            self._layout = (room, lay_out(self.columns, room))
        return self._layout[1]

    def _table_width(self) -> int:
        return sum(width + 1 for _, width in self._laid_out())

    def on_resize(self) -> None:
        self.virtual_size = Size(self._table_width(), self._count + 1)
        self.refresh()

    def _cells(self, values: Sequence[Cell], style: Style) -> list[Segment]:
        by_key = {column.key: value for column, value in zip(self.columns, values, strict=False)}
        return [Segment(fitted(by_key.get(column.key, ""), width) + " ", style) for column, width in self._laid_out()]

    def _header(self, width: int) -> Strip:
        base = self.get_component_rich_style("paged-table--header")
        marked = self.get_component_rich_style("paged-table--sorted")
        segments = []
        for column, column_width in self._laid_out():
            label = column.label
            style = base
            if column.key == self.sorted_by:
                # Shorten the label rather than the arrow: a full-width label would hide the direction.
                label = f"{set_cell_size(label, max(column_width - 2, 0)).rstrip()} {'▼' if self.descending else '▲'}"
                style = marked
            segments.append(Segment(set_cell_size(label, column_width) + " ", style))
        return Strip(segments).crop_extend(int(self.scroll_x), int(self.scroll_x) + width, base)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header(width)
        index = int(self.scroll_y) + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, self.rich_style)
        style = self.get_component_rich_style("paged-table--cursor") if index == self.cursor else self.rich_style
        strip = Strip(self._cells(row.cells, style))
        return strip.crop_extend(int(self.scroll_x), int(self.scroll_x) + width, style)

    # movement ---------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(self.size.height - 1, 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + self._visible_rows:
            self.scroll_to(y=new - self._visible_rows + 1, animate=False)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_row_id))

    def _move_to(self, index: int) -> None:
        self.cursor = max(0, min(index, self._count - 1))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * self._visible_rows)

    def action_edge(self, end: int) -> None:
        self._move_to(self._count - 1 if end else 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is offered where it opens something: a choosable table with a row."""
        return self.choosable and self._count > 0 if action == "choose" else True

    def action_choose(self) -> None:
        row_id = self.current_row_id
        if not self.choosable:
            return
        if row_id is not None:
            self.post_message(self.RowChosen(self, row_id))

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", None)
        if y is None:
            return
        if y == 0:
            self._header_clicked(int(getattr(event, "x", 0)) + int(self.scroll_x))
            return
        self._move_to(int(self.scroll_y) + y - 1)

    class HeaderClicked(Message):
        def __init__(self, table: PagedTable, column_key: str) -> None:
            super().__init__()
            self.table = table
            self.column_key = column_key

    def _header_clicked(self, x: int) -> None:
        left = 0
        for column, width in self._laid_out():
            if left <= x < left + width + 1:
                self.post_message(self.HeaderClicked(self, column.key))
                return
            left += width + 1


def cell_width(text: str) -> int:
    return cell_len(text)
