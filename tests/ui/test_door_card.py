"""Issue 16 item 8: the door card says "keep devices away" when nothing may be filmed, and
a family too big for the card turns pages instead of showing a scrollbar."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.containers import VerticalScroll

from kiosk.checkin.doorview import NOTHING_FILMABLE_MESSAGE
from kiosk.events import add_item
from kiosk.store import Store
from support.checkin_school import School, build_school
from support.door_helpers import Messages, card, make_app, type_code, wait_shown, wait_until


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


async def test_a_big_family_pages_without_a_scrollbar(school: School) -> None:
    for number in range(12):
        add_item(school.store, "nativity", f"Song {number}", now=school.now, classes=["R"])
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        result = card(app)
        await wait_until(pilot, lambda: result._pager is not None, "the pages")
        scroll = result.query_one("#card-scroll", VerticalScroll)
        assert scroll.scrollbar_size_vertical == 0 or not scroll.show_vertical_scrollbar
        assert scroll.scroll_y == 0
        result.next_page()
        await pilot.pause()
        assert scroll.scroll_y > 0
        while scroll.scroll_y < scroll.max_scroll_y:
            result.next_page()
            await pilot.pause()
        result.next_page()  # after the last page, the first again
        await pilot.pause()
        assert scroll.scroll_y == 0


def test_the_no_filming_sentence_names_what_to_do() -> None:
    assert "keep devices away during your child's items" in NOTHING_FILMABLE_MESSAGE
    assert "read the note" not in NOTHING_FILMABLE_MESSAGE
