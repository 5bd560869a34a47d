"""Hash-chained audit log: every decision and staff action, tamper-evident per kiosk.

hash = SHA-256(previous hash + canonical entry). Personal details go to a separate
row (salted digest in the chain), so they can be purged without breaking the chain.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

from kiosk.store import Store

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Stable JSON text: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical entry (without its own hash)."""
    return hashlib.sha256((prev_hash + canonical(entry)).encode("utf-8")).hexdigest()


CHAINED_FIELDS = (
    "kiosk_id", "seq", "at", "actor", "action", "subject", "detail", "personal_digest"
)


def append(
    store: Store,
    *,
    kiosk_id: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
    family_id: str | None = None,
) -> int:
    """Append one entry to `kiosk_id`'s chain; return its id.

    `detail` must hold nothing personal (codes, ids, counts); names and free text go in
    `personal`, tied to `family_id` for subject access and erasure. Call it inside the
    caller's `store.immediate()` so the entry commits with the change it records.
    """
    with store.immediate():
        last = store.last_audit_entry(kiosk_id)
        personal_text = None
        digest = None
        if personal is not None:
            personal_text = canonical({"salt": secrets.token_hex(16), **personal})
            digest = hashlib.sha256(personal_text.encode("utf-8")).hexdigest()
        entry = {
            "kiosk_id": kiosk_id,
            "seq": (last["seq"] + 1) if last else 1,
            "at": at.isoformat(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": canonical(detail or {}),
            "personal_digest": digest,
        }
        prev = last["hash"] if last else GENESIS
        entry_id = store.insert_audit_entry(
            {**entry, "prev_hash": prev, "hash": entry_hash(prev, entry)}
        )
        if personal_text is not None:
            store.insert_audit_personal(entry_id, family_id, personal_text)
    return entry_id
