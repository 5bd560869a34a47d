"""One app process per paired browser: the door app or the stage board, over textual-serve.

textual-serve's AppService speaks the protocol between the page's terminal and a Textual app
run with the web driver. It starts apps through a shell; here the command is an argument
list (a door name is never parsed by a shell), and the app's first output is reported so
the hub knows when the door screen can take a scan.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from kiosk.config import ENV_TABLET
from kiosk.serve.pairing import BOARD, Door

PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"
SCAN_PREFIX = "kiosk-scan:"  # read by kiosk.ui.paste
CAMERA_PREFIX = "kiosk-camera:"  # read by kiosk.ui.paste: "on" or "off"
QUIT_WAIT_S = 5.0  # an app that has not quit by then is killed


def app_argv(door: Door, db_path: Path, event_id: str) -> list[str]:
    """The command that runs this door's app (kiosk id = door name) or the board."""
    base = [sys.executable, "-m", "kiosk", "--db", str(db_path)]
    if door.kind == BOARD:
        return [*base, "board", "--event", event_id]
    return [*base, "run", "--event", event_id, "--kiosk-id", door.name]


def scan_paste(nonce: str, code: str) -> bytes:
    """A camera scan as the bracketed paste the door screen reads (controls removed)."""
    clean = "".join(c for c in code if c.isprintable())
    return PASTE_START + f"{SCAN_PREFIX}{nonce}:{clean}".encode() + PASTE_END


def camera_paste(on: bool) -> bytes:
    """The page's camera state as the paste the door screen reads (its ready card follows)."""
    return PASTE_START + f"{CAMERA_PREFIX}{'on' if on else 'off'}".encode() + PASTE_END


class DoorProcess(AppService):
    """textual-serve's AppService with an argv command and a first-output callback."""

    def __init__(self, argv: list[str], *, write_bytes: Callable[[bytes], Awaitable[None]],
                 write_str: Callable[[str], Awaitable[None]],
                 close: Callable[[], Awaitable[None]],
                 on_first_output: Callable[[], None], tablet: bool = True) -> None:
        super().__init__(" ".join(argv), write_bytes=write_bytes, write_str=write_str,
                         close=close, download_manager=DownloadManager())
        self.argv = argv
        self.tablet = tablet
        self._first_output: Callable[[], None] | None = on_first_output

    async def _open_app_process(self, width: int = 80,
                                height: int = 24) -> asyncio.subprocess.Process:
        """Start the app from its argument list, without a shell."""
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        """textual-serve's environment; a door is told its camera is in the page."""
        environment = super()._build_environment(width=width, height=height)
        if self.tablet:
            environment[ENV_TABLET] = "1"
        return environment

    async def on_data(self, payload: bytes) -> None:
        """Pass the app's output on; the first output means its screen is up."""
        if self._first_output is not None:
            callback, self._first_output = self._first_output, None
            callback()
        await super().on_data(payload)

    async def stop(self) -> None:
        """Ask the app to quit (textual-serve), then make sure its process has ended."""
        await super().stop()
        process = self._process
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), QUIT_WAIT_S)
        except TimeoutError:
            process.kill()
            await process.wait()

    @property
    def pid(self) -> int | None:
        """The app process's id (for the benchmark's CPU and memory figures)."""
        return self._process.pid if self._process is not None else None

    async def paste(self, data: bytes) -> bool:
        """Type a bracketed paste into the app, as a terminal would."""
        if self._stdin is None:
            return False
        return await self.send_bytes(data)
