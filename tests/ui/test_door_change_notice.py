"""A pass in at one door and again at another within minutes: a staff notice, not the card."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Static

from kiosk.checkin.service import check_in
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.header import StaffBar
from support.door_helpers import Messages, screen_text, type_code, wait_shown
from support.staff_school import MutableClock, School, settle, sign_in


async def test_the_second_door_says_welcome_back_and_staff_see_both_doors(
        store: Store, school: School, now: datetime) -> None:
    token = school.tokens["khan"]
    assert check_in(store, token, "nativity", now=now, kiosk_id="North door",
                    nonce="n1").code.startswith("admitted")
    clock = MutableClock(now + timedelta(minutes=4))
    app = KioskApp(store, "nativity", clock=clock, kiosk_id="South door", quiet=True,
                   return_after=1000.0)
    messages = Messages()
    async with app.run_test(size=(110, 32), message_hook=messages) as pilot:
        await type_code(pilot, token)
        await wait_shown(pilot, messages, 1)
        door = screen_text(app)
        assert "Welcome back" in door
        assert "North door" not in door and "shared" not in door and "Khan" not in door
        await sign_in(pilot, "Sam Steward")
        notices = str(app.screen.query_one("#notices", Static).render())
        assert app.screen.query_one("#notices", Static).display
        assert "Khan family" in notices and f"came in at North door at {now:%H:%M}" in notices
        assert f"again at South door at {now + timedelta(minutes=4):%H:%M}" in notices
        app.staff_mode.check_idle()  # the mode's one-second check reads the bar's notice
        await settle(pilot)
        bar = app.screen.query_one(StaffBar)
        bar.show_notice()  # what the bar's one-second timer runs
        shown = str(bar.query_one(".staff-notice", Static).render())
        assert shown == (f"! Khan family family: North door {now:%H:%M}, again South door"
                         f" {now + timedelta(minutes=4):%H:%M}")
        app.staff_mode.lock()
        await settle(pilot)
        assert "North door" not in screen_text(app)  # back at the door: no notice there
