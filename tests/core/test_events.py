"""Events service: creating events and items, derived statuses, now on stage, roles."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.consent import ItemStatus
from kiosk.errors import NotFound, PermissionDenied
from kiosk.events import (
    EventError,
    add_item,
    create_event,
    mark_item_no_filming,
    move_now_on_stage,
    running_order,
)
from kiosk.staff import add_staff
from kiosk.store import Store

DAY = date(2026, 12, 10)


def _pupil(store: Store, pid: str, cls: str, family: str, consent: str | None,
           until: str | None = None) -> None:
    store.families.upsert_family({"id": family, "display_name": f"{family} family",
                         "created_at": "2026-09-01", "updated_at": "2026-09-01"})
    store.families.upsert_pupil({"id": pid, "family_id": family, "first_name": pid.title(),
                        "surname": "S", "class_name": cls, "year_group": cls[0],
                        "updated_at": "2026-09-01"})
    if consent:
        store.families.upsert_consent({"pupil_id": pid, "category": "event_recording",
                                       "value": consent,
                              "given_by": "school record", "recorded_at": "2026-09-01",
                              "valid_until": until})


@pytest.fixture
def school(store: Store, now: datetime) -> Store:
    _pupil(store, "amy", "1B", "F1", "granted")
    _pupil(store, "ben", "1B", "F1", "granted")
    _pupil(store, "cal", "2B", "F2", "refused")
    _pupil(store, "dot", "2B", "F3", None)
    _pupil(store, "eve", "2W", "F4", "granted", until="2026-12-09")
    create_event(store, "nativity", "Nativity", DAY, now=now, curtain="18:00")
    return store


def test_statuses_are_derived_from_consent(school: Store, now: datetime) -> None:
    add_item(school, "nativity", "Away in a Manger", now=now, classes=["1B"])
    add_item(school, "nativity", "Shepherds", now=now, classes=["2B"])
    add_item(school, "nativity", "Solo", now=now, pupils=["eve"])
    add_item(school, "nativity", "Finale", now=now, classes=["1B"], pupils=["cal"])
    items = running_order(school, "nativity").items
    assert [r.status for r in items] == [
        ItemStatus.ALLOWED, ItemStatus.NO_FILMING, ItemStatus.NO_FILMING, ItemStatus.NO_FILMING,
    ]
    assert [r.not_filmable_count for r in items] == [0, 2, 1, 1]
    assert running_order(school, "nativity", on=date(2026, 12, 1)).items[2].status is (
        ItemStatus.ALLOWED
    )


def test_items_for_pupils_lists_only_their_items(school: Store, now: datetime) -> None:
    add_item(school, "nativity", "Song", now=now, classes=["1B"])
    add_item(school, "nativity", "Dance", now=now, classes=["2B"])
    order = running_order(school, "nativity")
    assert [r.item.title for r in order.items_for_pupils(["amy"])] == ["Song"]


def test_bad_input_is_refused_plainly(school: Store, now: datetime) -> None:
    with pytest.raises(EventError, match="lower-case"):
        create_event(school, "Bad Id!", "x", DAY, now=now)
    with pytest.raises(EventError, match="already"):
        create_event(school, "nativity", "Again", DAY, now=now)
    with pytest.raises(EventError, match="class '9Z'"):
        add_item(school, "nativity", "x", now=now, classes=["9Z"])
    with pytest.raises(EventError, match="no pupil"):
        add_item(school, "nativity", "x", now=now, pupils=["nobody"])
    with pytest.raises(NotFound):
        running_order(school, "nope")
    assert running_order(school, "nativity").items == []


def test_now_on_stage_moves_for_leads_only(school: Store, now: datetime) -> None:
    first = add_item(school, "nativity", "One", now=now, classes=["1B"])
    second = add_item(school, "nativity", "Two", now=now, classes=["2B"])
    steward = add_staff(school, "Sam", "steward", "111111", now=now)
    lead = add_staff(school, "Lee", "lead", "222222", now=now)
    with pytest.raises(PermissionDenied):
        move_now_on_stage(school, "nativity", 1, staff_id=steward, now=now, kiosk_id="k")
    moves = [move_now_on_stage(school, "nativity", s, staff_id=lead, now=now, kiosk_id="k")
             for s in (1, 1, 1, -1, -1, -1)]
    assert [m["id"] if m else None for m in moves] == [first, second, second, first, None,
                                                         None]
    assert running_order(school, "nativity").now_on_stage is None
    move_now_on_stage(school, "nativity", 1, staff_id=lead, now=now, kiosk_id="k")
    assert running_order(school, "nativity").now_on_stage.item.id == first


def test_staff_marking_is_stricter_only(school: Store, now: datetime) -> None:
    item = add_item(school, "nativity", "One", now=now, classes=["1B"])
    lead = add_staff(school, "Lee", "lead", "222222", now=now)
    with pytest.raises(EventError, match="why"):
        mark_item_no_filming(school, item, True, reason=" ", staff_id=lead, now=now,
                             kiosk_id="k")
    mark_item_no_filming(school, item, True, reason="dance with a looked-after child",
                         staff_id=lead, now=now, kiosk_id="k")
    assert running_order(school, "nativity").items[0].status is ItemStatus.NO_FILMING
    mark_item_no_filming(school, item, False, reason=None, staff_id=lead, now=now, kiosk_id="k")
    assert running_order(school, "nativity").items[0].status is ItemStatus.ALLOWED


def test_a_withdrawal_from_the_command_line_applies_at_once(
    school: Store, db_path: Path, now: datetime
) -> None:
    add_item(school, "nativity", "Song", now=now, classes=["1B"])
    lead = add_staff(school, "Lee", "lead", "222222", now=now)
    add_staff(school, "Sam", "steward", "111111", now=now)
    assert running_order(school, "nativity").items[0].status is ItemStatus.ALLOWED
    runner = CliRunner()

    def consent(*args: str, staff: str = "Lee", pin: str = "222222") -> Result:
        return runner.invoke(cli, ["consent", *args, "--by", "Mum", "--staff", staff,
                                   "--db", str(db_path)], input=pin + "\n")

    result = consent("withdraw", "amy")
    assert result.exit_code == 0, result.output
    assert "may not be filmed" in result.output
    assert running_order(school, "nativity").items[0].status is ItemStatus.NO_FILMING
    entry = school.audit.entries_of_actions(("consent.withdrawn",))[-1]
    assert entry["action"] == "consent.withdrawn" and entry["actor"] == f"staff:{lead}"
    granted = consent("record", "amy", "granted")
    assert granted.exit_code == 0 and "may be filmed" in granted.output
    assert running_order(school, "nativity").items[0].status is ItemStatus.ALLOWED
    nobody = consent("withdraw", "zed")
    assert nobody.exit_code == 1 and "no pupil" in nobody.output
    steward = consent("withdraw", "amy", staff="Sam", pin="111111")
    assert steward.exit_code == 1 and "lead" in steward.output
    unnamed = runner.invoke(cli, ["consent", "withdraw", "amy", "--by", "Mum",
                                  "--db", str(db_path)])
    assert unnamed.exit_code == 1 and "--staff NAME" in unnamed.output
    assert running_order(school, "nativity").items[0].status is ItemStatus.ALLOWED
