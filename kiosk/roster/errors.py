"""Errors of the roster importer: one plain sentence, plus the report when rows are rejected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.roster.report import RosterReport


class RosterError(KioskError):
    """The roster file could not be imported (nothing was changed)."""


class RosterRejected(RosterError):
    """Some rows have problems, so the whole file was refused; `report.rejected` lists them."""

    def __init__(self, message: str, report: RosterReport) -> None:
        super().__init__(message)
        self.report = report
