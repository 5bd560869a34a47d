"""Who may be filmed: the fail-safe consent rules, pure functions over plain data.

A pupil may be filmed at an event only if event-recording consent is granted, not
expired on the event date, not withdrawn, and no guardian refused. Anything else
(missing, not returned, expired, withdrawn, disputed) means no. An item of the running
order is `allowed` (own child only) iff every performer may be filmed; staff may make
an item stricter, never looser. Dates are passed in; nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

EVENT_RECORDING = "event_recording"
CATEGORIES = ("event_recording", "website", "social_media", "press")


class Value(StrEnum):
    """What a person answered on the consent form."""

    GRANTED = "granted"
    REFUSED = "refused"
    NOT_RETURNED = "not_returned"


class State(StrEnum):
    """Why a pupil may or may not be filmed (staff-only detail; never on the door screen)."""

    GRANTED = "granted"
    MISSING = "missing"
    NOT_RETURNED = "not_returned"
    REFUSED = "refused"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    DISPUTED = "disputed"


class ItemStatus(StrEnum):
    """Derived filming status of one item of the running order."""

    ALLOWED = "allowed"
    NO_FILMING = "no_filming"


@dataclass(frozen=True)
class ConsentRecord:
    """One answer about one pupil and one category, from one person (or the MIS)."""

    value: str
    given_by: str = "school record"
    valid_until: date | None = None
    withdrawn: bool = False


def consent_state(records: Iterable[ConsentRecord], on: date) -> State:
    """Classify a pupil's answers for one category on a given date, failing safe."""
    records = list(records)
    if not records:
        return State.MISSING
    if any(r.withdrawn for r in records):
        return State.WITHDRAWN
    refused = any(r.value == Value.REFUSED for r in records)
    granted = [r for r in records if r.value == Value.GRANTED]
    if refused:
        return State.DISPUTED if granted else State.REFUSED
    if any(r.value not in (Value.GRANTED, Value.REFUSED) for r in records):
        return State.NOT_RETURNED
    if any(r.valid_until is not None and r.valid_until < on for r in granted):
        return State.EXPIRED
    return State.GRANTED


def may_film(records: Iterable[ConsentRecord], on: date) -> bool:
    """True only when every answer grants, none is expired on `on`, none withdrawn."""
    return consent_state(records, on) is State.GRANTED


@dataclass(frozen=True)
class ItemSpec:
    """An item of the running order as plain data: who performs and any staff marking."""

    id: int
    title: str
    classes: tuple[str, ...] = ()
    pupils: tuple[str, ...] = ()
    staff_no_filming: bool = False
    starts_at: str | None = None


@dataclass(frozen=True)
class ItemResult:
    """An item's derived status with the counts staff need (never names)."""

    item: ItemSpec
    status: ItemStatus
    performers: frozenset[str] = field(default_factory=frozenset)
    not_filmable: frozenset[str] = field(default_factory=frozenset)
    staff_marked: bool = False

    @property
    def performer_count(self) -> int:
        """How many pupils are on stage for this item."""
        return len(self.performers)

    @property
    def not_filmable_count(self) -> int:
        """How many performers may not be filmed."""
        return len(self.not_filmable)


def item_performers(item: ItemSpec, pupils_by_class: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """The pupils on stage for an item: its named pupils plus every pupil of its classes."""
    members = set(item.pupils)
    for class_name in item.classes:
        members.update(pupils_by_class.get(class_name, ()))
    return frozenset(members)


def derive_item(
    item: ItemSpec,
    pupils_by_class: Mapping[str, Iterable[str]],
    filmable: Mapping[str, bool],
) -> ItemResult:
    """Derive one item's status; a pupil absent from `filmable` counts as not filmable.

    An item with no pupil on stage is `no_filming`: there is no own child to film, and
    staff may never be filmed.
    """
    performers = item_performers(item, pupils_by_class)
    blocked = frozenset(p for p in performers if not filmable.get(p, False))
    allowed = bool(performers) and not blocked and not item.staff_no_filming
    return ItemResult(
        item=item,
        status=ItemStatus.ALLOWED if allowed else ItemStatus.NO_FILMING,
        performers=performers,
        not_filmable=blocked,
        staff_marked=item.staff_no_filming,
    )


def derive_items(
    items: Iterable[ItemSpec],
    pupils_by_class: Mapping[str, Iterable[str]],
    filmable: Mapping[str, bool],
) -> list[ItemResult]:
    """Derive every item of a running order, in the order given."""
    return [derive_item(item, pupils_by_class, filmable) for item in items]
