"""A tiny fictional school for the check-in tests: one family per door colour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.events import add_item, create_event
from kiosk.passes.issuing import issue_pass
from kiosk.passes.token import SECRET_BYTES, encode_token, hash_secret
from kiosk.store import Store

# (family, surname, pupil id, first name, preferred name, class, consent)
PUPILS = [
    ("F-GREEN", "Greenwood", "P1", "Leonard", "Leo", "R", "granted"),
    ("F-GREEN", "Greenwood", "P2", "Isla", None, "R", "granted"),
    ("F-AMBER", "Ambleside", "P3", "Amara", None, "2B", "granted"),
    ("F-NOCON", "Nocton", "P4", "Ben", None, "2B", "refused"),
    ("F-AWAY", "Awayday", "P5", "Dev", None, "6", "granted"),
]


@dataclass
class School:
    """A tiny school: one pass per family, a nativity and a seated concert."""

    store: Store
    now: datetime
    tokens: dict[str, str]
    refs: dict[str, str]
    steward: int
    lead: int


def fixed_pass(store: Store, family: str, number: int, now: datetime) -> tuple[str, str]:
    """A pass with a token and reference fixed by `number` (for snapshots); (token, ref)."""
    secret = bytes([number]) * SECRET_BYTES
    ref = f"RF{number:02d}"
    store.passes.insert({"family_id": family, "ref": ref, "secret_hash": hash_secret(secret),
                       "label": None, "valid_from": now.date().isoformat(),
                       "valid_until": "2099-08-31", "issued_at": now.isoformat()})
    return encode_token(secret), ref


def build_school(store: Store, now: datetime, *, fixed: bool = False) -> School:
    """Families, pupils, consents, two events and a pass per family (fixed ones if asked)."""
    stamp = now.isoformat()
    for family, surname, pid, first, preferred, class_name, consent in PUPILS:
        store.families.upsert_family({"id": family, "display_name": surname, "created_at": stamp,
                             "updated_at": stamp})
        store.families.upsert_pupil({"id": pid, "family_id": family, "first_name": first,
                            "preferred_name": preferred, "surname": surname,
                            "class_name": class_name, "year_group": class_name,
                            "updated_at": stamp})
        store.families.upsert_consent({"pupil_id": pid, "category": "event_recording",
                                       "value": consent,
                              "given_by": "school record", "recorded_at": stamp})
    create_event(store, "nativity", "Nativity", now.date(), now=now)
    add_item(store, "nativity", "Little Donkey", now=now, classes=["R"])
    add_item(store, "nativity", "Away in a Manger", now=now, classes=["2B"])
    create_event(store, "concert", "Concert", now.date(), now=now, open_to_all=True,
                 seats_per_family=3)
    add_item(store, "concert", "Recorders", now=now, classes=["R"])
    tokens, refs = {}, {}
    for number, family in enumerate(dict.fromkeys(p[0] for p in PUPILS), start=1):
        if fixed:
            tokens[family], refs[family] = fixed_pass(store, family, number, now)
        else:
            issued = issue_pass(store, family, now=now)
            tokens[family], refs[family] = issued.token, issued.ref
    # Rows straight in: these tests never check a PIN, and argon2 hashing is slow on purpose.
    steward = store.staff.insert({"name": "Sam Steward", "role": "steward",
                                  "pin_hash": "unused", "created_at": stamp})
    lead = store.staff.insert({"name": "Lee Lead", "role": "lead", "pin_hash": "unused",
                               "created_at": stamp})
    return School(store, now, tokens, refs, steward, lead)
