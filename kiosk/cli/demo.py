"""`kiosk demo`: build a fresh demo school and open the door screen at today's nativity."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource

from kiosk.cli.base import emit, read_clock
from kiosk.cli.checkin import run_door
from kiosk.cli.events import ITEM_COLUMNS, item_json
from kiosk.config import demo_db_path
from kiosk.demo.school import STAFF, DemoSchool, build_demo
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


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Where to build the demo database (default: the per-user demo.db).")
@click.option("--overview", is_flag=True,
              help="Only build the demo and print the nativity's running order.")
@click.option("--quiet", is_flag=True, help="No bell on a result.")
@click.pass_context
def demo(ctx: click.Context, db_path: str | None, overview: bool, quiet: bool) -> None:
    """Build a fresh demo school (fictional) and open the kiosk at its nativity.

    Press N on the door screen to show the next demo pass to the demo camera, F2 for
    staff mode (demo PINs are printed after the kiosk closes). Without a terminal, or
    with --overview, it prints the running order instead.
    """
    path = _demo_path(ctx, db_path)
    if overview or not (sys.stdin.isatty() and sys.stdout.isatty()):
        show_overview(build_demo(path, today=read_clock().date()))
        if not overview:
            click.echo("Run `kiosk demo` in a terminal to open the door screen.")
        return
    from kiosk.ui.launch import DEMO_KIOSK_ID, demo_setup

    setup = demo_setup(read_clock(), path=path)
    run_door(setup.db_path, setup.event_id, demo=setup, kiosk_id=DEMO_KIOSK_ID, quiet=quiet)
    click.echo("Demo staff PINs: " + ", ".join(f"{n} ({r}) {p}" for n, r, p in STAFF) + ".")
    click.echo(f"Demo database: {setup.db_path} (see `kiosk --db {setup.db_path} status`).")


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
         title=f"{event['name']} — {event['date']}" + (
             f", doors {event['doors_open']}" if event["doors_open"] else ", doors open all day"))
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
