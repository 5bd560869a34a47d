"""Which browsers are doors: one-time pairing codes, then a signed cookie bound to a door.

A printed door link carries a one-time code. Opening it pairs that browser: the hub records
a new pairing for the door and sets a cookie `door_id.pairing_id.signature` (HMAC-SHA256
with a key kept in a 0600 file beside the database, never in it). A cookie is good only
while its pairing is on record, so an unpaired tablet's copied cookie gets no door, and a
forged one fails the signature. Pairings live in a small 0600 JSON file so they survive a
hub restart; `kiosk serve doors|rename|unpair` edit it (the running hub rereads it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError, NotFound
from kiosk.security.files import write_private

KEY_FILE = "cookie.key"
DOORS_FILE = "doors.json"
BOARD = "board"
DOOR = "door"
MAX_NAME = 40


class PairingError(KioskError):
    """A door name or pairing request that cannot be honoured."""


@dataclass(frozen=True)
class Door:
    """A door (or the board) the hub serves: a stable id, its name (the kiosk id), pairings."""

    id: str
    name: str
    kind: str
    pairings: dict[str, str]  # pairing id -> when it was made (ISO time)


def hub_folder(db_path: Path) -> Path:
    """The hub's private folder beside the database (keys, certificates, pairings)."""
    folder = db_path.expanduser().resolve().parent / f"{db_path.stem}-hub"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def clean_name(name: str) -> str:
    """A door name as it will appear in check-ins: printable, trimmed, not too long."""
    text = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    if not text:
        raise PairingError("A door needs a name.")
    if len(text) > MAX_NAME:
        raise PairingError(f"A door name can be at most {MAX_NAME} characters.")
    return text


class PairingStore:
    """The hub's doors and pairings, kept in `folder` (0600 files)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DOORS_FILE
        key_path = folder / KEY_FILE
        if not key_path.exists():
            write_private(key_path, secrets.token_bytes(32))
        self._key = key_path.read_bytes()
        self._doors: dict[str, Door] = {}
        self._mtime = -1.0
        self._codes: dict[str, str] = {}  # sha256 of an unused pairing code -> door id
        self._reload()

    # --- file ---------------------------------------------------------------------

    def _reload(self) -> None:
        """Reread the file when another process (`kiosk serve rename`) changed it."""
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            self._doors, self._mtime = {}, -1.0
            return
        if mtime == self._mtime:
            return
        try:
            raw: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
            self._doors = {
                door_id: Door(door_id, str(d["name"]), str(d.get("kind", DOOR)),
                              {str(k): str(v) for k, v in d.get("pairings", {}).items()})
                for door_id, d in raw.get("doors", {}).items()
            }
        except (ValueError, KeyError, AttributeError, TypeError) as error:
            raise PairingError(f"The hub's door list {self.path} is damaged ({error}).") from error
        self._mtime = mtime

    def _save(self) -> None:
        data = {"doors": {d.id: {"name": d.name, "kind": d.kind, "pairings": d.pairings}
                          for d in self._doors.values()}}
        write_private(self.path, json.dumps(data, indent=1, sort_keys=True).encode())
        self._mtime = self.path.stat().st_mtime

    # --- doors --------------------------------------------------------------------

    def doors(self) -> list[Door]:
        """Every door and the board, doors first, by name."""
        self._reload()
        return sorted(self._doors.values(), key=lambda d: (d.kind != DOOR, d.name.casefold()))

    def find(self, name: str) -> Door:
        """The door called `name` (any case)."""
        self._reload()
        for door in self._doors.values():
            if door.name.casefold() == clean_name(name).casefold():
                return door
        raise NotFound(f"No door called {name!r} (see `kiosk serve doors`).")

    def ensure(self, name: str, kind: str = DOOR) -> Door:
        """The door called `name`, added if the hub has none by that name."""
        try:
            door = self.find(name)
        except NotFound:
            door = Door(secrets.token_hex(8), clean_name(name), kind, {})
            self._doors[door.id] = door
            self._save()
            return door
        if door.kind != kind:
            raise PairingError(f"{door.name!r} is already the name of the board or a door.")
        return door

    def rename(self, old: str, new: str) -> Door:
        """Give a door a new name (its pairings stay; new check-ins carry the new name)."""
        door = self.find(old)
        name = clean_name(new)
        if any(d.name.casefold() == name.casefold() and d.id != door.id for d in self.doors()):
            raise PairingError(f"There is already a door called {name!r}.")
        renamed = Door(door.id, name, door.kind, door.pairings)
        self._doors[door.id] = renamed
        self._save()
        return renamed

    def unpair(self, name: str) -> int:
        """Forget every tablet paired to this door; returns how many there were."""
        door = self.find(name)
        self._doors[door.id] = Door(door.id, door.name, door.kind, {})
        self._save()
        return len(door.pairings)

    # --- pairing ------------------------------------------------------------------

    def new_code(self, door: Door) -> str:
        """A fresh one-time pairing code for `door` (kept hashed, in this process only)."""
        code = secrets.token_urlsafe(18)
        self._codes[_digest(code)] = door.id
        return code

    def pair(self, code: str) -> tuple[Door, str]:
        """Spend a pairing code: a new pairing for its door and the cookie value for it."""
        self._reload()
        door_id = self._codes.pop(_digest(code), None)
        door = self._doors.get(door_id or "")
        if door is None:
            raise PairingError("This door link has been used already or is not from this hub.")
        pairing_id = secrets.token_hex(12)
        pairings = dict(door.pairings)
        pairings[pairing_id] = datetime.now(UTC).isoformat(timespec="seconds")
        self._doors[door.id] = Door(door.id, door.name, door.kind, pairings)
        self._save()
        return self._doors[door.id], self.sign(door.id, pairing_id)

    def sign(self, door_id: str, pairing_id: str) -> str:
        """The cookie value for one pairing."""
        text = f"{door_id}.{pairing_id}".encode("utf-8", "surrogatepass")
        mac = hmac.new(self._key, text, hashlib.sha256)
        return f"{door_id}.{pairing_id}.{mac.hexdigest()}"

    def door_for(self, cookie: str | None) -> Door | None:
        """The door a cookie is paired to, or None (missing, forged, or unpaired since)."""
        if not cookie or len(cookie) > 200:
            return None
        parts = cookie.split(".")
        if len(parts) != 3:
            return None
        door_id, pairing_id, _ = parts
        expected = self.sign(door_id, pairing_id).encode("utf-8", "surrogatepass")
        if not hmac.compare_digest(expected, cookie.encode("utf-8", "surrogatepass")):
            return None
        self._reload()
        door = self._doors.get(door_id)
        if door is None or pairing_id not in door.pairings:
            return None
        return door


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()
