"""One builder for the tests' small fictional schools (no tests here).

Each test family keeps its own data (names, ids, consents, the day): tests and snapshots
assert on it. The rows are written here, one way: families with their guardians, pupils,
consents, events with running orders, staff, passes and check-ins, through the store and
the services, as a real kiosk holds them. The per-family modules (checkin_school,
violations_school, staff_school, passes_school, data_protection_school and the
reliability school) only say what their school holds and call these.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher

from kiosk import pins
from kiosk.checkin.service import check_in
from kiosk.events import add_item, create_event
from kiosk.passes.issuing import issue_pass
from kiosk.passes.token import SECRET_BYTES, encode_token, hash_secret
from kiosk.pins import hash_pin
from kiosk.security.keys import Keys, new_keys
from kiosk.staff import add_staff
from kiosk.store import Store

if TYPE_CHECKING:
    import pytest

UTC = timezone(timedelta(0))
NOW = datetime(2026, 12, 10, 17, 45, tzinfo=UTC)  # the evening of the nativity
DAY = NOW.date()
SCHOOL_RECORD = "school record"


@dataclass(frozen=True)
class Family:
    """A family: the name the door may show, and the guardians (linked to every child)."""

    id: str
    display_name: str
    guardians: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pupil:
    """A pupil and their event-recording answer (None: the form never came back)."""

    id: str
    family: str
    first_name: str
    surname: str
    class_name: str
    consent: str | None = "granted"
    preferred_name: str | None = None
    year_group: str | None = None  # default: the class name's first character
    on_roll: bool = True


@dataclass(frozen=True)
class Item:
    """One item of a running order, performed by classes and/or named pupils."""

    title: str
    classes: Sequence[str] = ()
    pupils: Sequence[str] = ()
    starts_at: str | None = None


def add_roster(store: Store, families: Iterable[Family], pupils: Iterable[Pupil], *,
               stamp: str) -> None:
    """Write families, guardians, pupils and consents in one transaction, all dated `stamp`.

    A consent is given by the family's first guardian, else by the school record.
    """
    by_family: dict[str, list[Pupil]] = {}
    for pupil in pupils:
        by_family.setdefault(pupil.family, []).append(pupil)
    with store.immediate():
        for family in families:
            store.families.upsert_family({"id": family.id, "display_name": family.display_name,
                                          "created_at": stamp, "updated_at": stamp})
            guardian_ids = [
                store.families.upsert_guardian({
                    "family_id": family.id, "name": name, "relationship": "parent",
                    "email": f"{name.split()[0].lower()}@example.org"})
                for name in family.guardians
            ]
            given_by = family.guardians[0] if family.guardians else SCHOOL_RECORD
            for pupil in by_family.pop(family.id, []):
                _add_pupil(store, pupil, guardian_ids, given_by, stamp)
    if by_family:
        raise ValueError(f"pupils of unknown families: {sorted(by_family)}")


def _add_pupil(store: Store, pupil: Pupil, guardian_ids: list[int], given_by: str,
               stamp: str) -> None:
    store.families.upsert_pupil({
        "id": pupil.id, "family_id": pupil.family, "first_name": pupil.first_name,
        "preferred_name": pupil.preferred_name, "surname": pupil.surname,
        "class_name": pupil.class_name,
        "year_group": pupil.year_group if pupil.year_group is not None else pupil.class_name[:1],
        "on_roll": 1 if pupil.on_roll else 0, "updated_at": stamp,
    })
    for guardian_id in guardian_ids:
        store.families.link_guardian(pupil.id, guardian_id)
    if pupil.consent is not None:
        store.families.upsert_consent({"pupil_id": pupil.id, "category": "event_recording",
                                       "value": pupil.consent, "given_by": given_by,
                                       "recorded_at": stamp})


def families_of(pupils: Iterable[Pupil], display: dict[str, str]) -> list[Family]:
    """The families of `pupils` in order of first appearance, named by `display`."""
    return [Family(fid, display[fid]) for fid in dict.fromkeys(p.family for p in pupils)]


def add_event(store: Store, event_id: str, name: str, day: date, *, now: datetime,
              items: Iterable[Item] = (), **options: Any) -> list[int]:
    """Create an event (options as for create_event) with its running order; item ids."""
    create_event(store, event_id, name, day, now=now, **options)
    return [add_item(store, event_id, item.title, now=now, classes=item.classes,
                     pupils=item.pupils, starts_at=item.starts_at) for item in items]


def add_staff_members(store: Store, members: Iterable[tuple[str, str, str]], *,
                      now: datetime) -> dict[str, int]:
    """(name, role, PIN) through the staff service (argon2, audited); ids by name."""
    return {name: add_staff(store, name, role, pin, now=now) for name, role, pin in members}


@cache
def shared_pin_hash(keys: Keys | None = None, pin: str = "123456") -> str:
    """One argon2 hash of `pin` under a database's pepper, reused for many fixture staff.

    Without `keys` the hash is under a pepper no database has (for staff never signed in).
    """
    return hash_pin(keys or new_keys(), pin)


def insert_staff_rows(store: Store, members: Iterable[tuple[str, str]], *, pin_hash: str,
                      created_at: str) -> dict[str, int]:
    """(name, role) straight in as rows with one PIN hash, for tests that never add staff."""
    return {name: store.staff.insert({"name": name, "role": role, "pin_hash": pin_hash,
                                      "created_at": created_at})
            for name, role in members}


def fixed_pass(store: Store, family: str, number: int, now: datetime) -> tuple[str, str]:
    """A pass with a token and reference fixed by `number` (for snapshots); (token, ref)."""
    secret = bytes([number]) * SECRET_BYTES
    ref = f"RF{number:02d}"
    store.passes.insert({"family_id": family, "ref": ref, "secret_hash": hash_secret(secret),
                         "label": None, "valid_from": now.date().isoformat(),
                         "valid_until": "2099-08-31", "issued_at": now.isoformat()})
    return encode_token(secret), ref


def issue_passes(store: Store, families: Iterable[str], *, now: datetime,
                 valid_until: date | None = None, fixed: bool = False
                 ) -> dict[str, tuple[str, str]]:
    """One pass per family, issued by the service (or fixed ones); (token, ref) by family."""
    issued: dict[str, tuple[str, str]] = {}
    for number, family in enumerate(families, start=1):
        if fixed:
            issued[family] = fixed_pass(store, family, number, now)
        else:
            made = issue_pass(store, family, now=now, valid_until=valid_until)
            issued[family] = (made.token, made.ref)
    return issued


_nonces = itertools.count(1)


def admit(store: Store, token: str, event_id: str, *, at: datetime, kiosk_id: str = "door-1",
          party_size: int | None = None) -> int:
    """Check a family in with its pass as the door does; the check-in id."""
    decision = check_in(store, token, event_id, now=at, kiosk_id=kiosk_id,
                        nonce=f"n{next(_nonces)}", party_size=party_size)
    if decision.checkin_id is None:
        raise AssertionError(f"fixture check-in refused: {decision.code}")
    return decision.checkin_id


def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters so tests stay fast (the parameters live in each hash)."""
    monkeypatch.setattr(pins, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


class MutableClock:
    """A clock tests move by hand: idle locks and back-offs without sleeping."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.moment += timedelta(seconds=seconds)
