"""A door kiosk (or stage board) as a child process, for crash and two-writer tests.

Run by path (`python door_worker.py checkin --db kiosk.db --kiosk door-a --run 0`), or
forked by `python door_worker.py serve FD` (the fork server tests/reliability/workers.py
starts): it imports the kiosk once, so a restart after a kill costs milliseconds, not an
interpreter start-up, and each worker is still a process of its own. A worker reads the
school's passes from `school.json` beside the database and prints one line per step,
flushed at once, so the parent knows exactly what was confirmed:

    READY <pid>
    SENDING <nonce>                        before each call
    CONFIRMED <nonce> <code> <id> <family> <first_kiosk>   after the call returned
    ERROR <nonce> <ErrorClass> <message>   a KioskError the screen would show
    DYING <sql>                            --die-at-statement: about to SIGKILL itself
    DONE <count>

`board` mode reads the running order (a stage board) until told to stop.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.checkin.service import check_in
from kiosk.errors import KioskError
from kiosk.events import move_now_on_stage, running_order
from kiosk.store import Store, open_store
from kiosk.violations.workflow import log_violation

DOORS_OPEN = "2026-12-10T17:30:00+00:00"
GARBAGE = ("hello", "KP1:", "KP1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "\x1b[2J", "https://x.test")
KINDS = ("filmed_child_without_permission", "filmed_staff", "filmed_other_children", "other")


def say(*parts: object) -> None:
    """Print one protocol line and flush it before anything else happens."""
    sys.stdout.write(" ".join(str(p).replace("\n", " ") for p in parts) + "\n")
    sys.stdout.flush()


def watch_statements(store: Store, die_at: int, *, trace: bool) -> None:
    """Print each SQL statement, or SIGKILL this process as its `die_at`-th one starts."""
    seen = 0

    def watch(sql: str) -> None:
        nonlocal seen
        seen += 1
        if trace:
            say("SQL", seen, " ".join(sql.split())[:60])
        if seen == die_at:
            say("DYING", " ".join(sql.split())[:60])
            os.kill(os.getpid(), signal.SIGKILL)

    store.conn.set_trace_callback(watch)


def scans(school: dict[str, Any], *, garbage: bool) -> list[str]:
    """What this door is shown: every valid pass, plus refusals when asked."""
    shown = [p["token"] for p in school["passes"] if p["kind"] == "valid"]
    if garbage:
        shown += [p["token"] for p in school["passes"] if p["kind"] != "valid"]
        shown += list(GARBAGE)
    return shown


def ordered(items: list[str], order: str, run: int) -> list[str]:
    """The scan order of one run: forward, reverse, or shuffled (seeded by the run number)."""
    if order == "reverse":
        return items[::-1]
    if order == "shuffle":
        shuffled = list(items)
        random.Random(run).shuffle(shuffled)
        return shuffled
    return list(items)


def run_checkins(store: Store, school: dict[str, Any], args: argparse.Namespace) -> int:
    """Check in the stream of scans; return how many decisions were confirmed."""
    shown = args.scan or scans(school, garbage=args.garbage)
    if args.slice:
        first, last = (int(n) for n in args.slice.split(":"))
        shown = shown[first:last]
    stream = ordered(shown, args.order, args.run)
    start = datetime.fromisoformat(args.start_at)
    jobs: list[tuple[str, str]] = []
    for nonce in args.retry:
        _, run, index = nonce.rsplit(":", 2)
        earlier = ordered(shown, args.order, int(run))
        jobs.append((nonce, earlier[int(index) % len(earlier)]))
    total = args.count if args.count else len(stream) * (args.cycles or 1)
    jobs += [(f"{args.kiosk}:{args.run}:{i}", stream[i % len(stream)]) for i in range(total)]
    if args.hold:
        args.stop()
    confirmed = 0
    for step, (nonce, text) in enumerate(jobs):
        now = start + timedelta(milliseconds=100 * step)
        say("SENDING", nonce)
        try:
            decision = check_in(store, text, school["event"], now=now, kiosk_id=args.kiosk,
                                nonce=nonce)
        except KioskError as error:
            say("ERROR", nonce, type(error).__name__, error)
            continue
        confirmed += 1
        say("CONFIRMED", nonce, decision.code, decision.checkin_id,
            decision.family_id or "-", decision.first_kiosk or "-")
    return confirmed


def run_violations(store: Store, school: dict[str, Any], args: argparse.Namespace) -> int:
    """Log a stream of violations (some with a family, some with children by the lead)."""
    families = [p["family_id"] for p in school["passes"] if p["kind"] == "valid"]
    start = datetime.fromisoformat(args.start_at)
    total = args.count or 10_000
    jobs = [(nonce, int(nonce.rsplit(":", 1)[1])) for nonce in args.retry]
    jobs += [(f"{args.kiosk}:{args.run}:{i}", i) for i in range(total)]
    confirmed = 0
    for step, (nonce, i) in enumerate(jobs):
        say("SENDING", nonce)
        family = families[i % len(families)] if i % 3 else None
        child = [f"P{int(family[1:]):03d}0"] if family and i % 5 == 1 else []
        try:
            violation_id = log_violation(
                store, event_id=school["event"], kind=KINDS[i % len(KINDS)],
                reported_by=school["lead_id"] if child else school["steward_id"],
                now=start + timedelta(milliseconds=100 * step), kiosk_id=args.kiosk,
                item_id=school["item_ids"][i % 3], family_id=family, children=child,
                description=f"Seen at row {i % 12}", action_taken="asked_to_stop",
                nonce=nonce,
            )
        except KioskError as error:
            say("ERROR", nonce, type(error).__name__, error)
            continue
        confirmed += 1
        say("CONFIRMED", nonce, "logged", violation_id, family or "-", "-")
    return confirmed


def run_board(store: Store, school: dict[str, Any], args: argparse.Namespace) -> int:
    """Read the running order and now-on-stage until told to stop; --move: move it too.

    Ends with `BOARD <reads> <errors> <slowest read ms> <longest gap between reads ms>
    <distinct now-on-stage values seen>`: a reader that never waits keeps the gap small.
    """
    stop = threading.Event()
    threading.Thread(target=lambda: (args.stop(), stop.set()), daemon=True).start()
    reads = errors = 0
    slowest = gap = 0.0
    seen: set[int | None] = set()
    start = datetime.fromisoformat(args.start_at)
    last = time.monotonic()
    while not stop.is_set():
        began = time.monotonic()
        try:
            on_stage = running_order(store, school["event"]).now_on_stage
            done = time.monotonic()
            slowest, gap, last = max(slowest, done - began), max(gap, done - last), done
            seen.add(on_stage.item.id if on_stage else None)
            if on_stage is not None and on_stage.item.id not in school["item_ids"]:
                say("ERROR", reads, "BadStage", on_stage.item.id)
                errors += 1
            if args.move and reads % 10 == 0:
                step = 1 if (reads // 40) % 2 == 0 else -1
                move_now_on_stage(store, school["event"], step, staff_id=school["lead_id"],
                                  now=start + timedelta(seconds=reads), kiosk_id=args.kiosk)
        except KioskError as error:
            say("ERROR", reads, type(error).__name__, error)
            errors += 1
        reads += 1
        if reads == 1:
            say("READING")
            gap = 0.0
    say("BOARD", reads, errors, f"{slowest * 1000:.1f}", f"{gap * 1000:.1f}", len(seen))
    return reads


MODES: dict[str, Callable[[Store, dict[str, Any], argparse.Namespace], int]] = {
    "checkin": run_checkins, "violation": run_violations, "board": run_board,
}


def parse(argv: list[str]) -> argparse.Namespace:
    """Command-line options of the worker."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--kiosk", default="door-a")
    parser.add_argument("--run", type=int, default=0, help="restart number (part of nonces)")
    parser.add_argument("--order", choices=("forward", "reverse", "shuffle"), default="forward")
    parser.add_argument("--count", type=int, default=0, help="scans to make (0: the stream)")
    parser.add_argument("--cycles", type=int, default=0, help="times through the stream")
    parser.add_argument("--garbage", action="store_true", help="mix refusals into the stream")
    parser.add_argument("--scan", action="append", default=[], help="scan this text (repeatable)")
    parser.add_argument("--slice", default="", help="START:STOP of the valid passes to scan")
    parser.add_argument("--hold", action="store_true", help="wait for the go (stop) signal")
    parser.add_argument("--retry", action="append", default=[], metavar="NONCE",
                        help="first repeat a call a killed run left unconfirmed")
    parser.add_argument("--die-at-statement", type=int, default=0)
    parser.add_argument("--trace", action="store_true", help="print each SQL statement")
    parser.add_argument("--start-at", default=DOORS_OPEN)
    parser.add_argument("--move", action="store_true", help="board: move now-on-stage too")
    return parser.parse_args(argv)


