"""The kiosk app: the door screen by default, staff mode on top, scanning in a thread.

The app is given everything it depends on (store, clock, frame source, kiosk id), puts the
fixed facts in one `KioskContext` and hands that down to the door screen and to its own
staff mode. Screens ask for things with messages (the door's Staff button, its bell, its
camera preview); the scanning thread and the check-in workers only post messages. Codes
from the camera go to whichever screen is active when it can take a scan (`ScanTarget`):
the door, the violation form ("scan their pass"), a question; on other staff screens staff
are told to lock first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.console import RenderableType
from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kiosk.clock import Clock, system_clock
from kiosk.errors import KioskError
from kiosk.events import get_event
from kiosk.scanner.service import DEFAULT_RETRY_S
from kiosk.scanner.sources import FrameSource
from kiosk.store import Store
from kiosk.ui.camera import CameraLink
from kiosk.ui.context import IDLE_LOCK_SECONDS, RETURN_AFTER, KioskContext
from kiosk.ui.door import DoorScreen
from kiosk.ui.lockdown import LockedApp
from kiosk.ui.messages import (
    CameraChanged,
    CodeScanned,
    EventLoaded,
    PreviewReady,
    ScanTarget,
)
from kiosk.ui.paste import camera_state, from_hub, pasted_scan
from kiosk.ui.staff import SCAN_NOTICE, StaffMode, staff_mode

BELL_GAP = 0.25  # seconds between the bells of a refusal
REFUSAL_BELLS = 3


class KioskApp(LockedApp):
    """The event-day kiosk for one event at one door; only staff mode can close it."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "Recording-permission kiosk"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "staff", "Staff"),
        Binding("ctrl+s", "staff", "Staff", show=False),
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
        idle_lock: float = IDLE_LOCK_SECONDS,
        bell: Callable[[int], None] | None = None,
        camera_retry_s: float = DEFAULT_RETRY_S,
        tablet: bool = False,
    ) -> None:
        super().__init__()
        self.context = KioskContext(store, event_id, kiosk_id, clock, return_after, idle_lock,
                                    tablet=tablet)
        self.quiet = quiet
        self.camera = (CameraLink(frame_source, on_scan=self._camera_scan,
                                  on_change=self._camera_changed, on_preview=self._preview,
                                  retry_s=camera_retry_s)
                       if frame_source is not None else None)
        self.door = DoorScreen(self.context, camera=self.camera is not None)
        self.staff_mode: StaffMode = staff_mode(self, self.context, on_lock=self.door_ready)
        self._bell = bell or self._terminal_bells

    @property
    def event_id(self) -> str:
        """The event this door checks families in to."""
        return self.context.event_id

    @property
    def kiosk_id(self) -> str:
        """This door's name in the record."""
        return self.context.kiosk_id

    # --- screens --------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The door screen is the base of the stack: staff screens go on top of it."""
        return self.door

    def on_mount(self) -> None:
        """Read the event off the UI thread (the door screen asks for the camera)."""
        self.run_worker(self._load_event, thread=True, group="store", exit_on_error=False)

    def _load_event(self) -> None:
        try:
            event = get_event(self.context.store, self.context.event_id)
        except KioskError as error:
            self.door.post_message(EventLoaded(self.context.event_id, "", problem=str(error)))
        else:
            self.door.post_message(EventLoaded(event["name"], event["date"]))

    def on_unmount(self) -> None:
        """Stop the scanning thread and release the camera."""
        if self.camera is not None:
            self.camera.stop()

    async def on_event(self, event: events.Event) -> None:
        """On a tablet the hub's pastes never land in a staff field (a name, a search).

        The camera state goes to the door; a tablet camera's scan goes to the active
        screen as any camera scan does. Everything else is Textual's as usual.
        """
        if (isinstance(event, events.Paste) and not event.is_forwarded and self.context.tablet
                and self.screen is not self.door and from_hub(event.text)):
            if camera_state(event.text) is not None:
                self.door.post_message(events.Paste(event.text))
                return
            scan = pasted_scan(event.text, event.time, self.door.wedge.repeats,
                               self.context.kiosk_id)
            if scan is not None:
                self.post_message(CodeScanned(scan.code, scan.method))
            return
        await super().on_event(event)

    def on_code_scanned(self, message: CodeScanned) -> None:
        """A camera scan goes to the active screen; elsewhere in staff mode, staff are told."""
        screen = self.screen
        if isinstance(screen, ScanTarget):
            screen.handle_scan(message.text, message.method)
        elif self.staff_mode.unlocked:
            self.notify(SCAN_NOTICE, title="Door", severity="warning", timeout=6)

    def door_ready(self) -> None:
        """Staff mode locked: pop anything left above the door, clear toasts, card to ready."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.clear_notifications()
        self.door.action_ready()

    def action_staff(self) -> None:
        """Enter staff mode: the PIN screen over the door, then the staff screens."""
        self.staff_mode.unlock()

    def on_door_screen_staff_requested(self) -> None:
        """The door's Staff button: same as the Staff key."""
        self.action_staff()

    # --- camera (callbacks run in the scanner's threads: they only post) ------------

    def on_door_screen_camera_wanted(self, message: DoorScreen.CameraWanted) -> None:
        """The door is up: start scanning and draw the preview at the widget's size."""
        if self.camera is None:
            return
        self.camera.start()
        preview = message.preview
        self.run_worker(partial(self.camera.preview_loop, lambda: preview.preview_size),
                        thread=True, group="preview", exit_on_error=False)

    def _camera_scan(self, text: str) -> None:
        self.post_message(CodeScanned(text, "camera"))

    def _camera_changed(self, state: str, words: str) -> None:
        self.door.post_message(CameraChanged(state, words))

    def _preview(self, picture: RenderableType) -> None:
        self.door.post_message(PreviewReady(picture))

    # --- sound ----------------------------------------------------------------------

    def on_door_screen_ring(self, message: DoorScreen.Ring) -> None:
        """One bell for a welcome, three for a refusal (off with --quiet)."""
        if not self.quiet:
            self._bell(1 if message.ok else REFUSAL_BELLS)

    def _terminal_bells(self, count: int) -> None:
        self.bell()
        for n in range(1, count):
            self.set_timer(n * BELL_GAP, self.bell)
