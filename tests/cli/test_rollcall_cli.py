"""`kiosk rollcall` (who is in the hall now) and check-out at the door."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.checkin.checkout import CheckOutNotUsed, check_out
from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.clock import fixed_clock
from kiosk.passes.issuing import issue_pass
from kiosk.store import Store
from kiosk.views.rollcall import roll_call
from support.checkin_school import School, build_school
from support.school import NOW


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    built = build_school(store, now)
    built.store.execute("UPDATE events SET check_out = 1 WHERE id = 'concert'")
    return built


_n = iter(range(10_000))


def door_in(school: School, token: str, event: str = "concert", minutes: int = 0,
            **kwargs) -> str:
    return check_in(school.store, token, event, now=NOW + timedelta(minutes=minutes),
                    kiosk_id=kwargs.pop("kiosk_id", "Main door"), nonce=f"i{next(_n)}",
                    **kwargs).code


def door_out(school: School, token: str, minutes: int, event: str = "concert") -> str:
    return check_out(school.store, token, event, now=NOW + timedelta(minutes=minutes),
                     kiosk_id="Main door", nonce=f"o{next(_n)}").code


def run(db_path: Path, *args: str, minutes: int = 60) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args],
                                obj={"clock": fixed_clock(NOW + timedelta(minutes=minutes))})
    return result.exit_code, result.output


def test_roll_call_lists_parties_in_the_hall_with_door_time_and_people(school: School,
                                                                       db_path: Path) -> None:
    grandparents = issue_pass(school.store, "F-GREEN", now=NOW, label="Grandparents").token
    door_in(school, school.tokens["F-GREEN"], party_size=2)
    door_in(school, grandparents, minutes=5, party_size=1, kiosk_id="Side door")
    door_in(school, school.tokens["F-AMBER"], minutes=6, party_size=3)
    assert door_out(school, school.tokens["F-AMBER"], 20) == "checked_out"
    code, out = run(db_path, "rollcall", "concert", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert (data["families"], data["parties"], data["people"], data["left"]) == (1, 2, 3, 1)
    parties = [(p["family"], p["party"], p["door"], p["people"]) for p in data["in_hall"]]
    assert parties == [
        ("Greenwood", f"pass {school.refs['F-GREEN']}", "Main door", 2),
        ("Greenwood", f"pass {issued_ref(school, 'Grandparents')} (Grandparents)",
         "Side door", 1),
    ]
    code, out = run(db_path, "rollcall", "concert", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["at"] for r in rows] == ["17:45", "17:50"]
    code, out = run(db_path, "rollcall", "concert")
    assert code == 0 and "1 families, 2 parties, people 3" in out


def issued_ref(school: School, label: str) -> str:
    row = school.store.query_one("SELECT ref FROM passes WHERE label = ?", (label,))
    return row["ref"]


def test_coming_back_after_check_out_is_re_entry_and_in_again(school: School) -> None:
    token = school.tokens["F-GREEN"]
    door_in(school, token, party_size=2)
    assert door_out(school, token, 10) == "checked_out"
    assert door_out(school, token, 11) == "already_out"
    assert roll_call(school.store, "concert", now=NOW).lines == ()
    assert door_in(school, token, minutes=30, party_size=1) == "re_entry"
    assert [line.at for line in roll_call(school.store, "concert", now=NOW).lines] == [
        NOW + timedelta(minutes=30)]


def test_check_out_refusals_and_events_without_it(school: School) -> None:
    assert door_out(school, school.tokens["F-GREEN"], 5) == "not_checked_in"
    assert door_out(school, "KP1:nonsense", 5) != "checked_out"
    with pytest.raises(CheckOutNotUsed, match="--check-out"):
        door_out(school, school.tokens["F-GREEN"], 5, event="nativity")
    refused = school.store.query("SELECT action FROM audit_log WHERE action LIKE 'checkout.%'")
    assert {r["action"] for r in refused} == {"checkout.refused"}


def test_without_check_out_everyone_admitted_is_listed(school: School) -> None:
    door_in(school, school.tokens["F-GREEN"], event="nativity")
    call = roll_call(school.store, "nativity", now=NOW)
    assert (call.check_out, call.families, call.people) == (False, 1, None)


def test_pdf_roll_call_and_a_missing_folder(school: School, db_path: Path,
                                            tmp_path: Path) -> None:
    door_in(school, school.tokens["F-GREEN"], party_size=2)
    target = tmp_path / "rollcall.pdf"
    code, out = run(db_path, "rollcall", "concert", "--format", "pdf", "--out", str(target))
    assert code == 0, out
    assert target.read_bytes().startswith(b"%PDF")
    code, out = run(db_path, "rollcall", "concert", "--format", "pdf", "--out",
                    str(tmp_path / "nope" / "r.pdf"))
    assert code == 1 and "There is no folder" in out
    assert not (tmp_path / "nope").exists()
    code, out = run(db_path, "rollcall", "concert", "--format", "pdf")
    assert code == 2 and "--out" in out


def test_checkout_command(school: School, db_path: Path) -> None:
    door_in(school, school.tokens["F-GREEN"], party_size=2)
    code, out = run(db_path, "checkout", "concert", school.tokens["F-GREEN"])
    assert code == 0 and out.startswith("checked_out")
    code, out = run(db_path, "checkout", "concert", school.tokens["F-GREEN"])
    assert code == 3 and "already checked out" in out
