"""`kiosk staff ...`: add, list, reset a PIN, deactivate, change a role (PINs never in argv).

Every change names an admin with --staff (their PIN is asked first, then any new PIN twice);
only the very first admin of an empty database needs nobody.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kiosk.cli.base import acting_staff, ask_pin, emit, format_option, read_clock, store_option
from kiosk.errors import KioskError
from kiosk.pins import MAX_DIGITS, MIN_DIGITS, PinError, check_pin_format
from kiosk.staff import (
    Role,
    StaffSession,
    add_staff,
    deactivate_staff,
    first_admin_free,
    get_staff,
    reset_pin,
    set_role,
    staff_overview,
)
from kiosk.store import Store

STAFF_COLUMNS = ("name", "role", "active", "pin", "failed_attempts", "created_at")
PIN_WORDS = f"{MIN_DIGITS} to {MAX_DIGITS} digits"
_ROLES = click.Choice([r.value for r in Role])


def _ask_new_pin(prompt: str) -> str:
    """Ask a new PIN twice, hidden; re-ask on a terminal, refuse at once on piped input."""
    while True:
        pin = ask_pin(prompt, twice=True)
        try:
            check_pin_format(pin)
        except PinError as error:
            if not sys.stdin.isatty():
                raise
            click.echo(str(error), err=True)
            continue
        return pin


def _first_admin(store: Store, params: dict[str, Any]) -> bool:
    return first_admin_free(store, params["role"])


def _admin_id(member: StaffSession | None) -> int:
    if member is None:
        raise KioskError("Name an admin with --staff NAME.")
    return member.staff_id


@click.group()
def staff() -> None:
    """Staff members who may unlock staff mode on the kiosk (PINs are peppered and hashed)."""


@staff.command("add")
@click.argument("name")
@click.option("--role", type=_ROLES, required=True, help="steward, lead, headteacher or admin.")
@store_option
@acting_staff(Role.ADMIN, free_when=_first_admin)
def staff_add(store: Store, member: StaffSession | None, name: str, role: str) -> None:
    """Add staff member NAME: your PIN first, then their new PIN twice, all hidden.

    The first admin of a database made with `kiosk init` needs no --staff; a mistyped --db
    is an error, never a new empty school.
    """
    pin = _ask_new_pin(f"New PIN for {name.strip()} ({PIN_WORDS})")
    add_staff(store, name, role, pin, now=read_clock(),
              actor=member.actor if member else "cli")
    click.echo(f"Added {name.strip()} as {role}.")


@staff.command("list")
@format_option
@store_option
def staff_list(store: Store, fmt: str) -> None:
    """List staff with their role and PIN state (ok, wait, locked on a kiosk); never the PIN."""
    rows = staff_overview(store, now=read_clock())
    emit(rows, STAFF_COLUMNS, fmt, title="Staff")


@staff.command("reset-pin")
@click.argument("name")
@store_option
@acting_staff(Role.ADMIN)
def staff_reset_pin(store: Store, member: StaffSession | None, name: str) -> None:
    """Give NAME a new PIN (your PIN first, then theirs twice) and clear their lock-outs."""
    get_staff(store, name)
    pin = _ask_new_pin(f"New PIN for {name.strip()} ({PIN_WORDS})")
    reset_pin(store, name, pin, now=read_clock(), admin_id=_admin_id(member))
    click.echo(f"New PIN set for {name.strip()}; their lock-outs are cleared.")


@staff.command("deactivate")
@click.argument("name")
@store_option
@acting_staff(Role.ADMIN)
def staff_deactivate(store: Store, member: StaffSession | None, name: str) -> None:
    """Deactivate leaver NAME: they cannot sign in, and an open session of theirs ends."""
    deactivate_staff(store, name, now=read_clock(), admin_id=_admin_id(member))
    click.echo(f"{name.strip()} is deactivated and can no longer sign in.")


@staff.command("set-role")
@click.argument("name")
@click.argument("role", type=_ROLES)
@store_option
@acting_staff(Role.ADMIN)
def staff_set_role(store: Store, member: StaffSession | None, name: str, role: str) -> None:
    """Give NAME the role ROLE (steward, lead, headteacher, admin); their session ends."""
    set_role(store, name, role, now=read_clock(), admin_id=_admin_id(member))
    click.echo(f"{name.strip()} is now a {role}.")
