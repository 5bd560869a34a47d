"""`kiosk event ...`: create events, build running orders, show derived statuses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import click

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.consent import ItemResult
from kiosk.event_changes import UNSET, delete_event, edit_event, edit_item, move_item, remove_item
from kiosk.events import EventError, add_item, create_event, parse_date, running_order
from kiosk.store import Store

ITEM_COLUMNS = ("position", "title", "starts_at", "status", "performers", "not_filmable")


class EventDate(click.ParamType):
    """A date typed as 2026-12-10 or 10/12/2026, refused in our own words."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        """The date, or a usage error that shows both accepted forms."""
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except EventError as error:
            self.fail(str(error), param, ctx)


DATE = EventDate()


def _time_or_none(value: str | None) -> str | None:
    """An option's time, with 'none' clearing it (--ends none)."""
    return None if value is not None and value.strip().lower() == "none" else value


@click.group()
def event() -> None:
    """Create events and their running orders; show each item's filming status."""


@event.command("create")
@click.argument("event_id")
@click.option("--name", required=True, help="Name shown on screens, e.g. 'Infant Nativity'.")
@click.option("--date", "event_date", required=True, type=DATE,
              help="Date of the event: 2026-12-10 or 10/12/2026.")
@click.option("--doors-open", help="Doors-open time, HH:MM (the door admits from 30 min before).")
@click.option("--curtain", help="Curtain-up time, HH:MM.")
@click.option("--ends", "ends_at", help="End time, HH:MM (the door admits until then).")
@click.option("--open-to-all", is_flag=True,
              help="Admit families with no child performing (default: performers' families).")
@click.option("--seats-per-family", type=int, help="Allocate this many seats per family.")
@click.option("--check-out", is_flag=True, help="Scan passes on the way out too (roll call).")
@store_option(create=True)
def event_create(store: Store, event_id: str, name: str, event_date: date,
                 doors_open: str | None, curtain: str | None, ends_at: str | None,
                 open_to_all: bool, seats_per_family: int | None, check_out: bool) -> None:
    """Create event EVENT_ID (a short slug such as 'nativity')."""
    row = create_event(
        store, event_id, name, event_date, now=read_clock(), doors_open=doors_open,
        curtain=curtain, open_to_all=open_to_all, seats_per_family=seats_per_family,
        ends_at=ends_at, check_out=check_out,
    )
    click.echo(f"Created event {row['id']}: {row['name']} on {row['date']}.")


@event.command("add-item")
@click.argument("event_id")
@click.argument("title")
@click.option("--class", "classes", multiple=True, help="A class that performs (repeatable).")
@click.option("--pupil", "pupils", multiple=True, help="A pupil id that performs (repeatable).")
@click.option("--starts-at", help="Planned start time, HH:MM.")
@click.option("--no-filming", is_flag=True, help="Mark the item no filming whatever the data.")
@store_option
def event_add_item(store: Store, event_id: str, title: str, classes: tuple[str, ...],
                   pupils: tuple[str, ...], starts_at: str | None, no_filming: bool) -> None:
    """Append TITLE to the running order of EVENT_ID."""
    if not classes and not pupils:
        raise click.UsageError("Name at least one performer with --class or --pupil.")
    item_id = add_item(store, event_id, title, now=read_clock(), classes=classes,
                       pupils=pupils, starts_at=starts_at, staff_no_filming=no_filming)
    order = running_order(store, event_id)
    result = next(r for r in order.items if r.item.id == item_id)
    click.echo(f"Added item {item_id}: {title} ({_status_words(result)}).")


@event.command("list")
@format_option
@store_option
def event_list(store: Store, fmt: str) -> None:
    """List every event."""
    rows = store.events.all()
    emit(rows, ("id", "name", "date", "doors_open", "curtain", "open_to_all",
                "seats_per_family"), fmt, title="Events")


@event.command("show")
@click.argument("event_id")
@click.option("--on", "on", type=DATE,
              help="Judge consent as of this date (default: the event date).")
@format_option
@store_option
def event_show(store: Store, event_id: str, on: date | None, fmt: str) -> None:
    """Show the running order of EVENT_ID with each item's derived filming status."""
    order = running_order(store, event_id, on)
    rows = [item_json(r, position) for position, r in enumerate(order.items, start=1)]
    event_row = order.event
    emit(
        rows, ITEM_COLUMNS, fmt,
        title=f"{event_row['name']} — {event_row['date']}",
        json_value={"event": event_json(event_row), "judged_on": order.on.isoformat(),
                    "items": rows},
    )


@event.command("edit")
@click.argument("event_id", metavar="EVENT")
@click.option("--name", help="New name shown on screens.")
@click.option("--date", "event_date", type=DATE, help="New date: 2026-12-10 or 10/12/2026.")
@click.option("--doors-open", help="Doors-open time, HH:MM ('none' clears it).")
@click.option("--curtain", help="Curtain-up time, HH:MM ('none' clears it).")
@click.option("--ends", "ends_at", help="End time, HH:MM ('none' clears it).")
@click.option("--open-to-all/--performers-only", default=None,
              help="Admit every family, or only families with a child performing.")
