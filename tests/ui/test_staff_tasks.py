"""Night tasks in staff mode, by touch (Pilot): consent change, lost pass, PIN reset.

Each task's role check is the service's: a steward (or a non-admin) gets its sentence.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from kiosk.checkin.service import check_in, family_door_view
from kiosk.consent import ItemStatus
from kiosk.events import filmable, running_order
from kiosk.staff import SignInError, authenticate
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff import StaffCommands
from kiosk.ui.staff.consent import ConsentDialog, ConsentScreen
from kiosk.ui.staff.help import help_text
from kiosk.ui.staff.lostpass import CheckInDialog, LostPassScreen
from kiosk.ui.staff.pinreset import PinResetScreen
from support.staff_school import (
    DAY,
    School,
    fill,
    settle,
    sign_in,
)

LEAD_ONLY = "Only a lead or above can do this."


def messages(app: KioskApp) -> list[str]:
    return [n.message for n in app._notifications]


def shown(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def item_status(store: Store, title: str) -> ItemStatus:
    return next(r.status for r in running_order(store, "nativity").items
                if r.item.title == title)


async def open_task(pilot: Pilot, who: str, task: str, family: str | None = None) -> None:
    """Sign in, open the task's screen, and find a family by what staff would type."""
    await sign_in(pilot, who)
    pilot.app.staff_mode.show(task)
    await settle(pilot)
    if family is not None:
        await fill(pilot, "#task-search", family)
        await settle(pilot)


async def highlight(pilot: Pilot, selector: str, key: str) -> None:
    """Tap a row of a table (the row whose key is `key`)."""
    table = pilot.app.screen.query_one(selector, DataTable)
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


async def change_consent(pilot: Pilot, pupil_id: str, button: str, note: str = "") -> None:
    """Highlight the child, tap Withdraw or Grant, add the note, confirm."""
    await highlight(pilot, "#consent-children", pupil_id)
    assert await pilot.click(button)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConsentDialog)
    pilot.app.screen.query_one("#consent-note", Input).value = note
    assert await pilot.click("#consent-ok")
    await settle(pilot)


async def test_withdrawing_consent_stops_filming_at_once(app: KioskApp, store: Store,
                                                          school: School) -> None:
    assert item_status(store, "Away in a Manger") is ItemStatus.ALLOWED
    async with app.run_test(size=(100, 30)) as pilot:
        await open_task(pilot, "Lee Lead", "consent", "Amelia")  # a child's first name
        assert isinstance(app.screen, ConsentScreen)
        children = app.screen.query_one("#consent-children", DataTable)
        assert children.row_count == 2  # Amelia and Noah Khan
        await change_consent(pilot, "p1", "#withdraw", "mum asked at the door")
        assert isinstance(app.screen, ConsentScreen)
        assert "Amelia may not be filmed from now on" in shown(app, "#consent-effect")
        assert "Away in a Manger" in shown(app, "#consent-effect")
        assert children.get_row("p1")[2] == "may not be filmed"
    assert filmable(store, ["p1", "p2"], DAY) == {"p1": False, "p2": True}
    assert item_status(store, "Away in a Manger") is ItemStatus.NO_FILMING
    view = family_door_view(store, "nativity", "khan")
    amelia = next(c for c in view.children if c.name == "Amelia")
    assert not any(item.filming_allowed for item in amelia.items)
    entry = store.audit.chain("door-1")[-2]  # the last is the desk's read of the children
    assert entry["action"] == "consent.withdrawn"
    assert entry["actor"] == f"staff:{school.staff['Lee Lead']}"


