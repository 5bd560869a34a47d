"""Settings that come from outside: database path, kiosk id (flag, environment, default)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

ENV_DB = "KIOSK_DB"
ENV_KIOSK_ID = "KIOSK_ID"
ENV_TABLET = "KIOSK_TABLET"  # "1": kiosk serve runs this door app for a tablet's page


def data_dir() -> Path:
    """Per-user data folder (XDG_DATA_HOME/kiosk, else ~/.local/share/kiosk)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kiosk"


def resolve_db_path(flag: str | os.PathLike[str] | None = None) -> Path:
    """The database path: `--db` first, then $KIOSK_DB, then the per-user default."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return data_dir() / "kiosk.db"


def demo_db_path() -> Path:
    """The demo school lives in its own file so it never mixes with real data."""
    return data_dir() / "demo.db"


def default_kiosk_id(flag: str | None = None) -> str:
    """Name of this door/kiosk in check-ins and the audit chain: flag, $KIOSK_ID, host name."""
    return flag or os.environ.get(ENV_KIOSK_ID) or socket.gethostname() or "kiosk"


DOOR_CHANGE_MINUTES = 10
"""A pass used again at another door within this many minutes is a quiet notice to staff."""
