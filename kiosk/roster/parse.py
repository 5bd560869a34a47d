"""Read an MIS export into checked pupil entries, collecting every row's problems."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kiosk.consent import Value
from kiosk.roster.decode import decode_file, read_rows
from kiosk.roster.errors import RosterError
from kiosk.roster.headers import CONSENT_FIELDS, HeaderMapping, map_headers, parse_overrides
from kiosk.roster.problems import Notice, RowProblem
from kiosk.roster.values import (
    cell_problem,
    clean,
    name_key,
    normalise_year,
    parse_consent,
    parse_date,
    phone_key,
)

CATEGORY_LABELS = {
    "event_recording": "Event-recording", "website": "Website", "social_media": "Social-media",
    "press": "Press",
}


@dataclass(frozen=True)
class GuardianEntry:
    """One contact named on a pupil's row."""

    name: str | None
    relationship: str | None
    email: str | None
    phone: str | None

    def match_keys(self) -> list[str]:
        """What makes two rows share this guardian: the same email, or same name and phone."""
        found = []
        if self.email and "@" in self.email:
            found.append("email:" + self.email.casefold())
        digits = phone_key(self.phone or "")
        if self.name and len(digits) >= 6:
            found.append(f"name+phone:{name_key(self.name)}|{digits}")
        return found


@dataclass(frozen=True)
class PupilEntry:
    """One accepted row: a pupil, their consents (for the columns present) and contacts."""

    line: int
    pupil_id: str
    first_name: str
    preferred_name: str | None
    surname: str
    class_name: str
    year_group: str
    consents: dict[str, Value]
    valid_until: date | None
    family_id: str | None
    guardians: tuple[GuardianEntry, ...]


@dataclass(frozen=True)
class ParsedRoster:
    """The whole file, read and checked, before any comparison with the database."""

    encoding: str
    delimiter: str
    mapping: HeaderMapping
    pupils: list[PupilEntry]
    rejected: list[RowProblem]
    notices: list[Notice]

    @property
    def categories(self) -> tuple[str, ...]:
        """The consent categories the file has a column for."""
        return tuple(c for f, c in CONSENT_FIELDS.items() if self.mapping.has(f))

    @property
    def has_expiry(self) -> bool:
        """True when the file has a consent-expiry column (else stored expiries are kept)."""
        return self.mapping.has("consent_expires")


def read_roster(data: bytes, overrides: Iterable[str] | Mapping[str, str] = ()) -> ParsedRoster:
    """Decode, map headers and check every row; raise RosterError for file-level problems."""
    decoded = decode_file(data)
    rows = read_rows(decoded)
    header_line, headers = _header(rows)
    mapping = map_headers([clean(h) for h in headers], parse_overrides(overrides))
    pupils: list[PupilEntry] = []
    rejected: list[RowProblem] = []
    notices: dict[str, list[int]] = {}
    first_line: dict[str, int] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        entry = _entry(line, cells, mapping, rejected, notices)
        if entry is None:
            continue
        if entry.pupil_id in first_line:
            rejected.append(RowProblem(
                line, entry.pupil_id,
                f"duplicate pupil id (also on line {first_line[entry.pupil_id]})",
            ))
            continue
        first_line[entry.pupil_id] = line
        pupils.append(entry)
    if not pupils and not rejected:
        raise RosterError(f"The file has a header row (line {header_line}) but no pupils.")
    return ParsedRoster(
        encoding=decoded.encoding,
        delimiter=decoded.delimiter_name,
        mapping=mapping,
        pupils=pupils,
        rejected=rejected,
        notices=[Notice(message, tuple(lines)) for message, lines in notices.items()],
    )


def _header(rows: Iterable[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for line, cells in rows:
        if any(c.strip() for c in cells):
            return line, cells
    raise RosterError("The file is empty.")


def _entry(
    line: int,
    cells: list[str],
    mapping: HeaderMapping,
    rejected: list[RowProblem],
    notices: dict[str, list[int]],
) -> PupilEntry | None:
    """Check one row; record its problems in `rejected` and return None, or the entry."""
    reasons: list[str] = []
    if len(cells) > len(mapping.headers) and any(c.strip() for c in cells[len(mapping.headers):]):
        reasons.append("has more values than the header row has columns")
    values: dict[str, str] = {}
    for name, index in mapping.columns.items():
        raw = cells[index] if index < len(cells) else ""
        problem = cell_problem(raw.strip())
        if problem:
            reasons.append(f"{name.replace('_', ' ')} {problem}")
            raw = ""
        values[name] = clean(raw)
    pupil_id = values["pupil_id"] or None
    for name, label in (("pupil_id", "pupil id"), ("first_name", "first name"),
                        ("surname", "surname"), ("class", "class")):
        if not values[name] and not any(r.startswith(name.replace("_", " ")) for r in reasons):
            reasons.append(f"missing {label}")
    valid_until = None
    if values.get("consent_expires"):
        try:
            valid_until = parse_date(values["consent_expires"])
        except ValueError as error:
            reasons.append(str(error))
    if reasons:
        rejected.append(RowProblem(line, pupil_id, "; ".join(reasons)))
        return None
    consents = {}
    for name, category in CONSENT_FIELDS.items():
        if name in values:
            value, understood = parse_consent(values[name])
            consents[category] = value
            if not understood:
                _note_consent(notices, category, values[name], line)
    guardians = tuple(g for g in (_guardian(values, 1), _guardian(values, 2)) if g is not None)
    if any(g.name is None for g in guardians):
        notices.setdefault(
            "A contact has an email or phone but no name: used only to group siblings", []
        ).append(line)
    return PupilEntry(
        line=line,
        pupil_id=values["pupil_id"],
        first_name=values["first_name"],
        preferred_name=values.get("preferred_name") or None,
        surname=values["surname"],
        class_name=values["class"],
        year_group=normalise_year(values.get("year_group", "")),
        consents=consents,
        valid_until=valid_until,
        family_id=values.get("family_id") or None,
        guardians=guardians,
    )


def _note_consent(notices: dict[str, list[int]], category: str, value: str, line: int) -> None:
    label = CATEGORY_LABELS[category]
    if value:
        message = f"{label} consent {value!r} is not understood, so counted as not returned"
    else:
        message = f"{label} consent is blank, so counted as not returned"
    notices.setdefault(message, []).append(line)


def _guardian(values: dict[str, str], n: int) -> GuardianEntry | None:
    name = values.get(f"guardian{n}_name") or " ".join(
        part for part in (values.get(f"guardian{n}_forename"), values.get(f"guardian{n}_surname"))
        if part
    )
    entry = GuardianEntry(
        name=name or None,
        relationship=values.get(f"guardian{n}_relationship") or None,
        email=values.get(f"guardian{n}_email") or None,
        phone=values.get(f"guardian{n}_phone") or None,
    )
    if entry.name is None and entry.email is None and entry.phone is None:
        return None
    return entry
