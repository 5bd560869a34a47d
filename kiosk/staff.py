"""Staff members: roles, argon2-hashed PINs, and signing in with back-off and lock-out.

Wrong PINs are counted in the database (staff.failed_attempts, last_failed_at, locked_at)
so a restart does not clear them. From the 3rd wrong PIN in a row, further attempts are
refused until a growing delay has passed (computed from the count and `now`: nothing
sleeps); the 10th locks the PIN until an admin resets it. Every attempt is audited,
never with the PIN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.audit import log as audit
from kiosk.audit.terms import UNKNOWN, Actor, Subject
from kiosk.errors import KioskError, NotFound, PermissionDenied
from kiosk.store import Store
from kiosk.store.rows import StaffRow

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
        if store.staff.by_name(name):
            raise StaffError(f"There is already a staff member called {name}.")
        staff_id = store.staff.insert(
            {"name": name, "role": role, "pin_hash": hash_pin(pin), "created_at": now.isoformat()}
        )
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="staff.added",
            subject=Subject.of("staff", staff_id), detail={"role": role},
        )
    return staff_id


_RANK = {Role.STEWARD: 0, Role.LEAD: 1, Role.HEADTEACHER: 2, Role.ADMIN: 3}


def has_role(role: str, minimum: Role) -> bool:
    """True when `role` is `minimum` or more trusted (admin outranks headteacher)."""
    return role in _RANK and _RANK[Role(role)] >= _RANK[minimum]


def require_role(store: Store, staff_id: int | None, minimum: Role) -> StaffRow:
    """Return the active staff row, or raise PermissionDenied if their role is too low.

    Services call this themselves, so a role check holds without the UI.
    """
    row = store.staff.get(staff_id) if staff_id is not None else None
    if row is None or not row["active"]:
        raise PermissionDenied("Only a signed-in member of staff can do this.")
    if not has_role(row["role"], minimum):
        raise PermissionDenied(f"Only a {minimum.value} or above can do this.")
    return row


BACKOFF_AFTER = 3
LOCK_AFTER = 10
BACKOFF_FIRST_SECONDS = 5
BACKOFF_MAX_SECONDS = 300


class SignInError(KioskError):
    """Signing in was refused; the message says what to do next."""

    def __init__(self, message: str, *, retry_after: float | None = None,
                 locked: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.locked = locked


@dataclass(frozen=True)
class StaffSession:
    """Who is signed in on this kiosk and since when (held by the UI, checked by services)."""

    staff_id: int
    name: str
    role: str
    signed_in_at: datetime

    def can(self, minimum: Role) -> bool:
        """True when this member's role is `minimum` or above (for showing keys only)."""
        return has_role(self.role, minimum)

    @property
    def actor(self) -> Actor:
        """The audit actor for this member."""
        return Actor.staff(self.staff_id)


def backoff_seconds(failed_attempts: int) -> int:
    """How long to refuse attempts after this many wrong PINs in a row (0 before the 3rd).

    5 s after the 3rd, doubling each time (10, 20, 40 ...), at most 5 minutes.
    """
    if failed_attempts < BACKOFF_AFTER:
        return 0
    return min(BACKOFF_FIRST_SECONDS * 2 ** (failed_attempts - BACKOFF_AFTER),
               BACKOFF_MAX_SECONDS)


def retry_after(row: StaffRow, now: datetime) -> float:
    """Seconds until this staff member may try a PIN again (0 when they may now)."""
    delay = backoff_seconds(row["failed_attempts"])
    if not delay or not row["last_failed_at"]:
        return 0.0
    allowed_at = datetime.fromisoformat(row["last_failed_at"]) + timedelta(seconds=delay)
    return max(0.0, (allowed_at - now).total_seconds())


def _wait_words(seconds: float) -> str:
    """'5 seconds', '1 minute 20 seconds': a delay a person reads at a glance."""
    whole = max(1, math.ceil(seconds))
    minutes, secs = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    if secs:
        parts.append(f"{secs} second" + ("s" if secs != 1 else ""))
    return " ".join(parts)


def _find(store: Store, staff_id_or_name: int | str) -> StaffRow | None:
    """The staff row for an id or a name (names are matched case-insensitively)."""
    if isinstance(staff_id_or_name, int):
        return store.staff.get(staff_id_or_name)
    return store.staff.by_name(staff_id_or_name.strip())


def _verify(pin_hash: str, pin: str) -> bool:
    """True when `pin` matches the stored argon2 hash."""
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    store: Store, staff_id_or_name: int | str, pin: str, *, now: datetime, kiosk_id: str
) -> StaffSession:
    """Check a PIN and return a session, or raise SignInError with a plain message.

    Refused without checking the PIN while locked or inside the back-off delay. The
    counters and the audit entry commit even when the attempt fails. The slow argon2
    check runs before the write transaction, so other kiosks' check-ins never wait on it;
    the counters are then read afresh inside the transaction.
    """
    before = _find(store, staff_id_or_name)
    checked: tuple[str, bool] | None = None
    if before and before["active"] and not before["locked_at"] and not retry_after(before, now):
        checked = (before["pin_hash"], _verify(before["pin_hash"], pin))
    with store.immediate():
        outcome = _sign_in(store, staff_id_or_name, pin, now=now, kiosk_id=kiosk_id,
                           checked=checked)
    if isinstance(outcome, SignInError):
        raise outcome
    return outcome


