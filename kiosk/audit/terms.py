"""Who did it and what it was about: the typed actor and subject of an audit entry.

Writers build them (`Actor.staff(3)`, `Subject.checkin(7)`) and the records cross-check
parses them back, so both sides share one spelling. The stored text never changes:
"staff:3", "cli", "unknown", a device or tool name; "checkin:7", "family:F1", "database".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["staff", "cli", "system", "unknown"]
SubjectKind = Literal[
    "checkin", "checkout", "violation", "family", "pupil", "staff", "pass", "event", "item",
    "database", "settings", "retention",
]


@dataclass(frozen=True)
class Actor:
    """Who acted: a staff member (by id), the CLI, a named device or tool, or unknown."""

    kind: ActorKind
    name: str
    staff_id: int | None = None

    @classmethod
    def staff(cls, staff_id: int) -> Actor:
        """A signed-in staff member."""
        return cls("staff", f"staff:{staff_id}", staff_id)

    @classmethod
    def system(cls, name: str) -> Actor:
        """A device or tool acting without a person named (a door's scanner, the demo, cli)."""
        return cls.parse(name)

    @classmethod
    def parse(cls, text: str) -> Actor:
        """The actor a stored text names ('staff:3' -> staff 3; 'cli'; 'unknown'; others)."""
        prefix, colon, number = text.partition(":")
        if prefix == "staff" and colon and number.isdigit():
            return cls("staff", text, int(number))
        if text == "cli":
            return CLI
        if text == "unknown":
            return UNKNOWN
        return cls("system", text)

    @property
    def text(self) -> str:
        """The stored form."""
        return self.name


CLI = Actor("cli", "cli")
UNKNOWN = Actor("unknown", "unknown")


@dataclass(frozen=True)
class Subject:
    """What an entry is about: a kind of record and its id (None for a whole thing)."""

    kind: str
    key: str | None = None

    @classmethod
    def checkin(cls, checkin_id: int) -> Subject:
        """One check-in decision."""
        return cls("checkin", str(checkin_id))

    @classmethod
    def violation(cls, violation_id: int) -> Subject:
        """One violation."""
        return cls("violation", str(violation_id))

    @classmethod
    def of(cls, kind: SubjectKind, key: object = None) -> Subject:
        """A subject of any known kind ('family', 'F1'; 'database')."""
        return cls(kind, None if key is None else str(key))

    @classmethod
    def parse(cls, text: str | None) -> Subject | None:
        """The subject a stored text names, or None when there is none."""
        if text is None:
            return None
        kind, colon, key = text.partition(":")
        return cls(kind, key if colon else None)

    @staticmethod
    def prefix(kind: SubjectKind) -> str:
        """The stored text every subject of `kind` with an id starts with ('checkin:')."""
        return f"{kind}:"

    @property
    def number(self) -> int | None:
        """The record id as a number ('checkin:12' -> 12), or None when it is not one."""
        return int(self.key) if self.key is not None and self.key.isdigit() else None

    @property
    def text(self) -> str:
        """The stored form."""
        return self.kind if self.key is None else f"{self.kind}:{self.key}"
