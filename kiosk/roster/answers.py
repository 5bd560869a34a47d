"""Consent answers given outside the MIS (a guardian's form, a phone call to the office).

These rows carry the guardian's name (or "office") in `given_by`, never "school record",
so a later MIS import cannot overwrite them: a withdrawal recorded here stands until the
same person grants again, however out of date the MIS export is.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.audit import log as audit
from kiosk.consent import CATEGORIES, Value
from kiosk.errors import NotFound
from kiosk.roster.errors import RosterError
from kiosk.roster.plan import SCHOOL_RECORD
from kiosk.store import Store
from kiosk.store.rows import PupilRow


def _check(store: Store, pupil_id: str, category: str, given_by: str) -> PupilRow:
    pupil = store.families.pupil(pupil_id)
    if pupil is None:
        raise NotFound(f"There is no pupil with id {pupil_id!r}.")
    if category not in CATEGORIES:
        raise RosterError(f"Consent category must be one of: {', '.join(CATEGORIES)}.")
    if not given_by.strip() or given_by.strip().casefold() == SCHOOL_RECORD:
        raise RosterError("Say who gave the answer (a guardian's name, or 'office').")
    return pupil


def record_answer(
    store: Store, pupil_id: str, category: str, value: str, *, given_by: str, now: datetime,
    valid_until: date | None = None, actor: str = "cli", kiosk_id: str = "admin",
) -> None:
    """Record one person's answer; a grant by that person clears their earlier withdrawal."""
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
            personal={"given_by": given_by.strip()}, family_id=pupil["family_id"],
        )


def withdraw_consent(
    store: Store, pupil_id: str, category: str, *, given_by: str, now: datetime,
    actor: str = "cli", kiosk_id: str = "admin",
) -> None:
    """Withdraw consent at once (even mid-event): the pupil may no longer be filmed."""
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
            personal={"given_by": given_by.strip()}, family_id=pupil["family_id"],
        )
