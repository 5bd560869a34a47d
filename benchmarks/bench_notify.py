"""E-mail to the headteacher against a real local SMTP server: log-to-delivery time, retries.

Builds the demo school (420 pupils) in a temporary folder, starts aiosmtpd on 127.0.0.1,
then (1) logs N violations through the real workflow and delivers each with one sender
step, timing from the start of `log_violation` to the server holding the message; (2)
logs one while the server is down and steps the sender every 15 s of injected time
(as `kiosk serve` would) until the server, started after DOWN seconds, has it.

    python benchmarks/bench_notify.py [N] [DOWN]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from kiosk.clock import system_clock
from kiosk.demo.school import build_demo
from kiosk.notify.sender import LOOP_SECONDS, send_due
from kiosk.store import Store, open_store
from kiosk.violations.workflow import log_violation


class Inbox:
    """Notes when each message arrives."""

    def __init__(self) -> None:
        self.arrived: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.append(time.perf_counter())
        return "250 OK"


def _configure(store: Store, port: int) -> None:
    for key, value in {"host": "127.0.0.1", "port": str(port), "security": "none",
                       "from": "kiosk@school.example",
                       "headteacher": "head@school.example"}.items():
        store.settings.set(f"smtp.{key}", value)


def _log(store: Store, staff_id: int, now: datetime, event_id: str) -> int:
    return log_violation(store, event_id=event_id, kind="filmed_child_without_permission",
                         reported_by=staff_id, now=now, kiosk_id="bench",
                         description="bench", action_taken="asked_to_stop")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    down_for = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "school.db"
        event_id = build_demo(path, today=date.today()).events[0]
        store = open_store(path)
        staff_id = next(s["id"] for s in store.staff.all() if s["role"] == "lead")
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=8026)
        controller.start()
        _configure(store, 8026)
        delays, logging = [], []
        for _ in range(count):
            start = time.perf_counter()
            _log(store, staff_id, system_clock(), event_id)
            logged = time.perf_counter()
            send_due(store, system_clock)
            delays.append(inbox.arrived[-1] - start)
            logging.append(logged - start)
        controller.stop()
        print(f"{count} violations, each logged then sent by one sender step (demo school):")
        print(f"  log_violation (row + outbox in one transaction): median"
              f" {statistics.median(logging) * 1000:.1f} ms, max {max(logging) * 1000:.1f} ms")
        print(f"  log to message on the server: median {statistics.median(delays) * 1000:.1f} ms,"
              f" p95 {sorted(delays)[int(len(delays) * 0.95) - 1] * 1000:.1f} ms,"
              f" max {max(delays) * 1000:.1f} ms; messages received {len(inbox.arrived)}")

        clock_now = [system_clock()]
        start_at = clock_now[0]
        _log(store, staff_id, start_at, event_id)
        late = Inbox()
        server = Controller(late, hostname="127.0.0.1", port=8027)
        _configure(store, 8027)
        steps = failures = 0
        started = False
        while not late.arrived:
            if clock_now[0] - start_at >= timedelta(seconds=down_for) and not started:
                server.start()
                started = True
            report = send_due(store, lambda: clock_now[0])
            failures += report.failed
            steps += 1
            if not late.arrived:
                clock_now[0] += timedelta(seconds=LOOP_SECONDS)
        server.stop()
        row = store.outbox.rows(1)[0]
        print(f"server down for {down_for:.0f} s, sender stepping every {LOOP_SECONDS:.0f} s:")
        print(f"  delivered {(clock_now[0] - start_at).total_seconds():.0f} s after logging,"
              f" {row['attempts']} attempts ({failures} failed), sender steps {steps},"
              f" messages received {len(late.arrived)}")
        store.close()


if __name__ == "__main__":
    main()
