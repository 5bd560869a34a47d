"""The kiosk app: the door screen by default, staff mode on top, scanning in a thread.

The app is given everything it depends on (store, clock, frame source, kiosk id), so
tests pass fakes and image sequences. The scanning thread and the check-in workers only
post messages; codes from the camera go to whichever screen is active (`handle_scan`).

Staff mode hooks in here: `action_staff` (key F2 or Ctrl+S, and the door's Staff
button) calls `kiosk.ui.staff.enter_staff_mode(app)`; `lock_to_door` pops back to the
door screen with its card cleared. Any screen with a `handle_scan(text, method)` method gets
camera scans while it is active (e.g. "scan their pass" when logging a violation; the PIN
screen hands the scan to the door; other staff screens tell staff to lock).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kiosk.clock import Clock, system_clock
from kiosk.demo.deck import DemoDeck
from kiosk.errors import KioskError
from kiosk.events import get_event
from kiosk.scanner.service import DEFAULT_RETRY_S
from kiosk.scanner.sources import FrameSource
from kiosk.store import Store
from kiosk.ui.camera import CameraLink
from kiosk.ui.door import DoorScreen
from kiosk.ui.messages import CodeScanned, EventLoaded

RETURN_AFTER = 8.0  # seconds a result card stays before the door is ready again
BELL_GAP = 0.25  # seconds between the bells of a refusal
REFUSAL_BELLS = 3


class KioskApp(App[None]):
    """The event-day kiosk for one event at one door."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "Recording-permission kiosk"
    ENABLE_COMMAND_PALETTE = False  # staff actions only behind the PIN (staff mode)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "staff", "Staff"),
        Binding("ctrl+s", "staff", "Staff", show=False),
        Binding("n", "demo_next", "Next demo pass"),
        Binding("N", "demo_next", "Next demo pass", show=False),  # "press N" with Shift too
    ]

    def __init__(
        self,
        store: Store,
        event_id: str,
        *,
        clock: Clock = system_clock,
        frame_source: FrameSource | None = None,
        kiosk_id: str = "kiosk",
        quiet: bool = False,
        return_after: float = RETURN_AFTER,
        demo: DemoDeck | None = None,
        bell: Callable[[int], None] | None = None,
        camera_retry_s: float = DEFAULT_RETRY_S,
    ) -> None:
        super().__init__()
        self.store = store
        self.event_id = event_id
        self.clock = clock
        self.kiosk_id = kiosk_id
        self.quiet = quiet
        self.return_after = return_after
        self.demo = demo
        self.camera = (CameraLink(self, frame_source, retry_s=camera_retry_s)
                       if frame_source is not None else None)
        self.door = DoorScreen()
        self._bell = bell or self._terminal_bells

    # --- screens --------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The door screen is the base of the stack: staff screens go on top of it."""
        return self.door

    def on_mount(self) -> None:
        """Read the event off the UI thread (the door screen starts the camera)."""
        self.run_worker(self._load_event, thread=True, group="store", exit_on_error=False)

    def _load_event(self) -> None:
        try:
            event = get_event(self.store, self.event_id)
        except KioskError as error:
            self.door.post_message(EventLoaded(self.event_id, "", problem=str(error)))
        else:
            self.door.post_message(EventLoaded(event["name"], event["date"]))

    def on_unmount(self) -> None:
        """Stop the scanning thread and release the camera."""
        if self.camera is not None:
            self.camera.stop()

    def on_code_scanned(self, message: CodeScanned) -> None:
        """A camera scan goes to the active screen; elsewhere in staff mode, staff are told."""
        handler = getattr(self.screen, "handle_scan", None)
        if callable(handler):
            handler(message.text, message.method)
            return
        mode = getattr(self, "staff_mode", None)
        if mode is not None and mode.unlocked:
            from kiosk.ui.staff.base import SCAN_NOTICE

            self.notify(SCAN_NOTICE, title="Door", severity="warning", timeout=6)

    def lock_to_door(self) -> None:
        """Leave staff mode: pop every screen above the door, clear toasts, card to ready."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.clear_notifications()
        self.door.action_ready()

    def action_staff(self) -> None:
        """Enter staff mode: the PIN screen over the door, then the staff screens."""
        from kiosk.ui.staff import enter_staff_mode  # loaded on first use, not at start

        enter_staff_mode(self)

    # --- demo -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The demo key exists only in the demo."""
        if action == "demo_next":
            return self.demo is not None and self.camera is not None
        return True

    def action_demo_next(self) -> None:
        """Show the next demo pass to the (demo) camera: the real scan path follows."""
        if self.demo is not None and self.camera is not None:
            self.demo.present_next()
            self.door.show_ready()

    def demo_hint(self, *, short: bool = False) -> str:
        """What the demo key does next, for the screen (empty outside the demo)."""
        if self.demo is None:
            return ""
        if short:
            return "Demo: press N"
        return f"Demo: press N for the next pass – {self.demo.peek_label()}."

    # --- sound ----------------------------------------------------------------------

    def ring(self, ok: bool) -> None:
        """One bell for a welcome, three for a refusal (off with --quiet)."""
        if not self.quiet:
            self._bell(1 if ok else REFUSAL_BELLS)

    def _terminal_bells(self, count: int) -> None:
        self.bell()
        for n in range(1, count):
            self.set_timer(n * BELL_GAP, self.bell)
