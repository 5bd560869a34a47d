"""Staff mode: sign in over the door screen, move between staff screens, lock.

The door screen is always the locked state: staff screens are stacked over it, and
locking (the lock key, the Lock button, or idle time running out) pops them all at
once, forgets the session, hides any revealed names and clears staff toasts. Idle time
is measured with the app's injected clock, checked once a second, so tests drive it
without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.timer import Timer

from kiosk.errors import KioskError
from kiosk.events import get_event, move_now_on_stage
from kiosk.safetext import safe_text
from kiosk.staff import Role, StaffSession, sign_out
from kiosk.store import Store

IDLE_LOCK_SECONDS = 120.0
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
            events.Paste)
TOP_SCREENS = ("dashboard", "checkins", "inbox")


class StaffMode:
    """One kiosk's staff mode: who is signed in, idle lock, which staff screen shows."""

    def __init__(self, app: App, *, store: Store, clock: Callable[[], datetime],
                 event_id: str, kiosk_id: str, idle_lock: float = IDLE_LOCK_SECONDS) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self.event_id = event_id
        self.kiosk_id = kiosk_id
        self.idle_lock = idle_lock
        self.session: StaffSession | None = None
        self.names_revealed = False
        self.last_activity: datetime | None = None
        self._timer: Timer | None = None

    @property
    def unlocked(self) -> bool:
        """True while a staff member is signed in on this kiosk."""
        return self.session is not None

    @property
    def staff_id(self) -> int:
        """The signed-in member's id (services check the role with it)."""
        return self.session.staff_id if self.session else -1

    @property
    def event_name(self) -> str:
        """The event's name for the staff bar."""
        try:
            return get_event(self.store, self.event_id)["name"]
        except KioskError:
            return self.event_id

    def note_activity(self, event: events.Event) -> None:
        """Count keys, clicks, scrolls and pastes as activity (call from App.on_event)."""
        if isinstance(event, ACTIVITY):
            self.touch()

    def touch(self) -> None:
        """Something happened in staff mode: restart the idle count."""
        if self.session is not None:
            self.last_activity = self.clock()

    def seconds_left(self) -> float:
        """Seconds until the idle lock (0 when locked or due)."""
        if self.session is None or self.last_activity is None:
            return 0.0
        idle = (self.clock() - self.last_activity).total_seconds()
        return max(0.0, self.idle_lock - idle)

    def check_idle(self) -> bool:
        """Lock when idle for `idle_lock` seconds; True when it locked."""
        if self.session is not None and self.seconds_left() <= 0:
            self.lock("idle")
            return True
        return False

    def unlock(self, then: str = "dashboard") -> None:
        """Ask for a PIN (or, when signed in already, just show `then`)."""
        if self.session is not None:
            self.show(then)
            return
        from kiosk.ui.staff.pin import PinScreen

        def signed_in(session: StaffSession | None) -> None:
            if session is not None:
                self.start(session, then)

        self.app.push_screen(PinScreen(self), callback=signed_in)

    def start(self, session: StaffSession, then: str = "dashboard") -> None:
        """Begin a staff session (after a right PIN) and show the first staff screen."""
        self.session = session
        self.names_revealed = False
        self.last_activity = self.clock()
        if self._timer is None:
            self._timer = self.app.set_interval(1.0, self.check_idle, name="staff-idle-lock")
        self.show(then)

    def lock(self, reason: str = "lock_key") -> None:
        """Forget the session, hide names, pop every staff screen back to the door."""
        session, self.session = self.session, None
        self.names_revealed = False
        self.last_activity = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        base = self._base_index()
        if base is not None:
            while len(self.app.screen_stack) > base:
                self.app.pop_screen()
        back_to_door = getattr(self.app, "lock_to_door", None)
        if callable(back_to_door):
            back_to_door()
        self.app.clear_notifications()  # staff toasts never linger on the parents' screen
        if session is not None:
            try:
                sign_out(self.store, session, now=self.clock(), kiosk_id=self.kiosk_id,
                         reason=reason)
            except KioskError as error:
                self.app.notify(str(error), title="Locked, but not recorded",
                                severity="warning", markup=False)

    def _base_index(self) -> int | None:
        """Stack index of the lowest staff screen, or None when none is showing."""
        for index, screen in enumerate(self.app.screen_stack):
            if getattr(screen, "mode", None) is self:
                return index
        return None

    def show(self, name: str) -> None:
        """Go to a staff screen by name: dashboard, checkins, inbox, violation or help."""
        if self.session is None:
            return
        self.touch()
        from kiosk.ui.staff import screens

        if name == "inbox" and not self.session.can(Role.HEADTEACHER):
            self.app.notify("Only a headteacher or above can open the inbox.",
                            title="Not done", severity="error")
            return
        base = self._base_index()
        if base is None:
            self.app.push_screen(screens.make(name if name in TOP_SCREENS else "dashboard",
                                              self))
            if name in TOP_SCREENS:
                return
        if name not in TOP_SCREENS:
            self.app.push_screen(screens.make(name, self))
            return
        assert base is not None
        while len(self.app.screen_stack) > base + 1:
            self.app.pop_screen()
        current: Screen = self.app.screen
        if getattr(current, "NAME", None) == name:
            refresh = getattr(current, "reload", None)
            if refresh is not None:
                refresh()
            return
        self.app.switch_screen(screens.make(name, self))

    def move_stage(self, step: int) -> bool:
        """Move "now on stage" forward or back (lead and above) and say where it is now."""
        if self.session is None:
            return False
        try:
            item = move_now_on_stage(self.store, self.event_id, step, staff_id=self.staff_id,
                                     now=self.clock(), kiosk_id=self.kiosk_id)
        except KioskError as error:
            self.app.notify(str(error), title="Not done", severity="error", markup=False)
            return False
        title = f"{item['position']}. {safe_text(item['title'])}" if item else "nothing"
        self.app.notify(f"Now on stage: {title}", timeout=2, markup=False)
        refresh = getattr(self.app.screen, "reload", None)
        if refresh is not None:
            refresh()
        return True
