"""Events and running orders: create them, and derive each item's filming status."""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor, Subject
from kiosk.consent import (
    EVENT_RECORDING,
    ConsentRecord,
    ItemResult,
    ItemSpec,
    derive_items,
    may_film,
)
from kiosk.errors import KioskError, NotFound
from kiosk.staff import Role, require_role
from kiosk.store import Store
from kiosk.store.rows import ConsentRow, EventRow, ItemRow

_EVENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_HELP = "Give the date as 2026-12-10 or 10/12/2026 (day/month/year)."


class EventError(KioskError):
    """An event or item could not be created or changed."""


@dataclass(frozen=True)
class RunningOrder:
    """An event with every item's derived status (computed from the data, never typed in)."""

    event: EventRow
    items: list[ItemResult]
    on: date

    @property
    def now_on_stage(self) -> ItemResult | None:
        """The item staff marked as on stage now, or None."""
        current = self.event.get("now_on_stage")
        return next((r for r in self.items if r.item.id == current), None)

    def items_for_pupils(self, pupil_ids: Iterable[str]) -> list[ItemResult]:
        """The items in which any of these pupils performs, in running order."""
        wanted = set(pupil_ids)
        return [r for r in self.items if r.performers & wanted]


def parse_date(text: str) -> date:
    """A date typed as 2026-12-10 or 10/12/2026 (UK day/month/year); EventError otherwise."""
    value = text.strip()
    iso, uk = _ISO_DATE.match(value), _UK_DATE.match(value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        raise EventError(f"{value!r} is not a real date. {DATE_HELP}") from None
    raise EventError(f"{value!r} is not a date. {DATE_HELP}")


def check_time(label: str, value: str | None) -> None:
    """Refuse a time that is not HH:MM (24-hour), naming the option."""
    if value is not None and not _TIME.match(value):
        raise EventError(f"The {label} time must look like 18:30.")


def resolve_classes(store: Store, classes: Iterable[str]) -> list[str]:
    """Class names as the roster spells them, matched case-insensitively ("2e" is "2E").

    A class with nobody on roll is refused, naming it.
    """
    known = {name.casefold(): name for name in store.events.class_names()}
    resolved: list[str] = []
    for name in classes:
        found = known.get(name.strip().casefold())
        if found is None:
            raise EventError(f"No pupils are on roll in class {name!r}.")
        resolved.append(found)
    return list(dict.fromkeys(resolved))


def check_pupils(store: Store, pupils: Iterable[str]) -> list[str]:
    """Pupil ids that exist and are on roll, each once; EventError naming the first that is not."""
    wanted = list(dict.fromkeys(pupils))
    for pupil_id in wanted:
        row = store.families.pupil(pupil_id)
        if row is None:
            raise EventError(f"There is no pupil with id {pupil_id!r}.")
        if not row["on_roll"]:
            raise EventError(f"Pupil {pupil_id!r} has left the school.")
    return wanted


def get_event(store: Store, event_id: str) -> EventRow:
    """The event row, or NotFound with a plain message."""
    row = store.events.get(event_id)
    if row is None:
        raise NotFound(f"There is no event called {event_id!r}.")
    return row


def consent_records(rows: Iterable[ConsentRow]) -> dict[str, list[ConsentRecord]]:
    """Consent rows grouped per pupil as the rules read them (dates parsed, withdrawals flagged)."""
    by_pupil: dict[str, list[ConsentRecord]] = defaultdict(list)
    for row in rows:
        until = row["valid_until"]
        by_pupil[row["pupil_id"]].append(
            ConsentRecord(
                value=row["value"],
                given_by=row["given_by"],
                valid_until=date.fromisoformat(until) if until else None,
                withdrawn=row["withdrawn_at"] is not None,
            )
        )
    return by_pupil


def filmable(store: Store, pupil_ids: Iterable[str] | None, on: date) -> dict[str, bool]:
    """Event-recording permission per pupil on a date (pupils with no answer: False)."""
    ids = None if pupil_ids is None else list(pupil_ids)
    records = consent_records(store.families.consent_rows(EVENT_RECORDING, ids))
    if ids is None:
        ids = [p["id"] for p in store.families.pupils()]
    return {pid: may_film(records.get(pid, ()), on) for pid in ids}


def running_order(store: Store, event_id: str, on: date | None = None) -> RunningOrder:
    """Every item of the event with its derived status, judged on the event date.

    `on` overrides the date (a withdrawal or expiry is judged as of that day).
    """
    event = get_event(store, event_id)
    on = on or date.fromisoformat(event["date"])
    classes: dict[int, list[str]] = defaultdict(list)
    named: dict[int, list[str]] = defaultdict(list)
    for row in store.events.performers(event_id):
        (classes if row["kind"] == "class" else named)[row["item_id"]].append(row["ref"])
    specs = [
        ItemSpec(
            id=row["id"],
            title=row["title"],
            classes=tuple(classes[row["id"]]),
            pupils=tuple(named[row["id"]]),
            staff_no_filming=bool(row["staff_no_filming"]),
            starts_at=row["starts_at"],
        )
        for row in store.events.items(event_id)
    ]
    pupils_by_class = store.families.class_members({c for spec in specs for c in spec.classes})
    on_stage = {p for spec in specs for p in spec.pupils} | {
        p for members in pupils_by_class.values() for p in members
    }
    permissions = filmable(store, sorted(on_stage), on)
    return RunningOrder(event=event, items=derive_items(specs, pupils_by_class, permissions), on=on)


def create_event(
    store: Store,
    event_id: str,
    name: str,
    event_date: date,
    *,
    now: datetime,
    doors_open: str | None = None,
    curtain: str | None = None,
    open_to_all: bool = False,
    seats_per_family: int | None = None,
    ends_at: str | None = None,
    check_out: bool = False,
    actor: str = "cli",
    kiosk_id: str = "admin",
) -> dict:
    """Create an event; the id is a short slug used on the command line (e.g. `nativity`)."""
    if not _EVENT_ID.match(event_id):
        raise EventError(
            "An event id is up to 40 lower-case letters, digits and dashes, e.g. 'nativity'."
        )
    if not name.strip():
        raise EventError("An event needs a name.")
    for label, value in (("doors-open", doors_open), ("curtain", curtain), ("end", ends_at)):
        check_time(label, value)
    if seats_per_family is not None and seats_per_family < 1:
        raise EventError("Seats per family must be at least 1.")
    row = {
        "id": event_id,
        "name": name.strip(),
        "date": event_date.isoformat(),
        "doors_open": doors_open,
        "curtain": curtain,
        "open_to_all": int(open_to_all),
        "seats_per_family": seats_per_family,
        "ends_at": ends_at,
        "check_out": int(check_out),
        "created_at": now.isoformat(),
    }
    with store.immediate():
        if store.events.get(event_id):
            raise EventError(f"There is already an event called {event_id!r}.")
        store.events.insert(row)
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="event.created",
            subject=Subject.of("event", event_id), detail={"date": row["date"]},
        )
    return row


