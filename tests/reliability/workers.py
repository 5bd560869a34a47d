"""Parent side of the child-process tests: start a worker, read its lines, kill it.

Workers are forked by a fork server that has imported the kiosk already (a restart
costs milliseconds; each worker is still a separate process with its own connection).
Lines are read by a thread into a queue, so the parent waits on output with a timeout
and never sleeps. After a SIGKILL the pipe is drained to its end: a line
printed before the kill was printed after its call returned, so it counts as confirmed.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

WORKER = Path(__file__).with_name("door_worker.py")
TIMEOUT = 60.0
PROTOCOL = frozenset(
    {"READY", "SENDING", "CONFIRMED", "ERROR", "DYING", "DONE", "SQL", "READING", "BOARD"}
)


class ForkServer:
    """`door_worker.py serve`: one interpreter that has imported the kiosk, forking workers."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), "serve", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.channel = mine
        self.lock = threading.Lock()

    def fork(self, argv: list[str]) -> tuple[int, int, int]:
        """Start one worker; return its pid, its output pipe and its stop pipe."""
        out_r, out_w = os.pipe()
        stop_r, stop_w = os.pipe()
        with self.lock:
            socket.send_fds(self.channel, [json.dumps(argv).encode()], [out_w, stop_r])
            os.close(out_w)
            os.close(stop_r)
            reply = self.channel.recv(64)
        if not reply:
            raise WorkerFailed("the fork server has stopped")
        return int(reply), out_r, stop_w

    def close(self) -> None:
        """Stop the server (it exits when its channel closes)."""
        self.channel.close()
        self.process.wait(TIMEOUT)


_SERVER: list[ForkServer] = []


def fork_server() -> ForkServer:
    """The fork server of this process, started on first use and stopped at exit."""
    if not _SERVER:
        _SERVER.append(ForkServer())
        atexit.register(_SERVER[0].close)
    return _SERVER[0]


class WorkerFailed(AssertionError):
    """The child did something the parent did not expect (or took far too long)."""


@dataclass(frozen=True)
class Confirmed:
    """One CONFIRMED line: a decision the kiosk screen would have shown."""

    nonce: str
    code: str
    record_id: int
    family_id: str | None
    first_kiosk: str | None


@dataclass
class Worker:
    """One running door_worker.py child and everything it has said so far."""

    args: list[str]
    pid: int = 0
    _stop: int = -1
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    confirmed: list[Confirmed] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    sending: str | None = None
    ended: bool = False

    def start(self) -> Worker:
        """Fork the child from the fork server and start the thread that reads its lines."""
        self.pid, out, self._stop = fork_server().fork(self.args)
        threading.Thread(target=self._pump, args=(out,), daemon=True).start()
        return self

    def _pump(self, out: int) -> None:
        with open(out, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.endswith("\n"):
                    self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _take(self, line: str) -> None:
        """Record what one line says."""
        self.said.append(line)
        word, _, rest = line.partition(" ")
        if word == "SENDING":
            self.sending = rest
        elif word == "CONFIRMED":
            nonce, code, record_id, family, first = rest.split(" ")
            self.confirmed.append(Confirmed(nonce, code, int(record_id),
                                            None if family == "-" else family,
                                            None if first == "-" else first))
            self.sending = None
        elif word == "ERROR":
            self.errors.append(rest)
            self.sending = None

    def next_line(self, timeout: float = TIMEOUT) -> str | None:
        """The next line (None at end of output); fail if none comes within `timeout`."""
        if self.ended:
            return None
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise WorkerFailed(
                f"worker said nothing for {timeout:.0f} s: {self.said[-3:]}"
            ) from None
        if line is None:
            self.ended = True
            return None
        self._take(line)
        return line

    def wait_for(self, word: str, timeout: float = TIMEOUT) -> str:
        """Read lines until one starts with `word`; fail on end of output or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            if line is None:
                raise WorkerFailed(f"worker ended before {word}: {self.other()}")
            if line.split(" ", 1)[0] == word:
                return line

    def wait_confirmed(self, count: int, timeout: float = TIMEOUT) -> None:
        """Read lines until `count` decisions in all have been confirmed."""
        while len(self.confirmed) < count:
            self.wait_for("CONFIRMED", timeout)

    def kill(self) -> None:
        """SIGKILL the child (no clean-up of any kind), then read what it printed before."""
        if not self.ended:
            os.kill(self.pid, signal.SIGKILL)
        self.drain()
        self.go()

    def drain(self) -> None:
        """Read every remaining line up to the end of output."""
        while self.next_line() is not None:
            pass

    def go(self) -> None:
        """Release a worker started with --hold (or tell a board to stop)."""
        if self._stop >= 0:
            os.close(self._stop)
            self._stop = -1

    def finish(self, timeout: float = TIMEOUT) -> None:
        """Tell the child to stop (boards), read to its end, and check it ended cleanly."""
        self.go()
        deadline = time.monotonic() + timeout
        while self.next_line(max(0.01, deadline - time.monotonic())) is not None:
            pass
        if self.last("DONE") is None:
            raise WorkerFailed(f"worker ended without DONE: {self.other()[-20:]}")

    def other(self) -> list[str]:
        """Lines outside the protocol (a traceback, if the child failed)."""
        return [line for line in self.said if line.split(" ", 1)[0] not in PROTOCOL]

    def last(self, word: str) -> str | None:
        """The last line starting with `word`, or None."""
        return next((line for line in reversed(self.said) if line.startswith(word + " ")), None)


def start_worker(mode: str, db: Path, *args: str) -> Worker:
    """Start a worker in `mode` on database `db` and wait until it says READY."""
    worker = Worker([mode, "--db", str(db), *args]).start()
    worker.wait_for("READY")
    return worker
