"""The stage board: follows "now on stage" set by another connection, fails safe, no names."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot

from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.events import move_now_on_stage
from kiosk.store import Store, open_store
from kiosk.ui.bigtext import BigText, render_big
from kiosk.ui.board import StageBoard, StageChanged
from kiosk.views.stage import ALLOWED_MESSAGE, NO_FILMING_MESSAGE, stage_state
from support.staff_school import PUPILS, School


@pytest.fixture
def board_store(db_path: Path, school: School) -> Iterator[Store]:
    """A second connection on the same file, as the board's own process would open."""
    opened = open_store(db_path)
    yield opened
    opened.close()


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Let the app run until `condition` holds (bounded), for the polling thread."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the board did not update in time")


def _move(store: Store, school: School, now: datetime, step: int) -> None:
    move_now_on_stage(store, "nativity", step, staff_id=school.staff["Lee Lead"], now=now,
                      kiosk_id="door-1")


def test_stage_state_is_derived_and_fails_safe(store: Store, school: School,
                                               now: datetime) -> None:
    before = stage_state(store, "nativity")
    assert (before.item_title, before.allowed, before.message) == (None, False,
                                                                  NO_FILMING_MESSAGE)
    assert before.headline == "Nothing on stage just now"
    _move(store, school, now, 1)
    assert not stage_state(store, "nativity").allowed  # "Welcome": nobody on stage
    _move(store, school, now, 1)
    state = stage_state(store, "nativity")
    assert (state.headline, state.position, state.message) == (
        "Now on stage: Away in a Manger", 2, ALLOWED_MESSAGE)
    _move(store, school, now, 1)
    assert stage_state(store, "nativity").message == NO_FILMING_MESSAGE


async def test_board_follows_another_connection(store: Store, board_store: Store,
                                                school: School, now: datetime) -> None:
    app = StageBoard(board_store, "nativity", poll_seconds=0.01)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.state is not None)
        assert app.screen.has_class("-no-filming")
        _move(store, school, now, 2)
        await until(pilot, lambda: app.state.item_title == "Away in a Manger")
        assert app.screen.has_class("-allowed") and not app.screen.has_class("-no-filming")
        assert app.query_one("#message", BigText).text == ALLOWED_MESSAGE.replace(" - ", "\n")
        # A consent withdrawn mid-item reaches the board too (any commit wakes it).
        store.families.upsert_consent({"pupil_id": "p1", "category": "event_recording",
                              "value": "granted", "given_by": "school record",
                              "recorded_at": now.isoformat(), "withdrawn_at": now.isoformat()})
        await until(pilot, lambda: not app.state.allowed)
        assert app.screen.has_class("-no-filming")
        svg = app.export_screenshot()
        assert "Now on stage: Away in a Manger" in svg.replace("&#160;", " ")
        for _pid, first, surname, *_ in PUPILS:
            assert first not in svg and surname not in svg


def test_big_text_fits_and_falls_back() -> None:
    rows, scale = render_big("No filming please\ndevices away", 80, 18)
    assert scale == 1 and all(len(row) <= 80 for row in rows) and len(rows) <= 18
    rows, scale = render_big("No filming please\ndevices away", 200, 60)
    assert scale >= 3
    rows, scale = render_big("No filming please\ndevices away", 30, 4)
    assert (rows, scale) == (["No filming please", "devices away"], 0)


def test_board_command_refuses_an_unknown_event(db_path: Path, school: School) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "board", "--event", "panto"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: There is no event called 'panto'."


async def test_board_fails_safe_when_it_cannot_read(board_store: Store) -> None:
    app = StageBoard(board_store, "panto", poll_seconds=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        problem = app.query_one("#problem")
        await until(pilot, lambda: problem.display)
        assert "There is no event called 'panto'" in str(problem.render())
        assert app.screen.has_class("-no-filming")
        assert app.query_one("#message", BigText).text == NO_FILMING_MESSAGE.replace(" - ", "\n")


async def test_an_item_title_with_markup_shows_as_typed(store: Store, board_store: Store,
                                                         school: School, now: datetime) -> None:
    first = store.events.items("nativity")[0]
    store.execute("UPDATE items SET title = ? WHERE id = ?", ("Nativity [/] [bold]x", first["id"]))
    app = StageBoard(board_store, "nativity", poll_seconds=0.01)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.state is not None)
        _move(store, school, now, 1)
        await until(pilot, lambda: app.state.item_title == "Nativity [/] [bold]x")
        await pilot.pause()
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "Nativity [/] [bold]x" in svg


class CountedWaits(threading.Event):
    """The board poller's stop event, counting the poller's waits between polls."""

    def __init__(self) -> None:
        super().__init__()
        self.waits = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.waits += 1
        return super().wait(timeout)


async def test_a_check_in_at_a_door_does_not_repaint_the_board(
        store: Store, board_store: Store, school: School, now: datetime) -> None:
    app = StageBoard(board_store, "nativity", poll_seconds=0.01)
    app._stop = waits = CountedWaits()
    posted: list[StageChanged] = []

    def hook(message: object) -> None:
        if isinstance(message, StageChanged):
            posted.append(message)

    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await until(pilot, lambda: app.state is not None)
        check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1",
                 nonce="at-the-door")
        after = waits.waits
        await until(pilot, lambda: waits.waits >= after + 2)  # a whole poll saw the check-in
        await pilot.pause()
        assert len(posted) == 1  # the first read only: the stage did not change
        _move(store, school, now, 2)
        await until(pilot, lambda: app.state.item_title == "Away in a Manger")
        assert len(posted) == 2
