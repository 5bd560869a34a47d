"""The only module that runs SQL: a Store composed of one query mixin per area."""

from __future__ import annotations

from pathlib import Path

from kiosk.store.audit import AuditQueries
from kiosk.store.changes import ChangeQueries
from kiosk.store.checkins import CheckinQueries
from kiosk.store.data_protection import DataProtectionQueries
from kiosk.store.events import EventQueries
from kiosk.store.passes import PassQueries
from kiosk.store.reports import ReportQueries
from kiosk.store.roster import RosterQueries
from kiosk.store.schema import apply_migrations
from kiosk.store.settings import SettingsQueries
from kiosk.store.staff import StaffQueries
from kiosk.store.violations import ViolationQueries


class Store(
    RosterQueries,
    EventQueries,
    PassQueries,
    CheckinQueries,
    ViolationQueries,
    StaffQueries,
    AuditQueries,
    SettingsQueries,
    ChangeQueries,
    ReportQueries,
    DataProtectionQueries,
):
    """One open kiosk database. Create with `open_store(path)`."""


def open_store(path: Path | str, *, migrate: bool = True) -> Store:
    """Open (creating if needed) the database at `path` and bring its schema up to date."""
    store = Store(path)
    if migrate:
        with store._lock:
            apply_migrations(store.db)
    return store


__all__ = ["Store", "open_store"]
