"""The roll call: who is in the hall now, party by party, for a fire officer.

A party is one pass of a family (or the family checked in by hand). It is in the hall
when it was admitted (not undone) and has not checked out since it last came in; at an
event without check-out everyone admitted counts as in. Each line carries the family
name (staff and the fire officer only: never a door screen), the pass, the door and
time it last came in, and its party size where the event counts people.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from kiosk.audit.log import noted_now
from kiosk.events import get_event
from kiosk.staff import Role, require_role
from kiosk.store import Store

BY_HAND = "checked in by hand"


@dataclass(frozen=True)
class RollCallLine:
    """One party in the hall."""

    family: str
    party: str  # "pass 7F3K (Grandparents)" or "checked in by hand"
    door: str
    at: datetime
    people: int | None


@dataclass(frozen=True)
class RollCall:
    """Everyone in the hall at `taken_at`, with the totals a fire officer asks for."""

    event_id: str
    event_name: str
    event_date: str
    taken_at: datetime
    check_out: bool  # False: nobody scans out, so "in" means "came in"
    lines: tuple[RollCallLine, ...]
    left: int  # parties that checked out and have not come back
    audit_heads: str = ""  # the chain heads when it was taken (kiosk.audit.log)

    @property
    def families(self) -> int:
        """Families with at least one party in."""
        return len({line.family for line in self.lines})

    @property
    def people(self) -> int | None:
        """People in, when every party's size is known (the event counts people)."""
        sizes = [line.people for line in self.lines]
        return sum(s for s in sizes if s is not None) if sizes and None not in sizes else None

    def rows(self) -> list[dict[str, Any]]:
        """Plain rows (table, CSV): family, party, door, time, people."""
        return [{**asdict(line), "at": f"{line.at:%H:%M}"} for line in self.lines]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of `kiosk rollcall --format json`."""
        return {
            "event": {"id": self.event_id, "name": self.event_name, "date": self.event_date},
            "taken_at": self.taken_at.isoformat(), "check_out": self.check_out,
            "families": self.families, "parties": len(self.lines), "people": self.people,
            "left": self.left,
            "in_hall": [{**asdict(line), "at": line.at.isoformat()} for line in self.lines],
            "audit_heads": self.audit_heads.splitlines(),
        }


def _party(row: dict[str, Any]) -> str:
    if row["pass_ref"] is None:
        return BY_HAND
    label = f" ({row['pass_label']})" if row["pass_label"] else ""
    return f"pass {row['pass_ref']}{label}"


def roll_call(store: Store, event_id: str, *, now: datetime,
              staff_id: int | None = None) -> RollCall:
    """Who is in the hall now. From staff mode pass `staff_id` (any signed-in staff)."""
    if staff_id is not None:
        require_role(store, staff_id, Role.STEWARD)
    event = get_event(store, event_id)
    lines: list[RollCallLine] = []
    left = 0
    for row in store.checkins.live_admissions(event_id):
        out = row["last_out_at"]
        if out is not None and out >= row["last_in_at"]:
            left += 1
            continue
        lines.append(RollCallLine(
            family=row["family_name"] or "(family erased)", party=_party(row),
            door=row["last_in_kiosk"], at=datetime.fromisoformat(row["last_in_at"]),
            people=row["party_size"],
        ))
    return RollCall(event["id"], event["name"], event["date"], now, bool(event["check_out"]),
                    tuple(lines), left, noted_now(store))