@click.option("--seats-per-family", type=int, help="Seats per family (0: no allocation).")
@click.option("--check-out/--no-check-out", default=None,
              help="Scan passes on the way out too (for the roll call), or not.")
@store_option
def event_edit(store: Store, event_id: str, name: str | None, event_date: date | None,
               doors_open: str | None, curtain: str | None, ends_at: str | None,
               open_to_all: bool | None, seats_per_family: int | None,
               check_out: bool | None) -> None:
    """Change EVENT's name, date, times, who is admitted or seats (audited)."""
    def given(value: str | None) -> str | None:
        return UNSET if value is None else _time_or_none(value)

    seats = UNSET if seats_per_family is None else (seats_per_family or None)
    changed = edit_event(store, event_id, now=read_clock(), name=name, event_date=event_date,
                         doors_open=given(doors_open), curtain=given(curtain),
                         ends_at=given(ends_at), open_to_all=open_to_all,
                         seats_per_family=seats, check_out=check_out)
    words = ", ".join(c.replace("_", " ") for c in changed) or "nothing (already so)"
    click.echo(f"Event {event_id} changed: {words}.")


@event.command("edit-item")
@click.argument("event_id", metavar="EVENT")
@click.argument("item", metavar="ITEM")
@click.option("--title", help="New title.")
@click.option("--class", "classes", multiple=True,
              help="Performing class (repeatable; replaces the item's classes).")
@click.option("--pupil", "pupils", multiple=True,
              help="Performing pupil id (repeatable; replaces the item's pupils).")
@click.option("--no-classes", is_flag=True, help="Remove every class (pupils only).")
@click.option("--no-pupils", is_flag=True, help="Remove every named pupil (classes only).")
@click.option("--starts-at", help="Planned start time, HH:MM ('none' clears it).")
@store_option
def event_edit_item(store: Store, event_id: str, item: str, title: str | None,
                    classes: tuple[str, ...], pupils: tuple[str, ...], no_classes: bool,
                    no_pupils: bool, starts_at: str | None) -> None:
    """Change ITEM of EVENT (its position in `kiosk event show`, or its title); audited."""
    row = edit_item(
        store, event_id, item, now=read_clock(), title=title,
        classes=[] if no_classes else (list(classes) or None),
        pupils=[] if no_pupils else (list(pupils) or None),
        starts_at=_time_or_none(starts_at) if starts_at is not None else UNSET,
    )
    click.echo(f"Item changed: {row['title']}.")


@event.command("move-item")
@click.argument("event_id", metavar="EVENT")
@click.argument("item", metavar="ITEM")
@click.option("--to", "to_position", type=int, required=True,
              help="New position in the running order (1 = first).")
@store_option
def event_move_item(store: Store, event_id: str, item: str, to_position: int) -> None:
    """Move ITEM (position or title) of EVENT to another place in the running order."""
    row = move_item(store, event_id, item, to_position, now=read_clock())
    click.echo(f"Moved {row['title']} to position {to_position}.")


@event.command("remove-item")
@click.argument("event_id", metavar="EVENT")
@click.argument("item", metavar="ITEM")
@store_option
def event_remove_item(store: Store, event_id: str, item: str) -> None:
    """Take ITEM (position or title) out of EVENT's running order (audited)."""
    row = remove_item(store, event_id, item, now=read_clock())
    click.echo(f"Removed {row['title']} from {event_id}.")


@event.command("delete")
@click.argument("event_id", metavar="EVENT")
@click.option("--force", is_flag=True,
              help="Delete even though families are checked in (their check-ins go too).")
@store_option
def event_delete(store: Store, event_id: str, force: bool) -> None:
    """Delete EVENT and its running order; refused once anyone is checked in."""
    usage = delete_event(store, event_id, now=read_clock(), force=force)
    extra = f" with its {usage['checkins']} check-in record(s)" if usage["checkins"] else ""
    click.echo(f"Deleted event {event_id}{extra}.")


def event_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The documented JSON shape of an event."""
    return {
        "id": row["id"], "name": row["name"], "date": row["date"],
        "doors_open": row["doors_open"], "curtain": row["curtain"],
        "open_to_all": bool(row["open_to_all"]), "seats_per_family": row["seats_per_family"],
        "now_on_stage": row["now_on_stage"],
    }


def item_json(result: ItemResult, position: int) -> dict[str, Any]:
    """The documented JSON shape of an item: status and counts, never names."""
    return {
        "id": result.item.id,
        "position": position,
        "title": result.item.title,
        "starts_at": result.item.starts_at,
        "status": result.status.value,
        "staff_marked": result.staff_marked,
        "performers": result.performer_count,
        "not_filmable": result.not_filmable_count,
    }


def _status_words(result: ItemResult) -> str:
    if result.status.value == "allowed":
        return "filming allowed - own child only"
    return f"no filming: {result.not_filmable_count} of {result.performer_count} may not be filmed"
