"""`kiosk staff ...`: add staff, list them, reset a PIN (PINs asked hidden, never in argv)."""

from __future__ import annotations

import click

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.staff import (
    Role,
    StaffError,
    add_staff,
    check_pin_format,
    get_staff,
    reset_pin,
    staff_overview,
)
from kiosk.store import Store

STAFF_COLUMNS = ("name", "role", "active", "pin", "failed_attempts", "created_at")


def _ask_pin(prompt: str) -> str:
    """Ask for a PIN twice with hidden input; re-ask until it has the right shape."""
    while True:
        pin = click.prompt(prompt, hide_input=True, confirmation_prompt=True,
                           show_default=False)
        try:
            check_pin_format(pin)
        except StaffError as error:
            click.echo(str(error), err=True)
            continue
        return pin


@click.group()
def staff() -> None:
    """Staff members who may unlock staff mode on the kiosk (PINs are argon2-hashed)."""


@staff.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True,
              help="steward, lead, headteacher or admin.")
@store_option(create=True)
def staff_add(store: Store, name: str, role: str) -> None:
    """Add staff member NAME; the PIN (4 to 8 digits) is asked twice, hidden."""
    pin = _ask_pin("PIN (4 to 8 digits)")
    add_staff(store, name, role, pin, now=read_clock(), actor="cli")
    click.echo(f"Added {name.strip()} as {role}.")


@staff.command("list")
@format_option
@store_option
def staff_list(store: Store, fmt: str) -> None:
    """List staff with their role and PIN state (ok, wait, locked); never the PIN."""
    rows = staff_overview(store, now=read_clock())
    emit(rows, STAFF_COLUMNS, fmt, title="Staff")


@staff.command("reset-pin")
@click.argument("name")
@store_option
def staff_reset_pin(store: Store, name: str) -> None:
    """Give NAME a new PIN (asked twice, hidden) and clear their lock-out."""
    get_staff(store, name)
    pin = _ask_pin(f"New PIN for {name.strip()}")
    reset_pin(store, name, pin, now=read_clock(), actor="cli")
    click.echo(f"New PIN set for {name.strip()}; their lock-out is cleared.")
