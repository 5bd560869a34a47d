"""Keyboard-wedge capture: a handheld scanner "types" the code fast, then presses Enter.

A screen with `WedgeKeys` feeds every printable key that no widget took into a
`WedgeBuffer`; Enter hands the code to the screen's `handle_scan`. A pause longer than
`max_gap` between characters starts a new code, so a stray key pressed long ago is never
glued onto the next scan; the same code again within the repeat gap (scanners often send
twice) is dropped, as the camera path drops a code still in view. While a code is
arriving, letters and digits that are also keys of their own (the demo key, a party-size
number) belong to the code.

A person typing is slower than `max_gap`: a screen with a code box takes such typing into
the box (`slow_typing`), so a steward typing a code key by key loses nothing; so does
Enter pressed after a pause (a quick hand that looked up before pressing it) or after too
few characters for a scanner. A key left alone longer than `HUMAN_GAP` is still never
glued on.
"""

from __future__ import annotations

from textual import events

from kiosk.scanner.dedup import DEFAULT_GAP_S, KeyboardScans

MAX_GAP = 0.5  # seconds; scanners type a character every few milliseconds
HUMAN_GAP = 5.0  # seconds; slower than this between two keys is not one code
MIN_LENGTH = 4
MAX_LENGTH = 512


class WedgeBuffer:
    """Characters typed by a scanner (or a quick hand) since the last pause."""

    def __init__(self, max_gap: float = MAX_GAP, min_length: int = MIN_LENGTH,
                 max_length: int = MAX_LENGTH, repeat_gap_s: float = DEFAULT_GAP_S) -> None:
        self.repeats = KeyboardScans(repeat_gap_s)
        self.max_gap = max_gap
        self.min_length = min_length
        self.max_length = max_length
        self._chars: list[str] = []
        self._last = float("-inf")

    def active(self, t: float) -> bool:
        """True while a code is arriving (characters kept, the last one recent)."""
        return bool(self._chars) and t - self._last <= self.max_gap

    def slow(self, t: float) -> str:
        """What was typed before a pause too long for a scanner but short for a person."""
        if self._chars and self.max_gap < t - self._last <= HUMAN_GAP:
            return "".join(self._chars)
        return ""

    def by_hand(self, t: float) -> str:
        """What a person typed before an Enter at `t`: a pause before it, or a short code."""
        text = "".join(self._chars)
        if not text.strip() or t - self._last > HUMAN_GAP:
            return ""
        slow = t - self._last > self.max_gap
        return text if slow or len(text.strip()) < self.min_length else ""

    def clear(self) -> None:
        """Forget what was typed (it went elsewhere)."""
        self._chars.clear()

    def feed(self, char: str, t: float) -> None:
        """Add one typed character that arrived at monotonic time `t`."""
        if not self.active(t):
            self._chars.clear()
        if len(self._chars) < self.max_length:
            self._chars.append(char)
        self._last = t

    def finish(self, t: float) -> str | None:
        """Enter was pressed: the code typed so far, or None if none worth trying (or a repeat)."""
        text = "".join(self._chars) if self.active(t) else ""
        self._chars.clear()
        if len(text.strip()) < self.min_length or self.repeats.submit(text, t) is None:
            return None
        return text


class WedgeKeys:
    """Screen mixin: capture a keyboard-wedge scanner anywhere, no focus needed.

    Mix into a Screen that sets `self.wedge = WedgeBuffer()` and has
    `handle_scan(text, method)`.
    """

    wedge: WedgeBuffer

    def slow_typing(self, text: str) -> bool:
        """Someone is typing by hand: take `text` somewhere (True), or drop it (False)."""
        return False

    def on_key(self, event: events.Key) -> None:
        """Keys no widget took are a scanner typing; Enter hands the code over."""
        if event.key == "enter":
            typed = self.wedge.by_hand(event.time)
            code = self.wedge.finish(event.time)
            if code is not None or (typed and self.slow_typing(typed)):
                event.stop()
                event.prevent_default()
            if code is not None:
                self.handle_scan(code, "scanner")  # type: ignore[attr-defined]
            return
        char = event.character
        if not event.is_printable or char is None:
            return
        bound = event.key in self.app.active_bindings  # type: ignore[attr-defined]
        if bound and not self.wedge.active(event.time):
            return  # a key of its own (the demo key, a number) when no code is arriving
        event.stop()
        event.prevent_default()
        typed = self.wedge.slow(event.time)
        if typed and self.slow_typing(typed + char):
            self.wedge.clear()
            return
        self.wedge.feed(char, event.time)
