"""Start the hub: certificates, doors, door links printed, then serve until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aiohttp import web

from kiosk.errors import KioskError
from kiosk.notify.sender import run_sender
from kiosk.serve.hub import Hub, ssl_context
from kiosk.serve.pairing import BOARD, DOOR, PairingStore, hub_folder
from kiosk.serve.tls import ensure_hub_certificate, own_certificate, primary_address

ANY = ("0.0.0.0", "::", "")


class HubStartError(KioskError):
    """The hub could not start (port taken, no event, bad certificate)."""


@dataclass(frozen=True)
class HubOptions:
    """What `kiosk serve` was told."""

    db_path: Path
    event_id: str | None
    doors: Sequence[str]
    host: str
    port: int
    cert: str | None = None
    key: str | None = None
    plain_http: bool = False
    default_door: str = "Main door"
    board: str = "Board"


def todays_event(db_path: Path, today: date) -> str:
    """The event dated today, when there is exactly one."""
    from kiosk.store import open_store

    store = open_store(db_path)
    try:
        todays = [e["id"] for e in store.events.all() if e.get("date") == today.isoformat()]
    finally:
        store.close()
    if len(todays) != 1:
        found = "no event" if not todays else f"{len(todays)} events ({', '.join(todays)})"
        raise HubStartError(f"There is {found} today: say which with --event.")
    return str(todays[0])


def run_hub(options: HubOptions, echo: Callable[[str], None]) -> None:
    """Serve until Ctrl+C or SIGTERM; door links are printed once the port is ours."""
    from kiosk.clock import system_clock
    from kiosk.events import get_event
    from kiosk.store import open_store

    if not options.db_path.exists():
        raise HubStartError(f"There is no database at {options.db_path}.")
    event_id = options.event_id or todays_event(options.db_path, system_clock().date())
    store = open_store(options.db_path)
    try:
        get_event(store, event_id)
    finally:
        store.close()
    folder = hub_folder(options.db_path)
    pairings = PairingStore(folder)
    names = list(options.doors) or [d.name for d in pairings.doors() if d.kind == DOOR]
    doors = [pairings.ensure(n) for n in (names or [options.default_door])]
    board = pairings.ensure(options.board, BOARD)
    context = None
    ca = None
    if not options.plain_http:
        certificate = (own_certificate(options.cert, options.key) if options.cert and options.key
                       else ensure_hub_certificate(folder))
        try:
            context = ssl_context(certificate.cert, certificate.key)
        except (OSError, ValueError) as error:
            raise HubStartError(
                f"Cannot use the certificate {certificate.cert}: {error}.") from error
        ca = certificate.ca
    hub = Hub(options.db_path, event_id, pairings, secure=context is not None, ca_path=ca)
    address = (primary_address() or "localhost") if options.host in ANY else options.host
    scheme = "https" if context is not None else "http"
    base = f"{scheme}://{_bracket(address)}:{options.port}"

    def links() -> None:
        for door in [*doors, board]:
            label = "Board" if door.kind == BOARD else door.name
            echo(f"{label}: {base}/pair/{pairings.new_code(door)}")
        if ca is not None:
            echo(f"Trust the hub's certificate on each tablet first: {base}/trust")
        echo("Each link pairs one tablet, once. Ctrl+C stops the hub.")

    logging.basicConfig(level=logging.WARNING)
    stop = threading.Event()
    mail_store = open_store(options.db_path)  # the sender's own connection
    sender = threading.Thread(target=run_sender, args=(mail_store, system_clock, stop),
                              kwargs={"kiosk_id": "hub"}, name="mail sender", daemon=True)
    sender.start()  # violations reach the headteacher by e-mail while the hub runs
    try:
        asyncio.run(_serve(hub.application(), options.host, options.port, context, links))
    finally:
        stop.set()
        sender.join(timeout=5)
        mail_store.close()


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def _serve(app: web.Application, host: str, port: int, context: object,
                 ready: Callable[[], None]) -> None:
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host or None, port, ssl_context=context)  # type: ignore[arg-type]
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise HubStartError(f"Cannot listen on {host}:{port} ({reason.lower()}): "
                            "is another hub running? Try another --port.") from error
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    ready()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
