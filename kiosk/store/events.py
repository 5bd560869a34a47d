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

    def class_names(self) -> list[str]:
        """Every class with a pupil on roll, as the roster spells it."""
        return [r["class_name"] for r in self.query(
            "SELECT DISTINCT class_name FROM pupils WHERE on_roll = 1 ORDER BY class_name"
        )]

    def update(self, event_id: str, changes: dict[str, Any]) -> None:
        """Change some columns of an event (names come from the service, never from input)."""
        sets = ", ".join(f"{column} = :{column}" for column in changes)
        self.execute(f"UPDATE events SET {sets} WHERE id = :id", {**changes, "id": event_id})

    def update_item(self, item_id: int, changes: dict[str, Any]) -> None:
        """Change an item's title or start time."""
        sets = ", ".join(f"{column} = :{column}" for column in changes)
        self.execute(f"UPDATE items SET {sets} WHERE id = :id", {**changes, "id": item_id})

    def replace_performers(self, item_id: int, performers: list[tuple[str, str]]) -> None:
        """Set an item's (kind, ref) performers, dropping the old ones."""
        self.execute("DELETE FROM item_performers WHERE item_id = ?", (item_id,))
        for kind, ref in performers:
            self.table("item_performers").insert({"item_id": item_id, "kind": kind, "ref": ref})

    def reorder(self, event_id: str, item_ids: list[int]) -> None:
        """Number the event's items 1..n in this order (via negatives: positions are unique)."""
        for position, item_id in enumerate(item_ids, start=1):
            self.execute("UPDATE items SET position = ? WHERE id = ?", (-position, item_id))
        self.execute("UPDATE items SET position = -position WHERE event_id = ? AND position < 0",
                     (event_id,))

    def delete_item(self, item_id: int) -> None:
        """Remove an item and its performers (the caller checks nothing refers to it)."""
        self.execute("UPDATE events SET now_on_stage = NULL WHERE now_on_stage = ?", (item_id,))
        self.execute("DELETE FROM item_performers WHERE item_id = ?", (item_id,))
        self.execute("DELETE FROM items WHERE id = ?", (item_id,))

    def violations_of_item(self, item_id: int) -> int:
        """How many violations name this item (they keep it: the record stays whole)."""
        return int(self.scalar("SELECT COUNT(*) FROM violations WHERE item_id = ?", (item_id,)))

    def usage(self, event_id: str) -> dict[str, int]:
        """What refers to an event: parties admitted (not undone), check-in rows, violations."""
        row = self.query_one(
            "SELECT (SELECT COUNT(*) FROM checkins WHERE event_id = :e AND undone_at IS NULL"
            "   AND result = 'admitted') AS admitted,"
            " (SELECT COUNT(*) FROM checkins WHERE event_id = :e) AS checkins,"
            " (SELECT COUNT(*) FROM violations WHERE event_id = :e) AS violations",
            {"e": event_id},
        )
        return {k: int(v or 0) for k, v in (row or {}).items()}

    def delete_event(self, event_id: str) -> None:
        """Delete an event with its check-ins, check-outs and running order."""
        self.execute("UPDATE events SET now_on_stage = NULL WHERE id = ?", (event_id,))
        self.execute("DELETE FROM checkouts WHERE event_id = ?", (event_id,))
        self.execute("DELETE FROM checkins WHERE event_id = ?", (event_id,))
        self.execute("DELETE FROM item_performers WHERE item_id IN"
                     " (SELECT id FROM items WHERE event_id = ?)", (event_id,))
        self.execute("DELETE FROM items WHERE event_id = ?", (event_id,))
        self.execute("DELETE FROM events WHERE id = ?", (event_id,))
