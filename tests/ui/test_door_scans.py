"""Door screen with a real Textual Pilot: scans in by camera, wedge and typing; cards out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from kiosk.checkin import service as checkin
from kiosk.events import add_item, create_event
from kiosk.store import Store
from kiosk.ui.door import DoorScreen
from kiosk.ui.messages import CodeScanned, Decided
from kiosk.ui.party import PartySizeScreen
from support.checkin_school import School, build_school
from support.door_helpers import (
    InjectSource,
    Messages,
    card,
    demo_deck,
    make_app,
    screen_text,
    type_code,
    wait_shown,
    wait_until,
)


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


EXPECTED = [  # (family, colour, words on the card)
    ("F-GREEN", "green", "✔  WELCOME – YOU'RE CHECKED IN"),
    ("F-AMBER", "amber", "!  WELCOME – PLEASE NOTE"),
    ("F-GREEN", "yellow", "↺  ALREADY CHECKED IN"),
    ("F-AWAY", "red", "✘  NOT CHECKED IN"),
]


async def test_camera_scans_give_every_colour(school: School) -> None:
    source = InjectSource()
    app, bells = make_app(school.store, school.now, frame_source=source)
    messages = Messages()
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        for number, (family, colour, words) in enumerate(EXPECTED, start=1):
            source.inject(school.tokens[family])
            shown = await wait_shown(pilot, messages, number)
            assert shown.colour == colour == card(app).state
            assert words in screen_text(app)
    assert bells.rings == [1, 1, 1, 3]
    methods = {e.method for e in checkin.checkins_for_event(school.store, "nativity")}
    assert methods == {"camera"}


async def test_keyboard_wedge_scans_anywhere_without_focus(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        assert app.focused is None
        for number, (family, colour, words) in enumerate(EXPECTED, start=1):
            await type_code(pilot, school.tokens[family])
            await wait_shown(pilot, messages, number)
            assert card(app).state == colour
            assert words in screen_text(app)
        assert app.query_one("#code-input", Input).value == ""
    entries = checkin.checkins_for_event(school.store, "nativity")
    assert {e.method for e in entries} == {"scanner"} and len(entries) == 4


async def test_a_scanner_sending_the_code_twice_checks_in_once(school: School) -> None:
    app, bells = make_app(school.store, school.now, scanner_gap_s=3.0)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await type_code(pilot, school.tokens["F-GREEN"])  # the scanner's double send
        await wait_shown(pilot, messages, 1)
        await type_code(pilot, school.tokens["F-AMBER"])
        await wait_shown(pilot, messages, 2)
        assert card(app).state == "amber"
    entries = checkin.checkins_for_event(school.store, "nativity")
    assert sorted(e.code for e in entries) == ["admitted", "admitted_restricted"]
    assert bells.rings == [1, 1]


async def test_wedge_enter_does_not_press_a_focused_button(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = make_app(school.store, school.now)
    staff_calls: list[bool] = []
    monkeypatch.setattr(type(app), "action_staff", lambda self: staff_calls.append(True))
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        app.set_focus(app.query_one("#staff-button"))
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "green" and staff_calls == []


async def test_steward_types_a_code_with_the_mouse_and_keyboard(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await pilot.click("#code-input")
        assert app.focused is app.query_one("#code-input")
        await type_code(pilot, school.tokens["F-AMBER"].lower(), enter=False)
        assert app.query_one("#code-input", Input).value == school.tokens["F-AMBER"].lower()
        await pilot.click("#code-submit")
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "amber"
        assert app.focused is None  # the screen has its keys back for the wedge
        await pilot.click("#code-input")
        await pilot.press(*"not a pass", "enter")
        await wait_shown(pilot, messages, 2)
        assert card(app).state == "red"
    assert {e.method for e in checkin.checkins_for_event(school.store, "nativity")} == {
        "keyboard"}


async def test_a_new_scan_replaces_the_card_at_once(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        await type_code(pilot, "nonsense")
        await wait_shown(pilot, messages, 2)
        assert card(app).state == "red"
        assert "WELCOME" not in screen_text(app)


async def test_an_older_answer_never_overwrites_a_newer_scan(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, "nonsense")
        await wait_shown(pilot, messages, 1)
        stale = checkin.check_in(school.store, school.tokens["F-GREEN"], "nativity",
                                 now=school.now, kiosk_id="x", nonce="stale")
        app.door.post_message(Decided(stale, seq=0))
        await pilot.pause()
        assert card(app).state == "red"


async def test_card_returns_to_ready_by_its_timer(school: School) -> None:
    app, _ = make_app(school.store, school.now, return_after=30.0)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        timer = app.door.return_timer
        assert timer is not None and timer._interval == 30.0
        app.door.card_expired()  # what the timer calls when it runs out
        await pilot.pause()
        assert card(app).state == "ready"
        assert "Please scan your pass" in screen_text(app)


async def test_card_returns_to_ready_by_itself(school: School) -> None:
    app, _ = make_app(school.store, school.now, return_after=0.01)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        ready_before = len(messages.of(DoorScreen.ReturnedToReady))
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        await wait_until(pilot, lambda: len(messages.of(DoorScreen.ReturnedToReady))
                         > ready_before, "the return to ready")
        assert card(app).state == "ready"


async def test_escape_clears_the_card(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        await pilot.press("escape")
        assert card(app).state == "ready" and app.door.return_timer is None


async def test_camera_failing_and_returning(school: School) -> None:
    source = InjectSource(fail_opens=2)
    app, _ = make_app(school.store, school.now, frame_source=source, camera_retry_s=0.01)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        notice = app.query_one("#camera-notice")
        await wait_until(pilot, lambda: source.opens >= 3 and not notice.display,
                         "the camera to come back")
        assert "not connected" not in screen_text(app)
        source.unplug()
        await wait_until(pilot, lambda: notice.display, "the camera notice")
        await pilot.pause()
        assert "! Camera 0 " in screen_text(app)
        assert "Please scan your pass" in screen_text(app)  # not "up to the camera" now
        assert app.door.has_class("-camera-trouble")
        await type_code(pilot, school.tokens["F-GREEN"])  # the wedge still works
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "green"
        source.plug_in()
        await wait_until(pilot, lambda: not notice.display, "scanning to resume")
        source.inject(school.tokens["F-AMBER"])
        await wait_shown(pilot, messages, 2)
        assert card(app).state == "amber"


async def test_without_a_camera_the_screen_says_so_and_takes_the_scanner(
    school: School,
) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        text = screen_text(app)
        assert "No camera at this door" in text and "Please scan your pass" in text
        assert not app.query_one("#camera-notice").display
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)


async def test_demo_key_presents_the_next_pass_through_the_camera(school: School) -> None:
    source = InjectSource()
    passes = [(school.tokens["F-AWAY"], "not_expected"),
              (school.tokens["F-GREEN"], "admitted"),
              (school.tokens["F-AMBER"], "restricted")]
    app, _ = make_app(school.store, school.now, frame_source=source,
                      demo=demo_deck(source, passes))
    messages = Messages()
    async with app.run_test(size=(120, 36), message_hook=messages) as pilot:
        assert "press N" in screen_text(app)
        assert "a family who may film their child" in screen_text(app)
        await wait_until(pilot, lambda: any(k.action == "demo_next" and k.region.width
                                            for k in app.door.query(FooterKey)), "the keys")
        footer_key = next(k for k in app.door.query(FooterKey) if k.action == "demo_next")
        await pilot.click(footer_key)  # by mouse (or touch) the first time
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "green"
        for number, colour in enumerate(("amber", "yellow", "red"), start=2):
            await pilot.press("n")
            await wait_shown(pilot, messages, number)
            assert card(app).state == colour


async def test_wedge_keeps_letters_of_a_code_that_are_also_keys(school: School) -> None:
    source = InjectSource()
    deck = demo_deck(source, [(school.tokens["F-GREEN"], "admitted")])
    app, _ = make_app(school.store, school.now, frame_source=source, demo=deck)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, "KP1:nnnnnnnn")
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "red" and deck.position == 0
    assert checkin.checkins_for_event(school.store, "nativity")[0].code == "malformed"


async def test_quiet_rings_no_bell(school: School) -> None:
    app, bells = make_app(school.store, school.now, quiet=True)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, "nonsense")
        await wait_shown(pilot, messages, 1)
    assert bells.rings == []


async def test_hostile_scanned_text_never_reaches_the_screen(school: School) -> None:
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        app.door.handle_scan("\x1b]0;pwned\x07[bold red]HACKED[/]\u202eevil", "camera")
        await wait_shown(pilot, messages, 1)
        text = screen_text(app)
        assert card(app).state == "red"
        assert "HACKED" not in text and "pwned" not in text and "\x1b" not in text


async def test_seated_event_asks_party_size_then_admits(school: School) -> None:
    app, _ = make_app(school.store, school.now, event_id="concert")
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_until(pilot, lambda: isinstance(app.screen, PartySizeScreen),
                         "the party size question")
        assert "3 seats left" in screen_text(app)
        await pilot.click("#party-2")
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "green"
    entry = checkin.checkins_for_event(school.store, "concert")[0]
    assert entry.party_size == 2


async def test_party_size_cancel_records_nothing(school: School) -> None:
    app, _ = make_app(school.store, school.now, event_id="concert")
    async with app.run_test() as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_until(pilot, lambda: isinstance(app.screen, PartySizeScreen),
                         "the party size question")
        await pilot.press("escape")
        assert card(app).state == "ready"
    assert checkin.checkins_for_event(school.store, "concert") == []


async def test_staff_key_and_button_call_the_staff_hook(
    school: School, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = make_app(school.store, school.now)
    calls: list[str] = []
    monkeypatch.setattr(type(app), "action_staff", lambda self: calls.append("staff"))
    async with app.run_test() as pilot:
        await pilot.press("f2")
        await pilot.click("#staff-button")
    assert calls == ["staff", "staff"]


async def test_an_unknown_event_is_said_plainly(school: School) -> None:
    app, _ = make_app(school.store, school.now, event_id="no-such-event")
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: "Event not found" in screen_text(app), "the notice")


async def test_an_event_on_another_day_is_flagged_for_staff(school: School) -> None:
    create_event(school.store, "carols", "Carol service", school.now.date() + timedelta(days=7),
                 now=school.now)
    app, _ = make_app(school.store, school.now, event_id="carols")
    messages = Messages()
    async with app.run_test(size=(120, 30), message_hook=messages) as pilot:
        await wait_until(pilot, lambda: "not today" in screen_text(app), "the notice")
        await type_code(pilot, school.tokens["F-GREEN"])
        shown = await wait_shown(pilot, messages, 1)
        assert shown.colour == "red" and "not today" in screen_text(app)


async def test_a_scan_during_the_party_size_question_is_not_an_answer(school: School) -> None:
    app, _ = make_app(school.store, school.now, event_id="concert")
    messages = Messages()
    async with app.run_test(message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_until(pilot, lambda: isinstance(app.screen, PartySizeScreen),
                         "the party size question")
        first = app.screen
        await type_code(pilot, school.tokens["F-AMBER"])  # digits 2-7 are answer keys too
        await wait_until(pilot, lambda: isinstance(app.screen, PartySizeScreen)
                         and app.screen is not first, "the next family's question")
        assert checkin.checkins_for_event(school.store, "concert") == []
        app.post_message(CodeScanned("nonsense", "camera"))
        await wait_shown(pilot, messages, 1)
        assert card(app).state == "red" and app.screen is app.door
    assert [e.code for e in checkin.checkins_for_event(school.store, "concert")] == [
        "not_a_pass"]


async def test_a_big_family_fits_a_small_screen(school: School) -> None:
    for title in ("Stars", "Angels", "Shepherds", "Kings", "Snow", "Bells", "Finale"):
        add_item(school.store, "nativity", title, now=school.now, classes=["R"])
    app, _ = make_app(school.store, school.now)
    messages = Messages()
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_shown(pilot, messages, 1)
        await wait_until(pilot, lambda: card(app).has_class("-compact"), "the compact card")
        await pilot.pause()
        text = screen_text(app)
        assert "Little Donkey · Isla and Leo" in text and "Finale · Isla and Leo" in text
        assert text.count("Finale") == 1  # once, in running order, not once per child
        assert card(app)._pager is None  # it fits: no pages to turn
