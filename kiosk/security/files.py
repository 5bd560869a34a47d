"""Private files: what the kiosk writes with children's data or a pass token is 0600 in 0700.

Files are written without following symlinks: the bytes go to a new file opened with
O_CREAT | O_EXCL | O_NOFOLLOW beside the target, are synced, then renamed over the target.
A symlink planted at the target is replaced, never written through; a symlink planted as
the folder is refused.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from kiosk.errors import KioskError

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700


class UnsafePath(KioskError):
    """A path the kiosk refuses to write: a symlinked folder, or not a folder at all."""


def private_umask() -> int:
    """Make every file and folder this process creates private to its user; return the old."""
    return os.umask(PRIVATE_UMASK)


def private_folder(path: Path | str) -> Path:
    """Create `path` (and missing parents) as 0700 folders; refuse a symlink or a file there."""
    folder = Path(path)
    missing = []
    probe = folder
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    try:
        for created in reversed(missing):
            os.mkdir(created, FOLDER_MODE)
    except OSError as error:
        raise UnsafePath(
            f"The folder {folder} could not be created ({error.strerror or error})."
        ) from error
    found = os.lstat(folder)
    if stat.S_ISLNK(found.st_mode):
        raise UnsafePath(f"{folder} is a symbolic link; the kiosk writes only to real folders.")
    if not stat.S_ISDIR(found.st_mode):
        raise UnsafePath(f"{folder} is not a folder.")
    return folder


def write_private(path: Path | str, data: bytes | str) -> Path:
    """Write `data` to `path` as a 0600 file, atomically and without following symlinks."""
    target = Path(path)
    private_folder(target.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(temp, flags, FILE_MODE)
    except OSError as error:
        raise UnsafePath(
            f"{target} could not be written ({error.strerror or error})."
        ) from error
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise UnsafePath(f"{target} could not be written ({error.strerror or error}).") from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def make_private(path: Path | str) -> None:
    """Set a file another library wrote (SQLite, a PDF writer) to 0600, if it is a real file."""
    target = Path(path)
    if target.is_file() and not target.is_symlink():
        target.chmod(FILE_MODE)
