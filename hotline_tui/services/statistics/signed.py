"""Writing the statistics' exports: each file with a minisign signature by the room's
signing key (as the audit export), so anyone with ``triage-room.pub`` checks it with the
stock tool: ``minisign -Vm FILE -p triage-room.pub``. The set is written under temporary
names and renamed into place together: a reader never finds half of it.

Also the plain-text and CSV forms of the statistics' tables, shared by both exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path

from hotline_tui.errors import Refused
from hotline_tui.services.keyring.keys import room_signing_key
from hotline_tui.services.session import Session
from hotline_tui.services.statistics.tables import Cell, Table
from import_export.atomic import publish, write_temp

FORMAT = "hotline-statistics/1"
SIGNATURE_SUFFIX = ".minisig"
TABLE_CSV_HEADER = ("table", "row", "code", "column", "value")

CellText = Callable[[int, int, Cell], str]


def write_signed(session: Session, out_dir: Path, files: Mapping[str, bytes], comment: str) -> list[Path]:
    """Write each file and its ``.minisig`` (trusted comment: ``comment`` and the file's name)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise Refused(f"{out_dir} is not a folder: choose the removable media to write to.")
    names = [n for name in files for n in (name, name + SIGNATURE_SUFFIX)]
    present = [n for n in names if (out_dir / n).exists()]
    if present:
        raise Refused(f"{present[0]} is already on that medium; move it away first (an export is never overwritten).")
    key = room_signing_key(session)
    contents: dict[str, bytes] = {}
    for name, data in files.items():
        contents[name] = data
        contents[name + SIGNATURE_SUFFIX] = key.sign(
            data, f"{FORMAT} {comment} file={name}", "statistics export from the triage room").encode("utf-8")
    temps: list[tuple[Path, Path]] = []
    try:
        for name, data in contents.items():
            temps.append((write_temp(out_dir, name, data), out_dir / name))
        publish(temps)
    except OSError as exc:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        raise Refused(f"Cannot write to {out_dir}: {exc.strerror or exc}; nothing was left there.") from None
    return [out_dir / name for name in contents]


def plain_cell(_r: int, _c: int, cell: Cell) -> str:
    if cell.value is None:
        return "—" if cell.kind == "days" else ""
    return f"{cell.value:g}" if isinstance(cell.value, float) else f"{cell.value:,}"


def table_text(table: Table, text: CellText = plain_cell) -> list[str]:
    """The table as aligned lines under its title."""
    cells = [[text(r, c, cell) for c, cell in enumerate(row.cells)] for r, row in enumerate(table.rows)]
    label_width = max([len(row.label) for row in table.rows] + [10])
    widths = [max([len(name)] + [len(line[c]) for line in cells]) for c, name in enumerate(table.columns)]
    lines = [table.title, "  " + " " * label_width + "".join(f"  {n:>{w}}" for n, w in zip(table.columns, widths,
                                                                                              strict=True))]
    for row, line in zip(table.rows, cells, strict=True):
        lines.append("  " + f"{row.label:<{label_width}}" + "".join(f"  {v:>{w}}" for v, w in zip(line, widths,
                                                                                                    strict=True)))
    return lines


def tables_csv(tables: list[tuple[Table, CellText]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_CSV_HEADER)
    for table, text in tables:
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                writer.writerow((table.key, row.label, row.code, table.columns[c], text(r, c, cell)))
    return out.getvalue().encode("utf-8")
