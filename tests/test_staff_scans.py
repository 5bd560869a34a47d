"""Staff mode and the door together: scanner bursts, scans while staff work, lock, touch."""

from __future__ import annotations

from datetime import datetime

import pytest
from door_helpers import type_code
from staff_school import MutableClock, School, build_school, quick_hashes, sign_in
from textual.widgets import RadioSet, Static

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.violation import ViolationForm


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    return build_school(store, now)


@pytest.fixture
def clock(now: datetime) -> MutableClock:
    return MutableClock(now)


@pytest.fixture
def app(store: Store, school: School, clock: MutableClock) -> KioskApp:
    return KioskApp(store, "nativity", clock=clock, kiosk_id="door-1", quiet=True)


def shown(app: KioskApp) -> str:
    """The terminal as a user sees it, toasts included (SVG text, spaces restored)."""
    return app.export_screenshot().replace("&#160;", " ")


def text_of(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_scanner_burst_on_the_violation_form_links_the_family_and_keeps_the_kind(
        app: KioskApp, school: School) -> None:
    token = school.tokens["osei"]
    assert any(c in "12345" for c in token)  # digits in the burst must not re-pick the kind
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ViolationForm)
        await pilot.press("2")
        await type_code(pilot, token)
        await pilot.pause()
        assert app.screen.query_one("#kind", RadioSet).pressed_index == 1
        assert "Osei family" in text_of(app, "#pass-link")
        assert app.screen.link is not None and app.screen.link.family_id == "osei"


@pytest.mark.parametrize("lock", ["ctrl+l", "f12", "idle"])
async def test_locking_clears_staff_toasts_from_the_door(app: KioskApp, clock: MutableClock,
                                                         lock: str) -> None:
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("2")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)  # the toast is mounted on the next refresh
        assert "Violation 1 saved" in shown(app)
        if lock == "idle":
            clock.advance(app.staff_mode.idle_lock)
            assert app.staff_mode.check_idle()
        else:
            await pilot.press(lock)
        await pilot.pause()
        assert app.screen is app.door
        await pilot.pause()
        door = shown(app)
        assert "saved" not in door and "Violation" not in door
