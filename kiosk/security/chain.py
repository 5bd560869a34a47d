"""How an audit entry is hashed and linked: keyed (HMAC) now, plain SHA-256 in the first release.

Shared by the chain check (kiosk.audit.log) and the one-time upgrade of a first-release
database (kiosk.store.upgrade), which sit on either side of the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.security.keys import Keys

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "kiosk_id", "seq", "at", "actor", "action", "subject", "detail", "personal_digest"
)
ANCHOR_ACTION = "audit.upgraded"
"""The keyed entry that ends a chain's first-release (SHA-256) part; keyed entries follow."""
CHANGED_KEYED = ("it was changed after it was written (its hash does not match the audit"
                 " key's)")
CHANGED_FIRST_RELEASE = ("it was changed after it was written (its first-release SHA-256 hash"
                         " does not match)")


def canonical(value: Any) -> str:
    """Stable JSON text: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chained(row: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an entry its hash covers (everything but its own links)."""
    return {name: row[name] for name in CHAINED_FIELDS}


def keyed_hash(keys: Keys, prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The audit key's HMAC over the previous hash and the canonical entry."""
    return keys.sign(prev_hash + canonical(entry))


def first_release_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The first release's hash: SHA-256 over the previous hash and the canonical entry."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


def link_reason(row: Mapping[str, Any], expected_seq: int, prev: str) -> str | None:
    """What is wrong with an entry's place in its chain (number, link), or None."""
    if row["seq"] != expected_seq:
        if row["seq"] > expected_seq:
            return f"entries {expected_seq} to {row['seq'] - 1} are missing before it"
        return f"its sequence number repeats or goes back (expected {expected_seq})"
    if row["prev_hash"] != prev:
        return "its link to the previous entry is broken (the previous entry was changed)"
    return None


@dataclass(frozen=True)
class Break:
    """One place a first-release chain does not hold: the entry and what is wrong."""

    seq: int
    entry_id: int
    reason: str


def first_release_breaks(rows: Sequence[Mapping[str, Any]]) -> list[Break]:
    """Every break in a first-release (SHA-256) chain, checked entry by entry to its end.

    Unlike the keyed check it goes on past a break, so the upgrade can record every break
    it found and a later check can tell those from new ones.
    """
    breaks = []
    expected, prev = 1, GENESIS
    for row in rows:
        reason = link_reason(row, expected, prev)
        if reason is None and first_release_hash(prev, chained(row)) != row["hash"]:
            reason = CHANGED_FIRST_RELEASE
        if reason is not None:
            breaks.append(Break(row["seq"], row["id"], reason))
        expected, prev = row["seq"] + 1, row["hash"]
    return breaks
