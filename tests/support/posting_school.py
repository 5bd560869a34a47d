"""The violations school with website / social media / press consents in every state."""

from __future__ import annotations

from datetime import datetime

from kiosk.store import Store
from support.violations_school import School, build_school

# pupil -> website consent rows (value, given_by, valid_until, withdrawn_at)
WEBSITE = {
    "p1": [("granted", "school record", None, None)],
    "p3": [("refused", "school record", None, None)],
    "p4": [("not_returned", "school record", None, None)],
    "p5": [("granted", "Mother", None, None), ("refused", "Father", None, None)],
    "p6": [("granted", "school record", "2026-07-31", None)],
    "p7": [("granted", "school record", None, "2026-11-01")],
}  # p2 has no answer at all
STATES = {"p1": "granted", "p2": "missing", "p3": "refused", "p4": "not_returned",
          "p5": "disputed", "p6": "expired", "p7": "withdrawn"}


def build_posting_school(store: Store, now: datetime) -> School:
    """Website consents in every state; social media granted for p1 and p2 only; no press."""
    school = build_school(store, now)
    rows = [(pid, "website", *answer) for pid, answers in WEBSITE.items() for answer in answers]
    rows += [(pid, "social_media", "granted", "school record", None, None) for pid in ("p1", "p2")]
    for pid, category, value, given_by, until, withdrawn in rows:
        store.families.upsert_consent({
            "pupil_id": pid, "category": category, "value": value, "given_by": given_by,
            "recorded_at": "2026-09-01", "valid_until": until, "withdrawn_at": withdrawn,
            "source": "import"})
    return school
