"""Staff mode for the kiosk app: PIN, dashboard, check-ins, violations, inbox, night tasks.

This package is the composition root: it builds the registry of staff screens (name ->
factory) and gives it to a `StaffMode`. Screens get the mode as a `StaffDesk` and never
import the mode's module; the mode imports no screen. The door app creates its mode with
`staff_mode(app, context, on_lock=...)` and opens it with `mode.unlock()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.command import CommandPalette

from kiosk.ui.context import KioskContext
from kiosk.ui.staff.actions import ActionsScreen
from kiosk.ui.staff.base import SCAN_NOTICE
from kiosk.ui.staff.checkins import CheckinsScreen
from kiosk.ui.staff.commands import StaffCommands
from kiosk.ui.staff.consent import ConsentScreen
from kiosk.ui.staff.dashboard import DashboardScreen
from kiosk.ui.staff.desk import StaffDesk
from kiosk.ui.staff.help import HelpScreen
from kiosk.ui.staff.inbox import InboxScreen
from kiosk.ui.staff.lostpass import LostPassScreen
from kiosk.ui.staff.mode import StaffMode, StaffScreens
from kiosk.ui.staff.pin import PinScreen
from kiosk.ui.staff.pinreset import PinResetScreen
from kiosk.ui.staff.posting import PostingScreen
from kiosk.ui.staff.rollcall import RollCallScreen
from kiosk.ui.staff.violation import ViolationForm


def staff_palette() -> CommandPalette:
    """The command palette offering staff actions only."""
    return CommandPalette(providers=[StaffCommands], placeholder="Staff actions…")


def posting_screen(desk: StaffDesk) -> PostingScreen:
    """The posting check for the signed-in member (lead and above: the service checks)."""
    context = desk.context
    return PostingScreen(store=context.store, clock=context.clock, staff_id=desk.staff_id,
                         kiosk_id=context.kiosk_id, event_id=context.event_id, lock=desk.lock)


STAFF_SCREENS = StaffScreens(
    pages={"dashboard": DashboardScreen, "checkins": CheckinsScreen, "inbox": InboxScreen,
           "violation": ViolationForm, "help": HelpScreen, "posting": posting_screen,
           "rollcall": RollCallScreen, "consent": ConsentScreen, "lostpass": LostPassScreen,
           "pinreset": PinResetScreen, "actions": ActionsScreen},
    sign_in=PinScreen,
    palette=staff_palette,
)


def staff_mode(app: App[Any], context: KioskContext, *,
               on_lock: Callable[[], None] | None = None) -> StaffMode:
    """A locked staff mode for `app` over the kiosk's context; `on_lock` runs on every lock."""
    return StaffMode(app, context, STAFF_SCREENS, on_lock=on_lock)


__all__ = ["SCAN_NOTICE", "STAFF_SCREENS", "StaffCommands", "StaffMode", "staff_mode"]
