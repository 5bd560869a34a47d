"""Role checks hold in the services themselves, without any UI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from kiosk.checkin.service import check_in, manual_check_in, undo_check_in
from kiosk.errors import PermissionDenied
from kiosk.events import move_now_on_stage
from kiosk.staff import reset_pin
from kiosk.store import Store
from kiosk.views.staffdesk import (
    event_dashboard,
    identify_pass,
    inbox,
    inbox_detail,
    item_performers,
    not_filmable_names,
    short_name,
    staff_checkins,
    staff_family_view,
    staff_find_families,
)
from kiosk.violations.workflow import log_violation
from support.staff_school import School, build_school, quick_hashes

NAMES = ("Sam Steward", "Lee Lead", "Helen Head", "Ada Admin")


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    return build_school(store, now)


def _actions(store: Store, school: School, now: datetime) -> dict[str, Callable[[int], object]]:
    """Each staff action, as a call taking the acting staff id."""
    items = school.items
    violation = log_violation(store, event_id="nativity", kind="other",
                              reported_by=school.staff["Sam Steward"], now=now,
                              kiosk_id="door-1")
    counter = iter(range(1000))
    return {
        "dashboard": lambda s: event_dashboard(store, "nativity", staff_id=s),
        "checkin list": lambda s: staff_checkins(store, "nativity", staff_id=s),
        "find family": lambda s: staff_find_families(store, "Pri", "nativity", staff_id=s),
        "family view": lambda s: staff_family_view(store, "nativity", "price", staff_id=s),
        "manual check-in": lambda s: manual_check_in(
            store, "nativity", "price", reason="phone flat", staff_id=s, now=now,
            kiosk_id="door-1", nonce=f"m{next(counter)}"),
        "log violation": lambda s: log_violation(
            store, event_id="nativity", kind="filmed_staff", reported_by=s, now=now,
            kiosk_id="door-1"),
        "identify pass": lambda s: identify_pass(store, school.tokens["osei"], staff_id=s,
                                                 today=now.date()),
        "move on stage": lambda s: move_now_on_stage(store, "nativity", 1, staff_id=s, now=now,
                                                     kiosk_id="door-1"),
        "undo check-in": lambda s: _undo_fresh(store, school, s, now, next(counter)),
        "reveal names": lambda s: not_filmable_names(store, "nativity", staff_id=s, now=now,
                                                     kiosk_id="door-1"),
        "link children": lambda s: log_violation(
            store, event_id="nativity", kind="filmed_child_without_permission",
            reported_by=s, now=now, kiosk_id="door-1", item_id=items[2], children=["p4"]),
        "item performers": lambda s: item_performers(store, "nativity", items[2], staff_id=s,
                                                     now=now, kiosk_id="door-1"),
        "inbox": lambda s: inbox(store, staff_id=s),
        "inbox detail": lambda s: inbox_detail(store, violation, staff_id=s),
        "reset a PIN": lambda s: reset_pin(store, "Sam Steward", "111111", now=now, admin_id=s),
    }


def _undo_fresh(store: Store, school: School, staff_id: int, now: datetime, n: int) -> object:
    """Check the Grant family in by pass, then undo that check-in as `staff_id`."""
    decision = check_in(store, school.tokens["grant"], "nativity", now=now, kiosk_id="door-1",
                        nonce=f"u{n}")
    return undo_check_in(store, decision.checkin_id, reason="wrong family", staff_id=staff_id,
                         now=now, kiosk_id="door-1")


# The least role allowed for each action (the role matrix in the report).
MATRIX = {
    "dashboard": "Sam Steward", "checkin list": "Sam Steward", "find family": "Sam Steward",
    "family view": "Sam Steward", "manual check-in": "Sam Steward", "log violation": "Sam Steward",
    "identify pass": "Sam Steward", "move on stage": "Lee Lead", "undo check-in": "Lee Lead",
    "reveal names": "Lee Lead", "link children": "Lee Lead", "item performers": "Lee Lead",
    "inbox": "Helen Head", "inbox detail": "Helen Head", "reset a PIN": "Ada Admin",
}


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_role_matrix(store: Store, school: School, now: datetime, action: str) -> None:
    call = _actions(store, school, now)[action]
    least = NAMES.index(MATRIX[action])
    for rank, name in enumerate(NAMES):
        if rank < least:
            with pytest.raises(PermissionDenied):
                call(school.staff[name])
        else:
            call(school.staff[name])
    with pytest.raises(PermissionDenied):
        call(9999)


def test_names_only_on_request_as_first_name_and_initial(store: Store, school: School,
                                                         now: datetime) -> None:
    dashboard = event_dashboard(store, "nativity", staff_id=school.staff["Sam Steward"])
    assert [(r.title, r.allowed, r.performers, r.not_filmable) for r in dashboard.items] == [
        ("Welcome", False, 0, 0), ("Away in a Manger", True, 2, 0),
        ("Shepherds' Song", False, 3, 2), ("Finale", False, 6, 2)]
    assert "Osei" not in repr(dashboard) and "Jack" not in repr(dashboard)
    names = not_filmable_names(store, "nativity", staff_id=school.staff["Lee Lead"], now=now,
                               kiosk_id="door-1")
    assert [c.name for c in names[school.items[2]]] == ["Isla N.", "Jack O."]
    shown = store.audit.chain("door-1")[-1]
    assert shown["action"] == "children.names_shown"
    assert "Jack" not in shown["detail"] and shown["personal_digest"] is None
    assert short_name({"first_name": "Jack", "preferred_name": "JJ", "surname": "osei"}) == (
        "JJ O.")


def test_two_children_with_one_short_name_are_told_apart(store: Store, school: School,
                                                         now: datetime) -> None:
    store.families.upsert_pupil({"id": "p7", "family_id": "osei", "first_name": "Jack",
                        "surname": "Owen", "class_name": "1B", "year_group": "1",
                        "updated_at": now.isoformat()})
    names = not_filmable_names(store, "nativity", staff_id=school.staff["Lee Lead"], now=now,
                               kiosk_id="door-1")
    assert [c.name for c in names[school.items[2]]] == ["Isla N.", "Jack Osei", "Jack Owen"]