def add_item(
    store: Store,
    event_id: str,
    title: str,
    *,
    now: datetime,
    classes: Iterable[str] = (),
    pupils: Iterable[str] = (),
    starts_at: str | None = None,
    staff_no_filming: bool = False,
    actor: str = "cli",
    kiosk_id: str = "admin",
) -> int:
    """Append an item performed by whole classes and/or named pupils; return its id."""
    get_event(store, event_id)
    if not title.strip():
        raise EventError("An item needs a title.")
    check_time("start", starts_at)
    classes, pupils = resolve_classes(store, classes), check_pupils(store, pupils)
    performers = [("class", c) for c in classes] + [("pupil", p) for p in pupils]
    with store.immediate():
        try:
            item_id = store.events.insert_item(
                event_id, title.strip(), performers,
                starts_at=starts_at, staff_no_filming=int(staff_no_filming),
            )
        except sqlite3.IntegrityError as error:
            raise EventError(f"The item could not be added: {error}.") from error
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="event.item_added",
            subject=Subject.of("item", item_id),
            detail={"event": event_id, "classes": len(classes), "pupils": len(pupils)},
        )
    return item_id


def move_now_on_stage(
    store: Store, event_id: str, step: int, *, staff_id: int, now: datetime, kiosk_id: str
) -> ItemRow | None:
    """Move "now on stage" forward (+1) or back (-1); lead and above. Return the new item.

    Back from the first item clears it (before the show); forward stops at the last item.
    """
    staff = require_role(store, staff_id, Role.LEAD)
    with store.immediate():
        event = get_event(store, event_id)
        items = store.events.items(event_id)
        ids = [row["id"] for row in items]
        current = event["now_on_stage"]
        index = ids.index(current) if current in ids else -1
        new_index = max(-1, min(len(ids) - 1, index + step))
        new_id = ids[new_index] if new_index >= 0 else None
        store.events.set_now_on_stage(event_id, new_id)
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
            action="event.now_on_stage", subject=Subject.of("event", event_id),
            detail={"item": new_id},
        )
    return next((row for row in items if row["id"] == new_id), None)


def mark_item_no_filming(
    store: Store, item_id: int, marked: bool, *, reason: str | None, staff_id: int,
    now: datetime, kiosk_id: str,
) -> None:
    """Make an item stricter than its data (no filming), or lift that marking; lead and above.

    Lifting the mark never makes an item looser than its data: the derived status still
    needs every performer's consent.
    """
    staff = require_role(store, staff_id, Role.LEAD)
    if marked and not (reason and reason.strip()):
        raise EventError("Say why the item is marked no filming.")
    with store.immediate():
        if store.events.item(item_id) is None:
            raise NotFound(f"There is no item {item_id}.")
        store.events.set_item_staff_no_filming(item_id, marked, reason)
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
            action="event.item_marked" if marked else "event.item_unmarked",
            subject=Subject.of("item", item_id),
        )
