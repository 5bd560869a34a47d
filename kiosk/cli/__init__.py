"""The `kiosk` command line: admin commands over the same services as the app.

The root group is assembled here: each command module only defines its commands and
groups, and this module adds them, so importing a command module has no side effect.
"""

from __future__ import annotations

import click

from kiosk.cli import (
    admin,
    audit,
    board,
    checkin,
    consent,
    data,
    demo,
    events,
    family,
    notify,
    passes,
    photo,
    report,
    rollcall,
    roster,
    scan,
    serve,
    settings,
    staff,
    violations,
)
from kiosk.cli.base import KioskGroup
from kiosk.clock import system_clock
from kiosk.security.files import private_umask

COMMANDS: tuple[click.Command, ...] = (
    admin.init, admin.status,
    roster.import_group, roster.pupils,
    consent.consent,
    events.event,
    family.family,
    passes.passes,
    staff.staff,
    checkin.checkin_command, checkin.run_command,
    board.board,
    demo.demo,
    scan.scan_image, scan.scan_camera,
    violations.violations,
    report.report,
    rollcall.rollcall, rollcall.checkout,
    audit.audit_group,
    data.purge_command, settings.settings_group, data.legal_hold_command, data.export_group,
    data.erase_group, data.backup_command, data.restore_command,
    photo.photo, notify.notify, serve.serve,
)


@click.group(cls=KioskGroup)
@click.version_option(package_name="kiosk")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="KIOSK_DB",
    help="Database file (default: $KIOSK_DB, else the per-user kiosk.db).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Event-day recording-permission kiosk: admin commands."""
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path
    ctx.obj.setdefault("clock", system_clock)


for _command in COMMANDS:
    cli.add_command(_command)

__all__ = ["COMMANDS", "cli", "main"]


def main() -> None:
    """Entry point of the `kiosk` console script.

    The umask is set first, so every file and folder the kiosk creates (the database and
    its side files, passes, reports, exports, backups) is private to its user.
    """
    private_umask()
    cli(prog_name="kiosk")
