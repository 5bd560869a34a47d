"""Staff members: roles, peppered argon2 PINs, signing in, leavers and role changes.

Wrong PINs are counted per member and kiosk in the database (kiosk.pins has the capped
back-off), so a restart does not clear them and a stranger at one door locks nobody out
of the others. Every attempt and change is audited, never with the PIN. The UI holds a
StaffSession and asks `session_ended` before each staff action: a member deactivated,
re-roled or locked on that kiosk meanwhile is signed out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit.terms import UNKNOWN, Actor, Subject
from kiosk.errors import KioskError, NotFound, PermissionDenied
from kiosk.pins import (
    LOCK_AFTER,
    check_pin_format,
    hash_pin,
    locked_until,
    needs_rehash,
    pin_matches,
    retry_after,
    wait_words,
)
from kiosk.store import Store
from kiosk.store.rows import StaffRow


class Role(StrEnum):
    """Staff roles, least to most trusted."""

    STEWARD = "steward"
    LEAD = "lead"
    HEADTEACHER = "headteacher"
    ADMIN = "admin"


class StaffError(KioskError):
    """A staff record could not be created or changed."""


_RANK = {Role.STEWARD: 0, Role.LEAD: 1, Role.HEADTEACHER: 2, Role.ADMIN: 3}


def _role(role: str) -> Role:
    """The Role named `role`, or StaffError listing the choices."""
    if role not in {r.value for r in Role}:
        raise StaffError(f"Role must be one of: {', '.join(r.value for r in Role)}.")
    return Role(role)


def a_role(role: Role) -> str:
    """'a lead', 'an admin': the role with its article, for plain sentences."""
    return ("an " if role.value[0] in "aeiou" else "a ") + role.value


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
        raise PermissionDenied(f"Only {a_role(minimum)} or above can do this.")
    return row


def first_admin_free(store: Store, role: str) -> bool:
    """True when an admin is added while nobody has a PIN this release can check.

    Someone has to be first: the one who sets the school up adds the first admin without
    a PIN (an empty database, or one just upgraded from the first release, whose PINs
    no longer sign in); every later change needs an admin's PIN.
    """
    return role == Role.ADMIN and store.staff.count_with_pins() == 0


def add_staff(
    store: Store, name: str, role: str, pin: str, *, now: datetime,
    actor: Actor | str = "cli", kiosk_id: str = "admin",
) -> int:
    """Add a staff member with a peppered, hashed PIN; audited without it. Return the id."""
    name = name.strip()
    if not name:
        raise StaffError("A staff member needs a name.")
    _role(role)
    check_pin_format(pin)
    pin_hash = hash_pin(store.keys, pin)
    with store.immediate():
        if store.staff.by_name(name):
            raise StaffError(f"There is already a staff member called {name}.")
        staff_id = store.staff.insert(
            {"name": name, "role": role, "pin_hash": pin_hash, "created_at": now.isoformat()}
        )
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="staff.added",
            subject=Subject.of("staff", staff_id), detail={"role": role},
        )
    return staff_id


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
    kiosk_id: str = "admin"

    def can(self, minimum: Role) -> bool:
        """True when this member's role is `minimum` or above (for showing keys only)."""
        return has_role(self.role, minimum)

    @property
    def actor(self) -> Actor:
        """The audit actor for this member."""
        return Actor.staff(self.staff_id)


def _find(store: Store, staff_id_or_name: int | str) -> StaffRow | None:
    """The staff row for an id or a name (names are matched case-insensitively)."""
    if isinstance(staff_id_or_name, int):
        return store.staff.get(staff_id_or_name)
    return store.staff.by_name(staff_id_or_name.strip())


