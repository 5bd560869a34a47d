"""Staff mode reaches the posting check, and the dashboard shows its quiet notices."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Static

from kiosk.checkin.service import check_in
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.posting import PostingScreen
from support.staff_school import School, settle, sign_in


def _shown(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_lead_opens_the_posting_check_and_locking_closes_it(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        app.staff_mode.show("posting")
        await settle(pilot)
        assert isinstance(app.screen, PostingScreen)
        app.staff_mode.lock()
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["DoorScreen"]


async def test_notices_stay_hidden_until_there_is_something_to_say(
        app: KioskApp, store: Store, school: School, now: datetime) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        assert not app.screen.query_one("#notices", Static).display
        first, second = list(school.tokens.values())[:2]
        check_in(store, first, "nativity", now=now, kiosk_id="North door", nonce="n1")
        check_in(store, second, "nativity", now=now + timedelta(minutes=1),
                 kiosk_id="South door", nonce="n2")
        app.screen.reload()
        await settle(pilot)
        notices = app.screen.query_one("#notices", Static)
        assert notices.display
        text = _shown(app, "#notices")
        assert "North door:" in text and "South door:" in text


async def test_the_roll_call_lists_who_is_in_and_prints_in_one_key(
        app: KioskApp, store: Store, school: School, now: datetime) -> None:
    token = next(iter(school.tokens.values()))
    assert check_in(store, token, "nativity", now=now, kiosk_id="North door",
                    nonce="r1").code.startswith("admitted")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        app.staff_mode.show("rollcall")
        await settle(pilot)
        assert "1 families, 1 parties" in str(app.screen.query_one("#rollcall-totals").render())
        table = app.screen.query_one("#rollcall")
        assert table.row_count == 1 and "North door" in [str(c) for c in table.get_row_at(0)]
        await pilot.press("p")
        await settle(pilot)
    assert store.path is not None
    printed = list((store.path.parent / "rollcall").glob("rollcall-nativity-*.pdf"))
    assert len(printed) == 1 and printed[0].read_bytes().startswith(b"%PDF")
    assert printed[0].stat().st_mode & 0o077 == 0
