"""Issue 16 item 9: typing at the door. A steward typing slowly loses nothing (it goes to
the code box); digits typed after the PIN screen closed are not scans; a typed pass
reference finds the pass for staff."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual import events
from textual.widgets import Input

from kiosk.checkin import service as checkin
from kiosk.store import Store
from kiosk.ui.door import PIN_TYPED, REF_TYPED
from kiosk.views.staffdesk import identify_pass
from support.checkin_school import School, build_school
from support.door_helpers import Messages, card, make_app, type_code, wait_shown
from support.door_helpers import _character_to_key as char_key


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def key(char: str, at: float) -> events.Key:
    """A key press that happened at monotonic time `at` (as a person types: slowly)."""
    event = events.Key(char if char.isalnum() else char_key(char), char)
    event.time = at
    return event


async def test_a_code_typed_slowly_goes_to_the_code_box_and_checks_in(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    token = school.tokens["F-GREEN"]
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await pilot.pause()
        start = events.Key("a", "a").time
        app.post_message(key(token[0], start))
        app.post_message(key(token[1], start + 1.2))  # a steward's pace, not a scanner's
        await pilot.pause()
        box = app.door.query_one("#code-input", Input)
        assert box.value == token[:2] and app.focused is box
        for char in token[2:]:
            await pilot.press(char if char.isalnum() else char_key(char))
        assert box.value == token
        await pilot.press("enter")
        shown = await wait_shown(pilot, messages, 1)
        assert shown.colour == "green" == card(app).state
    assert [e.method for e in checkin.checkins_for_event(school.store, "nativity")] == [
        "keyboard"]


@pytest.mark.parametrize("typed", ["KP1:ABCDEFGH", "abc"])
async def test_a_code_typed_quickly_then_a_pause_before_enter_goes_to_the_box(
        school: School, typed: str) -> None:
    app, _ = make_app(school.store, school.now)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = events.Key("a", "a").time
        for number, char in enumerate(typed):  # quicker than the scanner gap: a fast hand
            app.post_message(key(char, start + 0.3 * number))
        # Enter after a look at the screen (or too few characters for a scanner)
        enter = events.Key("enter", "\r")
        enter.time = start + 0.3 * len(typed) + (1.0 if len(typed) > 3 else 0.0)
        app.post_message(enter)
        await pilot.pause()
        box = app.door.query_one("#code-input", Input)
        assert box.value == typed and app.focused is box  # shown, not lost
        assert card(app).state == "ready"


async def test_a_pin_typed_at_the_door_is_not_a_scan(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_code(pilot, "246813")  # the PIN screen had closed by itself
        await pilot.pause()
        assert card(app).state == "ready"
        assert [n.message for n in app._notifications] == [PIN_TYPED]
        assert "246813" not in app.export_screenshot()
    assert checkin.checkins_for_event(school.store, "nativity") == []


async def test_a_pass_reference_typed_at_the_door_tells_staff_where_it_works(
        school: School) -> None:
    app, _ = make_app(school.store, school.now)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_code(pilot, school.refs["F-GREEN"])
        await pilot.pause()
        assert card(app).state == "ready"  # no red "not a family pass" card for the parent
        assert [n.message for n in app._notifications] == [REF_TYPED]
    assert checkin.checkins_for_event(school.store, "nativity") == []


def test_a_typed_pass_reference_finds_the_pass(school: School) -> None:
    ref = school.refs["F-GREEN"]
    link = identify_pass(school.store, f" {ref.lower()} ", staff_id=school.steward,
                         today=school.now.date())
    assert (link.family_id, link.ref) == ("F-GREEN", ref)
    assert link.message.startswith(f"Pass {ref} (")
    unknown = identify_pass(school.store, "ZZ11", staff_id=school.steward,
                            today=school.now.date())
    assert unknown.family_id is None
