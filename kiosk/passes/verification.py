"""Verify scanned text as a family pass: a stable code and a plain, non-personal message.

Read-only and fast (one unique-index look-up); it never raises on odd input, so a stray
QR code, a half-read code or a pasted novel all get a clear answer at the door.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from kiosk.passes.token import TokenFormatError, parse_token
from kiosk.store import Store

CheckCode = Literal[
    "ok", "not_a_pass", "malformed", "unknown_pass", "revoked", "expired", "not_yet_valid"
]

Advice = Literal["none", "try_again", "see_staff"]
"""What the holder should do next, as a code: nothing said, try again, or see staff."""

_REASONS: dict[CheckCode, tuple[str, Advice]] = {
    "ok": ("This family pass is valid.", "none"),
    "not_a_pass": ("This is not a family pass from this school.", "none"),
    "malformed": ("The pass code was not read properly.", "try_again"),
    "unknown_pass": ("This pass is not known here.", "see_staff"),
    "revoked": ("This pass has been cancelled.", "see_staff"),
    "expired": ("This pass has expired.", "see_staff"),
    "not_yet_valid": ("This pass is not valid yet.", "see_staff"),
}
_ADVICE_TEXT: dict[Advice, str] = {
    "none": "",
    "try_again": "Please try again.",
    "see_staff": "Please see a member of staff.",
}
ADVICE: dict[str, Advice] = {code: advice for code, (_, advice) in _REASONS.items()}
MESSAGES: dict[str, str] = {
    code: f"{reason} {_ADVICE_TEXT[advice]}".strip() for code, (reason, advice) in _REASONS.items()
}


@dataclass(frozen=True)
class PassCheck:
    """The answer for one scanned text; pass fields are None unless the pass was found."""

    code: CheckCode
    message: str
    pass_id: int | None = None
    family_id: str | None = None
    ref: str | None = None
    valid_until: str | None = None

    @property
    def ok(self) -> bool:
        """True only for a known, unrevoked pass inside its validity period."""
        return self.code == "ok"


def pass_state(row: Mapping[str, Any], today: date) -> CheckCode:
    """State of a found pass row on `today`: ok, revoked, not_yet_valid or expired."""
    if row["revoked_at"] is not None:
        return "revoked"
    day = (today.date() if isinstance(today, datetime) else today).isoformat()
    if day < row["valid_from"]:
        return "not_yet_valid"
    if day > row["valid_until"]:
        return "expired"
    return "ok"


def _as_text(text: str | bytes | bytearray | memoryview) -> str | None:
    """The scanned payload as text; None when bytes are not valid UTF-8 (not ours)."""
    if isinstance(text, str):
        return text
    try:
        return bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return None


def verify(text: str | bytes, store: Store, today: date) -> PassCheck:
    """Check scanned text against the passes in `store` on `today`; never raises on input."""
    payload = _as_text(text)
    if payload is None:
        return PassCheck("not_a_pass", MESSAGES["not_a_pass"])
    try:
        parsed = parse_token(payload)
    except TokenFormatError as error:
        code: CheckCode = "malformed" if error.code == "malformed" else "not_a_pass"
        return PassCheck(code, MESSAGES[code])
    wanted = parsed.secret_hash
    row = store.passes.by_secret_hash(wanted)
    if row is None or not hmac.compare_digest(row["secret_hash"], wanted):
        return PassCheck("unknown_pass", MESSAGES["unknown_pass"])
    state = pass_state(row, today)
    return PassCheck(
        state, MESSAGES[state], pass_id=row["id"], family_id=row["family_id"],
        ref=row["ref"], valid_until=row["valid_until"],
    )
