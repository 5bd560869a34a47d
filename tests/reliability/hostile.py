"""Shared pieces of the hostile-input tests: the fixed corpus and row-count snapshots."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kiosk.safetext import safe_text

CORPUS = Path(__file__).with_name("corpus")
REFUSALS = frozenset({"not_a_pass", "malformed", "unknown_pass", "revoked", "expired",
                      "not_yet_valid", "not_expected", "seats_used_up"})
# What a scanner, a stray QR code or a hostile sticker can put in front of the kiosk.
FRAGMENTS = (
    "KP1:", "kp1:", "KP1", "\x00", "\x1b[2J", "\x1b]0;title\x07", "\x9b31m", "\u202e",
    "\u2066", "\u2069", "\u200b", "\u200e", "\ufeff", "[red]", "[/]", "[link=x]", "\r\n",
    "\t", " ", "=", "'", '"', ";", "%s", "{0}", "\\", "A" * 32, "0", "\U0001f600", "\ud800",
    "\uff2b\uff30\uff11\uff1a", "\u0130", "\u00df",
)
# Characters that must never reach a terminal from data: controls, bidi, format chars.
_DANGEROUS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


@dataclass(frozen=True)
class Scan:
    """One corpus entry: what the scanner delivered and the refusal code expected."""

    name: str
    payload: str | bytes
    expect: str


def load_scans() -> list[Scan]:
    """The fixed corpus of hostile scans (corpus/scans.json)."""
    data = json.loads((CORPUS / "scans.json").read_text(encoding="ascii"))
    scans = []
    for entry in data["scans"]:
        if "hex" in entry:
            payload: str | bytes = bytes.fromhex(entry["hex"])
        else:
            payload = entry["text"] * entry.get("repeat", 1)
        scans.append(Scan(entry["name"], payload, entry["expect"]))
    return scans


def table_counts(db: Path) -> dict[str, int]:
    """Rows in every table of the file (to prove a refusal wrote exactly what it should)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Tables whose row count changed, with the change."""
    return {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}


def is_plain(message: str) -> bool:
    """A message a parent can read: short, printable, no control/bidi chars, ends a sentence."""
    return (
        bool(message.strip()) and len(message) <= 200 and safe_text(message) == message
        and message.rstrip().endswith((".", "!"))
    )


def terminal_safe(text: str) -> bool:
    """No control (except newline), format, bidi or surrogate character in shown text."""
    return not any(
        ch in _DANGEROUS
        or (unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch != "\n")
        for ch in text
    )
