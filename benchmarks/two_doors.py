"""Doors on one database file at full speed, with a stage board reading meanwhile.

    .venv/bin/python benchmarks/two_doors.py --doors 2 --cycles 50

Each door is its own process with its own connection; every door scans every family's
pass (in its own shuffled order) `--cycles` times, as fast as it can, while a stage
board process reads the running order and a lead moves "now on stage". Prints decisions per
second, errors shown to a screen (must be 0), admissions (must be one per family),
re-entries that named another door, and the board's reads and slowest read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--doors", type=int, default=2)
    parser.add_argument("--cycles", type=int, default=50, help="times each door scans them all")
    parser.add_argument("--families", type=int, default=40)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the doors and the board; print the figures; exit 1 if anything went wrong."""
    args = parse(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from reliability.checks import assert_checkins_kept, assert_file_sound
    from reliability.school import build_school
    from reliability.workers import start_worker

    with tempfile.TemporaryDirectory(prefix="two-doors-") as folder:
        school = build_school(Path(folder) / "kiosk.db", families=args.families)
        stage = start_worker("board", school.db_path, "--kiosk", "stage", "--move")
        board = start_worker("board", school.db_path, "--kiosk", "board")
        stage.wait_for("READING")
        board.wait_for("READING")
        names = [f"door-{n}" for n in range(1, args.doors + 1)]
        doors = [
            start_worker("checkin", school.db_path, "--kiosk", name, "--run", str(n),
                         "--order", "shuffle", "--cycles", str(args.cycles), "--hold")
            for n, name in enumerate(names, start=1)
        ]
        began = time.perf_counter()
        for door in doors:
            door.go()
        for door in doors:
            door.finish(timeout=3600)
        seconds = time.perf_counter() - began
        board.finish()
        stage.finish()
        decisions = [d for door in doors for d in door.confirmed]
        errors = [e for door in doors for e in door.errors]
        admitted = Counter(d.family_id for d in decisions if d.code.startswith("admitted"))
        crossed = sum(1 for name, door in zip(names, doors, strict=True) for d in door.confirmed
                      if d.code == "re_entry" and d.first_kiosk != name)
        assert_file_sound(school.db_path)
        checked = assert_checkins_kept(school.db_path, decisions, (), school.event)
    _, reads, board_errors, slowest, gap, stages = (
        board.last("BOARD") or "BOARD 0 0 0 0 0").split()
    print(f"{args.doors} doors x {args.families} families x {args.cycles} cycles:"
          f" {len(decisions)} decisions in {seconds:.1f} s ({len(decisions) / seconds:.0f}/s)")
    print(f"errors shown at a door: {len(errors)}; families admitted: {len(admitted)}"
          f" (twice: {sum(1 for n in admitted.values() if n > 1)});"
          f" re-entries naming another door: {crossed}")
    print(f"stored and checked after: {checked}; stage board: {reads} reads,"
          f" {board_errors} errors, slowest read {slowest} ms, longest gap {gap} ms,"
          f" {stages} now-on-stage values seen")
    ok = not errors and len(admitted) == args.families and max(admitted.values()) == 1
    return 0 if ok and board_errors == "0" else 1


if __name__ == "__main__":
    sys.exit(main())
