"""What an import did (or, with --dry-run, would do): the office's report, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kiosk.roster.problems import HeldLink, IgnoredColumn, Notice, RowProblem

# Why a contact did not group pupils into one family, in the office's words.
HELD_WORDS = {
    "no_responsibility": "has no parental responsibility (or a court order)",
    "shared_widely": "is a contact of more children than a family has",
    "existing_families": "would join two families that already exist",
}


@dataclass(frozen=True)
class PupilChange:
    """One pupil added, changed or marked left, with what changed in words."""

    pupil_id: str
    name: str
    class_name: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentChange:
    """One consent answer from the school record that changes (grant, withdrawal or other)."""

    pupil_id: str
    name: str
    category: str
    before: str | None
    after: str
    kind: str  # "grant", "withdrawal" or "change"


@dataclass(frozen=True)
class FamilyView:
    """One family the import makes or keeps: its id, display name and children's first names."""

    family_id: str
    display_name: str
    children: tuple[str, ...]
    status: str  # "new", "renamed" or "same"


@dataclass
class RosterReport:
    """The outcome of reading and comparing a roster file; `applied` says if it was written."""

    encoding: str
    delimiter: str
    columns: dict[str, str]
    ignored_columns: list[IgnoredColumn]
    rows: int
    warnings: list[str] = field(default_factory=list)
    families: list[FamilyView] = field(default_factory=list)
    held: list[HeldLink] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    added: list[PupilChange] = field(default_factory=list)
    changed: list[PupilChange] = field(default_factory=list)
    left: list[PupilChange] = field(default_factory=list)
    unchanged: int = 0
    grants: list[ConsentChange] = field(default_factory=list)
    withdrawals: list[ConsentChange] = field(default_factory=list)
    consent_changes: list[ConsentChange] = field(default_factory=list)
    families_added: list[str] = field(default_factory=list)
    families_changed: list[str] = field(default_factory=list)
    guardians_added: int = 0
    guardians_changed: int = 0
    guardians_removed: int = 0
    dry_run: bool = False
    applied: bool = False

    @property
    def has_changes(self) -> bool:
        """True when importing would change anything in the database."""
        return any(self.counts()[key] for key in (
            "added", "changed", "left", "families_added", "families_changed",
            "guardians_added", "guardians_changed", "guardians_removed",
        ))

    def counts(self) -> dict[str, int]:
        """Numbers only (what the audit log keeps: no names)."""
        return {
            "rows": self.rows,
            "rejected": len(self.rejected),
            "added": len(self.added),
            "changed": len(self.changed),
            "left": len(self.left),
            "unchanged": self.unchanged,
            "grants": len(self.grants),
            "withdrawals": len(self.withdrawals),
            "families_added": len(self.families_added),
            "families_changed": len(self.families_changed),
            "guardians_added": self.guardians_added,
            "guardians_changed": self.guardians_changed,
            "guardians_removed": self.guardians_removed,
        }

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of an import report."""
        return {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "columns": self.columns,
            "warnings": list(self.warnings),
            "ignored_columns": [asdict(c) for c in self.ignored_columns],
            "dry_run": self.dry_run,
            "applied": self.applied,
            "counts": self.counts(),
            "rejected": [asdict(r) for r in self.rejected],
            "notices": [{"message": n.message, "lines": list(n.lines)} for n in self.notices],
            "added": [asdict(p) for p in self.added],
            "changed": [asdict(p) for p in self.changed],
            "left": [asdict(p) for p in self.left],
            "grants": [asdict(c) for c in self.grants],
            "withdrawals": [asdict(c) for c in self.withdrawals],
            "consent_changes": [asdict(c) for c in self.consent_changes],
            "families_added": self.families_added,
            "families_changed": self.families_changed,
            "families": [asdict(f) for f in self.families],
            "held_links": [
                {"reason": h.reason.value, "why": HELD_WORDS[h.reason.value],
                 "contact": h.contact, "pupil_ids": list(h.pupil_ids)}
                for h in self.held
            ],
        }
