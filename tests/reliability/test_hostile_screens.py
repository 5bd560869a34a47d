"""Nothing hostile reaches the terminal: the door and staff screens rendered with bad data.

Names, titles and descriptions carry ANSI escapes (clear screen, set window title),
bidirectional overrides, Rich markup and a 100 KB name. However they got into the
database, every rendered line must be free of control, bidi and format characters, and
markup must show as the literal text it is (never turn red or into a link).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kiosk.checkin.service import check_in
from kiosk.events import add_item
from kiosk.staff import add_staff
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.checkins import CheckinsScreen
from kiosk.ui.staff.inbox import InboxScreen
from kiosk.violations.workflow import log_violation
from support.door_helpers import Messages, screen_text, wait_shown, wait_until
from support.staff_school import PINS, build_school, quick_hashes, sign_in

from .hostile import terminal_safe

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;pwned\x07"
RLO = "\u202e"
HOSTILE = {
    "family": f"{CLEAR}[red]Khan[/red]{RLO}ylimaf",
    "child": f"[red]Amelia[/red]{TITLE}",
    "sibling": f"Noah{RLO}\u2066{CLEAR}",
    "huge": "Olivia" + "A" * 100_000,
    "item": f"[blink]Star[/blink]{CLEAR}{RLO}",
    "event": f"Nativity{CLEAR}[bold]x[/bold]",
    "description": f"{CLEAR}[red]desc[/red]{RLO}[link=https://x.test]y[/link]",
    "staff": f"[red]Eve[/red]{CLEAR}",
}
SIZE = (120, 40)


@pytest.fixture
def hostile(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The staff-mode test school with hostile text written straight into the database.

    Returns the families' pass tokens.
    """
    quick_hashes(monkeypatch)
    school = build_school(store, now)
    add_item(store, "nativity", HOSTILE["item"], now=now, classes=["R"])
    add_staff(store, HOSTILE["staff"], "steward", "555555", now=now)
    with store.immediate():
        store.db["families"].update("khan", {"display_name": HOSTILE["family"]})
        store.db["pupils"].update("p1", {"first_name": HOSTILE["child"]})
        store.db["pupils"].update("p2", {"first_name": HOSTILE["sibling"]})
        store.db["pupils"].update("p3", {"first_name": HOSTILE["huge"]})
        store.db["events"].update("nativity", {"name": HOSTILE["event"]})
    for number, family in enumerate(("khan", "price")):
        check_in(store, school.tokens[family], "nativity", now=now, kiosk_id=f"{CLEAR}door",
                 nonce=f"h{number}")
    log_violation(store, event_id="nativity", kind="other", now=now, kiosk_id="door-1",
                  reported_by=school.staff["Helen Head"], family_id="khan",
                  description=HOSTILE["description"])
    return school.tokens


def _assert_safe(app: KioskApp, where: str) -> str:
    """The whole screen: no control, bidi or format character anywhere on it."""
    text = screen_text(app)
    assert terminal_safe(text), f"{where}: {[c for c in text if not terminal_safe(c)][:5]}"
    return text


async def _shows(pilot: Pilot, app: KioskApp, where: str, *literal: str) -> str:
    """Wait until the screen shows each text literally (markup left as typed), then check it."""
    await wait_until(pilot, lambda: all(s in screen_text(app) for s in literal),
                     f"{where} to show {literal} literally")
    return _assert_safe(app, where)


async def test_door_screen_shows_hostile_names_inert(
    store: Store, hostile: dict[str, str], now: datetime
) -> None:
    tokens = hostile
    # The fixture checked both families in; undo that, so these scans are first admissions
    # (a re-entry's "welcome back" names no child, and the names are what is tested here).
    store.execute("UPDATE checkins SET undone_at = ? WHERE event_id = 'nativity'",
                  (now.isoformat(),))
    app = KioskApp(store, "nativity", clock=lambda: now, kiosk_id="door-1", quiet=True,
                   return_after=1000.0)
    messages = Messages()
    async with app.run_test(size=SIZE, message_hook=messages) as pilot:
        await _shows(pilot, app, "ready", "[bold]x[/bold]")
        app.door.handle_scan(tokens["khan"], "camera")
        await wait_shown(pilot, messages, 1)
        await _shows(pilot, app, "khan card", "[red]Amelia[/red]", "[blink]Star", "Noah")
        app.door.handle_scan(tokens["price"], "camera")
        await wait_shown(pilot, messages, 2)
        text = await _shows(pilot, app, "price card", "OliviaAAAA")
        assert "A…" in text and len(text) < 20_000, "a 100 KB name is cut short"
        app.door.handle_scan(f"KP1:{CLEAR}[red]x[/red]{RLO}", "camera")
        await wait_shown(pilot, messages, 3)
        await _shows(pilot, app, "refusal card", "NOT CHECKED IN")


async def test_staff_screens_show_hostile_text_inert(
    store: Store, hostile: dict[str, str], now: datetime
) -> None:
    app = KioskApp(store, "nativity", clock=lambda: now, kiosk_id="door-1", quiet=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_until(pilot, lambda: bool(getattr(app.screen, "names", None)), "the names")
        app.screen.query_one("#pin-name", Input).value = "[r"  # the hostile name matches
        await _shows(pilot, app, "PIN screen", "[red]Eve[/red]")
        await sign_in(pilot, "Helen Head", PINS["Helen Head"])
        await _shows(pilot, app, "dashboard", "[blink]Star")
        await pilot.press("r")
        await _shows(pilot, app, "dashboard with names", "[blink]Star")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, CheckinsScreen), "check-ins")
        await _shows(pilot, app, "check-ins", "[red]Khan[/red]")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen), "the inbox")
        await _shows(pilot, app, "inbox", "[red]Khan")
        await pilot.press("enter")
        await _shows(pilot, app, "violation detail", "[red]desc[/red]")
