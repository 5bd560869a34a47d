"""Find the table in an export: the file type, the delimiter, the header row, the data rows.

Print-style reports (ScholarPack and the like) put title lines and a blank line above the
header and a "Total: 38 students" line below the data. The header is the first row that
names the most fields; lines above it are skipped, and so are short lines after the last
pupil row whose id cell holds no id (a footer), and the report says so. A short last row
with an id is a pupil row, checked (and rejected if incomplete) like any other.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from kiosk.roster.decode import DELIMITERS, decode_file, read_rows
from kiosk.roster.errors import RosterError
from kiosk.roster.headers import Override, header_score
from kiosk.roster.workbook import is_workbook, read_sheet

HEADER_SEARCH = 30
FOOTER_MAX_CELLS = 2

Row = tuple[int, list[str]]


@dataclass(frozen=True)
class Table:
    """The rows of the export's table, and what was skipped around it."""

    encoding: str
    delimiter: str
    header_line: int
    headers: list[str]
    rows: list[Row]
    title_lines: tuple[int, ...]
    other_sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Footer:
    """Lines below the data that are not pupils ("Total: 38 students"), and the first one."""

    lines: tuple[int, ...] = ()
    text: str = ""


def _is_footer(cells: list[str], id_column: int) -> bool:
    if _filled(cells) > FOOTER_MAX_CELLS:
        return False
    cell = cells[id_column].strip() if id_column < len(cells) else ""
    return not cell or any(c.isspace() or c == ":" for c in cell)


def split_footer(rows: list[Row], id_column: int) -> tuple[list[Row], Footer]:
    """The data rows without the footer below them."""
    end = len(rows)
    while end and (not _filled(rows[end - 1][1]) or _is_footer(rows[end - 1][1], id_column)):
        end -= 1
    below = [(line, cells) for line, cells in rows[end:] if _filled(cells)]
    if not below:
        return rows[:end], Footer()
    text = " ".join(c.strip() for c in below[0][1] if c.strip())[:60]
    return rows[:end], Footer(tuple(line for line, _ in below), text)


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def _head(text: str, delimiter: str) -> list[Row]:
    """The first rows of a text with one delimiter ([] when it is not CSV that way)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
            if len(rows) >= HEADER_SEARCH:
                break
    except csv.Error:
        return rows
    return rows


def _best_header(rows: list[Row], overrides: list[Override]) -> tuple[int, int]:
    """(score, index into rows) of the first row naming the most fields."""
    best = (0, -1)
    for index, (_, cells) in enumerate(rows):
        if _filled(cells):
            score = header_score(cells, overrides)
            if score > best[0]:
                best = (score, index)
    return best


def load_table(data: bytes, overrides: list[Override], sheet: str | None = None) -> Table:
    """Read the bytes (CSV text of any usual encoding, or .xlsx) into a Table."""
    if is_workbook(data):
        name, names, rows = read_sheet(data, sheet)
        table = _split(f"Excel workbook, sheet {name!r}", "xlsx", rows, overrides)
        return replace(table, other_sheets=tuple(n for n in names if n != name))
    if sheet is not None:
        raise RosterError("--sheet is for an Excel workbook (.xlsx); this file is CSV text.")
    decoded = decode_file(data)
    scored = {
        d: _best_header(_head(decoded.text, d), overrides) for d in DELIMITERS
    }
    sniffed = decoded.delimiter
    delimiter = max(scored, key=lambda d: (scored[d][0], d == sniffed))
    if not scored[delimiter][0]:
        delimiter = sniffed
    chosen = decoded.with_delimiter(delimiter)
    return _split(decoded.encoding, chosen.delimiter_name, list(read_rows(chosen)), overrides)


def _split(encoding: str, delimiter: str, rows: list[Row], overrides: list[Override]) -> Table:
    score, index = _best_header(rows[:HEADER_SEARCH], overrides)
    if score < 2:
        index = next((i for i, (_, cells) in enumerate(rows) if _filled(cells)), -1)
    if index < 0:
        raise RosterError("The file is empty.")
    header_line, headers = rows[index]
    titles = tuple(line for line, cells in rows[:index] if _filled(cells))
    return Table(
        encoding=encoding, delimiter=delimiter, header_line=header_line, headers=headers,
        rows=rows[index + 1 :], title_lines=titles,
    )
