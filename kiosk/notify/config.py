"""Change the e-mail settings (`smtp.*`): checked, audited by key, the password kept apart.

Addresses are checked so no setting can smuggle a header or a second recipient into a
message; the password goes only to the 0600 file beside the database (kiosk.notify.smtp).
"""

from __future__ import annotations

import re
from datetime import datetime, time
from email.utils import parseaddr
from typing import Any

from kiosk.audit import log as audit
from kiosk.notify.outbox import utc
from kiosk.notify.smtp import KEYS, SECURITY, NotifyError, save_password, secret_path
from kiosk.store import Store

_HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$")
ADDRESS_KEYS = ("from", "headteacher", "deputy")
MAX_PASSWORD = 1024


def _address(value: str) -> str:
    _, address = parseaddr(value)
    if any(c in value for c in "\r\n,;") or "@" not in address or " " in address:
        raise NotifyError(f"{value!r} is not one e-mail address (like head@school.example).")
    return value.strip()


def check_setting(key: str, value: str) -> str:
    """The value to store for `smtp.<key>`, or NotifyError saying what is wrong."""
    value = value.strip()
    if key not in KEYS:
        raise NotifyError(f"Unknown setting smtp.{key}: use one of "
                          + ", ".join(f"smtp.{k}" for k in (*KEYS, "password")) + ".")
    if key == "host" and not _HOST.match(value):
        raise NotifyError("smtp.host must be a host name like smtp.office365.com.")
    if key == "port" and not (value.isdigit() and 0 < int(value) < 65536):
        raise NotifyError("smtp.port must be a number from 1 to 65535 (587, 465 or 25).")
    if key == "security" and value not in SECURITY:
        raise NotifyError(f"smtp.security must be one of: {', '.join(SECURITY)}.")
    if key in ADDRESS_KEYS and not (key == "deputy" and value == ""):
        value = _address(value)
    if key == "username" and (not value or any(c in value for c in "\r\n")):
        raise NotifyError("smtp.username must be one line of text.")
    if key == "digest_at":
        try:
            value = time.fromisoformat(value).strftime("%H:%M")
        except ValueError as error:
            raise NotifyError("smtp.digest_at must be a time like 07:30.") from error
    return value


def set_smtp(store: Store, key: str, value: str, *, now: datetime, actor: str = "cli",
             kiosk_id: str = "admin") -> str:
    """Check and store one `smtp.*` setting (not the password); audited with its key only.

    Waiting messages become due at once, so a fixed setting is tried straight away.
    """
    stored = check_setting(key, value)
    with store.immediate():
        store.settings.set(f"smtp.{key}", stored)
        store.outbox.retry_now(utc(now))
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action="settings.changed",
                     subject=f"setting:smtp.{key}", detail={"key": f"smtp.{key}"})
    return stored


def set_password(store: Store, password: str, *, now: datetime, actor: str = "cli",
                 kiosk_id: str = "admin") -> None:
    """Keep the SMTP password in its 0600 file beside the database; audited, never shown."""
    password = password.rstrip("\r\n")
    if not password or len(password) > MAX_PASSWORD or any(c in password for c in "\r\n"):
        raise NotifyError("The password must be one non-empty line.")
    save_password(store, password)
    store.outbox.retry_now(utc(now))
    audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action="settings.changed",
                 subject="setting:smtp.password", detail={"key": "smtp.password"})


def smtp_overview(store: Store) -> list[dict[str, Any]]:
    """Every `smtp.*` setting for display; the password only as set / not set."""
    rows = [{"setting": f"smtp.{k}", "value": store.settings.get(f"smtp.{k}") or ""}
            for k in KEYS]
    path = secret_path(store)
    rows.append({"setting": "smtp.password",
                 "value": f"set (in {path.name})" if path.exists() else "not set"})
    return rows
