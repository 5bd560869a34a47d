"""`kiosk checkin EVENT TOKEN`: the same decisions as the door, for scripts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.clock import fixed_clock
from kiosk.store import Store
from support.checkin_school import School, build_school
from support.school import NOW


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    """Built at the fixed moment; every command below runs on that clock (obj["clock"])."""
    return build_school(store, now)


def run(db_path: Path, event: str, token: str, *args: str, at: datetime = NOW
        ) -> tuple[int, str]:
    """`kiosk checkin EVENT - ...` with the pass code on standard input (never in argv)."""
    result = CliRunner().invoke(cli, ["--db", str(db_path), "checkin", event, "-", *args],
                                input=token + "\n", obj={"clock": fixed_clock(at)})
    return result.exit_code, result.output


def test_a_pass_code_in_argv_is_refused(school: School, db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "checkin", "nativity",
                                      school.tokens["F-GREEN"]])
    assert result.exit_code == 1 and "shows in `ps` and the shell history" in result.output


def test_the_check_in_happens_at_the_clock_the_context_gives(
    school: School, db_path: Path
) -> None:
    token = school.tokens["F-GREEN"]
    code, out = run(db_path, "nativity", token, "--format", "json", at=NOW + timedelta(days=1))
    assert (code, json.loads(out)["code"]) == (3, "not_today")
    code, out = run(db_path, "nativity", token, "--format", "json")
    decision = json.loads(out)
    assert (code, decision["code"]) == (0, "admitted")
    recorded = school.store.checkins.get(decision["checkin_id"])
    assert recorded is not None and recorded["at"] == NOW.isoformat()


def test_json_decisions_match_the_service(school: School, db_path: Path) -> None:
    code, out = run(db_path, "nativity", school.tokens["F-GREEN"], "--kiosk-id", "Side door",
                    "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["code"], data["colour"], data["ok"]) == ("admitted", "green", True)
    assert [c["name"] for c in data["view"]["children"]] == ["Isla", "Leo"]
    assert "Greenwood" not in out
    code, out = run(db_path, "nativity", school.tokens["F-GREEN"], "--format", "json")
    again = json.loads(out)
    assert (code, again["code"], again["first_kiosk"]) == (0, "re_entry", "Side door")


def test_refusal_exits_3_with_a_plain_reason(school: School, db_path: Path) -> None:
    code, out = run(db_path, "nativity", "\x1b[2Jhello")
    assert code == 3
    assert "NOT CHECKED IN" in out and "not_a_pass" in out and "\x1b" not in out


def test_table_output_lists_restrictions_first(school: School, db_path: Path) -> None:
    code, out = run(db_path, "nativity", school.tokens["F-AMBER"])
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("! WELCOME")
    assert lines[2].startswith("! No filming during")
    assert "  ✘ Away in a Manger · Amara: No filming – devices away" in lines


def test_nonce_makes_a_repeat_idempotent(school: School, db_path: Path) -> None:
    first = json.loads(run(db_path, "nativity", school.tokens["F-GREEN"], "--nonce", "x1",
                           "--format", "json")[1])
    second = json.loads(run(db_path, "nativity", school.tokens["F-GREEN"], "--nonce", "x1",
                            "--format", "json")[1])
    assert second["checkin_id"] == first["checkin_id"] and second["replayed"]


def test_seated_event_needs_party_size_and_unknown_event_is_an_error(
    school: School, db_path: Path
) -> None:
    code, out = run(db_path, "concert", school.tokens["F-GREEN"])
    assert code == 1 and "Error:" in out and "seats" in out
    code, out = run(db_path, "concert", school.tokens["F-GREEN"], "--party-size", "2")
    assert code == 0 and "WELCOME" in out
    code, out = run(db_path, "no-such", school.tokens["F-GREEN"])
    assert code == 1 and "no event" in out.lower()


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list:
    """Capture the app `kiosk run` would start instead of taking over the terminal."""
    from kiosk.ui.app import KioskApp

    apps: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_run_needs_an_event_that_exists(school: School, db_path: Path, launched: list) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "run"])
    assert result.exit_code == 2 and "--event" in result.output
    result = CliRunner().invoke(cli, ["--db", str(db_path), "run", "--event", "nope"])
    assert result.exit_code == 1 and "Error:" in result.output
    result = CliRunner().invoke(cli, ["--db", str(db_path), "run", "--event", "nativity",
                                      "--camera", "not-a-camera", "--kiosk-id", "Hall"])
    assert result.exit_code == 1 and "not a camera number" in result.output
    result = CliRunner().invoke(cli, ["--db", str(db_path), "run", "--event", "nativity",
                                      "--kiosk-id", "Hall", "--quiet"])
    assert result.exit_code == 0, result.output
    app = launched[-1]
    assert (app.event_id, app.kiosk_id, app.quiet, app.camera, hasattr(app, "demo")) == (
        "nativity", "Hall", True, None, False)


def test_run_demo_opens_the_demo_school_with_the_demo_camera(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, launched: list
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("KIOSK_ID", raising=False)
    result = CliRunner().invoke(cli, ["run", "--demo"])
    assert result.exit_code == 0, result.output
    app = launched[-1]
    assert (app.event_id, app.kiosk_id) == ("nativity", "Demo door")
    assert app.camera is not None and app.demo is not None
    kinds = [card.kind for card in app.demo.cards[:4]]
    assert kinds == ["admitted", "restricted", "re_entry", "not_expected"]
    assert (tmp_path / "kiosk" / "demo.db").exists()
