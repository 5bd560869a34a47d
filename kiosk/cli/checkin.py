"""`kiosk checkin EVENT TOKEN` (scripted check-in) and `kiosk run` (the door app)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kiosk.checkin.doorview import names_text
from kiosk.checkin.service import Decision, check_in
from kiosk.cli.base import read_clock, read_token, safe_json, store_option
from kiosk.config import ENV_KIOSK_ID, ENV_TABLET, default_kiosk_id, resolve_db_path
from kiosk.errors import KioskError
from kiosk.safetext import safe_text
from kiosk.store import Store, open_store

if TYPE_CHECKING:
    from kiosk.ui.launch import DemoSetup

REFUSED_EXIT = 3
_SYMBOLS = {"green": "✔", "amber": "!", "yellow": "↺", "red": "✘"}


def decision_lines(decision: Decision) -> list[str]:
    """The decision as plain lines (what the door card says, items in running order, no colour)."""
    symbol = _SYMBOLS.get(decision.colour, "?")
    lines = [f"{symbol} {decision.title.upper()}  [{decision.code}, {decision.colour}]",
             safe_text(decision.message)]
    view = decision.view
    if view is not None:
        lines += [f"! {safe_text(notice)}" for notice in view.notices]
        for item in view.running:
            when = f"{safe_text(item.starts_at, 5)} " if item.starts_at else ""
            lines.append(f"  {'✔' if item.filming_allowed else '✘'} {when}{safe_text(item.title)}"
                         f" · {names_text(item.children)}: {item.status_text}")
    if decision.pass_ref:
        lines.append(f"Pass {decision.pass_ref}; check-in {decision.checkin_id}.")
    return lines


@click.command("checkin")
@click.argument("event_id")
@click.argument("token", required=False)
@click.option("--kiosk-id", help="Name of this door in the record (default: $KIOSK_ID or host).")
@click.option("--party-size", type=click.IntRange(min=1),
              help="How many people come in (needed when the event allocates seats).")
@click.option("--nonce", help="Idempotency key: the same nonce twice records one check-in.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True, help="Output format; JSON is Decision.to_dict().")
@store_option
def checkin_command(store: Store, event_id: str, token: str | None, kiosk_id: str | None,
                    party_size: int | None, nonce: str | None, fmt: str) -> None:
    """Check a family in to EVENT_ID, as the door would; the pass code is asked hidden.

    Give TOKEN as '-' to read it from standard input (never the code itself: argv shows
    in `ps` and the shell history).

    Exit status: 0 admitted (or already checked in), 3 refused, 1 on an error.
    """
    decision = check_in(
        store, read_token(token), event_id, now=read_clock(), kiosk_id=default_kiosk_id(kiosk_id),
        nonce=nonce or uuid.uuid4().hex, method="cli", party_size=party_size,
    )
    if fmt == "json":
        click.echo(safe_json(decision.to_dict()))
    else:
        for line in decision_lines(decision):
            click.echo(line)
    if not decision.ok:
        raise SystemExit(REFUSED_EXIT)


@click.command("run")
@click.option("--event", "event_id", help="Event id, e.g. 'nativity' (the demo: its nativity).")
@click.option("--camera", "camera",
              help="Camera number or /dev/videoN, a video file, a folder or glob of images, "
                   "or 'demo'. Without it: handheld scanner and typed codes only.")
@click.option("--resolution", default="1280x720", show_default=True,
              help="Camera resolution to ask for.")
@click.option("--kiosk-id", help="Name of this door (default: $KIOSK_ID or the host name).")
@click.option("--demo", is_flag=True,
              help="Open the demo school (fictional) with a demo camera: press N for a pass.")
@click.option("--quiet", is_flag=True, help="No bell on a result.")
@click.option("--idle-lock", "idle_lock", type=click.FloatRange(min=10), default=120,
              show_default=True, help="Seconds without a key or tap before staff mode locks.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Database file (default: the group's --db, $KIOSK_DB, else per-user).")
@click.pass_context
def run_command(ctx: click.Context, event_id: str | None, camera: str | None, resolution: str,
                kiosk_id: str | None, demo: bool, quiet: bool, idle_lock: float,
                db_path: str | None) -> None:
    """Start the door screen for EVENT (F2: staff mode; a lead or above closes it, with a PIN)."""
    from kiosk.scanner.sources import parse_resolution
    from kiosk.ui.launch import DEMO_KIOSK_ID, demo_setup

    try:
        size = parse_resolution(resolution)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--resolution") from error
    root_db = (ctx.find_root().obj or {}).get("db_path")
    if demo:
        setup = demo_setup(read_clock(), path=Path(db_path) if db_path else None)
        path, event_id = setup.db_path, event_id or setup.event_id
        kiosk_id = kiosk_id or os.environ.get(ENV_KIOSK_ID) or DEMO_KIOSK_ID
    else:
        if not event_id:
            raise click.UsageError("Say which event with --event (or try --demo).")
        setup = None
        path = resolve_db_path(db_path or root_db)
        if not path.exists():
            raise KioskError(f"There is no kiosk database at {path}. Create one with"
                             " `kiosk init` (or name another file with --db).")
    run_door(path, event_id, camera=camera, resolution=size, demo=setup, kiosk_id=kiosk_id,
             quiet=quiet, idle_lock=idle_lock, tablet=os.environ.get(ENV_TABLET) == "1")


def run_door(path: Path, event_id: str, *, camera: str | None = None,
             resolution: tuple[int, int] = (1280, 720), demo: DemoSetup | None = None,
             kiosk_id: str | None = None, quiet: bool = False, idle_lock: float = 120,
             tablet: bool = False) -> None:
    """Open the database at `path` and run the door app for `event_id` until it quits.

    `tablet`: kiosk serve started this process for a tablet's page ($KIOSK_TABLET, read
    once by `kiosk run`).
    """
    from kiosk.ui.launch import door_app

    store = open_store(path)
    try:
        app = door_app(store, event_id, camera=camera, resolution=resolution, demo=demo,
                       kiosk_id=default_kiosk_id(kiosk_id), quiet=quiet, idle_lock=idle_lock,
                       tablet=tablet)
        app.run()
    finally:
        store.close()
