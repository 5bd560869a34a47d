"""Staff members: roles and argon2-hashed PINs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from argon2 import PasswordHasher

from kiosk import audit
from kiosk.errors import KioskError
from kiosk.store import Store

_hasher = PasswordHasher()


class Role(StrEnum):
    """Staff roles, least to most trusted."""

    STEWARD = "steward"
    LEAD = "lead"
    HEADTEACHER = "headteacher"
    ADMIN = "admin"


class StaffError(KioskError):
    """A staff record could not be created or changed."""


def check_pin_format(pin: str) -> None:
    """A PIN is 4 to 8 digits: quick to type in a dark hall, hashed with argon2."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise StaffError("A PIN must be 4 to 8 digits.")


def hash_pin(pin: str) -> str:
    """The argon2 hash of a PIN (parameters are kept inside the hash)."""
    return _hasher.hash(pin)


def add_staff(
    store: Store, name: str, role: str, pin: str, *, now: datetime, actor: str = "cli",
    kiosk_id: str = "admin",
) -> int:
    """Add a staff member with a hashed PIN; audited without the PIN. Return the new id."""
    name = name.strip()
    if not name:
        raise StaffError("A staff member needs a name.")
    if role not in {r.value for r in Role}:
        raise StaffError(f"Role must be one of: {', '.join(r.value for r in Role)}.")
    check_pin_format(pin)
    with store.immediate():
        if store.staff_by_name(name):
            raise StaffError(f"There is already a staff member called {name}.")
        staff_id = store.insert_staff(
            {"name": name, "role": role, "pin_hash": hash_pin(pin), "created_at": now.isoformat()}
        )
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="staff.added",
            subject=f"staff:{staff_id}", detail={"role": role},
        )
    return staff_id
