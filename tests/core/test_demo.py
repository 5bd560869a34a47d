"""The demo school: built end to end through the roster importer, every door result present."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from click.testing import CliRunner

from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.consent import ConsentRecord, State, consent_state
from kiosk.demo.data import roster_csv
from kiosk.demo.school import DEMO_CSV, DemoError, DemoSchool, build_demo, demo_passes
from kiosk.events import running_order
from kiosk.pins import pin_matches
from kiosk.security.keys import key_path
from kiosk.store import Store, open_store

TODAY = date(2026, 12, 10)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> DemoSchool:
    return build_demo(Path(tmp_path_factory.mktemp("demo")) / "demo.db", today=TODAY)


@pytest.fixture
def demo_store(school: DemoSchool) -> Iterator[Store]:
    store = open_store(school.path)
    yield store
    store.close()


def test_shipped_csv_is_the_seeded_generator_output() -> None:
    assert DEMO_CSV.read_bytes() == roster_csv()
    assert DEMO_CSV.read_bytes().startswith(b"\xef\xbb\xbfAdno,")


def test_school_shape(school: DemoSchool, demo_store: Store) -> None:
    assert school.pupils == 420
    assert school.classes == ("RB", "RW", "1B", "1W", "2B", "2W", "3B", "3W", "4B", "4W",
                              "5B", "5W", "6B", "6W")
    assert Counter(p["class_name"] for p in demo_store.families.pupils()) == dict.fromkeys(
        school.classes, 30)
    sizes = Counter(len(demo_store.families.pupils_of_family(f["id"]))
                    for f in demo_store.families.all())
    assert sizes[1] > sizes[2] > sizes[3] > 0  # siblings, mostly small families
    two_guardians = sum(1 for f in demo_store.families.all()
                        if len(demo_store.families.guardians_of_family(f["id"])) == 2)
    assert two_guardians > school.families / 2
    assert all(f["display_name"].endswith(" family") for f in demo_store.families.all())
    assert demo_store.settings.get("school_name") == "Willowmere Primary School (demo)"


def test_consent_mix(school: DemoSchool, demo_store: Store) -> None:
    states = {}
    for pupil in demo_store.families.pupils():
        rows = [r for r in demo_store.families.consents_of_pupil(pupil["id"])
                if r["category"] == "event_recording"]
        records = [ConsentRecord(r["value"], r["given_by"],
                                 date.fromisoformat(r["valid_until"]) if r["valid_until"] else None,
                                 r["withdrawn_at"] is not None) for r in rows]
        states[pupil["id"]] = consent_state(records, TODAY)
    mix = Counter(states.values())
    assert mix[State.GRANTED] > 0.85 * school.pupils
    assert mix[State.REFUSED] > 5 and mix[State.NOT_RETURNED] > 5 and mix[State.EXPIRED] >= 3
    assert mix[State.DISPUTED] == 1 and mix[State.WITHDRAWN] == 1
    assert states[school.disputed_pupil] is State.DISPUTED
    assert states[school.withdrawn_pupil] is State.WITHDRAWN
    disputed = school.disputed_pupil
    given_by = {r["given_by"] for r in demo_store.families.consents_of_pupil(disputed)}
    assert given_by == {"school record",
                        *(g["name"] for g in demo_store.families.guardians_of_pupil(disputed))}


def test_events_and_statuses(demo_store: Store) -> None:
    nativity = running_order(demo_store, "nativity")
    assert nativity.event["date"] == TODAY.isoformat() and not nativity.event["open_to_all"]
    assert len(nativity.items) == 10
    statuses = [r.status.value for r in nativity.items]
    assert statuses.count("no_filming") == 4 and statuses.count("allowed") == 6
    infants = {"RB", "RW", "1B", "1W", "2B", "2W"}
    performers = {p for r in nativity.items for p in r.performers}
    assert {demo_store.families.pupil(p)["class_name"] for p in performers} == infants
    concert = running_order(demo_store, "summer-concert")
    assert concert.event["date"] == "2027-07-08"
    assert {demo_store.families.pupil(p)["class_name"][0]
            for r in concert.items for p in r.performers} == {
        "3", "4", "5", "6"}
    solo = next(r for r in concert.items if r.item.title.startswith("Solo"))
    duet = next(r for r in concert.items if r.item.title.startswith("Duet"))
    assert solo.status == "allowed" and duet.status == "no_filming"


def test_staff_and_pins(demo_store: Store) -> None:
    staff = {s["name"]: s for s in demo_store.staff.all()}
    assert {n: s["role"] for n, s in staff.items()} == {
        "Sam Steward": "steward", "Lee Lead": "lead", "Helen Head": "headteacher",
        "Ada Admin": "admin",
    }
    assert pin_matches(demo_store.keys, staff["Helen Head"]["pin_hash"], "333333")
    assert not _unpeppered_matches(staff["Helen Head"]["pin_hash"], "333333")


def _unpeppered_matches(pin_hash: str, pin: str) -> bool:
    """True when the hash is of the bare PIN (it must not be: the pepper is mixed in)."""
    try:
        return PasswordHasher().verify(pin_hash, pin)
    except VerificationError:
        return False


def test_every_door_result_is_present(school: DemoSchool, tmp_path: Path) -> None:
    passes = demo_passes(school.path)
    assert Counter(p.kind for p in passes)["revoked"] == 1
    assert {p.kind for p in passes} == {"admitted", "restricted", "not_expected", "revoked",
                                        "expired", "not_yet_valid"}
    assert len({p.family_id for p in passes}) == school.families
    copy = tmp_path / "demo.db"
    source = open_store(school.path)
    source.conn.execute(f"VACUUM INTO '{copy}'")
    source.close()
    shutil.copyfile(key_path(school.path), key_path(copy))
    store = open_store(copy)
    try:
        expected = {"admitted": "admitted", "restricted": "admitted_restricted",
                    "not_expected": "not_expected", "revoked": "revoked", "expired": "expired",
                    "not_yet_valid": "not_yet_valid"}
        at = datetime(2026, 12, 10, 13, 40, tzinfo=UTC)
        for kind, code in expected.items():
            chosen = next(p for p in passes if p.kind == kind)
            assert chosen.family_id == school.door_families[kind]
            decision = check_in(store, chosen.token, "nativity", now=at, kiosk_id="test",
                                nonce=f"demo-{kind}")
            assert decision.code == code, kind
    finally:
        store.close()


def test_passes_file_warns_and_the_database_keeps_no_tokens(school: DemoSchool) -> None:
    document = json.loads(school.passes_path.read_text(encoding="utf-8"))
    assert "invented families only" in document["warning"]
    token = document["passes"][0]["token"]
    assert token.encode() not in school.path.read_bytes()


def test_build_is_deterministic_except_pass_secrets(school: DemoSchool, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again.db", today=TODAY)
    assert again.door_families == school.door_families
    first, second = open_store(school.path), open_store(again.path)
    try:
        for table in ("families", "pupils", "guardians", "consents", "events", "items",
                      "item_performers"):
            sql = f"SELECT * FROM {table} ORDER BY 1"
            assert first.query(sql) == second.query(sql), table
    finally:
        first.close()
        second.close()


def test_rebuild_replaces_a_demo_but_never_another_database(tmp_path: Path, now) -> None:
    real = tmp_path / "kiosk.db"
    open_store(real).close()
    with pytest.raises(DemoError, match="not a demo database"):
        build_demo(real, today=TODAY)
    stray = tmp_path / "notes.db"
    stray.write_text("my notes")
    with pytest.raises(DemoError, match="not a demo database"):
        build_demo(stray, today=TODAY)
    assert stray.read_text() == "my notes"


def test_demo_passes_without_a_demo_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="No demo passes"):
        demo_passes(tmp_path / "demo.db")


def test_kiosk_demo_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_DB", str(tmp_path / "real.db"))
    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "kiosk" / "demo.db").exists()
    assert not (tmp_path / "real.db").exists()  # $KIOSK_DB names the real database
    assert "Infant Nativity" in result.output and "no_filming" in result.output
    assert "Helen Head (headteacher) 333333" in result.output
    again = CliRunner().invoke(cli, ["demo", "--db", str(tmp_path / "real.db")])
    assert again.exit_code == 0 and (tmp_path / "real.db").exists()
    assert CliRunner().invoke(cli, ["demo", "--help"]).exit_code == 0
