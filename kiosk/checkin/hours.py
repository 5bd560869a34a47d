"""When an event admits: from doors-open (minus a margin) until the event ends.

An event without a doors-open time admits all day; without an end time, until the end
of its day. The margin is the `doors_margin_minutes` setting (default 30), so stewards
can let an early queue in before the advertised time. Pure over the event row and a
margin; the setting is read by `window_of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk.store import Store
from kiosk.store.rows import EventRow

DEFAULT_MARGIN_MINUTES = 30
MARGIN_SETTING = "doors_margin_minutes"


@dataclass(frozen=True)
class Window:
    """The time span an event admits in, and the times a parent is told."""

    opens_at: datetime  # doors-open minus the margin (start of day when none is set)
    closes_at: datetime  # the event's end (end of day when none is set)
    doors_open: str | None  # the advertised doors-open time, HH:MM
    ends_at: str | None

    def admits(self, moment: datetime) -> bool:
        """True when a check-in at `moment` is inside the window."""
        return self.opens_at <= moment.replace(tzinfo=None) <= self.closes_at

    def message(self, moment: datetime) -> str:
        """What the door says outside the window: when the doors open, or that it ended."""
        if moment.replace(tzinfo=None) < self.opens_at:
            doors = self.doors_open or f"{self.opens_at:%H:%M}"
            return (f"Doors open at {doors}; check-in starts at {self.opens_at:%H:%M}."
                    " Please come back then.")
        ended = f" at {self.ends_at}" if self.ends_at else ""
        return f"This event has ended{ended}: check-in is closed. Please see a member of staff."


def _clock(day: date, text: str | None, fallback: time) -> datetime:
    if not text:
        return datetime.combine(day, fallback)
    hours, minutes = text.split(":")
    return datetime.combine(day, time(int(hours), int(minutes)))


def window(event: EventRow, margin_minutes: int = DEFAULT_MARGIN_MINUTES) -> Window:
    """The admission window of an event on its date."""
    day = date.fromisoformat(event["date"])
    doors = event.get("doors_open")
    ends = event.get("ends_at")
    opens = _clock(day, doors, time.min)
    if doors:
        opens = max(datetime.combine(day, time.min), opens - timedelta(minutes=margin_minutes))
    return Window(opens, _clock(day, ends, time.max), doors, ends)


def margin_minutes(store: Store) -> int:
    """The early-admission margin in minutes (the setting, else the default)."""
    text = store.settings.get(MARGIN_SETTING)
    return int(text) if text and text.isdigit() else DEFAULT_MARGIN_MINUTES


def window_of(store: Store, event: EventRow) -> Window:
    """The event's admission window with this school's margin."""
    return window(event, margin_minutes(store))
