"""One scan per presentation, for camera frames and keyboard-wedge scanners alike.

A code seen in consecutive frames is one presentation. It counts again only after it has
been out of sight for `gap_s` seconds (default 3). Time is passed in (monotonic seconds or
media time) so the rule is testable without waiting.
"""

from __future__ import annotations

from kiosk.scanner.results import ScanEvent, ScanOrigin

DEFAULT_GAP_S = 3.0


class Deduplicator:
    """Decides whether a sighting of a code starts a new presentation."""

    def __init__(self, gap_s: float = DEFAULT_GAP_S) -> None:
        if gap_s < 0:
            raise ValueError("the de-duplication gap cannot be negative")
        self.gap_s = gap_s
        self._last_seen: dict[str, float] = {}

    def seen(self, text: str, now: float) -> bool:
        """Record a sighting at `now`; True when it is a new presentation (emit a scan)."""
        self._forget_before(now - self.gap_s)
        last = self._last_seen.get(text)
        self._last_seen[text] = now if last is None else max(last, now)
        return last is None or now - last >= self.gap_s

    def reset(self) -> None:
        """Forget every code (a new session, or the source restarted)."""
        self._last_seen.clear()

    def _forget_before(self, cutoff: float) -> None:
        if len(self._last_seen) > 64:  # keep memory bounded on a busy door
            self._last_seen = {t: s for t, s in self._last_seen.items() if s > cutoff}


class KeyboardScans:
    """Codes a handheld scanner types (text + Enter) as ScanEvents, de-duplicated like frames.

    Scanners often send a code twice in quick succession; the second is dropped. Feed it
    the finished line (for instance from kiosk.ui.wedge.WedgeBuffer.finish).
    """

    def __init__(self, gap_s: float = DEFAULT_GAP_S) -> None:
        self._dedup = Deduplicator(gap_s)

    def submit(self, text: str, now: float, origin: ScanOrigin = "scanner") -> ScanEvent | None:
        """A ScanEvent for a new presentation, None for a repeat or an empty line."""
        line = text.strip()
        if not line or not self._dedup.seen(line, now):
            return None
        return ScanEvent(line, origin, now)

    def submit_lines(self, text: str, now: float,
                     origin: ScanOrigin = "scanner") -> list[ScanEvent]:
        """Each new code in text that may hold several Enter-terminated lines."""
        events = (self.submit(line, now, origin) for line in text.splitlines())
        return [e for e in events if e is not None]
