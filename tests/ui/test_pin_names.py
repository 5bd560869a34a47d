"""Issue 14: the PIN screen never shows the staff list to the door; a keypad types the PIN."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Input, OptionList

from kiosk.staff import reset_pin
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.dashboard import DashboardScreen
from kiosk.ui.staff.pin import PinScreen
from support.staff_school import PINS, settle


def shown(app: KioskApp) -> str:
    """The screen's text as a person reads it (the SVG's non-breaking spaces as spaces)."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_no_staff_name_shows_until_a_letter_is_typed(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        screen = shown(app)
        assert not any(name.split()[0] in screen for name in PINS)
        await pilot.press("l")
        await settle(pilot)
        options = app.screen.query_one("#pin-names", OptionList)
        assert options.display
        offered = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert offered == ["Lee Lead"]  # first name or surname starting with L
        shot = shown(app)
        assert "Lee Lead" in shot and "Sam" not in shot and "Helen" not in shot
        await pilot.press("enter")  # the only match is taken, the PIN is next
        await settle(pilot)
        assert app.screen.query_one("#pin-name", Input).value == "Lee Lead"
        assert app.screen.focused is app.screen.query_one("#pin-input", Input)
        assert not options.display


async def test_the_keypad_types_the_pin_and_signs_in(app: KioskApp, store: Store,
                                                    now: datetime) -> None:
    reset_pin(store, "Sam Steward", "123456", now=now)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        app.screen.query_one("#pin-name", Input).value = "sam steward"  # any case
        await pilot.pause()  # its match shows, the keypad moves down
        for key in ("1", "1", "0", "delete", "delete", "2", "3", "4", "5", "6"):
            await pilot.click(f"#pin-key-{key}")
        await pilot.pause()
        assert app.screen.query_one("#pin-input", Input).value == "123456"
        await pilot.click("#pin-key-ok")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff_mode.session.name == "Sam Steward"


async def test_an_unknown_name_is_refused_by_the_service(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        app.screen.query_one("#pin-name", Input).value = "Nobody"
        app.screen.query_one("#pin-input", Input).value = "111111"
        await pilot.click("#pin-ok")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        assert "no active staff member" in str(app.screen.query_one("#pin-message").render())
