"""Flagged families: office flag/unflag (audited, note personal), ordinary card, staff notice."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.clock import fixed_clock
from kiosk.errors import PermissionDenied
from kiosk.privacy.erasure import erase_family
from kiosk.store import Store
from kiosk.views.staffdesk import flag_notices
from support.checkin_school import School, build_school
from support.school import NOW

NOTE = "Court order: only Mum may collect Leo and Isla"


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def run(db_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "family", *args], input=stdin,
                                obj={"clock": fixed_clock(NOW)})
    return result.exit_code, result.output


def test_flag_is_audited_with_the_note_in_the_personal_part(school: School,
                                                            db_path: Path) -> None:
    code, out = run(db_path, "flag", "F-GREEN", "--note", NOTE)
    assert (code, out.strip()) == (0, "Family F-GREEN flagged.")
    entry = school.store.query_one("SELECT * FROM audit_log WHERE action = 'family.flagged'")
    assert NOTE not in entry["detail"] and entry["personal_digest"]
    personal = school.store.query_one("SELECT * FROM audit_personal WHERE entry_id = ?",
                                      (entry["id"],))
    assert json.loads(personal["detail"])["note"] == NOTE
    assert personal["family_id"] == "F-GREEN"
    code, out = run(db_path, "flags", "--format", "json")
    assert json.loads(out)[0]["note"] == NOTE
    code, out = run(db_path, "unflag", "F-GREEN")
    assert code == 0 and school.store.families.flag("F-GREEN") is None
    code, out = run(db_path, "unflag", "F-GREEN")
    assert code == 1 and "not flagged" in out
    code, out = run(db_path, "flag", "NOPE", "--note", "x")
    assert code == 1 and "no family" in out
    code, out = run(db_path, "flag", "F-GREEN", "--note", "   ")
    assert code == 1 and "Give a short note" in out


def test_the_note_can_be_typed_at_a_prompt(school: School, db_path: Path) -> None:
    code, _ = run(db_path, "flag", "F-AMBER", stdin=NOTE + "\n")
    assert code == 0
    assert school.store.families.flag("F-AMBER")["note"] == NOTE


def test_door_card_is_ordinary_and_staff_get_a_quiet_notice(school: School,
                                                            db_path: Path) -> None:
    run(db_path, "flag", "F-GREEN", "--note", NOTE)
    decision = check_in(school.store, school.tokens["F-GREEN"], "nativity", now=NOW,
                        kiosk_id="Main door", nonce="f1")
    assert decision.code == "admitted"
    shown = json.dumps(decision.to_dict()).lower()
    assert "flag" not in shown and "court" not in shown and "office" not in shown
    steward = flag_notices(school.store, "nativity", school.steward)
    assert [(n.family_id, n.note) for n in steward] == [("F-GREEN", None)]
    assert "checked in at 17:45 at Main door" in steward[0].text
    assert "tell the event lead" in steward[0].text and "Court" not in steward[0].text
    lead = flag_notices(school.store, "nativity", school.lead)
    assert lead[0].note == NOTE and NOTE in lead[0].text
    with pytest.raises(PermissionDenied):
        flag_notices(school.store, "nativity", 999)


def test_expected_flagged_families_are_listed_after_those_in(school: School,
                                                             db_path: Path) -> None:
    run(db_path, "flag", "F-AMBER", "--note", "Safeguarding plan")
    run(db_path, "flag", "F-AWAY", "--note", "Not performing, not open to all")
    notices = flag_notices(school.store, "nativity", school.lead)
    assert [(n.family_id, n.arrived_at) for n in notices] == [("F-AMBER", None)]
    assert "(expected)" in notices[0].text


def test_erasure_takes_the_flag_along(school: School, db_path: Path) -> None:
    run(db_path, "flag", "F-AWAY", "--note", NOTE)
    erase_family(school.store, "F-AWAY", now=NOW)
    assert school.store.query("SELECT * FROM family_flags") == []
