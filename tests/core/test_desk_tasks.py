"""The night tasks' services check the role themselves and name the member in the audit."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from kiosk.errors import PermissionDenied
from kiosk.passes.issuing import revoke_pass
from kiosk.roster.answers import record_answer, withdraw_consent
from kiosk.staff import reset_pin
from kiosk.store import Store
from kiosk.views.desktasks import (
    OFFICE,
    family_consents,
    lost_pass_view,
    staff_to_reset,
    task_families,
)
from support.staff_school import DAY, School, build_school, quick_hashes


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    return build_school(store, now)


def test_a_steward_may_not_change_consent_and_nothing_is_written(
        store: Store, school: School, now: datetime) -> None:
    steward = school.staff["Sam Steward"]
    with pytest.raises(PermissionDenied, match="Only a lead or above"):
        withdraw_consent(store, "p1", "event_recording", given_by=OFFICE, now=now,
                         staff_id=steward)
    with pytest.raises(PermissionDenied, match="Only a lead or above"):
        record_answer(store, "p5", "event_recording", "granted", given_by=OFFICE, now=now,
                      staff_id=steward)
    assert {r["given_by"] for r in store.families.consents_of_pupil("p1")} == {"school record"}
    assert not store.families.consents_of_pupil("p5")


def test_a_lead_changes_consent_audited_with_their_id_and_the_note(
        store: Store, school: School, now: datetime) -> None:
    lead = school.staff["Lee Lead"]
    withdraw_consent(store, "p1", "event_recording", given_by=OFFICE, now=now,
                     staff_id=lead, kiosk_id="door-1", note="  mum asked   at the door ")
    entry = store.audit.entries_of_actions(("consent.withdrawn",))[-1]
    assert entry["actor"] == f"staff:{lead}"
    personal = json.loads(store.audit.personal_details()[entry["id"]])
    assert (personal["given_by"], personal["note"]) == (OFFICE, "mum asked at the door")


def test_revoking_a_pass_from_staff_mode_needs_a_lead(store: Store, school: School,
                                                      now: datetime) -> None:
    ref = store.passes.all("khan")[0]["ref"]
    with pytest.raises(PermissionDenied):
        revoke_pass(store, ref, reason="lost", now=now, staff_id=school.staff["Sam Steward"])
    assert store.passes.by_ref(ref)["revoked_at"] is None
    revoke_pass(store, ref, reason="lost", now=now, staff_id=school.staff["Lee Lead"])
    entry = store.audit.entries_of_actions(("pass.revoked",))[-1]
    assert entry["actor"] == f"staff:{school.staff['Lee Lead']}"


def test_the_desk_reads_check_the_role(store: Store, school: School, now: datetime) -> None:
    steward, head = school.staff["Sam Steward"], school.staff["Helen Head"]
    for read in (lambda: task_families(store, "Khan", "nativity", staff_id=steward),
                 lambda: family_consents(store, "nativity", "khan", staff_id=steward, now=now,
                                         kiosk_id="door-1"),
                 lambda: lost_pass_view(store, "nativity", "khan", staff_id=steward, today=DAY),
                 lambda: staff_to_reset(store, staff_id=head)):
        with pytest.raises(PermissionDenied):
            read()
    with pytest.raises(PermissionDenied, match="Only an admin"):
        reset_pin(store, "Sam Steward", "975310", now=now, admin_id=head)


def test_a_family_is_found_by_a_childs_first_name_and_its_children_read_is_audited(
        store: Store, school: School, now: datetime) -> None:
    lead = school.staff["Lee Lead"]
    assert [m.family_id for m in task_families(store, "noa", "nativity", staff_id=lead)] == \
        ["khan"]
    children = family_consents(store, "nativity", "osei", staff_id=lead, now=now,
                               kiosk_id="door-1")
    assert [(c.name, c.filmable, c.askers) for c in children] == [("Jack", False, (OFFICE,))]
    assert children[0].items == (("Shepherds' Song", False), ("Finale", False))
    entry = store.audit.chain("door-1")[-1]
    assert entry["action"] == "children.names_shown"
    assert json.loads(entry["detail"]) == {"purpose": "consent_desk", "children": 1}
