"""Passes that came in at one door and again at another within minutes: a staff notice.

A pass let in at the North door and shown again at the South door ten minutes later may
have been passed back through the fence. The door still says "welcome back" (the family
may simply have gone out and round); staff get a quiet notice on the dashboard naming the
family, both doors and both times. Never on the parent's card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.config import DOOR_CHANGE_MINUTES
from kiosk.staff import Role, require_role
from kiosk.store import Store


@dataclass(frozen=True)
class DoorChange:
    """One pass used at two doors within minutes: who, which pass, where and when."""

    family_id: str
    family_name: str
    pass_ref: str
    first_door: str
    first_at: datetime
    again_door: str
    again_at: datetime

    @property
    def text(self) -> str:
        """'Rose family: pass K7QM came in at North door at 18:02 and again at South ...'."""
        minutes = int((self.again_at - self.first_at).total_seconds() // 60)
        gap = "under a minute" if minutes < 1 else f"{minutes} min"
        return (f"{self.family_name} family: pass {self.pass_ref} came in at {self.first_door}"
                f" at {self.first_at:%H:%M} and again at {self.again_door} at"
                f" {self.again_at:%H:%M} ({gap} later). Is the pass being shared?")


    @property
    def short(self) -> str:
        """The staff bar's line: 'Khan family: North door 18:02, again South door 18:05'."""
        return (f"{self.family_name} family: {self.first_door} {self.first_at:%H:%M},"
                f" again {self.again_door} {self.again_at:%H:%M}")


def door_changes(store: Store, event_id: str, *, staff_id: int,
                 within: timedelta = timedelta(minutes=DOOR_CHANGE_MINUTES)
                 ) -> list[DoorChange]:
    """Re-entries at another door within `within` of the pass's use before, newest first."""
    require_role(store, staff_id, Role.STEWARD)
    found = []
    for row in store.checkins.door_changes(event_id):
        first_at = datetime.fromisoformat(row["first_at"])
        again_at = datetime.fromisoformat(row["again_at"])
        if again_at - first_at <= within:
            found.append(DoorChange(
                row["family_id"], row["family_name"] or "A", row["pass_ref"] or "?",
                row["first_door"], first_at, row["again_door"], again_at))
    return sorted(found, key=lambda change: change.again_at, reverse=True)
