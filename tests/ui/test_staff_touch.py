"""Every staff action by touch alone at tablet sizes (Pilot clicks, no keys but the name).

The tablet sizes are the terminal sizes measured in a real page through kiosk serve:
1024x768 gives 77x34 cells, 768x1024 (portrait) 85x34, 1280x800 96x36.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from kiosk.checkin.service import check_in
from kiosk.events import running_order
from kiosk.staff import Role, has_role
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.party import PartySizeScreen
from kiosk.ui.staff.actions import ActionsScreen, command_id
from kiosk.ui.staff.base import COMMANDS
from kiosk.ui.staff.checkins import CheckinsScreen
from kiosk.ui.staff.dashboard import DashboardScreen
from kiosk.ui.staff.help import HelpScreen
from kiosk.ui.staff.inbox import InboxScreen, ViolationDetail
from kiosk.ui.staff.pin import PinScreen
from kiosk.ui.staff.rollcall import RollCallScreen
from kiosk.violations.workflow import log_violation
from support import checkin_school
from support.door_helpers import card, make_app, type_code, wait_until
from support.staff_school import PINS, MutableClock, School, settle

TABLETS = {"1024x768": (77, 34), "768x1024": (85, 34), "1280x800": (96, 36)}
LANDSCAPE, PORTRAIT = TABLETS["1024x768"], TABLETS["768x1024"]


@pytest.fixture
def app(store: Store, school: School, clock: MutableClock) -> KioskApp:
    return KioskApp(store, "nativity", clock=clock, kiosk_id="door-1", quiet=True, tablet=True)


async def tap(pilot: Pilot, selector: str) -> None:
    """Tap a widget of the current screen (it must be on screen) and let the app answer."""
    assert await pilot.click(selector), selector
    await settle(pilot)


async def sign_in_by_touch(pilot: Pilot, name: str) -> None:
    """Staff button, the name's first letters, the name, then the PIN on the keypad."""
    await tap(pilot, "#staff-button")
    pin = pilot.app.screen
    assert isinstance(pin, PinScreen)
    assert not pin.query_one("#pin-keypad").display  # letters first
    for letter in name.split()[-1][:2].lower():  # the first letters of the surname
        await tap(pilot, f"#pin-letter-{letter}")
    assert pin.query_one("#pin-name", Input).value == name.split()[-1][:2].upper()
    assert await pilot.click("#pin-names", offset=(3, 1))  # the one name that matches
    await settle(pilot)
    assert pin.query_one("#pin-name", Input).value == name
    assert not pin.query_one("#pin-letters").display
    for digit in PINS[name]:
        assert pilot.app.screen.query_one(f"#pin-key-{digit}").region.height >= 3
        assert await pilot.click(f"#pin-key-{digit}")
    await tap(pilot, "#pin-key-ok")
    assert isinstance(pilot.app.screen, DashboardScreen), pilot.app.screen


async def more(pilot: Pilot, target: str) -> None:
    """Open More… and tap one command."""
    await tap(pilot, "#nav-actions")
    assert isinstance(pilot.app.screen, ActionsScreen)
    await tap(pilot, f"#{command_id(target)}")


@pytest.mark.parametrize("size", TABLETS.values(), ids=TABLETS.keys())
async def test_more_offers_every_command_of_the_role_and_they_fit(
        app: KioskApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        for name, role in (("Sam Steward", Role.STEWARD), ("Helen Head", Role.HEADTEACHER)):
            await sign_in_by_touch(pilot, name)
            for button in app.screen.query(".staff-header Button"):
                assert button.region.right <= size[0], button.id  # More… too, for an admin
            await tap(pilot, "#nav-actions")
            shown = {b.id for b in app.screen.query("#actions-grid Button")}
            expected = {command_id(t) for _, _, t, least in COMMANDS if has_role(role, least)}
            assert shown == expected
            for button in app.screen.query(Button):
                region = button.region
                assert region.height >= 3 and region.right <= size[0], button.id
                assert region.bottom <= size[1], button.id
            await tap(pilot, "#actions-close")
            assert isinstance(app.screen, DashboardScreen)
            await tap(pilot, "#lock-button")
            assert app.screen is app.door


async def test_roll_call_and_its_print_button_by_touch(app: KioskApp, store: Store,
                                                       school: School, now: datetime) -> None:
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1",
             nonce="n1")
    async with app.run_test(size=LANDSCAPE) as pilot:
        await sign_in_by_touch(pilot, "Sam Steward")
        await more(pilot, "rollcall")
        assert isinstance(app.screen, RollCallScreen)
        await tap(pilot, "#key-print")
        assert store.path is not None
        assert list((store.path.parent / "rollcall").glob("rollcall-nativity-*.pdf"))


