"""Issue 16 item 8: the door card lists the family's items in running order (which of their
children is in each, filming or not), says "keep devices away" when nothing may be filmed,
wraps a long title across the card at 100x30, and turns pages instead of a scrollbar."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.containers import VerticalScroll

from kiosk.checkin.doorview import NOTHING_FILMABLE_MESSAGE
from kiosk.events import add_item
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from support.checkin_school import PUPILS, School, build_school
from support.door_helpers import Messages, card, make_app, type_code, wait_shown, wait_until

LONG_TITLE = "The Twelve Days of Christmas, sung by everyone in Reception with actions"


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def card_lines(app: KioskApp) -> list[str]:
    """The result card's rows as plain text (inside its border), blank rows dropped."""
    strips = app.screen._compositor.render_strips()
    region = card(app).content_region
    rows = (strips[y].text[region.x:region.right].strip() for y in range(region.y, region.bottom))
    return [row for row in rows if row]


async def show(app: KioskApp, pilot, token: str) -> list[str]:
    """Scan `token` and return the card's rows once it is on screen."""
    await type_code(pilot, token)
    await wait_until(pilot, lambda: card(app).state != "ready", "the card")
    await pilot.pause()
    return card_lines(app)


async def test_items_are_listed_once_each_in_running_order_with_the_children_in_them(
        school: School) -> None:
    # Little Donkey (class R: both) is first; then Leo alone, Isla alone, Leo alone again.
    for title, pupil in (("Drum solo", "P1"), ("Poem", "P2"), ("Sleigh bells", "P1")):
        add_item(school.store, "nativity", title, now=school.now, pupils=[pupil])
    app, _ = make_app(school.store, school.now)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await show(app, pilot, school.tokens["F-GREEN"])
    items = [line for line in lines if line.startswith(("✔", "✘")) and "·" in line]
    assert [line.split("·")[0].strip("✔✘ ") for line in items] == [
        "Little Donkey", "Drum solo", "Poem", "Sleigh bells"]
    assert [line.split("·")[1].split("  ")[0].strip() for line in items] == [
        "Isla and Leo", "Leo", "Isla", "Leo"]
    assert all("Filming allowed – your own child only" in line for line in items)
    surnames = {pupil.surname for pupil in PUPILS} | {"Leonard"}  # Leo's first name too
    assert not [line for line in lines if any(name in line for name in surnames)]


async def test_nothing_filmable_says_keep_devices_away(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await show(app, pilot, school.tokens["F-AMBER"])
    text = " ".join(lines)
    assert text.count("Please keep devices away during your child's items.") == 1
    assert "read the note" not in text
    assert "No filming during" not in text  # the same sentence once, not twice
    assert any(line.startswith("✘") and "Away in a Manger · Amara" in line
               and "No filming – devices away" in line for line in lines)


@pytest.mark.parametrize("size", [(100, 30), (96, 48), (128, 40)])
async def test_a_long_title_wraps_across_the_card_not_into_a_one_word_column(
        school: School, size: tuple[int, int]) -> None:
    add_item(school.store, "nativity", LONG_TITLE, now=school.now, classes=["R"])
    app, _ = make_app(school.store, school.now)
    async with app.run_test(size=size) as pilot:
        lines = await show(app, pilot, school.tokens["F-GREEN"])
        width = card(app).content_region.width
    start = next(n for n, line in enumerate(lines) if "The Twelve Days" in line)
    title_rows = [line.strip("✔ ") for line in lines[start:start + 3]]
    joined = " ".join(title_rows)
    assert f"{LONG_TITLE} · Isla and Leo" in joined
    assert all(len(row.split()) >= 4 for row in title_rows[:2])  # whole phrases a row
    assert len(title_rows[0]) > width // 2


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_big_family_pages_between_items_without_a_scrollbar(
        school: School, size: tuple[int, int]) -> None:
    add_item(school.store, "nativity", LONG_TITLE, now=school.now, classes=["R"])
    for number in range(14):
        add_item(school.store, "nativity", f"Song {number} of the evening", now=school.now,
                 classes=["R"])
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(size=size, message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        result = card(app)
        await wait_until(pilot, lambda: result._pager is not None, "the pages")
        await pilot.pause()
        scroll = result.query_one("#card-scroll", VerticalScroll)
        assert scroll.scrollbar_size_vertical == 0 or not scroll.show_vertical_scrollbar
        assert result.pages >= 2
        seen: list[str] = []
        for number in range(result.pages):
            assert result.page == number
            lines = card_lines(app)
            assert lines[-1].endswith(f"page {number + 1} of {result.pages}")
            body = lines[2:-1]  # after the title and the message, before the footer
            items = [line for line in body if line.startswith("✔")]
            assert body[0].startswith("✔")  # each page starts with an item, and every item
            assert " ".join(body).count("Filming allowed") == len(items)  # has its status
            seen += items
            result.next_page()
            await pilot.pause()
        assert result.page == 0  # after the last page, the first again
    assert len(seen) == 16  # every item once: Little Donkey, the long title, 14 songs


def test_the_no_filming_sentence_names_what_to_do() -> None:
    assert "keep devices away during your child's items" in NOTHING_FILMABLE_MESSAGE
    assert "read the note" not in NOTHING_FILMABLE_MESSAGE