def _sign_in(
    store: Store, staff_id_or_name: int | str, pin: str, *, now: datetime, kiosk_id: str,
    checked: tuple[str, bool] | None,
) -> StaffSession | SignInError:
    """The session, or the error to raise once the caller's transaction has committed."""
    row = _find(store, staff_id_or_name)
    if row is None or not row["active"]:
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=UNKNOWN,
                     action="staff.sign_in", detail={"result": "unknown_staff"})
        return SignInError("There is no active staff member with that name.")
    failure = _attempt(store, row, pin, now=now, kiosk_id=kiosk_id, checked=checked)
    return failure or StaffSession(staff_id=row["id"], name=row["name"], role=row["role"],
                                   signed_in_at=now)


def _attempt(
    store: Store, row: StaffRow, pin: str, *, now: datetime, kiosk_id: str,
    checked: tuple[str, bool] | None,
) -> SignInError | None:
    """One attempt for a known member inside the caller's transaction; the error, or None.

    `checked` is (hash, matched) from a check made before the transaction; it is used
    only if the stored hash is still the same one (a PIN reset in between re-checks).
    """
    def record(result: str, attempts: int) -> None:
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(row["id"]),
                     action="staff.sign_in", subject=Subject.of("staff", row["id"]),
                     detail={"result": result, "failed_attempts": attempts})

    attempts = row["failed_attempts"]
    if row["locked_at"]:
        record("locked", attempts)
        return SignInError("This PIN is locked after too many wrong tries; "
                           "an admin must reset it.", locked=True)
    wait = retry_after(row, now)
    if wait > 0:
        record("too_soon", attempts)
        return SignInError(f"Too many wrong PINs: please wait {_wait_words(wait)} "
                           "before trying again.", retry_after=wait)
    if checked is not None and checked[0] == row["pin_hash"]:
        matched = checked[1]
    else:
        matched = _verify(row["pin_hash"], pin)
    if matched:
        new_hash = hash_pin(pin) if _hasher.check_needs_rehash(row["pin_hash"]) else None
        store.staff.record_sign_in(row["id"], new_hash)
        record("ok", 0)
        return None
    attempts += 1
    locked = attempts >= LOCK_AFTER
    store.staff.record_pin_failure(row["id"], attempts, now.isoformat(), locked=locked)
    record("locked_now" if locked else "wrong_pin", attempts)
    if locked:
        return SignInError(f"That PIN is now locked after {LOCK_AFTER} wrong tries; "
                           "an admin must reset it.", locked=True)
    delay = backoff_seconds(attempts)
    if delay:
        return SignInError(f"That PIN is not right. Please wait {_wait_words(delay)} "
                           "before trying again.", retry_after=float(delay))
    return SignInError("That PIN is not right. Please try again.")


def sign_out(
    store: Store, session: StaffSession, *, now: datetime, kiosk_id: str, reason: str
) -> None:
    """Record that staff mode was locked (lock key, idle time-out): audited, nothing else."""
    with store.immediate():
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=session.actor,
                     action="staff.sign_out", subject=Subject.of("staff", session.staff_id),
                     detail={"reason": reason})


def reset_pin(
    store: Store, name: str, new_pin: str, *, now: datetime, admin_id: int | None = None,
    actor: Actor | str = "cli", kiosk_id: str = "admin",
) -> None:
    """Give a staff member a new PIN and clear their wrong-PIN count and lock.

    From the kiosk, `admin_id` must be an admin; the command line (someone who holds the
    database file) acts as `actor`. Audited without the PIN.
    """
    if admin_id is not None:
        actor = Actor.staff(require_role(store, admin_id, Role.ADMIN)["id"])
    check_pin_format(new_pin)
    with store.immediate():
        row = get_staff(store, name)
        store.staff.set_pin_hash(row["id"], hash_pin(new_pin))
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action="staff.pin_reset",
                     subject=Subject.of("staff", row["id"]),
                     detail={"was_locked": bool(row["locked_at"]),
                             "failed_attempts": row["failed_attempts"]})


def get_staff(store: Store, name: str) -> StaffRow:
    """The staff row called `name`, or NotFound with a plain message."""
    row = store.staff.by_name(name.strip())
    if row is None:
        raise NotFound(f"There is no staff member called {name.strip()}.")
    return row


def active_staff_names(store: Store) -> list[str]:
    """Names of active staff, for the sign-in list (names only, no roles or counters)."""
    return [row["name"] for row in store.staff.all() if row["active"]]


def staff_overview(store: Store, *, now: datetime) -> list[dict[str, Any]]:
    """Every staff member with role and sign-in state, for `kiosk staff list` (no hashes)."""
    rows = []
    for row in store.staff.all():
        wait = retry_after(row, now)
        state = ("locked" if row["locked_at"] else
                 f"wait {_wait_words(wait)}" if wait else "ok")
        rows.append({
            "id": row["id"], "name": row["name"], "role": row["role"],
            "active": bool(row["active"]), "failed_attempts": row["failed_attempts"],
            "pin": state, "locked_at": row["locked_at"], "created_at": row["created_at"],
        })
    return rows
