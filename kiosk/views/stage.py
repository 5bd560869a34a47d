"""What the audience-facing stage board says: the item on stage and whether filming is allowed.

No personal data: an item's title and its derived status only. Fail safe: before the
first item, after the last, or when the event cannot be read, the board says no filming.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.consent import ItemStatus
from kiosk.events import running_order
from kiosk.safetext import safe_text
from kiosk.store import Store

ALLOWED_MESSAGE = "Filming allowed - your own child only"
NO_FILMING_MESSAGE = "No filming please - devices away"


@dataclass(frozen=True)
class StageState:
    """One frame of the stage board."""

    event_name: str
    item_title: str | None
    position: int | None
    allowed: bool

    @property
    def message(self) -> str:
        """The sentence the board shows very large."""
        return ALLOWED_MESSAGE if self.allowed else NO_FILMING_MESSAGE

    @property
    def headline(self) -> str:
        """'Now on stage: <item>', or a plain line when nothing is on stage."""
        if self.item_title is None:
            return "Nothing on stage just now"
        return f"Now on stage: {self.item_title}"


def stage_state(store: Store, event_id: str) -> StageState:
    """The board's content for an event, derived afresh from the data (consent can change)."""
    order = running_order(store, event_id)
    current = order.now_on_stage
    name = safe_text(order.event["name"])
    if current is None:
        return StageState(event_name=name, item_title=None, position=None, allowed=False)
    position = next(i for i, r in enumerate(order.items, start=1) if r is current)
    return StageState(
        event_name=name,
        item_title=safe_text(current.item.title),
        position=position,
        allowed=current.status is ItemStatus.ALLOWED,
    )
