"""Crash safety: SIGKILL a door worker at random moments and at every SQL statement.

Rule 8 of the design: a check-in or violation the screen confirmed survives a crash.
Two kinds of crash, as SQLite tests itself: random kills from outside (timing varies
from run to run; every run must pass), and a deterministic sweep that kills the worker
as each SQL statement of a check-in or violation starts (between BEGIN IMMEDIATE and
COMMIT, and just after COMMIT), so every crash point inside the transaction is hit.
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kiosk.store import Store

from .checks import assert_checkins_kept, assert_file_sound, assert_violations_kept
from .crashing import crash_loop
from .school import School
from .workers import start_worker

KILLS = 20


def test_commits_are_made_durable_not_just_crash_safe(school_store: Store) -> None:
    """WAL with synchronous=FULL: the one durability setting the kill tests cannot see.

    A SIGKILL leaves the OS cache intact; a power cut does not. FULL fsyncs every
    commit, so a confirmed check-in survives a power cut too (NORMAL may lose the last).
    """
    assert school_store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert school_store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_confirmed_checkins_survive_20_kills(school: School) -> None:
    tally = crash_loop(school.db_path, "checkin", KILLS, random.Random(8), event=school.event)
    assert tally.kills == KILLS
    assert tally.checks == KILLS + 1
    assert len(tally.confirmed) > KILLS
    codes = Counter(c.code for c in tally.confirmed)
    assert codes["re_entry"] and codes["admitted"] and codes["not_a_pass"]
    admitted = [c.family_id for c in tally.confirmed if c.code.startswith("admitted")]
    assert len(admitted) == len(set(admitted))


def test_confirmed_violations_survive_20_kills(school: School) -> None:
    tally = crash_loop(school.db_path, "violation", KILLS, random.Random(8), event=school.event)
    assert tally.kills == KILLS
    assert len(tally.confirmed) > KILLS


def _statements(school: School, mode: str, args: list[str]) -> list[str]:
    """The SQL statements a worker runs for `args`, in order (a traced probe run)."""
    probe = school.copy_to(school.db_path.parent / "probe")
    worker = start_worker(mode, probe.db_path, "--trace", *args)
    worker.finish()
    return [line.split(" ", 2)[2] for line in worker.said if line.startswith("SQL ")]


def _kill_at(school: School, folder: Path, mode: str, args: list[str], number: int) -> str:
    """Kill a worker as its `number`-th statement starts, on a fresh copy; check; restart.

    After the kill the file must be sound with nothing confirmed lost, and a restarted
    worker repeating the unconfirmed call must finish. Returns the statement it died at.
    """
    copy = school.copy_to(folder)
    worker = start_worker(mode, copy.db_path, *args, "--die-at-statement", str(number))
    worker.drain()
    dying = worker.last("DYING")
    assert dying is not None, worker.other()
    in_flight = {worker.sending} if worker.sending else set()
    assert_file_sound(copy.db_path)
    if mode == "checkin":
        assert_checkins_kept(copy.db_path, worker.confirmed, in_flight, copy.event)
    else:
        assert_violations_kept(copy.db_path, worker.confirmed, in_flight)
    retry = ["--retry", worker.sending] if worker.sending else []
    again = start_worker(mode, copy.db_path, *args, "--run", "1", *retry)
    again.finish()
    assert again.errors == []
    return " ".join(dying.split()[1:3])


def _sweep(school: School, tmp_path: Path, mode: str, args: list[str]) -> Counter[str]:
    """Kill at every statement in turn (four at a time: the waiting is on fsync, not CPU)."""
    count = len(_statements(school, mode, args))
    with ThreadPoolExecutor(max_workers=4) as pool:
        hits = pool.map(
            lambda n: _kill_at(school, tmp_path / f"{mode}-{n}", mode, args, n),
            range(1, count + 1),
        )
        return Counter(hits)


@pytest.mark.slow
def test_kill_at_every_statement_of_a_checkin(school: School, tmp_path: Path) -> None:
    valid = school.tokens("valid")
    scans = [valid[0], valid[0], school.tokens("revoked")[0]]  # admit, re-enter, refuse
    hit = _sweep(school, tmp_path, "checkin", [a for s in scans for a in ("--scan", s)])
    for verb in ("BEGIN IMMEDIATE", "INSERT INTO", "COMMIT"):
        assert hit[verb] >= 3, hit


@pytest.mark.slow
def test_kill_at_every_statement_of_a_violation(school: School, tmp_path: Path) -> None:
    hit = _sweep(school, tmp_path, "violation", ["--count", "2"])
    for verb in ("BEGIN IMMEDIATE", "INSERT INTO", "COMMIT"):
        assert hit[verb] >= 2, hit
