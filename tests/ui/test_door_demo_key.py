"""The demo key: the door says "press N", so n and Shift+N both present the next pass."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.staff import StaffSession
from kiosk.store import Store
from support.checkin_school import School, build_school
from support.door_helpers import InjectSource, Messages, card, demo_deck, make_app, wait_shown


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


@pytest.mark.parametrize("key", ["n", "N"])
async def test_n_and_shift_n_present_the_next_demo_pass(school: School, key: str) -> None:
    source = InjectSource()
    app, _ = make_app(school.store, school.now, frame_source=source,
                      demo=demo_deck(source, [(school.tokens["F-GREEN"], "admitted")]))
    messages = Messages()
    async with app.run_test(size=(120, 36), message_hook=messages) as pilot:
        await pilot.press(key)
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "green"


async def test_staff_screens_do_not_advertise_the_demo_key(school: School) -> None:
    source = InjectSource()
    app, _ = make_app(school.store, school.now, frame_source=source,
                      demo=demo_deck(source, [(school.tokens["F-GREEN"], "admitted")]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Next demo pass" in app.export_screenshot().replace("&#160;", " ")
        app.staff_mode.start(StaffSession(school.steward, "Sam Steward", "steward", school.now))
        await pilot.pause()
        await pilot.pause()
        assert "Next demo pass" not in app.export_screenshot().replace("&#160;", " ")
        assert app.check_action("demo_next", ()) is False
