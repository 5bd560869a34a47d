"""On a tablet (kiosk serve) the PIN screen has an on-screen keypad, worked by taps only."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input, OptionList

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.paste import ENV_TABLET
from kiosk.ui.staff.pin import PinScreen
from kiosk.ui.widgets.keypad import KEYS, PinKeypad
from support.staff_school import PINS, MutableClock, build_school, quick_hashes


@pytest.fixture
def app(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> KioskApp:
    quick_hashes(monkeypatch)
    build_school(store, now)
    return KioskApp(store, "nativity", clock=MutableClock(now), kiosk_id="door-1", quiet=True)


def key(label: str) -> str:
    return f"#keypad-{KEYS.index(label)}"


@pytest.mark.parametrize("size", [(80, 24), (91, 42), (120, 45)])  # 80x24, portrait, 1280x800
async def test_staff_sign_in_by_taps_alone(app: KioskApp, monkeypatch: pytest.MonkeyPatch,
                                           size: tuple[int, int]) -> None:
    monkeypatch.setenv(ENV_TABLET, "1")
    name = next(iter(PINS))
    async with app.run_test(size=size) as pilot:
        await pilot.click("#staff-button")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        names = app.screen.query_one("#pin-names", OptionList)
        names.highlighted = next(i for i in range(names.option_count)
                                 if names.get_option_at_index(i).id == name)
        for digit in PINS[name] + "9":
            assert await pilot.click(key(digit))
        assert await pilot.click(key("⌫"))
        assert app.screen.query_one("#pin-input", Input).value == PINS[name]
        assert await pilot.click(key("OK"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, PinScreen)
        assert app.staff_mode.session is not None  # type: ignore[attr-defined]


async def test_no_keypad_at_a_door_with_a_keyboard(app: KioskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        assert not app.screen.query(PinKeypad)
