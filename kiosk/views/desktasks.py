"""Role-checked reads behind staff mode's night tasks: consent changes, lost passes, PINs.

Consent changes and lost passes are for a lead and above, PIN resets for an admin: each
read checks the signed-in member's role here, without the UI (the changes themselves are
checked by their services). A family's children with whether each may be filmed is the
no-consent list for one family, so reading it is audited (counts only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor, Subject
from kiosk.checkin.doorview import FamilyView, child_name
from kiosk.checkin.lists import FamilyMatch, family_door_view, find_families
from kiosk.consent import ItemStatus
from kiosk.events import filmable, running_order
from kiosk.families import get_family
from kiosk.passes.verification import pass_state
from kiosk.staff import Role, active_staff_names, require_role
from kiosk.store import Store

OFFICE = "office"  # who gave an answer taken by the office or at the desk, not a guardian
PASS_WORDS = {"ok": "works", "revoked": "cancelled", "expired": "expired",
              "not_yet_valid": "not valid yet"}


@dataclass(frozen=True)
class ChildConsent:
    """One child of a family as the consent desk shows it (a lead and above only)."""

    pupil_id: str
    name: str  # first (or preferred) name: staff found the family by its name already
    class_name: str
    filmable: bool
    items: tuple[tuple[str, bool], ...]  # (title, filming allowed) of the event's items
    askers: tuple[str, ...]  # who may give an answer: the child's guardians, then the office


@dataclass(frozen=True)
class FamilyPass:
    """One of a family's passes by its printed reference (never its secret)."""

    ref: str
    label: str | None
    state: str  # works, cancelled, expired, not valid yet
    issued_on: str

    @property
    def works(self) -> bool:
        """True while this pass still admits at the door."""
        return self.state == PASS_WORDS["ok"]


@dataclass(frozen=True)
class LostPassView:
    """A family at the lost-pass desk: its passes, its door view, whether it is in."""

    family_id: str
    family_name: str
    passes: tuple[FamilyPass, ...]
    view: FamilyView
    checked_in: bool
    seats_per_family: int | None  # when set, a manual check-in needs the party size


def task_families(store: Store, text: str, event_id: str, *,
                  staff_id: int) -> list[FamilyMatch]:
    """Families by surname or a child's first name, for the night tasks; lead and above."""
    require_role(store, staff_id, Role.LEAD)
    return find_families(store, text, event_id=event_id)


def family_consents(store: Store, event_id: str, family_id: str, *, staff_id: int,
                    now: datetime, kiosk_id: str) -> list[ChildConsent]:
    """The family's children, may each be filmed, their items; lead and above, audited."""
    staff = require_role(store, staff_id, Role.LEAD)
    get_family(store, family_id)
    order = running_order(store, event_id)
    pupils = store.families.pupils_of_family(family_id)
    allowed = filmable(store, [p["id"] for p in pupils], date.fromisoformat(order.event["date"]))
    children = [
        ChildConsent(
            pupil_id=p["id"], name=child_name(p), class_name=p["class_name"],
            filmable=allowed[p["id"]],
            items=tuple((r.item.title, r.status is ItemStatus.ALLOWED)
                        for r in order.items_for_pupils([p["id"]])),
            askers=(*(g["name"] for g in store.families.guardians_of_pupil(p["id"])), OFFICE),
        )
        for p in pupils
    ]
    with store.immediate():
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
                     action="children.names_shown", subject=Subject.of("event", event_id),
                     detail={"purpose": "consent_desk", "children": len(children)})
    return children


def lost_pass_view(store: Store, event_id: str, family_id: str, *, staff_id: int,
                   today: date) -> LostPassView:
    """A family's passes and door view, to cancel a lost pass and let them in; lead and above."""
    require_role(store, staff_id, Role.LEAD)
    family = get_family(store, family_id)
    passes = tuple(
        FamilyPass(row["ref"], row["label"], PASS_WORDS[pass_state(row, today)],
                   row["issued_at"][:10])
        for row in store.passes.all(family_id)
    )
    view = family_door_view(store, event_id, family_id)
    seats = running_order(store, event_id).event["seats_per_family"]
    return LostPassView(family_id, family["display_name"], passes, view,
                        family_id in store.checkins.admitted_family_ids(event_id),
                        seats or None)


def staff_to_reset(store: Store, *, staff_id: int) -> list[str]:
    """Names of active staff whose PIN an admin may reset; admin only."""
    require_role(store, staff_id, Role.ADMIN)
    return active_staff_names(store)
