"""Keys kept outside the database file: the PIN pepper and the audit chain's HMAC key.

A copy of the database alone (a backup, a stolen file) must not let anyone test PINs offline
or recompute the audit chain after editing it, so both keys live in a 0600 file beside the
database (`kiosk.db` -> `kiosk.db.keys`), created with the database and never put in a
backup of it. Losing the file locks nobody out for ever (an admin resets PINs) but the audit
chain can no longer be authenticated: keep a copy of it somewhere safe, apart from backups.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.security.files import write_private

KEY_BYTES = 32
SUFFIX = ".keys"


class KeysUnavailable(KioskError):
    """The key file is missing or damaged, so PINs and the audit chain cannot be checked."""


@dataclass(frozen=True)
class Keys:
    """The two secrets: `pepper` for PIN hashes, `audit` for the chain's HMAC."""

    pepper: bytes
    audit: bytes

    def pepper_pin(self, pin: str) -> str:
        """The PIN mixed with the pepper (what argon2 hashes), as hex text."""
        return hmac.new(self.pepper, pin.encode("utf-8"), hashlib.sha256).hexdigest()

    def sign(self, text: str) -> str:
        """HMAC-SHA256 of `text` under the audit key, as hex."""
        return hmac.new(self.audit, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def signed(self, text: str, mac: str) -> bool:
        """True when `mac` is the audit key's HMAC of `text` (compared in constant time)."""
        return hmac.compare_digest(self.sign(text), mac)


def new_keys() -> Keys:
    """Fresh random keys (for a new key file, or an in-memory database that has none)."""
    return Keys(secrets.token_bytes(KEY_BYTES), secrets.token_bytes(KEY_BYTES))


def key_path(db_path: Path | str) -> Path:
    """Where the keys of the database at `db_path` live."""
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def load_keys(db_path: Path | str, *, create: bool = False) -> Keys:
    """Read the database's keys; with `create`, make them first when there are none."""
    path = key_path(db_path)
    if not path.exists():
        if not create:
            raise KeysUnavailable(
                f"The key file {path} is missing, so PINs and the audit log cannot be checked;"
                " put back your safe copy of it."
            )
        made = new_keys()
        write_private(path, json.dumps({"pepper": made.pepper.hex(), "audit": made.audit.hex()}))
        return made
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        keys = Keys(bytes.fromhex(stored["pepper"]), bytes.fromhex(stored["audit"]))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise KeysUnavailable(
            f"The key file {path} could not be read (it may be damaged); put back your safe"
            " copy of it."
        ) from error
    if len(keys.pepper) != KEY_BYTES or len(keys.audit) != KEY_BYTES:
        raise KeysUnavailable(f"The key file {path} is damaged; put back your safe copy of it.")
    return keys
