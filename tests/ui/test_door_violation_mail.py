"""A violation logged at the door in the real kiosk app reaches a local SMTP server once."""

from __future__ import annotations

from datetime import datetime

from kiosk.notify.sender import send_due
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.messages import CodeScanned
from kiosk.ui.staff.dashboard import DashboardScreen
from support.notify_school import set_up_mail
from support.smtp_server import MailServer
from support.staff_school import MutableClock, School, fill, sign_in


async def test_a_violation_from_the_staff_form_is_mailed_once_without_names(
    store: Store, school: School, now: datetime
) -> None:
    clock = MutableClock(now)
    app = KioskApp(store, "nativity", clock=clock, kiosk_id="door-1", quiet=True)
    with MailServer() as server:
        set_up_mail(store, server.port)
        async with app.run_test(size=(100, 34)) as pilot:
            await sign_in(pilot, "Sam Steward")
            await pilot.press("v")
            await pilot.pause()
            await pilot.press("2")
            app.post_message(CodeScanned(school.tokens["osei"]))  # the door camera
            await pilot.pause()
            await fill(pilot, "#description", "the Osei dad filming the teacher")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
        assert send_due(store, clock).sent == 1
        assert send_due(store, clock).sent == 0
    [(_, message)] = server.messages
    text = (str(message["Subject"]) + message.get_content()).casefold()
    assert "filmed a member of staff" in text and "open the kiosk inbox" in text
    assert "osei" not in text and "teacher" not in text
