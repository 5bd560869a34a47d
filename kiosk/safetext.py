"""Make untrusted text safe to show: no control, escape or bidi-override characters."""

from __future__ import annotations

import unicodedata

MAX_SHOWN = 200
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def safe_text(value: object, limit: int = MAX_SHOWN) -> str:
    """Printable text for a screen or table: controls become '?', long text is cut with '…'.

    Removes ANSI escapes (ESC is a control), NUL, bidirectional overrides and other
    format characters that could reorder or hide what a steward reads.
    """
    text = str(value)
    cleaned = []
    for char in text[: limit + 1]:
        category = unicodedata.category(char)
        if char in _BIDI_CONTROLS or category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            cleaned.append("?")
        else:
            cleaned.append(char)
    shown = "".join(cleaned)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
