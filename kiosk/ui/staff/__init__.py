"""Staff mode for the kiosk app: PIN, dashboard, check-ins, violations, inbox, help.

The door app calls `enter_staff_mode(app)` from its staff key; the app must have
`store`, `clock`, `event_id` and `kiosk_id`, and may have `idle_lock` (seconds). The
mode is kept as `app.staff_mode`. Staff screens count their own keys and taps as
activity; an app may also call `app.staff_mode.note_activity(event)` from `on_event`.
"""

from __future__ import annotations

from textual.app import App

from kiosk.ui.staff.commands import StaffCommands
from kiosk.ui.staff.mode import IDLE_LOCK_SECONDS, StaffMode


def staff_mode_for(app: App) -> StaffMode:
    """The app's staff mode, created on first use from the app's store, clock and event."""
    mode = getattr(app, "staff_mode", None)
    if not isinstance(mode, StaffMode):
        mode = StaffMode(
            app, store=app.store, clock=app.clock, event_id=app.event_id,
            kiosk_id=app.kiosk_id, idle_lock=getattr(app, "idle_lock", IDLE_LOCK_SECONDS),
        )
        app.staff_mode = mode
    return mode


def enter_staff_mode(app: App, then: str = "dashboard") -> None:
    """Ask for a PIN over the door screen, then show `then` (or show it if unlocked)."""
    staff_mode_for(app).unlock(then)


__all__ = ["IDLE_LOCK_SECONDS", "StaffCommands", "StaffMode", "enter_staff_mode",
           "staff_mode_for"]
