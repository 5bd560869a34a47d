"""A locked-down app: no key, signal or menu of Textual's quits it (issue 14, High).

Textual's App quits on Ctrl+Q, tells how on Ctrl+C, offers "Quit" in the command palette
and can suspend to the shell. A door or a stage board that a stranger can leave is a shell
for them, so `LockedApp` swallows those keys and makes the quit and suspend actions do
nothing. The only way out is `shut_down()`, which staff mode calls after a PIN (lead and above).

In a real terminal (not under Pilot) Ctrl+C arrives as a key, never as SIGINT; a SIGINT or
SIGQUIT sent from elsewhere is ignored, and SIGTERM (what systemd sends to stop the
service) closes the app cleanly so the camera is released and the terminal restored.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

IGNORED_SIGNALS = (signal.SIGINT, signal.SIGQUIT)


def guard_signals(loop: asyncio.AbstractEventLoop, on_term: Callable[[], None]) -> None:
    """Ignore SIGINT and SIGQUIT on `loop`; SIGTERM calls `on_term` (a clean close)."""
    for number in IGNORED_SIGNALS:
        loop.add_signal_handler(number, lambda: None)
    loop.add_signal_handler(signal.SIGTERM, on_term)


def release_signals(loop: asyncio.AbstractEventLoop) -> None:
    """Give the signals back (the app is closing)."""
    for number in (*IGNORED_SIGNALS, signal.SIGTERM):
        loop.remove_signal_handler(number)


class LockedApp(App[None]):
    """An app nobody can leave by a key, a signal or a menu; `shut_down()` is the way out."""

    ENABLE_COMMAND_PALETTE = False  # nothing but staff actions, and only behind the PIN
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "swallow", show=False, priority=True),  # Textual's own quit key
        Binding("ctrl+c", "swallow", show=False, priority=True),  # and its "how to quit"
        Binding("ctrl+backslash", "swallow", show=False, priority=True),
        Binding("ctrl+z", "swallow", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._guarded: asyncio.AbstractEventLoop | None = None

    def _on_mount(self) -> None:
        """In a real terminal, take SIGINT, SIGQUIT and SIGTERM from their defaults."""
        if self.is_headless:
            return  # under Pilot the test runner keeps its own signals
        try:
            loop = asyncio.get_running_loop()
            guard_signals(loop, self.shut_down)
        except (RuntimeError, NotImplementedError, ValueError):
            return  # no signals here (not the main thread, or a platform without them)
        self._guarded = loop

    def _on_unmount(self) -> None:
        if self._guarded is not None:
            release_signals(self._guarded)
            self._guarded = None

    def action_swallow(self) -> None:
        """A quit key on a locked-down screen: nothing happens, nothing is shown."""

    async def action_quit(self) -> None:
        """Textual's quit (Ctrl+Q, the palette's "Quit"): refused; staff close the app."""

    def action_help_quit(self) -> None:
        """Textual's "press Ctrl+Q to quit" notice: never shown at the door."""

    def action_suspend_process(self) -> None:
        """Suspending to the shell is a way out too: refused."""

    def shut_down(self) -> None:
        """The one way out: called by staff mode after a lead's PIN, or by SIGTERM."""
        self.exit()
