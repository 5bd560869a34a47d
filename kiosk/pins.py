"""PINs: their shape, their peppered argon2 hash, and the capped back-off after wrong ones.

A PIN is 6 to 12 digits (NIST SP 800-63B's minimum). argon2 hashes the PIN mixed with an
HMAC pepper from the key file beside the database (kiosk.security.keys), so a copy of the
database alone cannot be used to try the million PINs offline. Wrong PINs are counted per
staff member and kiosk: from the 3rd in a row a growing delay applies, from the 10th the
name is locked on that kiosk for LOCK_SECONDS, never for good, so a stranger at one door
cannot lock anybody out of the others, nor for the night.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.errors import KioskError
from kiosk.security.keys import Keys

MIN_DIGITS = 6
MAX_DIGITS = 12
BACKOFF_AFTER = 3
LOCK_AFTER = 10
BACKOFF_FIRST_SECONDS = 5
BACKOFF_MAX_SECONDS = 300
LOCK_SECONDS = 900

_hasher = PasswordHasher()


class PinError(KioskError):
    """A PIN of the wrong shape."""


def check_pin_format(pin: str) -> None:
    """Refuse a PIN that is not 6 to 12 digits, with a plain sentence."""
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        raise PinError(f"A PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits"
                       " (shorter ones are too easy to guess).")


def hash_pin(keys: Keys, pin: str) -> str:
    """The argon2 hash of the peppered PIN (argon2's parameters are kept inside the hash)."""
    return _hasher.hash(keys.pepper_pin(pin))


def pin_matches(keys: Keys, pin_hash: str, pin: str) -> bool:
    """True when `pin` (peppered) matches the stored hash."""
    try:
        return _hasher.verify(pin_hash, keys.pepper_pin(pin))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(pin_hash: str) -> bool:
    """True when the hash was made with weaker argon2 parameters than today's."""
    try:
        return _hasher.check_needs_rehash(pin_hash)
    except InvalidHashError:
        return False


def backoff_seconds(failed_attempts: int) -> int:
    """How long one kiosk refuses a name after this many wrong PINs in a row.

    0 before the 3rd; 5 s after it, doubling (10, 20 ...) up to 5 minutes; from the 10th
    the name is locked on that kiosk for 15 minutes, and never longer.
    """
    if failed_attempts < BACKOFF_AFTER:
        return 0
    if failed_attempts >= LOCK_AFTER:
        return LOCK_SECONDS
    return min(BACKOFF_FIRST_SECONDS * 2 ** (failed_attempts - BACKOFF_AFTER),
               BACKOFF_MAX_SECONDS)


def retry_after(streak: dict[str, Any] | None, now: datetime) -> float:
    """Seconds until this streak lets the name try again on its kiosk (0 when it may now)."""
    if not streak or not streak["last_failed_at"]:
        return 0.0
    delay = backoff_seconds(streak["failed_attempts"])
    allowed_at = datetime.fromisoformat(streak["last_failed_at"]) + timedelta(seconds=delay)
    return max(0.0, (allowed_at - now).total_seconds())


def locked_until(failed_attempts: int, now: datetime) -> str | None:
    """When a streak of this length stops locking the name, or None below the lock."""
    if failed_attempts < LOCK_AFTER:
        return None
    return (now + timedelta(seconds=LOCK_SECONDS)).isoformat()


def wait_words(seconds: float) -> str:
    """'5 seconds', '1 minute 20 seconds': a delay a person reads at a glance."""
    whole = max(1, math.ceil(seconds))
    minutes, secs = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    if secs:
        parts.append(f"{secs} second" + ("s" if secs != 1 else ""))
    return " ".join(parts)
