"""Staff members: roles and argon2-hashed PINs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from argon2 import PasswordHasher

from kiosk import audit
from kiosk.errors import KioskError, PermissionDenied
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


_RANK = {Role.STEWARD: 0, Role.LEAD: 1, Role.HEADTEACHER: 2, Role.ADMIN: 3}


def has_role(role: str, minimum: Role) -> bool:
    """True when `role` is `minimum` or more trusted (admin outranks headteacher)."""
    return role in _RANK and _RANK[Role(role)] >= _RANK[minimum]


def require_role(store: Store, staff_id: int | None, minimum: Role) -> dict:
    """Return the active staff row, or raise PermissionDenied if their role is too low.

    Services call this themselves, so a role check holds without the UI.
    """
    row = store.staff_member(staff_id) if staff_id is not None else None
    if row is None or not row["active"]:
        raise PermissionDenied("Only a signed-in member of staff can do this.")
    if not has_role(row["role"], minimum):
        raise PermissionDenied(f"Only a {minimum.value} or above can do this.")
    return row
