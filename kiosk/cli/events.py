"""`kiosk event ...`: create events, build running orders, show derived statuses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.consent import ItemResult
from kiosk.events import add_item, create_event, running_order
from kiosk.store import Store

ITEM_COLUMNS = ("position", "title", "starts_at", "status", "performers", "not_filmable")


@click.group()
def event() -> None:
    """Create events and their running orders; show each item's filming status."""


@event.command("create")
@click.argument("event_id")
@click.option("--name", required=True, help="Name shown on screens, e.g. 'Infant Nativity'.")
@click.option("--date", "event_date", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Date of the event, YYYY-MM-DD.")
@click.option("--doors-open", help="Doors-open time, HH:MM.")
@click.option("--curtain", help="Curtain-up time, HH:MM.")
@click.option("--open-to-all", is_flag=True,
              help="Admit families with no child performing (default: performers' families).")
@click.option("--seats-per-family", type=int, help="Allocate this many seats per family.")
@store_option(create=True)
def event_create(store: Store, event_id: str, name: str, event_date: datetime,
                 doors_open: str | None, curtain: str | None, open_to_all: bool,
                 seats_per_family: int | None) -> None:
    """Create event EVENT_ID (a short slug such as 'nativity')."""
    row = create_event(
        store, event_id, name, event_date.date(), now=read_clock(), doors_open=doors_open,
        curtain=curtain, open_to_all=open_to_all, seats_per_family=seats_per_family,
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
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Judge consent as of this date (default: the event date).")
@format_option
@store_option
def event_show(store: Store, event_id: str, on: datetime | None, fmt: str) -> None:
    """Show the running order of EVENT_ID with each item's derived filming status."""
    order = running_order(store, event_id, on.date() if on else None)
    rows = [item_json(r, position) for position, r in enumerate(order.items, start=1)]
    event_row = order.event
    emit(
        rows, ITEM_COLUMNS, fmt,
        title=f"{event_row['name']} — {event_row['date']}",
        json_value={"event": event_json(event_row), "judged_on": order.on.isoformat(),
                    "items": rows},
    )


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
