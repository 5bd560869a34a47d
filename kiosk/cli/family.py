"""`kiosk family flag|unflag|flags`: the office's staff-only flag on a family."""

from __future__ import annotations

import click

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.families import flag_family, unflag_family
from kiosk.store import Store


@click.group("family")
def family() -> None:
    """Flag a family for staff (a court order, a safeguarding plan); the door shows nothing."""


@family.command("flag")
@click.argument("family_id", metavar="FAMILY")
@click.option("--note", help="What staff need to know (asked for when left out).")
@store_option
def family_flag(store: Store, family_id: str, note: str | None) -> None:
    """Flag FAMILY: staff get a quiet notice when it checks in; the parent's card is ordinary."""
    if note is None:
        note = click.prompt("Note for staff")
    new = flag_family(store, family_id, note, now=read_clock())
    click.echo(f"Family {family_id} {'flagged' if new else 'flag note replaced'}.")


@family.command("unflag")
@click.argument("family_id", metavar="FAMILY")
@store_option
def family_unflag(store: Store, family_id: str) -> None:
    """Remove FAMILY's flag (audited)."""
    unflag_family(store, family_id, now=read_clock())
    click.echo(f"Family {family_id} is no longer flagged.")


@family.command("flags")
@format_option
@store_option
def family_flags(store: Store, fmt: str) -> None:
    """List flagged families with their notes (office only)."""
    rows = store.families.flagged()
    emit(rows, ("family_id", "display_name", "note", "flagged_at", "flagged_by"), fmt,
         title="Flagged families")