def authenticate(
    store: Store, staff_id_or_name: int | str, pin: str, *, now: datetime, kiosk_id: str
) -> StaffSession:
    """Check a PIN on one kiosk and return a session, or raise SignInError (plain message).

    Refused without checking the PIN while that name is inside its back-off on this kiosk.
    The counters and the audit entry commit even when the attempt fails. The slow argon2
    check runs before the write transaction, so other kiosks' check-ins never wait on it.
    """
    before = _find(store, staff_id_or_name)
    checked: tuple[str, bool] | None = None
    if before and before["active"] and not retry_after(
            store.staff.attempts(before["id"], kiosk_id), now):
        checked = (before["pin_hash"], pin_matches(store.keys, before["pin_hash"], pin))
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
                                   signed_in_at=now, kiosk_id=kiosk_id)


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

    streak = store.staff.attempts(row["id"], kiosk_id)
    attempts = streak["failed_attempts"] if streak else 0
    wait = retry_after(streak, now)
    if wait > 0:
        locked = attempts >= LOCK_AFTER
        record("locked" if locked else "too_soon", attempts)
        return SignInError(
            (f"This name is locked on this kiosk after {LOCK_AFTER} wrong PINs: try again in"
             f" {wait_words(wait)}, or at another kiosk.") if locked else
            f"Too many wrong PINs: please wait {wait_words(wait)} before trying again.",
            retry_after=wait, locked=locked)
    if checked is not None and checked[0] == row["pin_hash"]:
        matched = checked[1]
    else:
        matched = pin_matches(store.keys, row["pin_hash"], pin)
    if matched:
        new_hash = hash_pin(store.keys, pin) if needs_rehash(row["pin_hash"]) else None
        store.staff.record_sign_in(row["id"], new_hash)
        store.staff.clear_attempts(row["id"], kiosk_id)
        record("ok", 0)
        return None
    attempts += 1
    until = locked_until(attempts, now)
    store.staff.record_failure(row["id"], kiosk_id, attempts, now.isoformat(), until)
    record("locked_now" if until else "wrong_pin", attempts)
    wait = retry_after(store.staff.attempts(row["id"], kiosk_id), now)
    if until:
        return SignInError(f"That PIN is not right, and this name is now locked on this kiosk"
                           f" for {wait_words(wait)} (other kiosks still work).",
                           retry_after=wait, locked=True)
    if wait:
        return SignInError(f"That PIN is not right. Please wait {wait_words(wait)} "
                           "before trying again.", retry_after=wait)
    return SignInError("That PIN is not right. Please try again.")


def session_ended(store: Store, session: StaffSession, *, now: datetime) -> str | None:
    """Why an open session must end now (one plain sentence), or None while it holds.

    Ends when the member was deactivated, their role changed, or their name was locked
    on this session's kiosk after they signed in.
    """
    row = store.staff.get(session.staff_id)
    if row is None or not row["active"]:
        return "Your staff account was deactivated, so staff mode has been locked."
    if row["role"] != session.role:
        return "Your role was changed, so please sign in again."
    streak = store.staff.attempts(session.staff_id, session.kiosk_id)
    if (streak and streak["locked_until"] and retry_after(streak, now) > 0
            and streak["last_failed_at"] >= session.signed_in_at.isoformat()):
        return "Your name was locked on this kiosk after wrong PINs, so please sign in again."
    return None


def session_valid(store: Store, session: StaffSession, *, now: datetime) -> bool:
    """True while the session still holds (see `session_ended` for the reason when not)."""
    return session_ended(store, session, now=now) is None


def sign_out(
    store: Store, session: StaffSession, *, now: datetime, kiosk_id: str, reason: str
) -> None:
    """Record that staff mode was locked (lock key, idle time-out): audited, nothing else."""
    with store.immediate():
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=session.actor,
                     action="staff.sign_out", subject=Subject.of("staff", session.staff_id),
                     detail={"reason": reason})


def _admin_actor(store: Store, admin_id: int | None, actor: Actor | str) -> Actor | str:
    """The admin acting (checked), or the given actor when no admin id is named."""
    if admin_id is not None:
        return Actor.staff(require_role(store, admin_id, Role.ADMIN)["id"])
    return actor


