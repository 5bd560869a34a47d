"""`kiosk serve`: the hub that puts the door on the school's tablets (and the board on a TV).

`kiosk serve [--event E] [--door NAME ...] [--demo]` prints one link per door and the
board's link; `kiosk serve doors|rename|unpair` look after the tablets paired to them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kiosk.clock import system_clock
from kiosk.config import demo_db_path, resolve_db_path
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.serve.pairing import PairingStore

DEFAULT_PORT = 8443
DEFAULT_DOOR = "Main door"
BOARD_NAME = "Board"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ServeError(KioskError):
    """The hub cannot start as asked."""


def _db(ctx: click.Context, db_path: str | None, demo: bool = False) -> Path:
    root = (ctx.find_root().obj or {}).get("db_path")
    if demo:
        return Path(db_path).expanduser() if db_path else demo_db_path()
    return resolve_db_path(db_path or root)


def _pairings(ctx: click.Context, db_path: str | None, demo: bool) -> PairingStore:
    """The hub's pairings; --db and --demo may come before the subcommand's name too."""
    from kiosk.serve.pairing import PairingStore, hub_folder

    hub = ctx.parent.params if ctx.parent is not None else {}
    path = _db(ctx, db_path or hub.get("db_path"), demo or bool(hub.get("demo")))
    if not path.exists():
        raise ServeError(f"There is no database at {path}.")
    return PairingStore(hub_folder(path))


db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False),
    help="Database file (default: the group's --db, $KIOSK_DB, else per-user).")
demo_option = click.option("--demo", is_flag=True, help="The demo school's hub.")


@click.group(invoke_without_command=True)
@click.option("--event", "event_id", help="Event id (default: the one event dated today).")
@click.option("--door", "doors", multiple=True,
              help="A door to serve, by name (repeat for more; default: the doors paired "
                   "before, else 'Main door'). The name is the kiosk id in check-ins.")
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--cert", type=click.Path(dir_okay=False), help="The school's own certificate.")
@click.option("--key", type=click.Path(dir_okay=False), help="The key of --cert.")
@click.option("--http", "plain_http", is_flag=True,
              help="Plain http (only on localhost: tablets need https for the camera).")
@demo_option
@db_option
@click.pass_context
def serve(ctx: click.Context, event_id: str | None, doors: tuple[str, ...], host: str,
          port: int, cert: str | None, key: str | None, plain_http: bool, demo: bool,
          db_path: str | None) -> None:
    """Run the hub: every paired tablet's browser is a door; the board has its own link."""
    if ctx.invoked_subcommand is not None:
        return
    if bool(cert) != bool(key):
        raise click.UsageError("--cert and --key go together.")
    if plain_http and host not in LOOPBACK:
        raise click.UsageError("Plain --http is only for --host 127.0.0.1 (localhost).")
    from kiosk.serve.run import HubOptions, run_hub

    path = _db(ctx, db_path, demo)
    if demo:
        event_id = prepare_demo(path, event_id)
    options = HubOptions(db_path=path, event_id=event_id, doors=doors, host=host, port=port,
                         cert=cert, key=key, plain_http=plain_http,
                         default_door="Demo door" if demo else DEFAULT_DOOR, board=BOARD_NAME)
    run_hub(options, click.echo)


def prepare_demo(path: Path, event_id: str | None) -> str:
    """Build the demo school if it is missing or not dated today; reuse it otherwise."""
    from kiosk.demo.school import build_demo
    from kiosk.events import get_event
    from kiosk.store import open_store
    from kiosk.ui.launch import DEMO_EVENT

    today = system_clock().date()
    fresh = False
    if path.exists():
        store = open_store(path)
        try:
            fresh = get_event(store, DEMO_EVENT)["date"] == today.isoformat()
        except KioskError:
            fresh = False
        finally:
            store.close()
    if not fresh:
        click.echo(f"Building the demo school at {path} …")
        build_demo(path, today=today)
    return event_id or DEMO_EVENT


@serve.command("doors")
@demo_option
@db_option
@click.pass_context
def doors_command(ctx: click.Context, demo: bool, db_path: str | None) -> None:
    """List the hub's doors and how many tablets each is paired with."""
    from kiosk.serve.pairing import BOARD

    for door in _pairings(ctx, db_path, demo).doors():
        kind = "board" if door.kind == BOARD else "door"
        last = max(door.pairings.values(), default="never")
        click.echo(f"{door.name} ({kind}): {len(door.pairings)} tablet(s) paired, "
                   f"last paired {last}")


@serve.command("rename")
@click.argument("old")
@click.argument("new")
@demo_option
@db_option
@click.pass_context
def rename_command(ctx: click.Context, old: str, new: str, demo: bool,
                   db_path: str | None) -> None:
    """Rename a door: its tablets stay paired; new check-ins carry the new name."""
    door = _pairings(ctx, db_path, demo).rename(old, new)
    click.echo(f"Renamed {old!r} to {door.name!r} (open doors take it on their next start).")


@serve.command("unpair")
@click.argument("name")
@demo_option
@db_option
@click.pass_context
def unpair_command(ctx: click.Context, name: str, demo: bool, db_path: str | None) -> None:
    """Forget every tablet paired to a door: they get no door until paired again."""
    count = _pairings(ctx, db_path, demo).unpair(name)
    click.echo(f"Unpaired {count} tablet(s) from {name!r}.")
