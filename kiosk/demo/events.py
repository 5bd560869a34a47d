"""The demo school's two events: an infant nativity today and a junior summer concert in July."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.events import add_item, create_event, filmable
from kiosk.store import Store

# (start, title, classes, named pupils: (class, how many, may be filmed?))
NATIVITY = (
    ("14:00", "Welcome: Little Donkey", ("RB",), ()),
    ("14:06", "The Innkeeper's Door", ("RW",), ()),
    ("14:12", "Shepherds Watching", ("1B",), ()),
    ("14:18", "Star of Wonder", ("1W",), ()),
    ("14:24", "Mary and Joseph", (), (("2W", 2, True),)),
    ("14:30", "Three Kings", ("2B",), ()),
    ("14:36", "Angels on High", ("2W",), ()),
    ("14:42", "The Narrators' Story", (), (("1B", 1, True), ("2W", 2, True))),
    ("14:48", "Away in a Manger", ("RB", "1B"), ()),
    ("14:54", "Finale: We Wish You a Merry Christmas", ("RW", "1W", "2B"), ()),
)
CONCERT = (
    ("18:30", "Orchestra: Overture", (), (("5B", 2, True), ("5W", 2, True), ("6B", 2, True),
                                          ("6W", 2, True))),
    ("18:40", "Year 3 Choir: Lean on Me", ("3B", "3W"), ()),
    ("18:50", "Recorder Ensemble", (), (("3W", 3, True), ("4B", 3, True))),
    ("19:00", "Year 4: Rain Dance", ("4B", "4W"), ()),
    ("19:10", "Solo: Somewhere Over the Rainbow", (), (("6W", 1, True),)),
    ("19:15", "Year 5: Samba Drumming", ("5B", "5W"), ()),
    ("19:25", "Duet: The Parting Glass", (), (("6B", 1, True), ("6B", 1, False))),
    ("19:30", "Year 6 Leavers' Song", ("6B", "6W"), ()),
)


def concert_date(today: date) -> date:
    """The second Thursday of next July (this July if it has not passed)."""
    year = today.year if today < date(today.year, 7, 1) else today.year + 1
    first = date(year, 7, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7)


def _named(store: Store, picks: tuple[tuple[str, int, bool], ...], on: date,
           used: set[str]) -> list[str]:
    """Choose named performers: the first pupils of a class (by id) who may / may not be filmed."""
    chosen = []
    for class_name, count, may in picks:
        ids = sorted(p["id"] for p in store.families.pupils() if p["class_name"] == class_name)
        allowed = filmable(store, ids, on)
        fitting = [pid for pid in ids if allowed[pid] is may and pid not in used]
        chosen += fitting[:count]
        used.update(fitting[:count])
    return chosen


def add_demo_events(
    store: Store, today: date, *, now: datetime, actor: str, kiosk_id: str
) -> None:
    """Create `nativity` (dated `today`, infants only) and `summer-concert` (juniors).

    The nativity has no doors-open time, so its door admits at whatever hour someone tries
    the demo (a real event admits from doors-open minus a margin, `kiosk.checkin.hours`).
    """
    for event_id, name, day, doors, curtain, plan in (
        ("nativity", "Infant Nativity: The Busy Innkeeper", today, None, "14:00", NATIVITY),
        ("summer-concert", "Junior Summer Concert", concert_date(today), "18:00", "18:30",
         CONCERT),
    ):
        create_event(store, event_id, name, day, now=now, doors_open=doors, curtain=curtain,
                     actor=actor, kiosk_id=kiosk_id)
        used: set[str] = set()
        for starts_at, title, classes, picks in plan:
            add_item(store, event_id, title, now=now, classes=classes,
                     pupils=_named(store, picks, day, used), starts_at=starts_at,
                     actor=actor, kiosk_id=kiosk_id)