def reset_pin(
    store: Store, name: str, new_pin: str, *, now: datetime, admin_id: int | None = None,
    actor: Actor | str = "cli", kiosk_id: str = "admin",
) -> None:
    """Give a staff member a new PIN and clear their wrong-PIN streaks on every kiosk.

    `admin_id` (from staff mode or the CLI's --staff) must be an admin. Audited without
    the PIN.
    """
    actor = _admin_actor(store, admin_id, actor)
    check_pin_format(new_pin)
    pin_hash = hash_pin(store.keys, new_pin)
    with store.immediate():
        row = get_staff(store, name)
        streaks = store.staff.all_attempts(row["id"])
        store.staff.set_pin_hash(row["id"], pin_hash)
        store.staff.clear_attempts(row["id"])
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action="staff.pin_reset",
                     subject=Subject.of("staff", row["id"]),
                     detail={"was_locked": any(s["locked_until"] for s in streaks),
                             "failed_attempts": max(
                                 (s["failed_attempts"] for s in streaks), default=0)})


def _keep_an_admin(store: Store, row: StaffRow) -> None:
    """Refuse to remove the last active admin (nobody could manage staff after)."""
    if row["role"] == Role.ADMIN and row["active"] and store.staff.count_admins() <= 1:
        raise StaffError(f"{row['name']} is the only admin; make someone else an admin first.")


def deactivate_staff(
    store: Store, name: str, *, now: datetime, admin_id: int, kiosk_id: str = "admin"
) -> None:
    """Deactivate a leaver: they can no longer sign in and their open session ends."""
    actor = _admin_actor(store, admin_id, "cli")
    with store.immediate():
        row = get_staff(store, name)
        if not row["active"]:
            raise StaffError(f"{row['name']} is already deactivated.")
        _keep_an_admin(store, row)
        store.staff.set_active(row["id"], False)
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor,
                     action="staff.deactivated", subject=Subject.of("staff", row["id"]),
                     detail={"role": row["role"]})


def set_role(
    store: Store, name: str, role: str, *, now: datetime, admin_id: int,
    kiosk_id: str = "admin",
) -> None:
    """Change a member's role (audited with the old and new role); their session ends."""
    actor = _admin_actor(store, admin_id, "cli")
    new = _role(role)
    with store.immediate():
        row = get_staff(store, name)
        if row["role"] == new:
            raise StaffError(f"{row['name']} is already a {new.value}.")
        if new != Role.ADMIN:
            _keep_an_admin(store, row)
        store.staff.set_role(row["id"], new.value)
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor,
                     action="staff.role_changed", subject=Subject.of("staff", row["id"]),
                     detail={"from": row["role"], "to": new.value})


def get_staff(store: Store, name: str) -> StaffRow:
    """The staff row called `name`, or NotFound with a plain message."""
    row = store.staff.by_name(name.strip())
    if row is None:
        raise NotFound(f"There is no staff member called {name.strip()}.")
    return row


def active_staff_names(store: Store) -> list[str]:
    """Names of active staff, for a sign-in list shown to staff only (names, no roles)."""
    return [row["name"] for row in store.staff.all() if row["active"]]


def staff_overview(store: Store, *, now: datetime) -> list[dict[str, Any]]:
    """Every staff member with role and sign-in state, for `kiosk staff list` (no hashes).

    `pin` is "ok", or the kiosks where the name is waiting or locked now.
    """
    rows = []
    for row in store.staff.all():
        states = []
        worst = 0
        for streak in store.staff.all_attempts(row["id"]):
            worst = max(worst, streak["failed_attempts"])
            wait = retry_after(streak, now)
            if wait:
                kind = "locked" if streak["failed_attempts"] >= LOCK_AFTER else "wait"
                states.append(f"{kind} {wait_words(wait)} on {streak['kiosk_id']}")
        rows.append({
            "id": row["id"], "name": row["name"], "role": row["role"],
            "active": bool(row["active"]), "failed_attempts": worst,
            "pin": "; ".join(states) or "ok", "created_at": row["created_at"],
        })
    return rows
