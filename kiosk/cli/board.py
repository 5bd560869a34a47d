"""`kiosk board --event EVENT`: the audience-facing stage board (no PIN, no personal data)."""

from __future__ import annotations

import click

from kiosk.cli.base import store_option
from kiosk.events import get_event
from kiosk.store import Store


@click.command()
@click.option("--event", "event_id", required=True, help="Event id, e.g. 'nativity'.")
@store_option
def board(store: Store, event_id: str) -> None:
    """Full-screen stage board: what is on stage and whether filming is allowed (q quits)."""
    get_event(store, event_id)
    from kiosk.ui.board import StageBoard

    StageBoard(store, event_id).run()
