"""What the door screen and staff mode are given ("attributes down"), instead of the app.

One frozen value per kiosk: the store, the event, this door's name, the clock, the
timings, and whether the door is a tablet's page (kiosk serve). Screens read it; they never
reach into the app for these.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import Clock, system_clock
from kiosk.store import Store

RETURN_AFTER = 8.0  # seconds a result card stays before the door is ready again
IDLE_LOCK_SECONDS = 120.0  # seconds without a key or tap before staff mode locks


@dataclass(frozen=True)
class KioskContext:
    """The kiosk's fixed facts: where it records, which event, which door, what time it is."""

    store: Store
    event_id: str
    kiosk_id: str = "kiosk"
    clock: Clock = system_clock
    return_after: float = RETURN_AFTER
    idle_lock: float = IDLE_LOCK_SECONDS
    tablet: bool = False  # in a tablet's page: its camera is beside the screen, touch only
