"""Understand single cells: expiry dates, year groups, names, phones, Excel-kept ids.

Consent answers are read by kiosk.roster.vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MAX_CELL = 120
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_YEAR = re.compile(r"(?:year|yr|y|ncyear)?(\d{1,2})")
_RECEPTION = frozenset({"r", "rec", "reception", "yr", "yearr", "yearreception", "0", "year0"})
_NURSERY = frozenset({"n", "nur", "nursery", "n1", "n2"})


def clean(cell: str) -> str:
    """Trim a cell and collapse runs of spaces (non-breaking spaces included)."""
    return " ".join(cell.split())


def cell_problem(cell: str) -> str | None:
    """Why a cell cannot be stored (hidden control characters, far too long), or None.

    Line breaks, tabs and odd spaces are allowed: `clean` turns them into single spaces.
    """
    if not cell.isprintable() and any(
        not c.isspace() and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")
        for c in cell
    ):
        return "contains hidden control characters"
    if len(cell) > MAX_CELL:
        return f"is longer than {MAX_CELL} characters"
    return None


def parse_date(cell: str) -> date:
    """An expiry date in ISO (2027-08-31) or UK (31/08/2027) form; ValueError says why not."""
    text = clean(cell)
    iso = _ISO.fullmatch(text)
    uk = _UK.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif uk:
        day, month, year = int(uk.group(1)), int(uk.group(3)), int(uk.group(4))
    else:
        raise ValueError(
            f"unknown consent date format {text!r} (use 31/08/2027 or 2027-08-31)"
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"consent date {text!r} is not a real date") from None


def normalise_year(cell: str) -> str:
    """"R", "Rec", "YR" -> "Reception"; "3", "Y3", "Year 3", "NC Year 3" -> "Year 3"."""
    text = clean(cell)
    key = re.sub(r"[^0-9a-z]", "", text.casefold())
    if key in _RECEPTION:
        return "Reception"
    if key in _NURSERY:
        return "Nursery"
    match = _YEAR.fullmatch(key)
    if match:
        return f"Year {int(match.group(1))}"
    return text


def phone_key(cell: str) -> str:
    """Digits of a phone number with +44 turned into a leading 0 (for matching siblings)."""
    digits = re.sub(r"\D", "", cell)
    if digits.startswith("0044"):
        return "0" + digits[4:]
    if digits.startswith("44") and cell.strip().startswith("+"):
        return "0" + digits[2:]
    return digits


def name_key(cell: str) -> str:
    """A name compared without case or spacing differences."""
    return " ".join(cell.casefold().split())


def unwrap_excel(cell: str) -> str:
    """Text Excel protected as a formula: `="00402"` -> `00402` (other cells unchanged)."""
    text = cell.strip()
    if len(text) >= 3 and text.startswith('="') and text.endswith('"'):
        return text[2:-1].replace('""', '"')
    return cell


def unwrap_id(cell: str) -> str:
    """An id as Excel may keep it: `="00402"` or `'00402` -> `00402`."""
    text = unwrap_excel(cell).strip()
    return text[1:].strip() if text.startswith("'") else text


def parse_flag(cell: str) -> bool | None:
    """A yes/no flag (parental responsibility, court order): True, False, or None when blank.

    Any other text counts as False, so an unclear flag never links a family.
    """
    key = clean(cell).casefold().rstrip(".")
    if not key:
        return None
    return key in {"yes", "y", "true", "t", "1", "x", "ticked"}
