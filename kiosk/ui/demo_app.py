"""The demo door: the kiosk app with a demo camera and the N key that shows it a pass.

Only here does the door screen get a hint ("Demo: press N ...") and the key exist, so a
real door never offers them. Each press hands the next demo pass to the demo camera and
the scan takes the real path (frame -> decoder -> de-duplication -> check-in).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from kiosk.demo.deck import DemoDeck
from kiosk.scanner.sources import FrameSource
from kiosk.store import Store
from kiosk.ui.app import KioskApp


class DemoKioskApp(KioskApp):
    """The kiosk over a demo deck: `n` (or Shift+N) presents the next demo pass."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "demo_next", "Next demo pass"),
        Binding("N", "demo_next", "Next demo pass", show=False),  # "press N" with Shift too
    ]

    def __init__(self, store: Store, event_id: str, *, deck: DemoDeck,
                 frame_source: FrameSource, **options: Any) -> None:
        super().__init__(store, event_id, frame_source=frame_source, **options)
        self.demo = deck
        self._show_hint()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The demo key works (and shows in the footer) on the door only, not in staff mode."""
        if action == "demo_next":
            return self.screen is self.door
        return super().check_action(action, parameters)

    def action_demo_next(self) -> None:
        """Show the next demo pass to the demo camera; the door's hint names the one after."""
        self.demo.present_next()
        self._show_hint()
        self.door.show_ready()

    def _show_hint(self) -> None:
        self.door.set_hint(f"Demo: press N for the next pass – {self.demo.peek_label()}.",
                           "Demo: press N")
