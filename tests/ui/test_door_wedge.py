"""The keyboard-wedge buffer: a fast burst then Enter is one code; a pause starts afresh."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.ui.wedge import MAX_GAP, WedgeBuffer

printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=80)


@given(code=printable, gap=st.floats(0, MAX_GAP * 0.9))
def test_a_burst_then_enter_gives_back_exactly_what_was_typed(code: str, gap: float) -> None:
    buffer = WedgeBuffer()
    t = 100.0
    for char in code:
        buffer.feed(char, t)
        t += gap
    result = buffer.finish(t - gap)
    assert result == (code if len(code.strip()) >= buffer.min_length else None)
    assert buffer.finish(t) is None  # Enter again: nothing left over


@given(stale=printable, code=printable)
def test_a_pause_drops_what_came_before(stale: str, code: str) -> None:
    buffer = WedgeBuffer()
    for char in stale:
        buffer.feed(char, 0.0)
    t = MAX_GAP + 1.0
    for char in code:
        buffer.feed(char, t)
    assert buffer.finish(t) == (code if len(code.strip()) >= 4 else None)
    assert not buffer.active(t)


def test_enter_long_after_the_last_key_is_ignored_and_length_is_capped() -> None:
    buffer = WedgeBuffer(max_length=10)
    for char in "KP1:ABCDEFGHIJKLMNOP":
        buffer.feed(char, 0.0)
    assert buffer.finish(0.0) == "KP1:ABCDEF"
    for char in "KP1:ABCD":
        buffer.feed(char, 0.0)
    assert buffer.finish(MAX_GAP * 2) is None
