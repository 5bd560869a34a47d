"""`kiosk photo check` and `kiosk report postings` on the command line."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.posting.metadata import read_metadata
from kiosk.store import Store
from support.photo_files import exif_block, write_jpeg
from support.posting_school import build_posting_school


@pytest.fixture
def school_db(store: Store, now: datetime, db_path: Path) -> Path:
    build_posting_school(store, now)
    store.close()
    return db_path


def _run(db: Path, *args: str, pin: str = "123456") -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db)], input=pin + "\n")


def _check(db: Path, *args: str, pin: str = "123456") -> Result:
    return _run(db, "photo", "check", "--staff", "Lee Lead", *args, pin=pin)


def test_yes_exits_0_and_no_exits_3(school_db: Path) -> None:
    yes = _check(school_db, "--channel", "website", "--pupil", "p1")
    assert yes.exit_code == 0, yes.output
    assert "YES: it may be posted" in yes.output
    no = _check(school_db, "--channel", "website", "--class", "1B")
    assert no.exit_code == 3, no.output
    assert "NO: do not post it" in no.output and "leave out or blur" in no.output


def test_json_names_what_to_fix(school_db: Path, tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "show.jpg", exif=exif_block("Amelia Okafor", gps=True))
    result = _check(school_db, str(photo), "--channel", "social_media", "--pupil", "p1",
                    "--pupil", "p2", "--caption", "Zoe Lukasiewicz", "--format", "json")
    assert result.exit_code == 3, result.output
    answer = json.loads(result.output.split("\n", 1)[1])
    assert answer["answer"] == "no"
    assert answer["reasons"] == ["names_attached", "gps"]
    assert {h["where"] for h in answer["names_found"]} == {"caption", "EXIF ImageDescription"}
    assert answer["gps"] is True and answer["pupils"] == 2


def test_clean_writes_a_copy_and_then_the_answer_is_yes(school_db: Path, tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "show.jpg", exif=exif_block("Amelia Okafor", gps=True))
    out = tmp_path / "for-web.jpg"
    result = _check(school_db, str(photo), "--channel", "website", "--pupil", "p1",
                    "--clean", str(out))
    assert result.exit_code == 0, result.output
    assert f"Clean copy written to {out}" in result.output
    assert read_metadata(out.read_bytes()).empty


def test_a_wrong_pin_a_steward_and_bad_files_are_plain_errors(school_db: Path,
                                                              tmp_path: Path) -> None:
    wrong = _check(school_db, "--channel", "website", "--pupil", "p1", pin="9999")
    assert wrong.exit_code == 1 and "Error:" in wrong.output
    steward = _run(school_db, "photo", "check", "--staff", "Sam Steward", "--channel",
                   "website", "--pupil", "p1")
    assert steward.exit_code == 1 and "lead or above" in steward.output
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    bad = _check(school_db, str(text), "--channel", "website", "--pupil", "p1")
    assert bad.exit_code == 1 and "Only JPEG, PNG and WebP" in bad.output
    missing = _check(school_db, str(tmp_path / "gone.jpg"), "--channel", "website",
                     "--pupil", "p1")
    assert missing.exit_code == 1 and "There is no file" in missing.output


def test_the_postings_report_lists_checks_without_names(school_db: Path) -> None:
    _check(school_db, "--channel", "website", "--pupil", "p1", "--caption", "Amelia Okafor")
    _check(school_db, "--channel", "press", "--class", "2W")
    result = CliRunner().invoke(cli, ["report", "postings", "--format", "json",
                                      "--db", str(school_db)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["staff"], r["channel"], r["pupils"], r["answer"]) for r in rows] == [
        ("Lee Lead", "website", 1, "no"), ("Lee Lead", "press", 3, "no")]
    assert "amelia" not in result.output.casefold()
    table = CliRunner().invoke(cli, ["report", "postings", "--db", str(school_db)])
    assert "Posting checks" in table.output and "Lee Lead" in table.output
