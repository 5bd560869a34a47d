"""Read the first sheet (or a named one) of an Excel .xlsx workbook as rows of text.

Cells come back as the office sees them: whole numbers without ".0", dates as 31/08/2027,
so the same checks apply as to a CSV. A workbook is a zip file: its unpacked size is
checked before openpyxl opens it, so a small file cannot unpack into gigabytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from kiosk.roster.errors import RosterError

MAX_UNPACKED = 200 * 1024 * 1024
MAX_ROWS = 100_000
XLSX_MAGIC = b"PK\x03\x04"


def is_workbook(data: bytes) -> bool:
    """True when the bytes are a zip file (as every .xlsx is)."""
    return data.startswith(XLSX_MAGIC)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise RosterError(
            "The file looks like an Excel workbook but could not be opened; "
            "save it again from Excel as .xlsx or as CSV UTF-8."
        ) from None
    if unpacked > MAX_UNPACKED:
        raise RosterError("The workbook unpacks to over 200 MB: too large to be a school roster.")


def read_sheet(
    data: bytes, sheet: str | None = None
) -> tuple[str, tuple[str, ...], list[tuple[int, list[str]]]]:
    """Return (sheet name, every sheet's name, [(row number, cells)]) from a workbook."""
    _check_zip(data)
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # loaded only when needed

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise RosterError(
            "The file looks like an Excel workbook but could not be read as one; "
            "save it again from Excel as .xlsx or as CSV UTF-8."
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise RosterError(
                f"The workbook has no sheet called {sheet!r}; its sheets are "
                f"{', '.join(repr(n) for n in names)}."
            )
        if not names:
            raise RosterError("The workbook has no sheets.")
        name = sheet if sheet is not None else names[0]
        return name, tuple(names), list(_rows(book[name]))
    except RosterError:
        raise
    except Exception:  # a damaged sheet part shows up only when its rows are read
        raise RosterError(
            "A sheet of the workbook could not be read; save it again from Excel."
        ) from None
    finally:
        book.close()


def _rows(worksheet: object) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        if number > MAX_ROWS:
            raise RosterError(f"The sheet has over {MAX_ROWS} rows: too many for a roster.")
        yield number, [_cell_text(v) for v in values]
