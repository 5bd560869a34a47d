"""A paste into the door screen is a scan: the tablet camera's codes arrive this way.

The hub (kiosk serve) types each code the tablet's camera read as a bracketed paste
`kiosk-scan:NONCE:CODE`; the nonce makes a scan resent after a lost connection record one
check-in. Any other paste (a Bluetooth scanner or keyboard pasting text) is one code,
dropped when it repeats within the scanner gap like a handheld scanner's double send.
The hub also says whether the page's camera is on (`kiosk-camera:on` / `kiosk-camera:off`,
e.g. the browser refused it), so the ready card can say how else to scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.scanner.dedup import KeyboardScans

SCAN_PREFIX = "kiosk-scan:"  # written by kiosk.serve.apps
CAMERA_STATES = {"kiosk-camera:on": True, "kiosk-camera:off": False}  # kiosk.serve.apps
MAX_PASTE = 512
_ENVELOPE = re.compile(r"kiosk-scan:([0-9a-f]{32}):(.*)", re.DOTALL)


@dataclass(frozen=True)
class PastedScan:
    """A code from a paste, how it came, and the nonce it must be recorded under."""

    code: str
    method: str
    nonce: str | None


def from_hub(text: str) -> bool:
    """True for a paste the hub typed (a tablet camera's scan or its camera state), never
    a person's: it belongs to the door whatever screen is up, not to a focused field."""
    return text in CAMERA_STATES or _ENVELOPE.fullmatch(text) is not None


def camera_state(text: str) -> bool | None:
    """True or False when the paste is the tablet page's camera state, else None."""
    return CAMERA_STATES.get(text)


def pasted_scan(text: str, now: float, repeats: KeyboardScans, kiosk_id: str) -> PastedScan | None:
    """The scan in a paste, or None (nothing worth trying, or a repeat of the last code)."""
    envelope = _ENVELOPE.fullmatch(text)
    if envelope is not None:
        code = envelope.group(2)[:MAX_PASTE]
        return PastedScan(code, "camera", f"tablet:{kiosk_id}:{envelope.group(1)}")
    code = " ".join(text.split())[:MAX_PASTE]
    if not code or repeats.submit(code, now) is None:
        return None
    return PastedScan(code, "scanner", None)
