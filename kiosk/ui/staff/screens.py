"""Staff screens by name, so the mode, the keys and the palette open them the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from kiosk.ui.staff.mode import StaffMode


def make(name: str, mode: StaffMode) -> Screen:
    """A new staff screen: dashboard, checkins, inbox, violation or help."""
    from kiosk.ui.staff.checkins import CheckinsScreen
    from kiosk.ui.staff.dashboard import DashboardScreen
    from kiosk.ui.staff.help import HelpScreen
    from kiosk.ui.staff.inbox import InboxScreen
    from kiosk.ui.staff.violation import ViolationForm

    screens = {"dashboard": DashboardScreen, "checkins": CheckinsScreen,
               "inbox": InboxScreen, "violation": ViolationForm, "help": HelpScreen}
    return screens[name](mode)