def on_stage(store: Store) -> int | None:
    """The id of the item on stage now."""
    current = running_order(store, "nativity").now_on_stage
    return current.item.id if current is not None else None


async def test_a_lead_moves_the_stage_and_reveals_names_by_touch(
        app: KioskApp, store: Store, school: School) -> None:
    async with app.run_test(size=PORTRAIT) as pilot:
        await sign_in_by_touch(pilot, "Lee Lead")
        await more(pilot, "stage:1")
        await more(pilot, "stage:1")
        assert on_stage(store) == school.items[1]
        await more(pilot, "stage:-1")
        assert on_stage(store) == school.items[0]
        await tap(pilot, "#key-stage-next")
        assert on_stage(store) == school.items[1]
        await tap(pilot, "#key-reveal-names")
        assert app.staff_mode.names_revealed


async def test_help_closes_by_touch_and_the_kiosk_closes_by_touch(app: KioskApp) -> None:
    async with app.run_test(size=LANDSCAPE) as pilot:
        await sign_in_by_touch(pilot, "Lee Lead")
        await more(pilot, "help")
        assert isinstance(app.screen, HelpScreen)
        await tap(pilot, "#modal-close")
        assert isinstance(app.screen, DashboardScreen)
        await more(pilot, "close")
    assert app.return_code == 0


async def test_a_steward_is_offered_no_lead_buttons(app: KioskApp) -> None:
    async with app.run_test(size=LANDSCAPE) as pilot:
        await sign_in_by_touch(pilot, "Sam Steward")
        assert not app.screen.query_one("#key-stage-next").display
        assert not app.screen.query_one("#key-reveal-names").display
        await tap(pilot, "#nav-checkins")
        assert isinstance(app.screen, CheckinsScreen)
        assert app.screen.query_one("#key-undo").display  # a steward is told it is for leads


async def test_undo_and_the_inbox_steps_by_touch(app: KioskApp, store: Store, school: School,
                                                now: datetime) -> None:
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1",
             nonce="n1")
    violation = log_violation(store, event_id="nativity", kind="filmed_staff", now=now,
                              reported_by=school.staff["Sam Steward"], kiosk_id="door-1",
                              description="man in red coat")
    async with app.run_test(size=LANDSCAPE) as pilot:
        await sign_in_by_touch(pilot, "Helen Head")
        await tap(pilot, "#nav-checkins")
        await tap(pilot, "#key-undo")
        await tap(pilot, "#ask-choice-1")  # a usual reason, tapped instead of typed
        assert app.screen.query_one("#ask-text", Input).value == "scanned twice"
        await tap(pilot, "#ask-ok")
        assert [e["undone_at"] is not None for e in store.checkins.of_event("nativity")] == [True]
        await tap(pilot, "#nav-inbox")
        assert isinstance(app.screen, InboxScreen)
        await tap(pilot, "#inbox")  # the header row: nothing opens
        assert isinstance(app.screen, InboxScreen)
        assert await pilot.click("#inbox", offset=(2, 1))  # a tap on the violation's row
        await settle(pilot)
        assert isinstance(app.screen, ViolationDetail)
        await tap(pilot, "#key-acknowledge")
        assert app.screen.query_one("#key-acknowledge", Button).disabled
        await tap(pilot, "#key-close-violation")
        app.screen.query_one("#ask-text", Input).value = "spoke to him"
        await tap(pilot, "#ask-ok")
        assert store.violations.get(violation)["status"] == "closed"
        await tap(pilot, "#key-back")
        assert isinstance(app.screen, InboxScreen)



async def test_the_party_size_question_is_answered_by_a_tap_on_a_portrait_tablet(
        store: Store, now: datetime) -> None:
    seated = checkin_school.build_school(store, now)
    door_app, _ = make_app(store, now, event_id="concert", tablet=True)
    async with door_app.run_test(size=PORTRAIT) as pilot:
        await type_code(pilot, seated.tokens["F-GREEN"])
        await wait_until(pilot, lambda: isinstance(door_app.screen, PartySizeScreen),
                         "the party size question")
        assert door_app.screen.query_one("#party-2").region.height >= 3
        await tap(pilot, "#party-2")
        await wait_until(pilot, lambda: card(door_app).state == "green", "the welcome")
    assert [r["party_size"] for r in store.checkins.of_event("concert")] == [2]
