"""Map the headers of an MIS export to the roster's fixed fields.

Headers are compared case-, space- and punctuation-insensitively ("Reg Group", "reg_group"
and "REGGROUP" are the same). A header spelled exactly as a field always maps to it;
`--map "Header=field"` maps anything else. When several headers fit one field, the most
specific spelling wins (e.g. "Adno" over "UPN") and the others are reported as ignored,
except for event-recording consent: with several candidate columns nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kiosk.roster.errors import RosterError
from kiosk.roster.problems import IgnoredColumn
from kiosk.roster.spellings import (
    BARE_SUFFIXES,
    CONSENT_WORDS,
    CONTACT_WORDS,
    GUARDIAN_ORDINALS,
    GUARDIAN_SUFFIXES,
    GUARDIAN_TEMPLATES,
    OTHER_USES,
    PUPIL_ALIASES,
    RECORDING_WORDS,
)

CONSENT_FIELDS = {
    "consent_event_recording": "event_recording",
    "consent_website": "website",
    "consent_social_media": "social_media",
    "consent_press": "press",
}
EVENT_CONSENT_FIELDS = ("consent_event_recording", "consent_list")
GUARDIAN_PARTS = ("name", "relationship", "email", "phone", "responsibility", "priority",
                  "court_order")
FIELDS: tuple[str, ...] = (
    "pupil_id", "first_name", "preferred_name", "surname", "class", "year_group",
    *CONSENT_FIELDS, "consent_list", "consent_expires", "family_id",
    *(f"guardian{n}_{part}" for n in (1, 2) for part in GUARDIAN_PARTS),
)
# Accepted by --map too: a guardian's forename and surname in separate columns are joined.
NAME_PART_FIELDS: tuple[str, ...] = tuple(
    f"guardian{n}_{part}" for n in (1, 2) for part in ("forename", "surname")
)
REQUIRED = ("pupil_id", "first_name", "surname", "class")


def normalise_header(text: str) -> str:
    """The comparison key of a header: lower case letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _alias_table() -> dict[str, tuple[str, int]]:
    """Normalised spelling -> (field, rank); rank 0 is the field's own name."""
    table: dict[str, tuple[str, int]] = {}

    def add(spelling: str, target: str, rank: int) -> None:
        if spelling:
            table.setdefault(spelling, (target, rank))

    for name in (*FIELDS, *NAME_PART_FIELDS):
        add(normalise_header(name), name, 0)
    for target, spellings in PUPIL_ALIASES.items():
        for rank, spelling in enumerate(spellings, start=1):
            add(spelling, target, rank)
    for n in (1, 2):
        templates = (*GUARDIAN_TEMPLATES, *GUARDIAN_ORDINALS[n])
        for part, suffixes in GUARDIAN_SUFFIXES.items():
            if part == "name":
                suffixes = (*suffixes, "")
            for t_rank, template in enumerate(templates):
                for s_rank, suffix in enumerate(suffixes):
                    if template == "{s}" and suffix not in BARE_SUFFIXES:
                        continue
                    spelling = template.format(n=n, s=suffix)
                    add(spelling, f"guardian{n}_{part}", 1 + t_rank * 20 + s_rank)
    return table


ALIASES = _alias_table()


@dataclass(frozen=True)
class Override:
    """One `--map` item: the header as the user wrote it, its key, and the field."""

    header: str
    key: str
    target: str


