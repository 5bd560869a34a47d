"""Plain records of what is wrong with (or worth noting about) an import, as data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class RowProblem:
    """A rejected row: its line in the file and a plain reason."""

    line: int
    pupil_id: str | None
    reason: str


@dataclass(frozen=True)
class Notice:
    """Something accepted but worth the office's attention, with the lines it concerns."""

    message: str
    lines: tuple[int, ...]


@dataclass(frozen=True)
class IgnoredColumn:
    """A column the importer does not use; `loud` when it looks like contacts or consents."""

    column: str
    why: str
    loud: bool = False


class HeldReason(StrEnum):
    """Why a link between pupils was not used to group them (without --allow-merge)."""

    NO_RESPONSIBILITY = "no_responsibility"
    SHARED_WIDELY = "shared_widely"
    EXISTING_FAMILIES = "existing_families"


@dataclass(frozen=True)
class HeldLink:
    """Pupils a contact would have joined into one family, kept apart."""

    reason: HeldReason
    contact: str
    pupil_ids: tuple[str, ...]
