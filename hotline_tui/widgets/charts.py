"""Charts for figures a person would rather look at than read, drawn with block
characters: columns by month (stacked series) and bar rows (by force, by category).

Only counts, codes and names the room itself holds reach a chart (force and category
names from the reference data), but labels still go through ``one_line`` so nothing
becomes markup or a control sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from import_export.textsafe import one_line

BAR = "█"
PARTS = " ▏▎▍▌▋▊▉"
SERIES_STYLES = ("bold cyan", "bold magenta", "bold yellow")


def _column(values: Sequence[int], top: int, height: int) -> list[tuple[str, int]]:
    """The cells of one column from the bottom up: (character, series number); whole cells
    per series, the total's last fraction as an eighth block in the top series' colour."""
    cells: list[tuple[str, int]] = []
    running = 0
    for number, value in enumerate(values):
        running += value
        boundary = round(running / top * height)
        cells += [("█", number)] * max(boundary - len(cells), 0)
    exact = running / top * height
    if exact > len(cells) and len(cells) < height:
        eighths = round((exact - len(cells)) * 8)
        if eighths:
            last = max((n for n, v in enumerate(values) if v), default=0)
            cells.append((" ▁▂▃▄▅▆▇█"[eighths], last))
    return cells


def month_chart(
    months: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], height: int = 8, width: int = 46
) -> Text:
    """Stacked columns by month, the months under them and a key; columns two cells wide
    with a gap while they fit in ``width``, then narrower, and fewer month labels."""
    columns = [[values[i] for _, values in series] for i in range(len(months))]
    top = max((sum(c) for c in columns), default=0)
    if not top:
        return Text("Nothing received in this period.")
    room = max(width - 8, 1)
    cell, gap = (2, 1) if len(months) * 3 <= room else (2, 0) if len(months) * 2 <= room else (1, 0)
    step = cell + gap
    every = max(1, -(-3 // step))  # a label needs three cells: MM and a space
    cells = [_column(c, top, height) for c in columns]
    text = Text(no_wrap=True, overflow="crop")
    for row in range(height - 1, -1, -1):
        text.append(f"{top:>6,} ┤" if row == height - 1 else "       │", style="dim")
        for column in cells:
            char, number = column[row] if row < len(column) else (" ", 0)
            text.append(char * cell, style=SERIES_STYLES[number % len(SERIES_STYLES)])
            text.append(" " * gap)
        text.append("\n")
    text.append("     0 └" + "─" * (step * len(months)) + "\n", style="dim")
    labels = "".join((m[5:7] if i % every == 0 else "").ljust(step * every if i % every == 0 else 0)
                     for i, m in enumerate(months))
    text.append("        " + labels[: step * len(months) + 1] + "\n", style="dim")
    years = sorted({m[:4] for m in months})
    text.append(f"        {years[0] if len(years) == 1 else years[0] + '-' + years[-1]}   ")
    for number, (label, _) in enumerate(series):
        text.append(BAR * 2, style=SERIES_STYLES[number % len(SERIES_STYLES)])
        text.append(f" {label}  ")
    return text


def bar_rows(rows: Sequence[tuple[str, int]], width: int, *, label_width: int = 20, limit: int = 10) -> Text:
    """One row each: label, a bar in eighths of a cell, the count."""
    shown = list(rows)[:limit]
    if not shown:
        return Text("none")
    top = max(n for _, n in shown) or 1
    room = max(width - label_width - 8, 4)
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, (label, n) in enumerate(shown):
        eighths = round(n / top * room * 8)
        bar = BAR * (eighths // 8) + (PARTS[eighths % 8] if eighths % 8 else "")
        name = one_line(label, label_width).ljust(label_width)[:label_width]
        text.append(f"{name} ")
        text.append(bar.ljust(room), style="bold")
        text.append(f" {n:>6,}" + ("\n" if index < len(shown) - 1 else ""))
    if len(rows) > limit:
        text.append(f"\n… and {len(rows) - limit} more in the table", style="dim")
    return text
