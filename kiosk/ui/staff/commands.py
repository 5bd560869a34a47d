"""Command palette provider: staff actions, offered only while staff mode is unlocked.

The actions are those of the staff screen the palette was opened over (its `StaffDesk`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kiosk.staff import Role, StaffSession, a_role
from kiosk.ui.staff.base import StaffBits
from kiosk.ui.staff.desk import StaffDesk

# (title, help, screen name or action, least role)
COMMANDS: tuple[tuple[str, str, str, Role], ...] = (
    ("Log a violation", "Record someone filming against the rules", "violation", Role.STEWARD),
    ("Event dashboard", "Counts, running order, now on stage", "dashboard", Role.STEWARD),
    ("Check-ins", "Live list, find a family, manual check-in", "checkins", Role.STEWARD),
    ("Headteacher inbox", "Open violations, newest first", "inbox", Role.HEADTEACHER),
    ("Roll call", "Who is in the hall now, for a fire officer; P prints it", "rollcall",
     Role.STEWARD),
    ("Posting check", "May this photo be posted online?", "posting", Role.LEAD),
    ("Consent change", "A guardian withdraws or grants photo permission now", "consent",
     Role.LEAD),
    ("Lost pass", "Cancel a lost pass, check the family in by hand", "lostpass", Role.LEAD),
    ("Reset a staff PIN", "A new PIN for a member of staff (admin)", "pinreset", Role.ADMIN),
    ("Next item on stage", "Move 'now on stage' forward", "stage:1", Role.LEAD),
    ("Previous item on stage", "Move 'now on stage' back", "stage:-1", Role.LEAD),
    ("Staff mode keys", "Help: every key", "help", Role.STEWARD),
    ("Lock staff mode", "Back to the door screen now", "lock", Role.STEWARD),
    ("Close the kiosk", "Quit the door app (lead+; it is recorded who)", "close", Role.LEAD),
)


def refusal(target: str, session: StaffSession) -> str | None:
    """Why this member may not open a screen or run a command; None when they may.

    Checked whichever way a screen is asked for (key, palette, More...), so a screen a
    role may not use never opens, even if a key for it were left showing.
    """
    for title, _help, name, role in COMMANDS:
        if name == target and not session.can(role):
            return f"Only {a_role(role)} or above can use '{title}'."
    return None


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
