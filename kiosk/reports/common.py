"""Formatting shared by every report: dates people read, Markdown-safe text, output choice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.safetext import safe_text

FORMATS = ("pdf", "csv", "md")
_MD_SPECIAL = set("\\`*_[]<>|#!~")


class ReportError(KioskError):
    """A report could not be produced as asked."""


def when(iso: str | None) -> str:
    """'10 Dec 2026 18:42' for an ISO timestamp (as recorded, local time); '' for None."""
    if not iso:
        return ""
    return datetime.fromisoformat(iso).strftime("%d %b %Y %H:%M").lstrip("0")


def long_date(iso: str | None) -> str:
    """'Thursday 10 December 2026' for an ISO date (or the date part of a timestamp)."""
    if not iso:
        return ""
    day = date.fromisoformat(iso[:10])
    return f"{day:%A} {day.day} {day:%B %Y}"


def md(value: object) -> str:
    """Text for a Markdown table cell or line: controls removed, markup characters escaped."""
    if value is None:
        return ""
    lines = [safe_text(line, 4000) for line in str(value).splitlines()]
    text = " / ".join(line for line in lines if line.strip())
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def md_table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """A Markdown table as lines (every cell escaped)."""
    lines = ["| " + " | ".join(md(h) for h in headings) + " |",
             "|" + "|".join("---" for _ in headings) + "|"]
    lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in rows]
    return lines


def output_format(path: Path, fmt: str | None) -> str:
    """The format to write: `fmt` if given, else from the file's suffix (.pdf, .csv, .md)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ReportError(f"The format must be one of: {', '.join(FORMATS)}.")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "markdown":
        return "md"
    if suffix not in FORMATS:
        raise ReportError("Name the output file .pdf, .csv or .md, or give --format.")
    return suffix
