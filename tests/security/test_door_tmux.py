"""The real door in a real terminal (tmux): no key a visitor can press leaves it.

Pilot tests (tests/ui/test_lockdown.py) drive the app; this one starts `kiosk run` as a
kiosk would, sends Ctrl+Q, Ctrl+C, Ctrl+\\, Ctrl+Z, Ctrl+D, q and Escape through the
terminal, and then sees the app still answer F2 with the staff sign-in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.store import open_store
from support.staff_school import build_school, quick_hashes

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
ROOT = Path(__file__).resolve().parents[2]
WAIT_LIMIT = 30.0


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def door(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`kiosk run` of a small school in a detached tmux session; its name."""
    quick_hashes(monkeypatch)
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    build_school(store, datetime.now(UTC))
    store.close()
    session = f"kiosk-door-{os.getpid()}"
    command = (f"PYTHONPATH={ROOT} {sys.executable} -m kiosk run --event nativity"
               f" --db {path} --kiosk-id door-1 --quiet")
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    _tmux("set-option", "-t", session, "remain-on-exit", "on")
    try:
        yield session
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _wait_for(session: str, text: str) -> str:
    """The screen once it shows `text` (fails after WAIT_LIMIT seconds or if the app ended)."""
    deadline = time.monotonic() + WAIT_LIMIT
    while True:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        dead = _tmux("list-panes", "-t", session, "-F", "#{pane_dead}").strip()
        assert dead == "0", f"the door app ended:\n{screen}"
        assert time.monotonic() < deadline, f"no {text!r} on the screen:\n{screen}"
        time.sleep(0.1)


def test_no_key_in_a_real_terminal_leaves_the_door(door: str) -> None:
    _wait_for(door, "Please scan your pass")
    for key in ("C-q", "C-c", "C-\\", "C-z", "C-d", "q", "Escape"):
        _tmux("send-keys", "-t", door, key)
    _tmux("send-keys", "-t", door, "F2")
    _wait_for(door, "Staff sign-in")  # the keys before it were read, and it still runs
    assert _tmux("list-panes", "-t", door, "-F", "#{pane_dead}").strip() == "0"
