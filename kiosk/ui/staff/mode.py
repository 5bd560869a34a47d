"""Staff mode: sign in over the door screen, move between staff screens, lock.

The door screen is always the locked state: staff screens are stacked over it, and
locking (the lock key, the Lock button, or idle time running out) pops them all at
once, forgets the session, hides any revealed names and clears staff toasts. Idle time
is measured with the kiosk's injected clock, checked once a second, so tests drive it
without sleeping. Each second a worker also asks whether the session still holds
(`kiosk.staff.session_ended`): a member deactivated, re-roled or locked out on this
kiosk meanwhile is signed out at once; the same worker reads the newest pass used at two
doors within minutes (`kiosk.views.door_changes`) for the staff bar.

The mode imports no staff screen: `kiosk.ui.staff` gives it a `StaffScreens` registry
(name -> factory) and every screen gets the mode as its `StaffDesk`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.screen import Screen
from textual.timer import Timer

from kiosk.errors import KioskError
from kiosk.events import get_event, move_now_on_stage
from kiosk.safetext import safe_text
from kiosk.staff import Role, StaffSession, require_role, session_ended, sign_out
from kiosk.ui.context import KioskContext
from kiosk.ui.staff.base import StaffBits, refusal
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.door_changes import door_changes

ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
            events.Paste)
TOP_SCREENS = ("dashboard", "checkins", "inbox")


@dataclass(frozen=True)
class StaffScreens:
    """How to build each staff screen: the registry the composition root fills in."""

    pages: Mapping[str, Callable[[StaffDesk], Screen[Any]]]  # dashboard, checkins, ...
    sign_in: Callable[[StaffDesk], Screen[StaffSession | None]]  # the PIN screen
    palette: Callable[[], Screen[Any]]  # the command palette with staff actions


class StaffMode:
    """One kiosk's staff mode: who is signed in, idle lock, which staff screen shows."""

    def __init__(self, app: App[Any], context: KioskContext, screens: StaffScreens, *,
                 on_lock: Callable[[], None] | None = None) -> None:
        self.app = app
        self.context = context
        self.screens = screens
        self.on_lock = on_lock
        self.session: StaffSession | None = None
        self.names_revealed = False
        self.event_name = context.event_id  # until the event is read, at the first PIN
        self.last_activity: datetime | None = None
        self.notice = ""  # the staff bar's quiet notice: the newest door change, or ""
        self._timer: Timer | None = None

    @property
    def idle_lock(self) -> float:
        """Seconds without a key or tap before staff mode locks."""
        return self.context.idle_lock

    @property
    def unlocked(self) -> bool:
        """True while a staff member is signed in on this kiosk."""
        return self.session is not None

    @property
    def staff_id(self) -> int:
        """The signed-in member's id (services check the role with it)."""
        return self.session.staff_id if self.session else -1

    def _read_event_name(self) -> None:
        """Worker thread: read the event's name for the staff bar (kept if it fails)."""
        try:
            name = get_event(self.context.store, self.context.event_id)["name"]
        except KioskError:
            return
        self.app.call_from_thread(setattr, self, "event_name", name)

    def note_activity(self, event: events.Event) -> None:
        """Count keys, clicks, scrolls and pastes as activity (call from App.on_event)."""
        if isinstance(event, ACTIVITY):
            self.touch()

    def touch(self) -> None:
        """Something happened in staff mode: restart the idle count."""
        if self.session is not None:
            self.last_activity = self.context.clock()

    def seconds_left(self) -> float:
        """Seconds until the idle lock (0 when locked or due)."""
        if self.session is None or self.last_activity is None:
            return 0.0
        idle = (self.context.clock() - self.last_activity).total_seconds()
        return max(0.0, self.idle_lock - idle)

    def check_idle(self) -> bool:
        """Lock when idle for `idle_lock` seconds (True); else ask if the session holds."""
        if self.session is not None and self.seconds_left() <= 0:
            self.lock("idle")
            return True
        session = self.session
        if session is not None:
            self.app.run_worker(lambda: self._check_session(session), thread=True,
                                group="staff-session", exclusive=True, exit_on_error=False)
        return False

    def _check_session(self, session: StaffSession) -> None:
        """Worker thread: end the session if its member was deactivated, re-roled or locked;
        else read the staff bar's notice."""
        context = self.context
        try:
            why = session_ended(context.store, session, now=context.clock())
            changes = [] if why else door_changes(context.store, context.event_id,
                                                  staff_id=session.staff_id)
        except KioskError:
            return
        if why is not None:
            self.app.call_from_thread(self._end_session, session, why)
        else:
            self.app.call_from_thread(setattr, self, "notice",
                                      changes[0].short if changes else "")

    def _end_session(self, session: StaffSession, why: str) -> None:
        """Lock (unless already locked or someone else signed in since) and say why."""
        if self.session is not session:
            return
        self.lock("session_ended")
        self.app.notify(why, title="Staff mode locked", severity="warning", markup=False)

    def unlock(self, then: str = "dashboard") -> None:
        """Ask for a PIN (or, when signed in already, just show `then`)."""
        if self.session is not None:
            self.show(then)
            return

        def signed_in(session: StaffSession | None) -> None:
            if session is not None:
                self.start(session, then)

        self.app.push_screen(self.screens.sign_in(self), callback=signed_in)
        self.app.run_worker(self._read_event_name, thread=True, group="staff-event",
                            exclusive=True, exit_on_error=False)

    def start(self, session: StaffSession, then: str = "dashboard") -> None:
        """Begin a staff session (after a right PIN) and show the first staff screen."""
        self.session = session
        self.names_revealed = False
        self.last_activity = self.context.clock()
        if self._timer is None:
            self._timer = self.app.set_interval(1.0, self.check_idle, name="staff-idle-lock")
        self.show(then)

    def lock(self, reason: str = "lock_key") -> None:
        """Forget the session, hide names, pop every staff screen back to the door."""
        session, self.session = self.session, None
        self.names_revealed = False
        self.notice = ""
        self.last_activity = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        base = self._base_index()
        if base is not None:
            while len(self.app.screen_stack) > base:
                self.app.pop_screen()
        if self.on_lock is not None:
            self.on_lock()
        self.app.clear_notifications()  # staff toasts never linger on the parents' screen
        if session is not None:
            try:
                sign_out(self.context.store, session, now=self.context.clock(),
                         kiosk_id=self.context.kiosk_id, reason=reason)
            except KioskError as error:
                self.app.notify(str(error), title="Locked, but not recorded",
                                severity="warning", markup=False)

    def close_kiosk(self) -> bool:
        """Close the kiosk app (lead and above): lock, record who closed it, exit.

        The only way to leave the door: no key or signal quits it (`kiosk.ui.lockdown`).
        """
        if self.session is None:
            return False
        try:
            require_role(self.context.store, self.staff_id, Role.LEAD)
        except KioskError as error:
            self.app.notify(str(error), title="Not done", severity="error", markup=False)
            return False
        self.lock("close_kiosk")
        self.app.exit()
        return True

    def _base_index(self) -> int | None:
        """Stack index of the lowest staff screen, or None when none is showing."""
        for index, screen in enumerate(self.app.screen_stack):
            if isinstance(screen, StaffBits) and screen.mode is self:
                return index
        return None

    def show(self, name: str) -> None:
        """Go to a staff screen by name: dashboard, checkins, inbox, violation or help."""
        if self.session is None:
            return
        self.touch()
        problem = refusal(name, self.session)
        if problem is not None:
            self.app.notify(problem, title="Not done", severity="error")
            return
        base = self._base_index()
        if base is None:
            self.app.push_screen(self._make(name if name in TOP_SCREENS else "dashboard"))
            if name in TOP_SCREENS:
                return
        if name not in TOP_SCREENS:
            self.app.push_screen(self._make(name))
            return
        assert base is not None
        while len(self.app.screen_stack) > base + 1:
            self.app.pop_screen()
        current = self.app.screen
        if isinstance(current, StaffBits) and name == current.NAME:
            current.reload()
            return
        self.app.switch_screen(self._make(name))

    def _make(self, name: str) -> Screen[Any]:
        """A new staff screen from the registry."""
        return self.screens.pages[name](self)

    def open_palette(self) -> None:
        """The command palette with staff actions only (the door keeps it switched off)."""
        if not CommandPalette.is_open(self.app):
            self.app.push_screen(self.screens.palette())

    def move_stage(self, step: int) -> bool:
        """Move "now on stage" forward or back (lead and above) and say where it is now."""
        if self.session is None:
            return False
        try:
            item = move_now_on_stage(self.context.store, self.context.event_id, step,
                                     staff_id=self.staff_id, now=self.context.clock(),
                                     kiosk_id=self.context.kiosk_id)
        except KioskError as error:
            self.app.notify(str(error), title="Not done", severity="error", markup=False)
            return False
        title = f"{item['position']}. {safe_text(item['title'])}" if item else "nothing"
        self.app.notify(f"Now on stage: {title}", timeout=2, markup=False)
        current = self.app.screen
        if isinstance(current, StaffBits):
            current.reload()
        return True