@dataclass(frozen=True)
class HeaderMapping:
    """Which column holds which field, and which columns were left out (with why)."""

    columns: dict[str, int]
    headers: tuple[str, ...]
    ignored: tuple[IgnoredColumn, ...] = ()
    mapped: dict[str, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """True when some column holds field `name`."""
        return name in self.columns


def parse_overrides(items: Iterable[str] | Mapping[str, str]) -> list[Override]:
    """Turn `--map "Header Name=field"` strings (or a {header: field} dict) into overrides."""
    pairs = items.items() if isinstance(items, Mapping) else (_split(item) for item in items)
    overrides: list[Override] = []
    allowed = (*FIELDS, *NAME_PART_FIELDS)
    for header, target in pairs:
        target = target.strip()
        if target not in allowed:
            raise RosterError(
                f"--map {header}={target}: {target!r} is not a roster field; "
                f"the fields are {', '.join(FIELDS)}."
            )
        key = normalise_header(header)
        if not key:
            raise RosterError(f"--map {header}={target}: the column name is empty.")
        overrides.append(Override(header.strip(), key, target))
    return overrides


def _split(item: str) -> tuple[str, str]:
    if "=" not in item:
        raise RosterError(f'--map {item!r} must look like "Header Name=field".')
    header, target = item.rsplit("=", 1)
    return header, target


def header_score(cells: Sequence[str], overrides: Sequence[Override]) -> int:
    """How many distinct fields a row names (to find the header under title lines)."""
    wanted = {o.key: o.target for o in overrides}
    found = set()
    for cell in cells:
        key = normalise_header(cell)
        target = wanted.get(key) or (ALIASES[key][0] if key in ALIASES else None)
        if target:
            found.add(target)
    return len(found)


def looks_like_recording(key: str) -> bool:
    """True for an unused header that could hold event-recording consent."""
    return any(w in key for w in RECORDING_WORDS) and not any(w in key for w in OTHER_USES)


def _why_ignored(header: str) -> IgnoredColumn:
    key = normalise_header(header)
    if any(w in key for w in CONSENT_WORDS):
        return IgnoredColumn(header, "looks like a consent column but is not used", True)
    if any(w in key for w in CONTACT_WORDS):
        return IgnoredColumn(header, "looks like a contact column but is not used", True)
    return IgnoredColumn(header, "not a roster field")


def map_headers(
    headers: Sequence[str], overrides: Sequence[Override], header_line: int = 1
) -> HeaderMapping:
    """Decide the column of every field present; raise RosterError if a required one is missing."""
    keys = [normalise_header(h) for h in headers]
    wanted = {o.key: o.target for o in overrides}
    for override in overrides:
        if override.key not in keys:
            shown = " | ".join(h for h in headers if h.strip())
            raise RosterError(
                f"--map names a column that is not in the file: {override.header!r} (for "
                f"{override.target}); the header row was taken from line {header_line}: {shown}."
            )
    candidates: dict[str, list[tuple[int, int]]] = {}
    ignored: list[tuple[int, IgnoredColumn]] = []
    for index, key in enumerate(keys):
        if key in wanted:
            candidates.setdefault(wanted[key], []).append((-1, index))
        elif key in ALIASES:
            target, rank = ALIASES[key]
            candidates.setdefault(target, []).append((rank, index))
        elif headers[index].strip():
            ignored.append((index, _why_ignored(headers[index])))
    _refuse_to_guess_event_consent(headers, keys, candidates)
    columns: dict[str, int] = {}
    for target, found in candidates.items():
        found.sort()
        columns[target] = found[0][1]
        for _, index in found[1:]:
            taken = f"{target} is taken from {headers[found[0][1]]!r}"
            ignored.append((index, IgnoredColumn(headers[index], taken)))
    if "consent_event_recording" in columns and "consent_list" in columns:
        index = columns.pop("consent_list")
        source = headers[columns["consent_event_recording"]]
        taken = f"event-recording consent is taken from {source!r}"
        ignored.append((index, IgnoredColumn(headers[index], taken)))
    for n in (1, 2):
        if f"guardian{n}_name" in columns:
            for part in ("forename", "surname"):
                if f"guardian{n}_{part}" in columns:
                    index = columns.pop(f"guardian{n}_{part}")
                    whole = IgnoredColumn(headers[index], f"guardian{n}_name is given whole")
                    ignored.append((index, whole))
    missing = [name for name in REQUIRED if name not in columns]
    if not any(name in columns for name in EVENT_CONSENT_FIELDS):
        missing.append("consent_event_recording")
    if missing:
        raise RosterError(
            f"The file has no column for {', '.join(missing)} (header row: line "
            f'{header_line}); name the column with --map "Header Name={missing[0]}".'
        )
    order = sorted(columns.items(), key=lambda pair: pair[1])
    return HeaderMapping(
        columns=dict(order),
        headers=tuple(headers),
        ignored=tuple(column for _, column in sorted(ignored, key=lambda pair: pair[0])),
        mapped={headers[index]: target for target, index in order},
    )


def _refuse_to_guess_event_consent(
    headers: Sequence[str], keys: Sequence[str], candidates: dict[str, list[tuple[int, int]]]
) -> None:
    """Several columns that could hold event-recording consent: the user must name one."""
    chosen = [
        (rank, index) for name in EVENT_CONSENT_FIELDS for rank, index in candidates.get(name, [])
    ]
    if any(rank <= 0 for rank, _ in chosen):
        return  # named with --map, or a column called exactly consent_event_recording
    possible = sorted({index for _, index in chosen} | {
        index for index, key in enumerate(keys)
        if key not in ALIASES and looks_like_recording(key)
    })
    if len(possible) > 1:
        names = ", ".join(repr(headers[i]) for i in possible)
        raise RosterError(
            f"Several columns could be the event-recording consent ({names}), so none is "
            f'guessed; name the right one with --map "{headers[possible[-1]]}'
            '=consent_event_recording".'
        )
