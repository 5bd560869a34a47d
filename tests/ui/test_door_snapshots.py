"""Snapshots of the door screen: fixed clock, fixed passes, no camera picture, no cursor.

Update after an intended change with: pytest tests/test_door_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest
from textual.pilot import Pilot

from kiosk.events import add_item
from kiosk.scanner.sources import SourceUnavailable
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.party import PartySizeScreen
from support.checkin_school import School, build_school
from support.door_helpers import card, make_app, type_code, wait_until


class UnpluggedCamera:
    """A camera that is never there (the door keeps taking the handheld scanner)."""

    live = True
    pace = None
    description = "camera 0"

    def open(self) -> None:
        raise SourceUnavailable("Camera 0 is not connected. Check the cable.")

    def read(self) -> None:
        raise SourceUnavailable("Camera 0 is not connected. Check the cable.")

    def close(self) -> None:
        pass


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now, fixed=True)


def shows_event(app: KioskApp, name: str) -> bool:
    """True once the door screen is up and its top bar names the event."""
    found = app.door.query("#event-name")
    return bool(found) and name in str(found.first().render())


def scanned(token: str) -> Callable[[Pilot], Awaitable[None]]:
    """Before the snapshot: the wedge scans `token` and its card is on screen."""

    async def run_before(pilot: Pilot) -> None:
        app: KioskApp = pilot.app  # type: ignore[assignment]
        await wait_until(pilot, lambda: shows_event(app, "Nativity"), "the event name")
        await type_code(pilot, token)
        await wait_until(pilot, lambda: card(app).state != "ready", "the card")
        await pilot.pause()

    return run_before


async def _loaded(pilot: Pilot) -> None:
    await wait_until(pilot, lambda: shows_event(pilot.app, "Nativity"), "the event name")
    await pilot.pause()


def test_ready_80x24(snap_compare, school: School) -> None:
    app, _ = make_app(school.store, school.now)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_loaded)


def test_green_80x24(snap_compare, school: School) -> None:
    app, _ = make_app(school.store, school.now)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=scanned(school.tokens["F-GREEN"]))


def test_amber_large(snap_compare, school: School) -> None:
    app, _ = make_app(school.store, school.now)
    assert snap_compare(app, terminal_size=(130, 40),
                        run_before=scanned(school.tokens["F-AMBER"]))


def long_running_order(school: School) -> None:
    """A long title for both children, then an item for each alone (the card lists all)."""
    store, now = school.store, school.now
    add_item(store, "nativity", "The Twelve Days of Christmas, sung by everyone in Reception"
             " with actions", now=now, classes=["R"], starts_at="18:20")
    add_item(store, "nativity", "Drum solo", now=now, pupils=["P1"])
    add_item(store, "nativity", "Poem", now=now, pupils=["P2"])


@pytest.mark.parametrize("size", [(100, 30), (128, 40), (96, 48)],
                         ids=["100x30", "tablet-landscape", "tablet-portrait"])
def test_green_running_order(snap_compare, school: School, size: tuple[int, int]) -> None:
    long_running_order(school)
    app, _ = make_app(school.store, school.now)
    assert snap_compare(app, terminal_size=size, run_before=scanned(school.tokens["F-GREEN"]))


def test_green_running_order_served_to_a_tablet(snap_compare, school: School) -> None:
    """A 1024x768 tablet's page (77x34 cells, measured in Chromium through kiosk serve): the
    camera is the page's, so the card has the whole width."""
    long_running_order(school)
    app, _ = make_app(school.store, school.now, tablet=True)
    assert snap_compare(app, terminal_size=(77, 34),
                        run_before=scanned(school.tokens["F-GREEN"]))


def test_red_80x24(snap_compare, school: School) -> None:
    app, _ = make_app(school.store, school.now)
    assert snap_compare(app, terminal_size=(80, 24), run_before=scanned("hello there"))


def test_camera_unplugged_notice(snap_compare, school: School) -> None:
    app, _ = make_app(school.store, school.now, frame_source=UnpluggedCamera())

    async def run_before(pilot: Pilot) -> None:
        await _loaded(pilot)
        await wait_until(pilot, lambda: pilot.app.query_one("#camera-notice").display,
                         "the notice")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_party_size_question(snap_compare, school: School) -> None:
    app, _ = make_app(school.store, school.now, event_id="concert")

    async def run_before(pilot: Pilot) -> None:
        await wait_until(pilot, lambda: shows_event(pilot.app, "Concert"), "the event name")
        await type_code(pilot, school.tokens["F-GREEN"])
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PartySizeScreen),
                         "the question")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

