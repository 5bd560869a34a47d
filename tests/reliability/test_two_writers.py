"""Two doors on one database file at full speed, with a stage board reading meanwhile.

Each door is its own process with its own connection (as two kiosks sharing a file on
one host). Passes overlap between the doors, so families race: the database's partial
unique index and BEGIN IMMEDIATE must admit each family once, the other door must say
re-entry naming the first door, and no "database is locked" may reach a screen.
"""

from __future__ import annotations

from collections import defaultdict

from .checks import assert_checkins_kept, assert_file_sound, read
from .school import School
from .workers import Confirmed, Worker, start_worker

CYCLES = 10


def _admitting_door(confirmed: dict[str, list[Confirmed]]) -> dict[str, str]:
    """Family -> the door whose decision admitted it (each family at most once overall)."""
    admitted: dict[str, str] = {}
    for door, decisions in confirmed.items():
        for decision in decisions:
            if decision.code.startswith("admitted"):
                assert decision.family_id not in admitted, f"{decision.family_id} admitted twice"
                admitted[decision.family_id] = door
    return admitted


def _assert_reentries_name_first_door(
    confirmed: dict[str, list[Confirmed]], admitted: dict[str, str]
) -> int:
    """Every re-entry names the door that admitted the family; returns how many crossed doors."""
    crossed = 0
    for door, decisions in confirmed.items():
        for decision in decisions:
            assert decision.code in ("admitted", "admitted_restricted", "re_entry"), decision
            if decision.code == "re_entry":
                assert decision.first_kiosk == admitted[decision.family_id], decision
                crossed += decision.first_kiosk != door
    return crossed


def test_two_doors_and_a_stage_board_at_full_speed(school: School) -> None:
    stage = start_worker("board", school.db_path, "--kiosk", "stage", "--move")
    board = start_worker("board", school.db_path, "--kiosk", "board")
    stage.wait_for("READING")
    board.wait_for("READING")
    doors = {
        "door-a": start_worker("checkin", school.db_path, "--kiosk", "door-a", "--run", "1",
                               "--slice", "0:30", "--order", "shuffle", "--cycles",
                               str(CYCLES), "--hold"),
        "door-b": start_worker("checkin", school.db_path, "--kiosk", "door-b", "--run", "2",
                               "--slice", "10:40", "--order", "shuffle", "--cycles",
                               str(CYCLES), "--hold"),
    }
    for door in doors.values():
        door.go()
    for door in doors.values():
        door.finish()
    board.finish()
    stage.finish()

    for name, door in doors.items():
        assert door.errors == [], f"{name} showed an error: {door.errors[:3]}"
        assert len(door.confirmed) == 30 * CYCLES
    confirmed = {name: door.confirmed for name, door in doors.items()}
    admitted = _admitting_door(confirmed)
    assert sorted(admitted) == [f"F{i:03d}" for i in range(1, 41)]
    assert {admitted[f"F{i:03d}"] for i in range(1, 11)} == {"door-a"}
    assert {admitted[f"F{i:03d}"] for i in range(31, 41)} == {"door-b"}
    assert _assert_reentries_name_first_door(confirmed, admitted) >= 20

    everything = [d for door in doors.values() for d in door.confirmed]
    assert_file_sound(school.db_path)
    assert assert_checkins_kept(school.db_path, everything, (), school.event) == 2 * 30 * CYCLES
    stored = read(school.db_path, "SELECT COUNT(*) FROM checkins")[0][0]
    assert stored == len(everything)

    for reader in (board, stage):
        assert reader.errors == [], reader.errors
    _, reads, errors, _, longest_gap_ms, _ = board.last("BOARD").split()  # type: ignore[union-attr]
    assert (int(errors), int(reads) > 1) == (0, True)
    assert float(longest_gap_ms) < 1000, "the stage board went a second without a fresh read"


def test_one_family_at_both_doors_at_once_is_admitted_once(school: School) -> None:
    """20 races for one fresh family each: exactly one door admits, the other names it."""
    winners: dict[str, int] = defaultdict(int)
    for family in range(20):
        token = school.tokens("valid")[family]
        doors: list[Worker] = [
            start_worker("checkin", school.db_path, "--kiosk", name, "--run", str(family),
                         "--scan", token, "--hold")
            for name in ("door-a", "door-b")
        ]
        for door in doors:
            door.go()
        for door in doors:
            door.finish()
            assert door.errors == []
        decisions = [door.confirmed[0] for door in doors]
        first = [d for d in decisions if d.code.startswith("admitted")]
        assert len(first) == 1, decisions
        winner = "door-a" if first[0] is decisions[0] else "door-b"
        other = decisions[1] if winner == "door-a" else decisions[0]
        assert (other.code, other.first_kiosk) == ("re_entry", winner)
        winners[winner] += 1
    assert sum(winners.values()) == 20
    assert_file_sound(school.db_path)
