"""Consent answers given outside the MIS (a guardian's form, a phone call to the office).

These rows carry the guardian's name (or "office") in `given_by`, never "school record",
so a later MIS import cannot overwrite them: a withdrawal recorded here stands until the
same person grants again, however out of date the MIS export is. Staff mode passes the
signed-in member's `staff_id`: a lead or above, checked here, and named in the audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor
from kiosk.consent import CATEGORIES, Value
from kiosk.errors import NotFound
from kiosk.roster.errors import RosterError
from kiosk.roster.plan import SCHOOL_RECORD
from kiosk.staff import Role, require_role
from kiosk.store import Store
from kiosk.store.rows import PupilRow

MAX_NOTE = 300


def _check(store: Store, pupil_id: str, category: str, given_by: str) -> PupilRow:
    pupil = store.families.pupil(pupil_id)
    if pupil is None:
        raise NotFound(f"There is no pupil with id {pupil_id!r}.")
    if category not in CATEGORIES:
        raise RosterError(f"Consent category must be one of: {', '.join(CATEGORIES)}.")
    if not given_by.strip() or given_by.strip().casefold() == SCHOOL_RECORD:
        raise RosterError("Say who gave the answer (a guardian's name, or 'office').")
    return pupil


def _acting(store: Store, staff_id: int | None, actor: str) -> str:
    """The audit actor: the member of staff (lead and above, checked), else `actor`."""
    if staff_id is None:
        return actor
    return Actor.staff(require_role(store, staff_id, Role.LEAD)["id"]).text


def _personal(given_by: str, note: str | None) -> dict[str, str]:
    """Who gave the answer and the staff's note: personal, so purgeable with the family."""
    text = " ".join((note or "").split())[:MAX_NOTE]
    return {"given_by": given_by.strip(), **({"note": text} if text else {})}


def record_answer(
    store: Store, pupil_id: str, category: str, value: str, *, given_by: str, now: datetime,
    valid_until: date | None = None, actor: str = "cli", kiosk_id: str = "admin",
    staff_id: int | None = None, note: str | None = None,
) -> None:
    """Record one person's answer; a grant by that person clears their earlier withdrawal."""
    actor = _acting(store, staff_id, actor)
    pupil = _check(store, pupil_id, category, given_by)
    if value not in {v.value for v in Value}:
        raise RosterError("A consent answer is granted, refused or not_returned.")
    with store.immediate():
        old = store.families.consent_row(pupil_id, category, given_by.strip())
        withdrawn = None
        if old is not None and value != Value.GRANTED:
            withdrawn = old["withdrawn_at"]
        store.families.upsert_consent({
            "pupil_id": pupil_id, "category": category, "value": value,
            "given_by": given_by.strip(), "recorded_at": now.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
            "withdrawn_at": withdrawn, "source": "form",
        })
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="consent.recorded",
            subject=f"pupil:{pupil_id}", detail={"category": category, "value": value},
            personal=_personal(given_by, note), family_id=pupil["family_id"],
        )


def withdraw_consent(
    store: Store, pupil_id: str, category: str, *, given_by: str, now: datetime,
    actor: str = "cli", kiosk_id: str = "admin", staff_id: int | None = None,
    note: str | None = None,
) -> None:
    """Withdraw consent at once (even mid-event): the pupil may no longer be filmed."""
    actor = _acting(store, staff_id, actor)
    pupil = _check(store, pupil_id, category, given_by)
    with store.immediate():
        store.families.upsert_consent({
            "pupil_id": pupil_id, "category": category, "value": Value.REFUSED.value,
            "given_by": given_by.strip(), "recorded_at": now.isoformat(),
            "valid_until": None, "withdrawn_at": now.isoformat(), "source": "form",
        })
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="consent.withdrawn",
            subject=f"pupil:{pupil_id}", detail={"category": category},
            personal=_personal(given_by, note), family_id=pupil["family_id"],
        )
