"""Families as services name them: look-up, and the office's staff-only flag.

A flag (a court order, a safeguarding plan) never changes what the door shows the
parent: the card is an ordinary one. Staff get a quiet notice (kiosk.views.staffdesk
`flag_notices`). The note is personal: it is kept in the flag row and in the audit
entry's personal part (purged with the family), never in the hash-chained detail.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor, Subject
from kiosk.errors import KioskError, NotFound
from kiosk.store import Store
from kiosk.store.rows import FamilyRow

NOTE_LIMIT = 500


def get_family(store: Store, family_id: str) -> FamilyRow:
    """The family row, or NotFound with a plain message."""
    row = store.families.get(family_id)
    if row is None:
        raise NotFound(f"There is no family with id {family_id}.")
    return row


def flag_family(store: Store, family_id: str, note: str, *, now: datetime,
                actor: Actor | str = "cli", kiosk_id: str = "admin") -> bool:
    """Flag a family for staff with a note (replacing an older one); True when it is new."""
    text = " ".join(note.split())
    if not text:
        raise KioskError("Give a short note for staff (e.g. 'court order: only mother may"
                         " collect'); it is kept as personal data.")
    if len(text) > NOTE_LIMIT:
        raise KioskError(f"Keep the note under {NOTE_LIMIT} characters.")
    with store.immediate():
        get_family(store, family_id)
        new = store.families.flag(family_id) is None
        by = actor if isinstance(actor, str) else actor.text
        store.families.set_flag(family_id, text, now.isoformat(), by)
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action="family.flagged",
                     subject=Subject.of("family", family_id), detail={"new": new},
                     personal={"note": text}, family_id=family_id)
    return new


def unflag_family(store: Store, family_id: str, *, now: datetime, actor: Actor | str = "cli",
                  kiosk_id: str = "admin") -> None:
    """Remove a family's flag (audited); an error when it had none."""
    with store.immediate():
        get_family(store, family_id)
        if not store.families.clear_flag(family_id):
            raise KioskError(f"Family {family_id} is not flagged.")
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=actor, action="family.unflagged",
                     subject=Subject.of("family", family_id), family_id=family_id)
