"""Put the door app together from what `kiosk run` was told: store, event, camera, demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kiosk.clock import Clock, system_clock
from kiosk.config import demo_db_path
from kiosk.demo.camera import DemoSource
from kiosk.demo.deck import DemoDeck
from kiosk.events import get_event
from kiosk.scanner.sources import FrameSource
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.cameras import DEMO_CAMERA, open_camera
from kiosk.ui.context import IDLE_LOCK_SECONDS
from kiosk.ui.demo_app import DemoKioskApp

DEMO_EVENT = "nativity"
DEMO_KIOSK_ID = "Demo door"
DEMO_FRAME_SIZE = (640, 480)  # plenty for a synthetic pass; cheap to draw and decode


@dataclass(frozen=True)
class DemoSetup:
    """The demo school's database, its event, and the passes the demo camera can show."""

    db_path: Path
    event_id: str
    passes: list[tuple[str, str]] = field(default_factory=list)  # (token, kind)


def demo_setup(now: datetime, *, path: Path | None = None) -> DemoSetup:
    """Build (or rebuild) the fictional demo school dated today; read its demo passes."""
    from kiosk.demo.school import build_demo, demo_passes

    db_path = path or demo_db_path()
    build_demo(db_path, today=now.date())
    passes = [(p.token, p.kind) for p in demo_passes(db_path)]
    return DemoSetup(db_path, DEMO_EVENT, passes)


def door_app(store: Store, event_id: str, *, camera: str | None = None,
             resolution: tuple[int, int] = (1280, 720), demo: DemoSetup | None = None,
             kiosk_id: str = "kiosk", quiet: bool = False,
             idle_lock: float = IDLE_LOCK_SECONDS, clock: Clock = system_clock,
             tablet: bool = False) -> KioskApp:
    """The app for one door; raises a plain KioskError first if the event or camera is wrong.

    In the demo (and no other camera asked for) the camera is the demo camera and N shows
    the next demo pass (`DemoKioskApp`); otherwise it is the plain `KioskApp`. `tablet`:
    the door is a tablet's page under kiosk serve (its camera is in the page).
    """
    get_event(store, event_id)
    if demo is not None and camera in (None, DEMO_CAMERA):
        demo_camera = DemoSource(size=DEMO_FRAME_SIZE)
        return DemoKioskApp(store, event_id, deck=DemoDeck(demo_camera, demo.passes),
                            frame_source=demo_camera, kiosk_id=kiosk_id, quiet=quiet,
                            idle_lock=idle_lock, clock=clock, tablet=tablet)
    source: FrameSource | None = open_camera(camera, resolution) if camera else None
    return KioskApp(store, event_id, frame_source=source, kiosk_id=kiosk_id, quiet=quiet,
                    idle_lock=idle_lock, clock=clock, tablet=tablet)
