"""The quiet notices on the staff dashboard: things staff should know, never on a door card.

Flagged families here or expected (kiosk.views.staffdesk.flag_notices), e-mail to the
headteacher not yet delivered (kiosk.notify.outbox), a pass used again at another door
within minutes (kiosk.views.door_changes), and, when more than one door is
answering, each door's counts and how long ago it last answered (kiosk.views.doors).
"""

from __future__ import annotations

from datetime import datetime

from kiosk.notify.outbox import undelivered_line
from kiosk.staff import Role, require_role
from kiosk.store import Store
from kiosk.views.door_changes import door_changes
from kiosk.views.doors import door_lines
from kiosk.views.staffdesk import flag_notices


def staff_notices(store: Store, event_id: str, *, staff_id: int, now: datetime) -> list[str]:
    """One line per notice, most urgent first (any signed-in staff member)."""
    require_role(store, staff_id, Role.STEWARD)
    lines = [notice.text for notice in flag_notices(store, event_id, staff_id)]
    lines += [change.text for change in door_changes(store, event_id, staff_id=staff_id)]
    mail = undelivered_line(store)
    if mail:
        lines.append(mail)
    doors = door_lines(store, event_id, staff_id=staff_id)
    if len(doors) > 1:
        lines += [door.words(now) for door in doors]
    return lines
