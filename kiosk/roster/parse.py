"""Read an MIS export into checked rows, collecting every row's problems.

Each data row becomes a RowEntry; kiosk.roster.gather then joins the rows of one pupil
(one-row-per-contact and one-row-per-consent files). Consent words the importer does
not know are collected, never guessed: the import is refused listing each with its count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.consent import Value
from kiosk.roster.errors import RosterError
from kiosk.roster.gather import GuardianEntry, PupilEntry, RowEntry, gather
from kiosk.roster.headers import (
    CONSENT_FIELDS,
    HeaderMapping,
    looks_like_recording,
    map_headers,
    normalise_header,
    parse_overrides,
)
from kiosk.roster.problems import Notice, RowProblem
from kiosk.roster.table import load_table, split_footer
from kiosk.roster.values import (
    cell_problem,
    clean,
    normalise_year,
    parse_date,
    parse_flag,
    unwrap_excel,
    unwrap_id,
)
from kiosk.roster.vocabulary import Vocabulary, parse_values

_NAMED = (("pupil_id", "pupil id"), ("first_name", "first name"), ("surname", "surname"),
          ("class", "class"))
_ID_FIELDS = frozenset({"pupil_id", "family_id", "guardian1_phone", "guardian2_phone"})
_SHOWN_UNKNOWN = 12


@dataclass(frozen=True)
class ParsedRoster:
    """The whole file, read and checked, before any comparison with the database."""

    encoding: str
    delimiter: str
    mapping: HeaderMapping
    pupils: list[PupilEntry]
    rejected: list[RowProblem]
    notices: list[Notice]
    rows: int = 0

    @property
    def categories(self) -> tuple[str, ...]:
        """The consent categories the file has a column for."""
        found = {c for f, c in CONSENT_FIELDS.items() if self.mapping.has(f)}
        if self.mapping.has("consent_list"):
            found.add("event_recording")
        return tuple(c for c in CONSENT_FIELDS.values() if c in found)

    @property
    def has_expiry(self) -> bool:
        """True when the file has a consent-expiry column (else stored expiries are kept)."""
        return self.mapping.has("consent_expires")


def read_roster(
    data: bytes,
    overrides: Iterable[str] | Mapping[str, str] = (),
    values: Iterable[str] | Mapping[str, str] = (),
    sheet: str | None = None,
) -> ParsedRoster:
    """Decode, find the header, map it and check every row; RosterError for file problems."""
    parsed_overrides = parse_overrides(overrides)
    vocabulary = parse_values(values)
    table = load_table(data, parsed_overrides, sheet)
    headers = [clean(h) for h in table.headers]
    try:
        mapping = map_headers(headers, parsed_overrides, table.header_line)
    except RosterError as error:
        if table.other_sheets and sheet is None:
            others = ", ".join(repr(n) for n in table.other_sheets)
            raise RosterError(
                f"{str(error).rstrip('.')}. This is the workbook's first sheet; it also has "
                f"{others}: choose one with --sheet NAME."
            ) from None
        raise
    rejected: list[RowProblem] = []
    notices: dict[str, list[int]] = {}
    unknown: Counter[tuple[str, str]] = Counter()
    entries = []
    data_rows, footer = split_footer(table.rows, mapping.columns["pupil_id"])
    for line, cells in data_rows:
        if any(c.strip() for c in cells):
            entry = _entry(line, cells, mapping, vocabulary, rejected, unknown)
            if entry is not None:
                entries.append(entry)
    if unknown:
        raise RosterError(_unknown_message(unknown))
    pupils = gather(entries, mapping.has("consent_list"), vocabulary, rejected, notices)
    if not pupils and not rejected:
        raise RosterError(f"The file has a header row (line {table.header_line}) but no pupils.")
    if table.title_lines:
        notices[f"Lines above the header (line {table.header_line}) were skipped as titles"] = (
            list(table.title_lines))
    if footer.lines:
        notices[f"Short lines below the last pupil were skipped as a footer "
                f"({footer.text!r})"] = list(footer.lines)
    rejected.sort(key=lambda p: p.line)
    return ParsedRoster(
        encoding=table.encoding,
        delimiter=table.delimiter,
        mapping=mapping,
        pupils=pupils,
        rejected=rejected,
        notices=[Notice(message, tuple(lines)) for message, lines in notices.items()],
        rows=sum(1 for _, cells in data_rows if any(c.strip() for c in cells)),
    )


def _unknown_message(unknown: Counter[tuple[str, str]]) -> str:
    ranked = sorted(unknown.items(), key=lambda item: (-item[1], item[0]))
    shown = "; ".join(
        f"{text!r} in {column!r} ({count} row{'s' if count != 1 else ''})"
        for (column, text), count in ranked[:_SHOWN_UNKNOWN]
    )
    more = f"; and {len(ranked) - _SHOWN_UNKNOWN} more" if len(ranked) > _SHOWN_UNKNOWN else ""
    example = ranked[0][0][1]
    count = f"{len(ranked)} consent answer{'s are' if len(ranked) != 1 else ' is'}"
    return (
        f"Nothing was imported: {count} not understood ({shown}{more}); say what each means with "
        f'--value "{example}=granted|refused|not_returned" (repeatable).'
    )


def _entry(
    line: int,
    cells: list[str],
    mapping: HeaderMapping,
    vocabulary: Vocabulary,
    rejected: list[RowProblem],
    unknown: Counter[tuple[str, str]],
) -> RowEntry | None:
    """Check one row; record its problems in `rejected` and return None, or the entry."""
    reasons: list[str] = []
    bad: set[str] = set()
    if len(cells) > len(mapping.headers) and any(c.strip() for c in cells[len(mapping.headers):]):
        reasons.append("has more values than the header row has columns")
    values: dict[str, str] = {}
    for name, index in mapping.columns.items():
        raw = cells[index] if index < len(cells) else ""
        raw = unwrap_id(raw) if name in _ID_FIELDS else unwrap_excel(raw)
        problem = cell_problem(raw.strip())
        if problem:
            reasons.append(f"{name.replace('_', ' ')} {problem}")
            bad.add(name)
            raw = ""
        values[name] = clean(raw)
    pupil_id = values["pupil_id"] or None
    for name, label in _NAMED:
        if not values[name] and name not in bad:
            reasons.append(f"missing {label}")
    valid_until = None
    if values.get("consent_expires"):
        try:
            valid_until = parse_date(values["consent_expires"])
        except ValueError as error:
            reasons.append(str(error))
    consents: dict[str, Value] = {}
    for name, category in CONSENT_FIELDS.items():
        if name in values:
            answer = vocabulary.answer(values[name])
            if answer is None:
                header = mapping.headers[mapping.columns[name]]
                unknown[(header, values[name])] += 1
                answer = Value.NOT_RETURNED
            consents[category] = answer
    ticked = values.get("consent_list", "")
    if ticked and not vocabulary.is_list_known(ticked) and looks_like_recording(
            normalise_header(ticked)):
        unknown[(mapping.headers[mapping.columns["consent_list"]], ticked)] += 1
    if reasons:
        rejected.append(RowProblem(line, pupil_id, "; ".join(reasons)))
        return None
    guardians = tuple(g for g in (_guardian(values, 1), _guardian(values, 2)) if g is not None)
    return RowEntry(
        line=line,
        pupil_id=values["pupil_id"],
        fields={
            "first name": values["first_name"],
            "preferred name": values.get("preferred_name", ""),
            "surname": values["surname"],
            "class": values["class"],
            "year group": normalise_year(values.get("year_group", "")),
            "family id": values.get("family_id", ""),
            "consent expiry": valid_until.isoformat() if valid_until else "",
            **{f"{c.replace('_', ' ')} consent": v.value for c, v in consents.items()},
        },
        consents=consents,
        blank_consents=tuple(c for c in consents if not values[f"consent_{c}"]),
        ticked=ticked,
        valid_until=valid_until,
        guardians=guardians,
    )


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
        responsibility=parse_flag(values.get(f"guardian{n}_responsibility", "")),
        court_order=bool(parse_flag(values.get(f"guardian{n}_court_order", ""))),
        priority=values.get(f"guardian{n}_priority") or None,
    )
    if entry.name is None and entry.email is None and entry.phone is None:
        return None
    return entry

