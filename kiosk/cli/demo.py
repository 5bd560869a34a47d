"""`kiosk demo`: build a fresh demo school and show today's nativity running order."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from kiosk.cli.base import cli, emit
from kiosk.cli.events import ITEM_COLUMNS, item_json
from kiosk.clock import system_clock
from kiosk.config import demo_db_path
from kiosk.demo import STAFF, DemoSchool, build_demo
from kiosk.events import running_order
from kiosk.store import open_store


def _demo_path(ctx: click.Context, flag: str | None) -> Path:
    """This command's --db, else the group's --db typed on the command line, else demo.db.

    $KIOSK_DB is ignored on purpose: it names the real database, never the demo.
    """
    if flag:
        return Path(flag).expanduser()
    root = ctx.find_root()
    if root.get_parameter_source("db_path") is ParameterSource.COMMANDLINE:
        return Path(root.params["db_path"]).expanduser()
    return demo_db_path()


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Where to build the demo database (default: the per-user demo.db).")
@click.pass_context
def demo(ctx: click.Context, db_path: str | None) -> None:
    """Build a fresh demo school (fictional) and show the nativity's running order."""
    school = build_demo(_demo_path(ctx, db_path), today=system_clock().date())
    show_overview(school)


def show_overview(school: DemoSchool) -> None:
    """Print the nativity running order with statuses, and the demo's facts."""
    store = open_store(school.path)
    try:
        order = running_order(store, "nativity")
        concert = running_order(store, "summer-concert")
    finally:
        store.close()
    event = order.event
    rows = [item_json(result, position) for position, result in enumerate(order.items, 1)]
    emit(rows, ITEM_COLUMNS, "table",
         title=f"{event['name']} — {event['date']}, doors {event['doors_open']}")
    blocked = sum(1 for r in concert.items if r.status == "no_filming")
    lines = [
        f"Demo school built at {school.path}: {school.pupils} pupils in "
        f"{len(school.classes)} classes ({', '.join(school.classes)}), "
        f"{school.families} families.",
        f"Also: {concert.event['name']} on {concert.event['date']} "
        f"({len(concert.items)} items, {blocked} no filming).",
        "Staff PINs (demo only): " + ", ".join(f"{n} ({r}) {p}" for n, r, p in STAFF) + ".",
        "Door results at the nativity: " + ", ".join(
            f"{kind} = family {family}" for kind, family in sorted(school.door_families.items())
        ) + f"; demo pass tokens are in {school.passes_path}.",
        f"See more: kiosk --db {school.path} event show nativity",
    ]
    for line in lines:
        click.echo(line)
