"""SQL for the e-mail outbox: queue once, claim before sending, mark sent exactly once."""

from __future__ import annotations

from typing import Any

from kiosk.store.base import Area


class OutboxTable(Area):
    """Messages waiting for (or done with) the mail server; see migration m006."""

    def queue(self, row: dict[str, Any]) -> int | None:
        """Insert a message unless its `dedupe_key` is queued already; return the new id."""
        with self.immediate():
            cursor = self.conn.execute(
                "INSERT INTO outbox (kind, dedupe_key, created_at, subject, body, message_id,"
                " next_attempt_at) VALUES (:kind, :dedupe_key, :created_at, :subject, :body,"
                " :message_id, :next_attempt_at) ON CONFLICT (dedupe_key) DO NOTHING",
                row,
            )
            return cursor.lastrowid if cursor.rowcount == 1 else None

    def get(self, message_id: int) -> dict[str, Any] | None:
        """One outbox row, or None."""
        return self.query_one("SELECT * FROM outbox WHERE id = ?", (message_id,))

    def has_key(self, dedupe_key: str) -> bool:
        """True when a message with this key was ever queued."""
        return self.query_one(
            "SELECT 1 AS x FROM outbox WHERE dedupe_key = ?", (dedupe_key,)
        ) is not None

    def due(self, now: str, stale_before: str, limit: int) -> list[dict[str, Any]]:
        """Messages to try now: pending and due, or claimed by a sender that never finished."""
        return self.query(
            "SELECT * FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?)"
            " OR (status = 'sending' AND claimed_at < ?) ORDER BY id LIMIT ?",
            (now, stale_before, limit),
        )

    def claim(self, message_id: int, now: str, stale_before: str) -> bool:
        """Mark a due message 'sending' for this sender; False when another sender has it."""
        cursor = self.execute(
            "UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1"
            " WHERE id = ? AND ((status = 'pending' AND next_attempt_at <= ?)"
            " OR (status = 'sending' AND claimed_at < ?))",
            (now, message_id, now, stale_before),
        )
        return cursor.rowcount == 1

    def mark_sent(self, message_id: int, now: str, note: str | None = None) -> None:
        """The server accepted the message: it is never sent again."""
        self.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = ?, claimed_at = NULL"
            " WHERE id = ? AND status = 'sending'",
            (now, note, message_id),
        )

    def mark_retry(self, message_id: int, error: str, next_attempt_at: str) -> None:
        """Delivery failed: back to pending, with the reason and the next try's time."""
        self.execute(
            "UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?,"
            " claimed_at = NULL WHERE id = ? AND status = 'sending'",
            (error, next_attempt_at, message_id),
        )

    def retry_now(self, now: str) -> None:
        """Make every waiting message due now (the settings were just changed)."""
        self.execute("UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'", (now,))

    def undelivered(self) -> list[dict[str, Any]]:
        """Every message not yet accepted by the mail server, oldest first."""
        return self.query(
            "SELECT id, kind, created_at, attempts, next_attempt_at, last_error, status"
            " FROM outbox WHERE status != 'sent' ORDER BY id"
        )

    def rows(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest messages (without their bodies), newest first."""
        return self.query(
            "SELECT id, kind, dedupe_key, created_at, subject, status, attempts,"
            " next_attempt_at, last_error, sent_at FROM outbox ORDER BY id DESC LIMIT ?",
            (limit,),
        )
