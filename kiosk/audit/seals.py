"""Canonical JSON and keyed seals: how chained detail commits to rows without holding them.

A seal is an HMAC under the audit key (kept beside the database, never in it), so an entry
can bind a family, a pass row, a violation's children or text without the MIS id or the
text in readable form, and nobody holding the file alone can make one that matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.audit.terms import Subject
from kiosk.security.chain import canonical
from kiosk.store import Store


def seal(store: Store, kind: str, *values: object) -> str:
    """A keyed digest binding values (a family id, a pass row, children) into chained detail.

    HMAC under the audit key, so the chain can name a family or commit to a row without
    holding the MIS id in readable form, and nobody with the file alone can forge one.
    """
    return store.keys.sign(canonical([kind, *values]))[:32]


PASS_SEALED = ("id", "family_id", "ref", "secret_hash", "valid_from", "valid_until",
               "issued_at")
"""The pass columns a `pass.issued` entry commits to (a row inserted by hand has no seal)."""


def pass_seal(store: Store, row: Mapping[str, Any]) -> str:
    """The seal of one pass row's identity, family, secret hash and validity."""
    return seal(store, "pass", *(row[name] for name in PASS_SEALED))


def family_subject(store: Store, family_id: str) -> Subject:
    """The subject of an entry about a whole family: sealed, never the MIS id itself."""
    return Subject.of("family", seal(store, "family", family_id))


