"""SQL for events, running-order items, their performers, and "now on stage"."""

from __future__ import annotations

from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import EventRow, ItemRow, PerformerRow


class EventTable(Area):
    """Events and their running orders."""

    def get(self, event_id: str) -> EventRow | None:
        """One event row, or None."""
        return cast(EventRow | None, self.query_one(
            "SELECT * FROM events WHERE id = ?", (event_id,)
        ))

    def all(self) -> list[EventRow]:
        """Every event, by date."""
        return cast(list[EventRow], self.query("SELECT * FROM events ORDER BY date, id"))

    def insert(self, row: dict[str, Any]) -> None:
        """Create an event (fails with IntegrityError when the id is taken)."""
        with self.immediate():
            self.table("events").insert(row)

    def items(self, event_id: str) -> list[ItemRow]:
        """The running order of an event, in position order."""
        return cast(list[ItemRow], self.query(
            "SELECT * FROM items WHERE event_id = ? ORDER BY position", (event_id,)
        ))

    def item(self, item_id: int) -> ItemRow | None:
        """One item row, or None."""
        return cast(ItemRow | None, self.query_one("SELECT * FROM items WHERE id = ?", (item_id,)))

    def performers(self, event_id: str) -> list[PerformerRow]:
        """Every performer row (class or pupil) of an event's items."""
        return cast(list[PerformerRow], self.query(
            "SELECT p.* FROM item_performers p JOIN items i ON i.id = p.item_id"
            " WHERE i.event_id = ? ORDER BY p.item_id, p.id",
            (event_id,),
        ))

    def insert_item(
        self, event_id: str, title: str, performers: list[tuple[str, str]], **extra: Any
    ) -> int:
        """Append an item to the running order with its (kind, ref) performers."""
        with self.immediate():
            position = self.scalar(
                "SELECT COALESCE(MAX(position), 0) + 1 AS next FROM items WHERE event_id = ?",
                (event_id,),
            )
            item_id = self.insert_row(
                "items", {"event_id": event_id, "position": position, "title": title, **extra}
            )
            for kind, ref in performers:
                self.table("item_performers").insert(
                    {"item_id": item_id, "kind": kind, "ref": ref}
                )
        return item_id

    def set_item_staff_no_filming(self, item_id: int, marked: bool, reason: str | None) -> None:
        """Mark (or unmark) an item stricter than its data: no filming by staff decision."""
        self.execute(
            "UPDATE items SET staff_no_filming = ?, staff_reason = ? WHERE id = ?",
            (int(marked), reason if marked else None, item_id),
        )

    def set_now_on_stage(self, event_id: str, item_id: int | None) -> None:
        """Record which item is on stage now (None before the first and after the last)."""
        self.execute(
            "UPDATE events SET now_on_stage = ? WHERE id = ?", (item_id, event_id)
        )
