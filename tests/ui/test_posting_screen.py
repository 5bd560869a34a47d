"""The "Posting check" staff screen in a real Textual app (Pilot)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Select, Static

from kiosk.store import Store
from kiosk.ui.staff.posting import PostingScreen
from support.photo_files import exif_block, write_jpeg
from support.posting_school import build_posting_school
from support.violations_school import School


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_posting_school(store, now)


class Host(App[None]):
    """A bare app showing only the posting screen."""

    def __init__(self, screen: PostingScreen) -> None:
        super().__init__()
        self.posting = screen

    def on_mount(self) -> None:
        self.push_screen(self.posting)


def _screen(school: School, now: datetime, role: str = "lead") -> PostingScreen:
    return PostingScreen(store=school.store, clock=lambda: now,
                         staff_id=school.staff[role], kiosk_id="door-1", event_id="nativity")


def _answer(app: Host) -> str:
    return str(app.screen.query_one("#posting-answer", Static).render())


async def _fill(app: Host, pilot, **values: str) -> None:
    for widget_id, value in values.items():
        app.screen.query_one(f"#{widget_id}", Input).value = value
    await pilot.click("#check")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_no_with_first_names_to_leave_out(school: School, now: datetime) -> None:
    app = Host(_screen(school, now))
    async with app.run_test(size=(100, 60)) as pilot:
        await _fill(app, pilot, classes="1B")
        text = _answer(app)
    assert "NO: do not post it" in text
    assert "3 of 4 pupils may not be posted on the school website" in text
    assert "Zoë (1B)" in text and "Łukasiewicz" not in text


async def test_yes_for_an_item_on_social_media_with_a_clean_copy(school: School, now: datetime,
                                                                 tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "stage.jpg", exif=exif_block(gps=True))
    out = tmp_path / "web.jpg"
    app = Host(_screen(school, now))
    async with app.run_test(size=(100, 60)) as pilot:
        app.screen.query_one("#channel", Select).value = "social_media"
        await _fill(app, pilot, pupils="p1 p2", image=str(photo), clean=str(out))
        text = _answer(app)
    assert "YES: it may be posted" in text
    assert out.exists() and "Clean copy written" in text


async def test_names_in_the_caption_and_item_numbers(school: School, now: datetime) -> None:
    app = Host(_screen(school, now))
    async with app.run_test(size=(100, 60)) as pilot:
        await _fill(app, pilot, item="3", caption="Amelia sings Silent Night")
        text = _answer(app)
    assert "NO" in text and 'caption: "amelia"' in text


async def test_a_steward_gets_a_plain_refusal(school: School, now: datetime) -> None:
    app = Host(_screen(school, now, role="steward"))
    async with app.run_test(size=(100, 60)) as pilot:
        await _fill(app, pilot, pupils="p1")
        text = _answer(app)
    assert text.startswith("Not checked: Only a lead or above")
    assert school.store.audit.entries_of_actions(("photo.checked",)) == []


async def test_escape_closes_the_screen(school: School, now: datetime) -> None:
    app = Host(_screen(school, now))
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PostingScreen)


async def test_the_lock_key_calls_staff_modes_lock(school: School, now: datetime) -> None:
    locked: list[bool] = []
    screen = PostingScreen(store=school.store, clock=lambda: now, staff_id=school.staff["lead"],
                           kiosk_id="door-1", lock=lambda: locked.append(True))
    app = Host(screen)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
    assert locked == [True]
