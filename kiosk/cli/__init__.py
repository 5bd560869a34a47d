"""The `kiosk` command line: admin commands over the same services as the app."""

from __future__ import annotations

import kiosk.cli.audit  # (registers `kiosk audit verify` and `kiosk audit log`)
import kiosk.cli.board  # (registers `kiosk board`)
import kiosk.cli.checkin  # (registers `kiosk checkin` and `kiosk run`)
import kiosk.cli.consent  # (registers `kiosk consent withdraw` and `kiosk consent record`)
import kiosk.cli.data  # (registers purge, export, erase, legal-hold, backup, restore)
import kiosk.cli.demo  # (registers `kiosk demo`)
import kiosk.cli.passes  # (registers `kiosk passes`)
import kiosk.cli.report  # (registers `kiosk report violations` and `kiosk report event`)
import kiosk.cli.roster  # (registers `kiosk import roster`, `kiosk pupils list`)
import kiosk.cli.scan  # (registers `kiosk scan-image` and `kiosk scan-camera`)
import kiosk.cli.staff  # (registers `kiosk staff`)
import kiosk.cli.violations  # noqa: F401  (registers `kiosk violations list/show/ack/note/close`)
from kiosk.cli import admin, events  # noqa: F401  (each module registers its commands)
from kiosk.cli.base import cli
from kiosk.cli.serve import serve

cli.add_command(serve)

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the `kiosk` console script."""
    cli(prog_name="kiosk")