async def test_granting_consent_lets_the_child_be_filmed(app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_task(pilot, "Helen Head", "consent", "Novak")
        await change_consent(pilot, "p5", "#grant")
        assert "Isla may be filmed from now on" in shown(app, "#consent-effect")
        await fill(pilot, "#task-search", "Osei")
        await settle(pilot)
        await change_consent(pilot, "p4", "#grant")  # the school record refused
        assert "Jack still may not be filmed" in shown(app, "#consent-effect")
    assert filmable(store, ["p4", "p5"], DAY) == {"p4": False, "p5": True}


async def test_a_steward_is_refused_the_consent_desk(app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_task(pilot, "Sam Steward", "consent")
        assert "Only a lead or above can use 'Consent change'." in messages(app)
        assert not isinstance(app.screen, ConsentScreen)
        app.push_screen(ConsentScreen(app.staff_mode))  # were it open some other way
        await settle(pilot)
        await fill(pilot, "#task-search", "Khan")
        await settle(pilot)
        assert LEAD_ONLY in messages(app)  # the service refuses, not only the screen
        assert app.screen.query_one("#consent-children", DataTable).row_count == 0
        assert not app.screen.check_action("withdraw", ())  # and no key for it shows
        assert not app.screen.check_action("grant", ())
    assert not store.audit.entries_of_actions(("consent.withdrawn", "consent.recorded"))


async def test_lost_pass_cancelled_then_family_checked_in_by_hand(
        app: KioskApp, store: Store, school: School, now: datetime) -> None:
    ref = store.passes.all("khan")[0]["ref"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_task(pilot, "Lee Lead", "lostpass", "Khan")
        assert isinstance(app.screen, LostPassScreen)
        await highlight(pilot, "#lostpass-passes", ref)
        assert await pilot.click("#revoke")
        await settle(pilot)
        assert app.screen.query_one("#ask-text", Input).value == "lost"
        assert await pilot.click("#ask-ok")
        await settle(pilot)
        assert isinstance(app.screen, CheckInDialog)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Check the Khan family in now?" in text
        assert f"Pass {ref} is cancelled: the old card no longer works" in text
        assert "kiosk passes reissue khan" in text
        assert "Amelia (R)" in text and "Away in a Manger" in text
        assert "Filming allowed – your own child only" in text
        assert await pilot.click("#lostpass-admit")
        await settle(pilot)
        assert isinstance(app.screen, LostPassScreen)
        assert app.screen.query_one("#lostpass-passes", DataTable).get_row(ref)[2] == \
            "cancelled"
    manual = store.checkins.of_event("nativity", include_refused=True, limit=None)[0]
    assert (manual["method"], manual["result"], manual["family_id"]) == \
        ("manual", "admitted", "khan")
    assert manual["staff_id"] == school.staff["Lee Lead"]
    revoked = store.audit.entries_of_actions(("pass.revoked",))
    assert [e["actor"] for e in revoked] == [f"staff:{school.staff['Lee Lead']}"]
    at_door = check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-2",
                       nonce="old-card")
    assert (at_door.ok, at_door.code) == (False, "revoked")


async def test_a_steward_cannot_cancel_a_pass(app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_task(pilot, "Sam Steward", "lostpass")
        assert "Only a lead or above can use 'Lost pass'." in messages(app)
        assert not isinstance(app.screen, LostPassScreen)
        app.push_screen(LostPassScreen(app.staff_mode))  # were it open some other way
        await settle(pilot)
        await fill(pilot, "#task-search", "Khan")
        await settle(pilot)
        assert LEAD_ONLY in messages(app)
        assert app.screen.query_one("#lostpass-passes", DataTable).row_count == 0
        assert not app.screen.check_action("revoke", ())
    assert all(row["revoked_at"] is None for row in store.passes.all())


async def reset_with_keypad(pilot: Pilot, name: str, first: str, again: str) -> None:
    """Choose the member and tap both PINs on the keypad (OK moves on, then resets)."""
    pilot.app.screen.query_one("#reset-name", Select).value = name
    await pilot.pause()
    for pin in (first, again):
        for digit in pin:
            assert await pilot.click(f"#reset-key-{digit}")
        assert await pilot.click("#reset-key-ok")
    await settle(pilot)


async def test_an_admin_resets_a_pin_on_the_keypad(app: KioskApp, store: Store,
                                                   now: datetime) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await open_task(pilot, "Ada Admin", "pinreset")
        assert isinstance(app.screen, PinResetScreen)
        await reset_with_keypad(pilot, "Sam Steward", "975310", "975310")
        assert "Sam Steward's PIN is reset" in shown(app, "#reset-message")
        assert all(box.value == "" for box in app.screen.query(Input))
        assert not any("975310" in str(s.render()) for s in app.screen.query(Static))
    assert authenticate(store, "Sam Steward", "975310", now=now, kiosk_id="door-3").name == \
        "Sam Steward"
    with pytest.raises(SignInError):
        authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-3")
    entry = store.audit.entries_of_actions(("staff.pin_reset",))[-1]
    assert "975310" not in str(entry)


@pytest.mark.parametrize(("first", "again", "said"), [
    ("975310", "975311", "The two PINs are not the same"),
    ("1234", "1234", "A PIN must be 6 to 12 digits"),
], ids=["mismatched", "four-digits"])
async def test_a_pin_reset_refuses_bad_pins(app: KioskApp, store: Store, now: datetime,
                                            first: str, again: str, said: str) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await open_task(pilot, "Ada Admin", "pinreset")
        await reset_with_keypad(pilot, "Sam Steward", first, again)
        assert said in shown(app, "#reset-message")
    assert not store.audit.entries_of_actions(("staff.pin_reset",))
    assert authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-3")


async def test_only_an_admin_resets_a_pin(app: KioskApp, store: Store, now: datetime) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await open_task(pilot, "Helen Head", "pinreset")
        assert "Only an admin or above can use 'Reset a staff PIN'." in messages(app)
        assert not isinstance(app.screen, PinResetScreen)
        app.push_screen(PinResetScreen(app.staff_mode))  # were it open some other way
        await settle(pilot)
        assert "Only an admin or above can do this." in messages(app)
        assert not app.screen.check_action("reset", ())
        app.screen.draw_names(["Sam Steward"])  # a list on screen is no permission
        await reset_with_keypad(pilot, "Sam Steward", "975310", "975310")
        assert "Only an admin or above can do this." in shown(app, "#reset-message")
    assert not store.audit.entries_of_actions(("staff.pin_reset",))
    assert authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-3")


async def test_the_palette_offers_each_task_to_its_least_role(app: KioskApp) -> None:
    tasks = {"Consent change", "Lost pass", "Reset a staff PIN"}
    async with app.run_test(size=(100, 30)) as pilot:
        for who, offered in (("Sam Steward", set()), ("Lee Lead", tasks - {"Reset a staff PIN"}),
                             ("Ada Admin", tasks)):
            await sign_in(pilot, who)
            commands = {t: run for t, _, run in StaffCommands(app.screen).available()}
            assert tasks & set(commands) == offered, who
            if who == "Ada Admin":
                commands["Reset a staff PIN"]()
                await settle(pilot)
                assert isinstance(app.screen, PinResetScreen)
            app.staff_mode.lock()
            await settle(pilot)


def test_the_help_lists_the_night_tasks() -> None:
    text = help_text()
    for task in ("Consent change", "Lost pass", "Reset a staff PIN"):
        assert f"  {task:<22} " in text
