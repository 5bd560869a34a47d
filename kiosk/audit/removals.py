"""What purges, erasures and forced event deletes say they removed, read from the audit log.

The records cross-check (kiosk.audit.records) does not flag what these entries account for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kiosk.audit.details import erasure_detail, purge_detail
from kiosk.audit.terms import Subject
from kiosk.store import Store


@dataclass
class Removals:
    """What purges and erasures say they removed (so it is not flagged as tampering).

    Entries written since the audit key list the ids they removed (`exact`); older ones
    only counts, which are then believed as before.
    """

    purged_violations: set[int] = field(default_factory=set)
    purged_events: set[str] = field(default_factory=set)
    purged_checkins: int = 0
    erased_checkins: int = 0
    erasure_kept: set[int] = field(default_factory=set)
    personal_entries: set[int] = field(default_factory=set)
    checkin_ids: set[int] = field(default_factory=set)
    pass_ids: set[int] = field(default_factory=set)
    exact: bool = True


def read_removals(store: Store) -> Removals:
    """Read every purge and erasure entry's counts and ids."""
    found = Removals()
    for entry in store.audit.entries_of_actions(
        ("retention.purged", "family.erased", "event.deleted")
    ):
        if entry["action"] == "event.deleted":  # a forced delete took its check-ins along
            event = Subject.parse(entry["subject"])
            found.purged_events.add(event.key if event and event.key else "")
            deleted = json.loads(entry["detail"])
            found.purged_checkins += int(deleted.get("checkins", 0))
            found.checkin_ids.update(deleted.get("checkin_ids", []))
            continue
        if entry["action"] == "retention.purged":
            purge = purge_detail(entry["detail"])
            found.purged_violations.update(purge.get("violation_ids", []))
            found.purged_events.update(purge.get("checkin_events", []))
            found.purged_checkins += int(purge.get("checkins", 0))
            listed = purge
        else:
            erasure = erasure_detail(entry["detail"])
            found.erasure_kept.update(erasure.get("violations_kept", []))
            found.erased_checkins += int(erasure.get("checkins", 0))
            found.pass_ids.update(erasure.get("pass_ids", []))
            listed = erasure  # type: ignore[assignment]
        if "personal_entries" not in listed or "checkin_ids" not in listed:
            found.exact = False
        found.personal_entries.update(listed.get("personal_entries", []))
        found.checkin_ids.update(listed.get("checkin_ids", []))
    return found
