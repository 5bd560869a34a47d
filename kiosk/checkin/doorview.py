"""What the door may show one family: colours, codes, and the family view, in plain words.

Pure functions over plain data (no SQL, no clock). The view holds the family's performing
children by first (or preferred) name and class, the items each appears in and each
item's filming status, restrictions first; and the same items once each, in running
order, naming which of the family's children is in each. Never a surname, never another
family's child, never why a child may not be filmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.consent import ItemResult, ItemStatus
from kiosk.safetext import safe_text
from kiosk.store.rows import PupilRow

GREEN, AMBER, YELLOW, RED = "green", "amber", "yellow", "red"
PASS_CODES = ("not_a_pass", "malformed", "unknown_pass", "revoked", "expired", "not_yet_valid")
CODES = ("admitted", "admitted_restricted", "re_entry", *PASS_CODES, "not_today",
         "outside_hours", "not_expected", "seats_used_up")
ALLOWED_TEXT = "Filming allowed – your own child only"
NO_FILMING_TEXT = "No filming – devices away"
NOTHING_FILMABLE_MESSAGE = ("You're checked in. Please keep devices away during your"
                            " child's items.")
# The policy's standing rules, as every visitor-facing screen shows them (symbol, words).
STANDING_RULES = (
    ("✔", "You may record your own child only."),
    ("✘", "Never record a member of staff."),
    ("✘", "No recording during items marked NO FILMING."),
)
NOT_PERFORMING_NOTICE = (
    "None of your children perform at this event, so please do not film or take photos."
)


def colour_of(code: str) -> str:
    """The card colour for a decision code: green, amber, yellow or red."""
    return {"admitted": GREEN, "admitted_restricted": AMBER, "re_entry": YELLOW}.get(code, RED)


def result_of(code: str) -> str:
    """The checkins.result value for a decision code."""
    return code if code == "re_entry" else "admitted" if code.startswith("admitted") else "refused"


@dataclass(frozen=True)
class ItemLine:
    """One item a child appears in, with its derived filming status in plain words."""

    title: str
    filming_allowed: bool
    status_text: str
    starts_at: str | None = None


@dataclass(frozen=True)
class ChildLine:
    """One of the family's performing children: first (or preferred) name and class only."""

    name: str
    class_name: str
    items: tuple[ItemLine, ...]


@dataclass(frozen=True)
class RunningItem:
    """One of the family's items in running order: which of their children is in it."""

    title: str
    filming_allowed: bool
    status_text: str
    children: tuple[str, ...]  # first (or preferred) names, the family's children only
    starts_at: str | None = None


@dataclass(frozen=True)
class FamilyView:
    """What the door may show one family: restrictions first, each child's items, and
    the family's items once each in running order (what the card lists)."""

    notices: tuple[str, ...]
    children: tuple[ChildLine, ...]
    running: tuple[RunningItem, ...] = ()

    @property
    def restricted(self) -> bool:
        """True when there is a restriction the family must notice."""
        return bool(self.notices)

    @property
    def nothing_filmable(self) -> bool:
        """True when the family's children perform and none of their items may be filmed."""
        return bool(self.running) and not any(item.filming_allowed for item in self.running)


def _item_line(result: ItemResult) -> ItemLine:
    allowed = result.status is ItemStatus.ALLOWED
    return ItemLine(result.item.title, allowed, ALLOWED_TEXT if allowed else NO_FILMING_TEXT,
                    result.item.starts_at)


def child_name(pupil: Mapping[str, Any]) -> str:
    """The name the door shows: preferred name if set, else first name (never a surname)."""
    return (pupil.get("preferred_name") or "").strip() or pupil["first_name"]


def family_view(pupils: list[PupilRow], order: list[ItemResult]) -> FamilyView:
    """Build the door view from the family's pupils and the event's items in running order."""
    def names_in(result: ItemResult) -> tuple[str, ...]:
        return tuple(child_name(p) for p in pupils if p["id"] in result.performers)

    children = tuple(
        ChildLine(name=child_name(pupil), class_name=pupil["class_name"], items=items)
        for pupil in pupils
        if (items := tuple(_item_line(r) for r in order if pupil["id"] in r.performers))
    )
    if not children:
        return FamilyView((NOT_PERFORMING_NOTICE,), ())
    running = tuple(
        RunningItem(line.title, line.filming_allowed, line.status_text, names, line.starts_at)
        for result in order
        if (names := names_in(result))
        for line in (_item_line(result),)
    )
    blocked = dict.fromkeys(item.title for item in running if not item.filming_allowed)
    return FamilyView((no_filming_notice(list(blocked)),) if blocked else (), children, running)


def names_text(names: tuple[str, ...]) -> str:
    """'Leo', 'Isla and Leo', 'Amy, Ben and Cat': the family's children in an item."""
    shown = [safe_text(name, 40) for name in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def no_filming_notice(titles: list[str]) -> str:
    """One sentence naming the family's no-filming items (the restriction shown first)."""
    quoted = [f"“{title}”" for title in titles]
    named = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    return f"No filming during {named}: please keep devices away then."
