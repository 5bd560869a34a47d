"""`kiosk settings retention`, `kiosk settings set smtp.KEY VALUE` and `kiosk settings show`.

The `kiosk settings` group: `retention` (how long data is kept) and the e-mail settings.

The password is never a command-line argument (other users can read argv): it is asked
hidden, or read from a file with --from-file, and stored 0600 beside the database.
"""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.errors import KioskError
from kiosk.notify.config import set_password, set_smtp, smtp_overview
from kiosk.privacy.retention import (
    CHECKIN_DAYS_KEY,
    VIOLATION_YEARS_KEY,
    retention_policy,
    set_retention,
)
from kiosk.store import Store


@click.group("settings")
def settings_group() -> None:
    """School-wide settings stored in the database."""


@settings_group.command("retention")
@click.option("--checkin-days", type=int, help="Days after an event its check-ins are kept.")
@click.option("--violation-years", type=int,
              help="Years after closing a violation is kept (the safeguarding period).")
@format_option
@store_option
def retention_command(
    store: Store, checkin_days: int | None, violation_years: int | None, fmt: str
) -> None:
    """Show (or change) how long check-ins and violations are kept."""
    if checkin_days is None and violation_years is None:
        policy = retention_policy(store)
    else:
        policy = set_retention(store, now=read_clock(), checkin_days=checkin_days,
                               violation_years=violation_years)
    rows = [{"setting": CHECKIN_DAYS_KEY, "value": policy.checkin_days},
            {"setting": VIOLATION_YEARS_KEY, "value": policy.violation_years}]
    emit(rows, ("setting", "value"), fmt, title="Retention",
         json_value={"checkin_days": policy.checkin_days,
                     "violation_years": policy.violation_years})


def _read_secret(from_file: str | None) -> str:
    if from_file is None:
        return click.prompt("SMTP password", hide_input=True, confirmation_prompt=True)
    try:
        lines = Path(from_file).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise KioskError(f"The password file {from_file} cannot be read.") from error
    return lines[0] if lines else ""


@settings_group.command("set")
@click.argument("key")
@click.argument("value", required=False)
@click.option("--from-file", type=click.Path(dir_okay=False),
              help="smtp.password only: read it from the first line of this file.")
@store_option
def settings_set(store: Store, key: str, value: str | None, from_file: str | None) -> None:
    """Set smtp.host, .port, .security (starttls|tls|none), .username, .password, .from,
    .headteacher, .deputy or .digest_at (e.g. 07:30)."""
    if not key.startswith("smtp."):
        raise click.UsageError("Only the e-mail settings (smtp.*) are set here.")
    name = key.removeprefix("smtp.")
    if name == "password":
        if value is not None:
            raise click.UsageError("Never put the password on the command line: run"
                                   " `kiosk settings set smtp.password` to be asked,"
                                   " or use --from-file FILE.")
        set_password(store, _read_secret(from_file), now=read_clock())
        click.echo("Saved the SMTP password (in a file only you can read, beside the database).")
        return
    if value is None or from_file is not None:
        raise click.UsageError(f"Give the value: kiosk settings set {key} VALUE.")
    stored = set_smtp(store, name, value, now=read_clock())
    click.echo(f"{key} = {stored}")


@settings_group.command("show")
@format_option
@store_option
def settings_show(store: Store, fmt: str) -> None:
    """Show the e-mail settings (the password only as set or not set)."""
    emit(smtp_overview(store), ("setting", "value"), fmt, title="E-mail settings")
