"""A paste into the door is a scan: the tablet camera's envelope (with its nonce) or a code."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual import events
from textual.widgets import Input

from kiosk.scanner.dedup import KeyboardScans
from kiosk.store import Store
from kiosk.ui.door import DoorScreen
from kiosk.ui.paste import pasted_scan
from support.checkin_school import School, build_school
from support.door_helpers import Messages, make_app, screen_text, wait_shown

NONCE = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


async def test_a_camera_paste_checks_in_once_even_when_resent(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    token = school.tokens["F-GREEN"]
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        app.door.post_message(events.Paste(f"kiosk-scan:{NONCE}:{token}"))
        await wait_shown(pilot, messages, 1)
        assert "CHECKED IN" in screen_text(app)
        app.door.post_message(events.Paste(f"kiosk-scan:{NONCE}:{token}"))  # resent
        await wait_shown(pilot, messages, 2)
    rows = school.store.checkins.of_event("nativity")
    assert len(rows) == 1
    assert rows[0]["method"] == "camera" and rows[0]["kiosk_id"] == "Main door"


async def test_a_huge_or_garbage_paste_is_a_refused_scan(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        app.door.post_message(events.Paste("\x00garbage\x1b[31m" * 50_000))
        shown = await wait_shown(pilot, messages, 1)
        assert shown.colour == "red"
        assert isinstance(app.screen, DoorScreen)
    rows = school.store.checkins.of_event("nativity")
    assert [(r["code"], r["family_id"]) for r in rows] == [("not_a_pass", None)]


def test_plain_pastes_repeat_like_a_handheld_scanner() -> None:
    repeats = KeyboardScans(3.0)
    first = pasted_scan(" KP1:ABC \n", 0.0, repeats, "North")
    assert first is not None and first.code == "KP1:ABC" and first.method == "scanner"
    assert pasted_scan("KP1:ABC", 1.0, repeats, "North") is None
    assert pasted_scan("   ", 9.0, repeats, "North") is None
    camera = pasted_scan(f"kiosk-scan:{NONCE}:KP1:ABC", 1.0, repeats, "North")
    assert camera is not None and camera.nonce == f"tablet:North:{NONCE}"


async def test_a_tablet_whose_browser_refused_the_camera_says_so_and_typing_still_works(
        school: School) -> None:
    app, _ = make_app(school.store, school.now, tablet=True)
    messages = Messages()
    async with app.run_test(size=(85, 34), message_hook=messages) as pilot:
        assert "Hold your pass up to the camera" in screen_text(app)
        app.door.post_message(events.Paste("kiosk-camera:off"))
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "The camera is off: this browser did not allow it." in shown
        assert "allow the camera in the browser's site settings" in shown
        assert "Hold your pass up to the camera" not in shown
        assert not school.store.checkins.of_event("nativity")  # the state is not a scan
        app.door.query_one("#code-input", Input).value = school.tokens["F-GREEN"]
        assert await pilot.click("#code-submit")
        await wait_shown(pilot, messages, 1)
        assert "CHECKED IN" in screen_text(app)
        app.door.action_ready()
        await pilot.pause()
        assert "The camera is off" in screen_text(app)  # back to ready: still off
        app.door.post_message(events.Paste("kiosk-camera:on"))
        await pilot.pause()
        assert "Hold your pass up to the camera" in screen_text(app)
    assert [r["method"] for r in school.store.checkins.of_event("nativity")] == ["keyboard"]


async def test_a_camera_state_paste_off_a_tablet_is_just_a_refused_scan(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        app.door.post_message(events.Paste("kiosk-camera:off"))
        await wait_shown(pilot, messages, 1)
        assert "The camera is off" not in screen_text(app)
    assert [r["code"] for r in school.store.checkins.of_event("nativity")] == ["not_a_pass"]


async def test_the_hubs_pastes_never_land_in_the_sign_in_name_field(school: School) -> None:
    """The page says its camera state, or sends a scan, while staff sign in on the tablet."""
    app, _ = make_app(school.store, school.now, tablet=True)
    messages = Messages()
    async with app.run_test(size=(85, 34), message_hook=messages) as pilot:
        app.action_staff()
        await pilot.pause()
        name = app.screen.query_one("#pin-name", Input)
        assert name.has_focus
        app.post_message(events.Paste("kiosk-camera:off"))  # as the terminal driver does
        await pilot.pause()
        assert name.value == ""
        assert app.door.camera_refused
        app.post_message(events.Paste(f"kiosk-scan:{NONCE}:{school.tokens['F-GREEN']}"))
        shown = await wait_shown(pilot, messages, 1)
        assert name.value == "" and shown.colour == "green"
        assert isinstance(app.screen, DoorScreen)  # a parent's pass gives the door back
    assert [r["method"] for r in school.store.checkins.of_event("nativity")] == ["camera"]
