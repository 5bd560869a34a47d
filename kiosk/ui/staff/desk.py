"""What a staff screen is given: the kiosk's context, who is signed in, and the moves.

Staff screens depend on this protocol only; `kiosk.ui.staff.mode.StaffMode` provides it
and `kiosk.ui.staff` (the composition root) hands the mode to every screen it builds, so
no screen imports the mode back.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.staff import StaffSession
from kiosk.ui.context import KioskContext


class StaffDesk(Protocol):
    """The signed-in staff session as screens see it."""

    context: KioskContext
    session: StaffSession | None
    names_revealed: bool  # names of children who may not be filmed, shown on request
    event_name: str
    notice: str  # the staff bar's quiet notice (a pass used at two doors), or ""

    @property
    def staff_id(self) -> int:
        """The signed-in member's id (services check the role with it); -1 when locked."""
        ...

    def touch(self) -> None:
        """A key, tap or scroll: restart the idle count."""
        ...

    def show(self, name: str) -> None:
        """Go to a staff screen by name: dashboard, checkins, inbox, violation or help."""
        ...

    def lock(self, reason: str = "lock_key") -> None:
        """Lock now: forget the session and go back to the door screen."""
        ...

    def move_stage(self, step: int) -> bool:
        """Move "now on stage" forward or back (lead and above); True when it moved."""
        ...

    def close_kiosk(self) -> bool:
        """Close the kiosk app (lead and above; the service checks); True when closing."""
        ...

    def open_palette(self) -> None:
        """Open the command palette with the staff actions."""
        ...
