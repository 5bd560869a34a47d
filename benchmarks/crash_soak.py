"""Crash soak: SIGKILL a door kiosk (and a violation logger) as many times as asked.

    .venv/bin/python benchmarks/crash_soak.py --kills 500
    .venv/bin/python benchmarks/crash_soak.py --kills 2000 --mode checkin --check-every 10

Each round forks a worker on one database file; it checks in a shuffled stream of passes
and stray codes (or logs violations), printing every decision after it returned; the
parent SIGKILLs it at a random moment, then checks the file: `PRAGMA integrity_check`,
foreign keys, every audit chain, every confirmed record present exactly once with its
audit entry, nothing recorded that was never sent. The next worker first repeats the
call the killed one left unconfirmed (same nonce), as a restarted kiosk would. The same
loop (20 kills) runs in the test suite: tests/reliability/test_crash.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kills", type=int, default=200, help="kills per mode (default 200)")
    parser.add_argument("--mode", choices=("checkin", "violation", "both"), default="both")
    parser.add_argument("--seed", type=int, default=None, help="seed for the kill moments")
    parser.add_argument("--check-every", type=int, default=1,
                        help="check the file after every Nth kill (and after the last)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder to keep the databases in (default: a temporary one)")
    return parser.parse_args(argv)


def soak(mode: str, kills: int, seed: int, check_every: int, folder: Path) -> dict[str, int]:
    """Run one crash loop on a fresh school; return its figures."""
    sys.path.insert(0, str(ROOT / "tests"))
    from reliability.crashing import CrashTally, crash_loop
    from reliability.school import build_school

    school = build_school(folder / mode / "kiosk.db")
    began = time.monotonic()

    def progress(tally: CrashTally) -> None:
        if tally.kills % 50 == 0:
            print(f"  {mode}: {tally.kills} kills, {len(tally.confirmed)} confirmed,"
                  f" {time.monotonic() - began:.0f} s", flush=True)

    tally = crash_loop(school.db_path, mode, kills, random.Random(seed), event=school.event,
                       check_every=check_every, progress=progress)
    return {
        "kills": tally.kills,
        "confirmed": len(tally.confirmed),
        "record_checks": tally.writes_checked,
        "file_checks": tally.checks,
        "unconfirmed_retried": tally.retried,
        "seconds": round(time.monotonic() - began),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print the figures the README quotes."""
    args = parse(sys.argv[1:] if argv is None else argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    modes = ("checkin", "violation") if args.mode == "both" else (args.mode,)
    print(f"crash soak: {args.kills} kills per mode, seed {seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="crash-soak-") as temporary:
        folder = args.keep or Path(temporary)
        results = {m: soak(m, args.kills, seed, args.check_every, folder) for m in modes}
    for mode, figures in results.items():
        print(
            f"{mode}: {figures['kills']} kills survived; {figures['confirmed']} confirmed"
            f" records, all present exactly once (checked {figures['record_checks']} times"
            f" across {figures['file_checks']} file checks); {figures['unconfirmed_retried']}"
            f" unconfirmed calls repeated after a kill; {figures['seconds']} s"
        )
    print("zero confirmed records lost; integrity_check ok after every check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
