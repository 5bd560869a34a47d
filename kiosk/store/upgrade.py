"""The one-time upgrade of a first-release database's audit log to keyed (HMAC) chains.

The first release chained entries with plain SHA-256, which anyone holding the file can
recompute, and kept no key. Opening such a database makes its key file (kiosk.store
`open_store`), and migration m010 checks each chain as it stands, then appends an anchor:
an entry keyed with the audit key that records the chain's first-release head, length and
every break found, after which the chain goes on keyed. `kiosk audit verify` checks the
part before the anchor with SHA-256 (breaks the anchor recorded are noted, new ones named)
and the anchor and everything after it with the key. A chain that is already keyed (a
database this release made before m010) gets no anchor.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kiosk.security.chain import (
    ANCHOR_ACTION,
    GENESIS,
    Break,
    canonical,
    chained,
    first_release_breaks,
    keyed_hash,
)
from kiosk.security.keys import Keys, load_keys

ANCHOR_ACTOR = "upgrade"
FIRST_RELEASE_PIN = "first-release:"
"""Prefix put before a first-release PIN hash (4 digits, no pepper): it can never match."""
MAX_BREAKS_KEPT = 50
log = logging.getLogger(__name__)


def database_file(db: Database) -> Path | None:
    """The file of the main database of a connection (None in memory)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return Path(file) if file else None
    return None


def _chain(db: Database, kiosk_id: str) -> list[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM audit_log WHERE kiosk_id = ? ORDER BY seq", (kiosk_id,))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _keyed_already(keys: Keys, rows: list[dict[str, Any]]) -> bool:
    """True when the chain's first entry carries the audit key's hash (nothing to anchor)."""
    first = rows[0]
    return keys.signed(first["prev_hash"] + canonical(chained(first)), first["hash"])


def anchor_entry(keys: Keys, rows: list[dict[str, Any]], at: datetime,
                 breaks: list[Break]) -> dict[str, Any]:
    """The keyed entry ending one first-release chain: its head, length and breaks."""
    last = rows[-1]
    recorded = {
        "entries": len(rows), "head_seq": last["seq"], "head": last["hash"],
        "intact": not breaks,
        "breaks": [[b.seq, b.reason] for b in breaks[:MAX_BREAKS_KEPT]],
        "more_breaks": max(0, len(breaks) - MAX_BREAKS_KEPT),
    }
    entry = {
        "kiosk_id": last["kiosk_id"], "seq": last["seq"] + 1, "at": at.isoformat(),
        "actor": ANCHOR_ACTOR, "action": ANCHOR_ACTION, "subject": "audit",
        "detail": canonical({"first_release": recorded}), "personal_digest": None,
    }
    prev = last["hash"] or GENESIS
    return {**entry, "prev_hash": prev, "hash": keyed_hash(keys, prev, entry)}


def anchor_first_release(db: Database, keys: Keys | None = None,
                         at: datetime | None = None) -> list[str]:
    """Anchor every first-release chain of `db`; return one plain sentence per chain."""
    kiosks = [row[0] for row in db.execute(
        "SELECT DISTINCT kiosk_id FROM audit_log ORDER BY kiosk_id").fetchall()]
    if not kiosks:
        return []
    if keys is None:
        path = database_file(db)
        if path is None:
            return []
        keys = load_keys(path)
    moment = at or datetime.now(UTC)
    said = []
    for kiosk_id in kiosks:
        rows = _chain(db, kiosk_id)
        if _keyed_already(keys, rows):
            continue
        breaks = first_release_breaks(rows)
        anchor = anchor_entry(keys, rows, moment, breaks)
        db.execute(
            f"INSERT INTO audit_log ({', '.join(anchor)}) VALUES"
            f" ({', '.join('?' * len(anchor))})", tuple(anchor.values()))
        said.append(_sentence(kiosk_id, len(rows), anchor["seq"], breaks))
    if said and _retire_first_release_pins(db):
        said.append("Staff PINs from the first release (4 digits, no pepper) no longer sign"
                    " in: add an admin now with `kiosk staff add NAME --role admin` (free"
                    " until one member has a new PIN), who then resets the others' PINs.")
    for sentence in said:
        log.warning("%s", sentence)
    return said


def _retire_first_release_pins(db: Database) -> int:
    """Mark every first-release PIN hash so it never matches; return how many."""
    cursor = db.execute(
        "UPDATE staff SET pin_hash = ? || pin_hash WHERE substr(pin_hash, 1, ?) != ?",
        (FIRST_RELEASE_PIN, len(FIRST_RELEASE_PIN), FIRST_RELEASE_PIN))
    return int(cursor.rowcount or 0)


def _sentence(kiosk_id: str, entries: int, anchor_seq: int, breaks: list[Break]) -> str:
    """What the upgrade found in one chain, in words."""
    where = f"The audit chain of kiosk {kiosk_id!r} ({entries} first-release entries)"
    if not breaks:
        return f"{where} was intact and now goes on keyed from entry {anchor_seq}."
    first = breaks[0]
    return (f"{where} was ALREADY BROKEN when this release took over: entry {first.seq}:"
            f" {first.reason} ({len(breaks)} break(s) in all, recorded in the upgrade entry"
            f" {anchor_seq}, after which it goes on keyed).")
