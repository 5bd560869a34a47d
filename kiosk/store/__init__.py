"""The only package that runs SQL: a Store with one small table class per area.

    store = open_store(path)
    store.checkins.by_nonce(nonce)       # store.violations, .families, .events, .passes,
    with store.immediate():              # .staff, .audit, .settings, .privacy
        ...                              # one BEGIN IMMEDIATE for the writes inside
"""

from __future__ import annotations

from pathlib import Path

from kiosk.security.keys import Keys, key_path, load_keys, new_keys
from kiosk.store.audit import AuditTable
from kiosk.store.base import StoreCore
from kiosk.store.checkins import CheckinTable
from kiosk.store.data_protection import PrivacyTable
from kiosk.store.events import EventTable
from kiosk.store.outbox import OutboxTable
from kiosk.store.passes import PassTable
from kiosk.store.roster import FamilyTable
from kiosk.store.schema import apply_migrations, before_keyed_chains
from kiosk.store.settings import SettingsTable
from kiosk.store.staff import StaffTable
from kiosk.store.violations import ViolationTable


class Store(StoreCore):
    """One open kiosk database: its areas share one connection, lock and `immediate()`."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path)
        self._keys: Keys | None = new_keys() if self.path is None else None
        self.checkins = CheckinTable(self)
        self.violations = ViolationTable(self)
        self.families = FamilyTable(self)
        self.events = EventTable(self)
        self.passes = PassTable(self)
        self.staff = StaffTable(self)
        self.audit = AuditTable(self)
        self.settings = SettingsTable(self)
        self.privacy = PrivacyTable(self)
        self.outbox = OutboxTable(self)

    @property
    def keys(self) -> Keys:
        """The PIN pepper and audit key from the key file beside the database (read once).

        A database without its key file raises KeysUnavailable with one plain sentence.
        """
        if self._keys is None:
            assert self.path is not None
            self._keys = load_keys(self.path)
        return self._keys


def open_store(path: Path | str, *, migrate: bool = True) -> Store:
    """Open (creating if needed) the database at `path` and bring its schema up to date.

    A new database gets its key file (kiosk.security.keys) in the same step; the file and
    its -wal/-shm side files are made 0600. So does a first-release database, which had
    none: migration m010 then anchors its SHA-256 audit chains (kiosk.store.upgrade).
    """
    created = str(path) != ":memory:" and not Path(path).exists()
    store = Store(path)
    if created:
        store._keys = load_keys(path, create=True)
    elif migrate and store.path is not None and not key_path(path).exists():
        with store._lock:
            first_release = before_keyed_chains(store.db)
        if first_release:
            store._keys = load_keys(path, create=True)
    if migrate:
        with store._lock:
            apply_migrations(store.db)
    return store


__all__ = ["Store", "open_store"]
