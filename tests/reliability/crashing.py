"""The crash loop shared by the crash tests and benchmarks/crash_soak.py.

Each round forks a door worker on the same database file, lets it confirm a random
number of decisions (or catches it just as it starts a call), SIGKILLs it, reads what
it had printed, and checks the file: sound, every confirmed record there exactly once
and complete, nothing recorded that was never sent. The next round first repeats the
call the killed worker left unconfirmed (same nonce), as a restarted kiosk would.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .checks import assert_checkins_kept, assert_file_sound, assert_violations_kept
from .workers import Confirmed, start_worker


@dataclass
class CrashTally:
    """What a crash loop did and checked."""

    kills: int = 0
    confirmed: list[Confirmed] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)
    retried: int = 0
    checks: int = 0
    writes_checked: int = 0

    def add(self, confirmed: list[Confirmed]) -> None:
        """Remember decisions a worker confirmed (a retried nonce may confirm twice)."""
        known = {c.nonce: c for c in self.confirmed}
        for decision in confirmed:
            earlier = known.get(decision.nonce)
            if earlier is not None:
                assert earlier == decision, f"a retry changed a confirmed decision: {decision}"
                continue
            self.confirmed.append(decision)
            known[decision.nonce] = decision


def check(db: Path, mode: str, tally: CrashTally, event: str) -> None:
    """Everything that must hold after a kill, for check-ins or for violations."""
    assert_file_sound(db)
    if mode == "checkin":
        checked = assert_checkins_kept(db, tally.confirmed, tally.in_flight, event)
    else:
        checked = assert_violations_kept(db, tally.confirmed, tally.in_flight)
    tally.checks += 1
    tally.writes_checked += checked


def crash_loop(
    db: Path, mode: str, kills: int, rng: random.Random, *, event: str, kiosk: str = "door-a",
    check_every: int = 1, progress: Callable[[CrashTally], None] | None = None,
) -> CrashTally:
    """Kill a `mode` worker (checkin or violation) `kills` times, checking the file each time.

    Finally a worker runs to its end on the same file and must confirm its whole stream.
    """
    tally = CrashTally()
    retry: str | None = None
    extra = ["--garbage", "--order", "shuffle"] if mode == "checkin" else []
    for run in range(kills):
        args = ["--kiosk", kiosk, "--run", str(run), "--cycles", "1000", *extra]
        worker = start_worker(mode, db, *args, *(["--retry", retry] if retry else []))
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 40)):
                worker.wait_for("SENDING")
        else:
            worker.wait_confirmed(rng.randint(0, 40))
        worker.kill()
        assert worker.errors == [], worker.errors
        assert worker.last("DONE") is None, "the worker finished before it was killed"
        tally.kills += 1
        tally.retried += retry is not None
        tally.add(worker.confirmed)
        retry = worker.sending
        if retry is not None:
            tally.in_flight.add(retry)
        if run % check_every == 0 or run == kills - 1:
            check(db, mode, tally, event)
        if progress is not None:
            progress(tally)
    last = start_worker(mode, db, "--kiosk", kiosk, "--run", str(kills), "--count", "30",
                        *extra, *(["--retry", retry] if retry else []))
    last.finish()
    assert last.errors == [], last.errors
    assert len(last.confirmed) == 30 + (retry is not None)
    tally.add(last.confirmed)
    check(db, mode, tally, event)
    return tally
