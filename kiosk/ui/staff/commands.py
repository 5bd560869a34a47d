"""Command palette provider: staff actions, offered only while staff mode is unlocked.

The actions are those of the staff screen the palette was opened over (its `StaffDesk`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kiosk.ui.staff.base import COMMANDS, StaffBits
from kiosk.ui.staff.desk import StaffDesk


def run(mode: StaffDesk, target: str) -> None:
    """Carry out one palette command."""
    if target == "lock":
        mode.lock("lock_key")
    elif target == "close":
        mode.close_kiosk()
    elif target.startswith("stage:"):
        mode.move_stage(int(target.split(":", 1)[1]))
    else:
        mode.show(target)


class StaffCommands(Provider):
    """Staff actions for the signed-in member's role; nothing at all while locked."""

    def available(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(title, help, callback) for each action open to the signed-in member."""
        screen = self.screen  # the screen the palette was opened over
        mode = screen.mode if isinstance(screen, StaffBits) else None
        if mode is None or mode.session is None:
            return []
        return [(title, text, partial(run, mode, target))
                for title, text, target, role in COMMANDS if mode.session.can(role)]

    async def discover(self) -> Hits:
        """Every allowed staff action, when the palette opens empty."""
        for title, text, callback in self.available():
            yield DiscoveryHit(title, callback, help=text)

    async def search(self, query: str) -> Hits:
        """Allowed staff actions matching what was typed."""
        matcher = self.matcher(query)
        for title, text, callback in self.available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=text)
