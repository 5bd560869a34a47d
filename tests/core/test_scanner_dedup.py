"""One scan per presentation: consecutive frames, a gap, and handheld scanners sending twice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.scanner.dedup import Deduplicator, KeyboardScans


def test_a_code_held_in_view_is_one_scan() -> None:
    dedup = Deduplicator(gap_s=3.0)
    sightings = [dedup.seen("A", t / 15) for t in range(150)]  # ten seconds at 15 fps
    assert sightings.count(True) == 1 and sightings[0]


def test_the_same_code_counts_again_after_the_gap() -> None:
    dedup = Deduplicator(gap_s=3.0)
    assert dedup.seen("A", 10.0)
    assert not dedup.seen("A", 12.9)  # still the same presentation
    assert not dedup.seen("A", 15.8)  # last seen at 12.9: under 3 s away
    assert dedup.seen("A", 18.8)  # away for 3 s: shown again


def test_codes_are_independent() -> None:
    dedup = Deduplicator()
    assert dedup.seen("A", 0.0) and dedup.seen("B", 0.1)
    assert not dedup.seen("A", 0.2) and not dedup.seen("B", 0.3)


def test_gap_is_configurable_and_reset_forgets() -> None:
    dedup = Deduplicator(gap_s=0.5)
    assert dedup.seen("A", 0.0) and dedup.seen("A", 0.6)
    dedup.reset()
    assert dedup.seen("A", 0.7)
    with pytest.raises(ValueError, match="negative"):
        Deduplicator(gap_s=-1)


def test_many_codes_do_not_grow_memory_forever() -> None:
    dedup = Deduplicator(gap_s=1.0)
    for i in range(1000):
        dedup.seen(f"code-{i}", float(i))
    assert len(dedup._last_seen) <= 66


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=60),
       st.floats(0.1, 10))
def test_events_are_exactly_the_sightings_after_a_quiet_gap(times: list[float],
                                                           gap: float) -> None:
    times = sorted(times)
    dedup = Deduplicator(gap_s=gap)
    got = [dedup.seen("A", t) for t in times]
    expected = [i == 0 or times[i] - times[i - 1] >= gap for i in range(len(times))]
    assert got == expected


def test_a_scanner_sending_the_code_twice_is_one_scan() -> None:
    scans = KeyboardScans(gap_s=3.0)
    first = scans.submit("KP1:ABC\n", 100.0)
    assert first is not None and first.text == "KP1:ABC" and first.origin == "scanner"
    assert first.corners is None
    assert scans.submit("KP1:ABC", 100.05) is None
    assert scans.submit("   ", 100.1) is None
    assert scans.submit("KP1:ABC", 104.0) is not None  # shown again later


def test_keyboard_lines_split_and_typed_origin() -> None:
    scans = KeyboardScans()
    events = scans.submit_lines("KP1:ONE\r\nKP1:ONE\r\nKP1:TWO\r\n", 5.0, origin="keyboard")
    assert [(e.text, e.origin, e.t) for e in events] == [("KP1:ONE", "keyboard", 5.0),
                                                          ("KP1:TWO", "keyboard", 5.0)]
