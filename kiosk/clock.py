"""Clocks are passed in, never read inside the core: this module names the type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, timezone-aware local time (what staff read on screen)."""
    return datetime.now(UTC).astimezone()


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always says `moment` (tests, benchmarks, replays)."""
    return lambda: moment
