"""Issue 16 item 12: a note added to a violation shows under "Notes" at once (with who
added it and when), as well as in the history."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Static

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.inbox import ViolationDetail
from kiosk.violations.workflow import log_violation
from support.staff_school import (
    MutableClock,
    School,
    build_school,
    fill,
    quick_hashes,
    settle,
    sign_in,
)


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    school = build_school(store, now)
    log_violation(store, event_id="nativity", kind="filmed_staff", now=now, kiosk_id="door-1",
                  reported_by=school.staff["Sam Steward"], notes="row F, red coat")
    return school


def notes_lines(app: KioskApp) -> list[str]:
    """The detail's 'Notes' line and the indented lines under it."""
    lines = str(app.screen.query_one("#detail", Static).render()).splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Notes: "))
    following = [line for line in lines[start + 1:]]
    rest = following[:next((n for n, line in enumerate(following)
                            if not line.startswith("  ")), len(following))]
    return [lines[start], *rest]


async def test_a_note_added_shows_under_notes_at_once(store: Store, school: School,
                                                      now: datetime) -> None:
    app = KioskApp(store, "nativity", clock=MutableClock(now), kiosk_id="door-1", quiet=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Helen Head")
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ViolationDetail)
        assert notes_lines(app) == ["Notes: row F, red coat"]
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, "#ask-text", "spoke to dad, footage deleted", submit=True)
        await settle(pilot)
        assert isinstance(app.screen, ViolationDetail)
        assert notes_lines(app) == [
            "Notes: row F, red coat",
            "  spoke to dad, footage deleted (Helen Head, 10 Dec 17:45)",
        ]
