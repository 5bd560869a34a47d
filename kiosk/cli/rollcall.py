"""`kiosk rollcall EVENT` (who is in the hall now) and `kiosk checkout EVENT CODE`."""

from __future__ import annotations

import io
import secrets
import sys
from pathlib import Path

import click

from kiosk.checkin.checkout import check_out
from kiosk.cli.base import emit, read_clock, safe_json, store_option, write_csv
from kiosk.errors import KioskError
from kiosk.reports import rollcall_pdf
from kiosk.security.files import write_private
from kiosk.store import Store
from kiosk.views.rollcall import roll_call

COLUMNS = ("family", "party", "door", "at", "people")


def existing_folder_for(path: Path) -> Path:
    """The output path, refused when its folder does not exist (never created silently)."""
    folder = path.parent
    if not folder.is_dir():
        raise KioskError(f"There is no folder {folder}: create it first, or choose another"
                         " --out.")
    return path


@click.command("rollcall")
@click.argument("event_id", metavar="EVENT")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv", "pdf")),
              default="table", show_default=True, help="Output format.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (needed for pdf; default for the others: the screen).")
@store_option
def rollcall(store: Store, event_id: str, fmt: str, out: Path | None) -> None:
    """Who is in the hall now (family, party, door, time, people), for a fire officer."""
    call = roll_call(store, event_id, now=read_clock())
    if fmt == "pdf":
        if out is None:
            raise click.UsageError("Give --out FILE.pdf for the printable roll call.")
        school = store.settings.get("school_name") or "School"
        rollcall_pdf.render_pdf(call, existing_folder_for(out), school=school)
        click.echo(f"Wrote {out}: {len(call.lines)} parties in the hall.")
        return
    if out is not None:
        handle = io.StringIO(newline="")
        if fmt == "json":
            handle.write(safe_json(call.to_dict()) + "\n")
        else:
            write_csv(handle, call.rows(), COLUMNS, heads=call.audit_heads)
        write_private(existing_folder_for(out), "\ufeff" + handle.getvalue())
        click.echo(f"Wrote {out}: {len(call.lines)} parties in the hall.")
        return
    if fmt == "csv":
        write_csv(sys.stdout, call.rows(), COLUMNS)
        return
    people = "not counted" if call.people is None else str(call.people)
    emit(call.rows(), COLUMNS, fmt, json_value=call.to_dict(),
         title=(f"In the hall at {call.taken_at:%H:%M}: {call.families} families,"
                f" {len(call.lines)} parties, people {people}"))


@click.command("checkout")
@click.argument("event_id", metavar="EVENT")
@click.argument("code")
@click.option("--kiosk-id", default="cli", show_default=True, help="The door's name.")
@store_option
def checkout(store: Store, event_id: str, code: str, kiosk_id: str) -> None:
    """Record the party of pass CODE leaving EVENT (events with check-out only)."""
    result = check_out(store, code, event_id, now=read_clock(), kiosk_id=kiosk_id,
                       nonce=secrets.token_hex(8), method="cli")
    click.echo(f"{result.code}: {result.message}")
    if not result.ok:
        sys.exit(3)