def main(argv: list[str], stop: Callable[[], object] = sys.stdin.read) -> int:
    """Open the store, announce READY, run the mode, announce DONE.

    `stop` blocks until the parent says go (--hold) or stop (a board); end of stdin by default.
    """
    args = parse(argv)
    args.stop = stop
    school = json.loads(args.db.with_name("school.json").read_text(encoding="utf-8"))
    store = open_store(args.db)
    if args.die_at_statement or args.trace:
        watch_statements(store, args.die_at_statement, trace=args.trace)
    say("READY", os.getpid())
    done = MODES[args.mode](store, school, args)
    store.close()
    say("DONE", done)
    return 0


def _serve_one(argv: list[str], out: int, stop: int) -> int:
    """In a freshly forked child: protocol lines and any traceback go to `out`."""
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    sys.stdout = sys.stderr = os.fdopen(1, "w", encoding="utf-8", buffering=1, closefd=False)
    try:
        return main(argv, lambda: os.read(stop, 1))
    except SystemExit as leaving:
        return leaving.code if isinstance(leaving.code, int) else 2
    except BaseException:  # a worker failing is a finding: the parent shows this traceback
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()


def serve(channel: int) -> int:
    """Fork server: import the kiosk once, then fork one worker per request on `channel`.

    A request is a JSON argv sent with two file descriptors (the worker's output pipe
    and its stop pipe); the reply is the worker's pid. Children are reaped automatically.
    """
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    with socket.socket(fileno=channel) as requests:
        while True:
            message, fds, _, _ = socket.recv_fds(requests, 1 << 16, 2)
            if not message:
                return 0
            pid = os.fork()
            if pid == 0:
                requests.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os._exit(_serve_one(json.loads(message), *fds))
            for fd in fds:
                os.close(fd)
            requests.sendall(str(pid).encode("ascii"))


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        sys.exit(serve(int(sys.argv[2])))
    sys.exit(main(sys.argv[1:]))
