"""Each door of an event at a glance, for the staff dashboard: counts and when it last answered.

A door is a kiosk id (a terminal's name, or a tablet door's name under `kiosk serve`). A door
that has answered nobody for a while may have lost its tablet or its Wi-Fi: staff see how
long ago its last decision was. Counts only, no names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.staff import Role, require_role
from kiosk.store import Store


@dataclass(frozen=True)
class DoorLine:
    """One door's decisions for the event."""

    door: str
    admitted: int
    re_entries: int
    refused: int
    last_at: datetime | None

    def words(self, now: datetime) -> str:
        """'North door: 41 in, 3 re-entries, 2 refused, last 2 min ago'."""
        again = "re-entry" if self.re_entries == 1 else "re-entries"
        text = f"{self.door}: {self.admitted} in, {self.re_entries} {again}, {self.refused} refused"
        if self.last_at is not None:
            minutes = max(0, int((now - self.last_at).total_seconds() // 60))
            text += ", last just now" if minutes == 0 else f", last {minutes} min ago"
        return text


def door_lines(store: Store, event_id: str, *, staff_id: int) -> list[DoorLine]:
    """Every door that answered at this event, by name (any signed-in staff member)."""
    require_role(store, staff_id, Role.STEWARD)
    return [
        DoorLine(str(row["kiosk_id"]), int(row["admitted"]), int(row["re_entries"]),
                 int(row["refused"]),
                 datetime.fromisoformat(row["last_at"]) if row["last_at"] else None)
        for row in store.checkins.per_door(event_id)
    ]
