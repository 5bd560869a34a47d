"""Changing events and running orders after they were set up: edit, move, remove, delete.

Every change is audited with who made it and which fields changed. An event is not
deleted once anyone has been checked in, unless forced (the force is in the audit entry);
an event or item a violation names is never deleted (the headteacher's record stays whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor, Subject
from kiosk.errors import NotFound
from kiosk.events import (
    EventError,
    check_pupils,
    check_time,
    get_event,
    resolve_classes,
)
from kiosk.store import Store
from kiosk.store.rows import ItemRow

UNSET: Any = object()  # "leave as it is" (None clears a time)


def _audit(store: Store, action: str, subject: Subject, detail: dict[str, Any], *,
           now: datetime, actor: Actor | str, kiosk_id: str) -> None:
    audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action=action,
                 subject=subject, detail=detail)


def edit_event(
    store: Store, event_id: str, *, now: datetime, name: str | None = None,
    event_date: date | None = None, doors_open: str | None = UNSET,
    curtain: str | None = UNSET, ends_at: str | None = UNSET,
    open_to_all: bool | None = None, seats_per_family: int | None = UNSET,
    check_out: bool | None = None, actor: Actor | str = "cli", kiosk_id: str = "admin",
) -> list[str]:
    """Change the named fields of an event (times may be cleared with None); the fields changed.

    Unnamed fields stay as they are. Nothing to change is an error, not a silent success.
    """
    changes: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise EventError("An event needs a name.")
        changes["name"] = name.strip()
    if event_date is not None:
        changes["date"] = event_date.isoformat()
    for column, label, value in (("doors_open", "doors-open", doors_open),
                                 ("curtain", "curtain", curtain), ("ends_at", "end", ends_at)):
        if value is not UNSET:
            check_time(label, value)
            changes[column] = value
    if open_to_all is not None:
        changes["open_to_all"] = int(open_to_all)
    if seats_per_family is not UNSET:
        if seats_per_family is not None and seats_per_family < 1:
            raise EventError("Seats per family must be at least 1.")
        changes["seats_per_family"] = seats_per_family
    if check_out is not None:
        changes["check_out"] = int(check_out)
    if not changes:
        raise EventError("Name at least one thing to change (see --help).")
    with store.immediate():
        event = get_event(store, event_id)
        changed = sorted(k for k, v in changes.items() if event.get(k) != v)
        store.events.update(event_id, changes)
        _audit(store, "event.edited", Subject.of("event", event_id),
               {"fields": changed, **{k: changes[k] for k in changed if k != "name"}},
               now=now, actor=actor, kiosk_id=kiosk_id)
    return changed


def find_item(store: Store, event_id: str, item: str) -> ItemRow:
    """An item of the event by its position in the running order (1, 2...) or its title."""
    items = store.events.items(get_event(store, event_id)["id"])
    text = item.strip()
    if text.isdigit():
        index = int(text)
        if 1 <= index <= len(items):
            return items[index - 1]
        raise NotFound(f"Event {event_id!r} has {len(items)} items: there is no item {index}.")
    matches = [row for row in items if row["title"].casefold() == text.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise EventError(f"{len(matches)} items are called {text!r}: give the position instead.")
    raise NotFound(f"Event {event_id!r} has no item called {text!r}"
                   " (give its title or its position from `kiosk event show`).")


def move_item(store: Store, event_id: str, item: str, to_position: int, *, now: datetime,
              actor: Actor | str = "cli", kiosk_id: str = "admin") -> ItemRow:
    """Move one item to a position of the running order (1 = first); the others close up."""
    with store.immediate():
        row = find_item(store, event_id, item)
        ids = [r["id"] for r in store.events.items(event_id)]
        if not 1 <= to_position <= len(ids):
            raise EventError(f"The position must be between 1 and {len(ids)}.")
        ids.remove(row["id"])
        ids.insert(to_position - 1, row["id"])
        store.events.reorder(event_id, ids)
        _audit(store, "event.item_moved", Subject.of("item", row["id"]),
               {"event": event_id, "to": to_position}, now=now, actor=actor,
               kiosk_id=kiosk_id)
    return row


def remove_item(store: Store, event_id: str, item: str, *, now: datetime,
                actor: Actor | str = "cli", kiosk_id: str = "admin") -> ItemRow:
    """Take an item out of the running order (not one a violation names)."""
    with store.immediate():
        row = find_item(store, event_id, item)
        if store.events.violations_of_item(row["id"]):
            raise EventError(f"A violation was logged during {row['title']!r}: the item stays"
                             " on the record. Rename it or move it instead.")
        store.events.delete_item(row["id"])
        store.events.reorder(event_id, [r["id"] for r in store.events.items(event_id)])
        _audit(store, "event.item_removed", Subject.of("item", row["id"]),
               {"event": event_id}, now=now, actor=actor, kiosk_id=kiosk_id)
    return row


def edit_item(
    store: Store, event_id: str, item: str, *, now: datetime, title: str | None = None,
    classes: Sequence[str] | None = None, pupils: Sequence[str] | None = None,
    starts_at: str | None = UNSET, actor: Actor | str = "cli", kiosk_id: str = "admin",
) -> ItemRow:
    """Change an item's title, start time or performers (classes and pupils replace the old)."""
    changes: dict[str, Any] = {}
    if title is not None:
        if not title.strip():
            raise EventError("An item needs a title.")
        changes["title"] = title.strip()
    if starts_at is not UNSET:
        check_time("start", starts_at)
        changes["starts_at"] = starts_at
    if not changes and classes is None and pupils is None:
        raise EventError("Name at least one thing to change (see --help).")
    with store.immediate():
        row = find_item(store, event_id, item)
        if changes:
            store.events.update_item(row["id"], changes)
        fields = sorted(changes)
        if classes is not None or pupils is not None:
            old = [(p["kind"], p["ref"]) for p in store.events.performers(event_id)
                   if p["item_id"] == row["id"]]
            new_classes = (resolve_classes(store, classes) if classes is not None
                           else [ref for kind, ref in old if kind == "class"])
            new_pupils = (check_pupils(store, pupils) if pupils is not None
                          else [ref for kind, ref in old if kind == "pupil"])
            if not new_classes and not new_pupils:
                raise EventError("An item needs at least one class or pupil performing.")
            store.events.replace_performers(
                row["id"], [("class", c) for c in new_classes] + [("pupil", p) for p in new_pupils]
            )
            fields.append("performers")
        _audit(store, "event.item_edited", Subject.of("item", row["id"]),
               {"event": event_id, "fields": fields}, now=now, actor=actor, kiosk_id=kiosk_id)
        return store.events.item(row["id"]) or row


def delete_event(store: Store, event_id: str, *, now: datetime, force: bool = False,
                 actor: Actor | str = "cli", kiosk_id: str = "admin") -> dict[str, int]:
    """Delete an event and its running order; refused once anyone is checked in unless forced.

    Forcing also deletes its check-ins (the audit entry says so and how many). An event
    with violations is never deleted. Returns what referred to the event.
    """
    with store.immediate():
        get_event(store, event_id)
        usage = store.events.usage(event_id)
        if usage["violations"]:
            raise EventError(f"Event {event_id!r} has {usage['violations']} violation(s) on"
                             " record: it cannot be deleted.")
        if usage["admitted"] and not force:
            raise EventError(f"{usage['admitted']} party(ies) are checked in to {event_id!r}:"
                             " it is not deleted. Add --force to delete it with its"
                             " check-ins (the audit log records that).")
        removed = sorted(row["id"] for row in store.checkins.of_event(event_id))
        store.events.delete_event(event_id)
        _audit(store, "event.deleted", Subject.of("event", event_id),
               {"forced": bool(force and usage["admitted"]), "checkins": usage["checkins"],
                "checkin_ids": removed},
               now=now, actor=actor, kiosk_id=kiosk_id)
    return usage
