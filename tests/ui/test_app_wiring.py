"""How the app is put together: the door asks by message, the demo key lives in the demo
app only, the launcher picks app and camera, staff screens read off the UI thread."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.demo.camera import DemoSource
from kiosk.scanner.sources import CameraSource
from kiosk.store import Store
from kiosk.ui import launch
from kiosk.ui.app import KioskApp
from kiosk.ui.cameras import open_camera
from kiosk.ui.demo_app import DemoKioskApp
from kiosk.ui.door import DoorScreen
from kiosk.ui.staff import dashboard, inbox
from kiosk.ui.staff.pin import PinScreen
from support import checkin_school, staff_school
from support.door_helpers import (
    InjectSource,
    Messages,
    card,
    demo_deck,
    make_app,
    screen_text,
    type_code,
    wait_shown,
)


async def test_the_staff_button_posts_staff_requested_and_the_app_opens_the_pin(
        store: Store, now: datetime) -> None:
    checkin_school.build_school(store, now)
    app, _ = make_app(store, now)
    messages = Messages()
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        assert await pilot.click("#staff-button")
        await pilot.pause()
        assert len(messages.of(DoorScreen.StaffRequested)) == 1
        assert isinstance(app.screen, PinScreen)


async def test_the_door_rings_by_message_and_the_app_rings_the_bell(
        store: Store, now: datetime) -> None:
    school = checkin_school.build_school(store, now)
    app, bells = make_app(store, now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        await type_code(pilot, "not a pass at all")
        await wait_shown(pilot, messages, 2)
    assert [m.ok for m in messages.of(DoorScreen.Ring)] == [True, False]
    assert bells.rings == [1, 3]


async def test_the_demo_key_exists_only_in_the_demo_app(store: Store, now: datetime) -> None:
    school = checkin_school.build_school(store, now)
    source = InjectSource()
    plain, _ = make_app(store, now, frame_source=source)
    assert not isinstance(plain, DemoKioskApp)
    async with plain.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert all(b.binding.action != "demo_next" for b in plain.active_bindings.values())
        assert "press N" not in screen_text(plain) and card(plain).state == "ready"
    source = InjectSource()
    demo, _ = make_app(store, now, frame_source=source,
                       demo=demo_deck(source, [(school.tokens["F-GREEN"], "admitted")]))
    messages = Messages()
    async with demo.run_test(size=(120, 36), message_hook=messages) as pilot:
        assert "Demo: press N" in screen_text(demo)
        await pilot.press("n")
        await wait_shown(pilot, messages, 1)
        assert card(demo).state == "green"


def test_the_launcher_picks_the_app_and_the_camera(store: Store, now: datetime,
                                                   tmp_path: Path) -> None:
    checkin_school.build_school(store, now)
    door = launch.door_app(store, "nativity", kiosk_id="Hall", idle_lock=30)
    assert type(door) is KioskApp and door.camera is None
    assert door.staff_mode.idle_lock == 30 and door.kiosk_id == "Hall"
    made_up = launch.door_app(store, "nativity", camera="demo")
    assert type(made_up) is KioskApp and made_up.camera is not None
    assert isinstance(made_up.camera.source, DemoSource)
    setup = launch.DemoSetup(tmp_path / "demo.db", "nativity", [("token", "admitted")])
    demo = launch.door_app(store, "nativity", demo=setup)
    assert isinstance(demo, DemoKioskApp) and isinstance(demo.camera.source, DemoSource)
    assert isinstance(open_camera("0"), CameraSource)
    assert isinstance(open_camera(" Demo "), DemoSource)


@pytest.fixture
def staff_app(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> KioskApp:
    staff_school.quick_hashes(monkeypatch)
    staff_school.build_school(store, now)
    return KioskApp(store, "nativity", clock=staff_school.MutableClock(now),
                    kiosk_id="door-1", quiet=True)


async def test_staff_screens_read_the_database_in_worker_threads(
        staff_app: KioskApp, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []

    def on_thread(module: object, name: str) -> None:
        real = getattr(module, name)

        def spy(*args: object, **kwargs: object) -> object:
            threads.append(threading.current_thread().name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)

    on_thread(dashboard, "event_dashboard")
    on_thread(inbox, "inbox")
    async with staff_app.run_test(size=(100, 30)) as pilot:
        await staff_school.sign_in(pilot, "Helen Head")
        assert "Checked in: 0 of 5 families" in str(
            staff_app.screen.query_one("#counts").render())
        await pilot.press("i")
        await staff_school.settle(pilot)
        assert "0 open violations" in str(staff_app.screen.query_one("#inbox-title").render())
    assert len(threads) >= 2
    assert threading.main_thread().name not in threads
