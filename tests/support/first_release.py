"""A real first-release database file: its schema (m001 to m005), rows and SHA-256 chains.

The first release kept no key file and chained audit entries with plain SHA-256 over the
previous hash and the canonical entry; its entries carried the details shown here (taken
from a database the first release itself wrote). Nothing here uses this release's
services, so the file is what a school upgrading from the first release really has.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kiosk.security.chain import GENESIS, canonical, first_release_hash
from kiosk.store.schema import migrations

FIRST_RELEASE_STOP = "m006_outbox"  # the first migration the first release did not have
DAY = "2026-12-10"


@dataclass
class FirstRelease:
    """Where the file is and what its chains hold (entries per kiosk)."""

    path: Path
    entries: dict[str, int] = field(default_factory=dict)


class _Chains:
    """The first release's `append`: SHA-256 chain per kiosk, personal details apart."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.heads: dict[str, tuple[int, str]] = {}

    def append(self, kiosk_id: str, at: str, actor: str, action: str, subject: str | None,
               detail: dict[str, Any], personal: dict[str, Any] | None = None,
               family_id: str | None = None) -> None:
        seq, prev = self.heads.get(kiosk_id, (0, GENESIS))
        text = None if personal is None else canonical(
            {"salt": secrets.token_hex(16), **personal})
        entry = {"kiosk_id": kiosk_id, "seq": seq + 1, "at": at, "actor": actor,
                 "action": action, "subject": subject, "detail": canonical(detail),
                 "personal_digest": None if text is None
                 else hashlib.sha256(text.encode("utf-8")).hexdigest()}
        digest = first_release_hash(prev, entry)
        cursor = self.conn.execute(
            "INSERT INTO audit_log (kiosk_id, seq, at, actor, action, subject, detail,"
            " personal_digest, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (*entry.values(), prev, digest))
        if text is not None:
            self.conn.execute("INSERT INTO audit_personal (entry_id, family_id, detail)"
                              " VALUES (?, ?, ?)", (cursor.lastrowid, family_id, text))
        self.heads[kiosk_id] = (seq + 1, digest)


def _school(conn: sqlite3.Connection, chains: _Chains) -> None:
    """Two families, two staff, the nativity, a pass each, check-ins and a closed violation."""
    stamp = f"{DAY}T08:00:00+00:00"
    conn.execute("INSERT INTO settings VALUES ('school_name', 'Oakfield Primary')")
    for fid, name in (("F-OAK", "Oakley"), ("F-ASH", "Ashdown")):
        conn.execute("INSERT INTO families (id, display_name, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?)", (fid, name, stamp, stamp))
        conn.execute("INSERT INTO pupils (id, family_id, first_name, surname, class_name,"
                     " year_group, updated_at) VALUES (?, ?, 'Sam', ?, 'R', 'R', ?)",
                     (f"{fid}-1", fid, name, stamp))
    chains.append("admin", stamp, "cli", "roster.imported", None, {"added": 2, "rows": 2})
    for staff_id, (name, role) in enumerate((("Lee Lead", "lead"),
                                             ("Helen Head", "headteacher")), start=1):
        conn.execute("INSERT INTO staff (id, name, role, pin_hash, created_at)"
                     " VALUES (?, ?, ?, 'first-release 4-digit hash', ?)",
                     (staff_id, name, role, stamp))
        chains.append("admin", stamp, "cli", "staff.added", f"staff:{staff_id}", {"role": role})
    conn.execute("INSERT INTO events (id, name, date, open_to_all, created_at)"
                 " VALUES ('nativity', 'Nativity', ?, 1, ?)", (DAY, stamp))
    chains.append("admin", stamp, "cli", "event.created", "event:nativity", {"date": DAY})
    for pass_id, (fid, ref) in enumerate((("F-OAK", "OAK1"), ("F-ASH", "ASH1")), start=1):
        conn.execute("INSERT INTO passes (id, family_id, ref, secret_hash, valid_from,"
                     " valid_until, issued_at) VALUES (?, ?, ?, ?, ?, '2027-08-31', ?)",
                     (pass_id, fid, ref, secrets.token_hex(32), DAY, stamp))
        chains.append("admin", stamp, "cli", "pass.issued", f"pass:{ref}",
                      {"family_id": fid, "pass_id": pass_id, "valid_from": DAY,
                       "valid_until": "2027-08-31"})
    for checkin_id, (fid, pass_id, door, minute, result, code) in enumerate((
            ("F-OAK", 1, "North door", 31, "admitted", "admitted"),
            ("F-ASH", 2, "North door", 33, "admitted", "admitted"),
            (None, None, "door-2", 34, "refused", "unknown_pass"),
            ("F-OAK", 1, "door-2", 40, "re_entry", "re_entry")), start=1):
        at = f"{DAY}T17:{minute}:00+00:00"
        conn.execute("INSERT INTO checkins (id, event_id, family_id, pass_id, kiosk_id, at,"
                     " method, result, code, nonce) VALUES (?, 'nativity', ?, ?, ?, ?,"
                     " 'scanner', ?, ?, ?)", (checkin_id, fid, pass_id, door, at, result, code,
                                               f"n{checkin_id}"))
        chains.append(door, at, "scanner", f"checkin.{result}", f"checkin:{checkin_id}",
                      {"code": code, "event": "nativity", "family": fid is not None,
                       "method": "scanner", "party_size": None, "pass": pass_id},
                      {"family_id": fid} if fid else None, fid)
    logged, closed = f"{DAY}T18:30:00+00:00", f"{DAY}T18:50:00+00:00"
    conn.execute("INSERT INTO violations (id, event_id, at, kind, family_id, description,"
                 " action_taken, reported_by, status, outcome, closed_at) VALUES (1,"
                 " 'nativity', ?, 'filmed_other_children', 'F-ASH', 'Filmed the class',"
                 " 'asked_to_stop', 1, 'closed', 'Clip deleted.', ?)", (logged, closed))
    conn.execute("INSERT INTO violation_history (violation_id, at, staff_id, action, detail)"
                 " VALUES (1, ?, 1, 'created', 'Filmed other children'),"
                 " (1, ?, 2, 'closed', 'Clip deleted.')", (logged, closed))
    chains.append("North door", logged, "staff:1", "violation.logged", "violation:1",
                  {"action_taken": "asked_to_stop", "children": 0, "event": "nativity",
                   "family_linked": True, "item": None, "kind": "filmed_other_children",
                   "pass_linked": False},
                  {"description": "Filmed the class", "family_id": "F-ASH"}, "F-ASH")
    chains.append("office", closed, "staff:2", "violation.closed", "violation:1",
                  {"event": "nativity", "status": "closed"}, {"text": "Clip deleted."}, "F-ASH")


def build_first_release(path: Path) -> FirstRelease:
    """Write the first-release school at `path` (no key file beside it, as then)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        migrations.apply(Database(conn), stop_before=FIRST_RELEASE_STOP)
        chains = _Chains(conn)
        conn.execute("BEGIN")
        _school(conn, chains)
        conn.execute("COMMIT")
    return FirstRelease(path, {kiosk: seq for kiosk, (seq, _) in chains.heads.items()})
