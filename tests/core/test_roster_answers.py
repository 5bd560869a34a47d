"""A consent answer recorded on the night is never undone or orphaned by any import."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kiosk.events import filmable
from kiosk.roster import import_roster
from kiosk.roster.answers import record_answer, withdraw_consent
from kiosk.store import Store
from support.roster_fixtures import excel_first, excel_resaved

DAY = date(2026, 12, 10)


def test_a_withdrawal_on_the_night_survives_a_resaved_export_with_stripped_ids(
    store: Store, now: datetime
) -> None:
    import_roster(store, excel_first(), now=now)
    withdraw_consent(store, "001188", "event_recording", given_by="Ewa Nowak", now=now)
    later = now + timedelta(days=1)
    report = import_roster(store, excel_resaved().data, now=later)
    assert not report.added and not report.left
    rows = store.families.consents_of_pupil("001188")
    assert {r["given_by"] for r in rows} == {"school record", "Ewa Nowak"}
    assert filmable(store, ["001188", "00402"], DAY) == {"001188": False, "00402": True}


def test_a_refusal_recorded_by_phone_stands_against_a_granting_export(
    store: Store, now: datetime
) -> None:
    import_roster(store, excel_first(), now=now)
    record_answer(store, "00402", "event_recording", "refused", given_by="office", now=now)
    import_roster(store, excel_first(), now=now + timedelta(days=2))
    assert filmable(store, ["00402"], DAY) == {"00402": False}
    row = store.families.consent_row("00402", "event_recording", "office")
    assert row is not None and row["value"] == "refused"
