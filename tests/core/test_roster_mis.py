"""A real-looking MIS export (Excel "CSV (Comma delimited)", Windows-1252), through the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.events import filmable
from kiosk.store import open_store

# As a SIMS-style report saved from Excel: cp1252, CRLF, quoted cells with commas, no BOM,
# odd header spellings, an extra title-less column, and "Tutor Grp" that needs --map.
EXPORT = (
    '"Adm. No.","UPN","Legal Surname","Legal Forename","Preferred Forename","Tutor Grp",'
    '"NC Year","Photograph Student","Consent Expiry","Ethnicity",'
    '"Contact 1 Forename","Contact 1 Surname","Contact 1 Relationship","Contact 1 Email",'
    '"Contact 1 Mobile","Contact 2 Forename","Contact 2 Surname","Contact 2 Relationship",'
    '"Contact 2 Email","Contact 2 Mobile"\r\n'
    '"004512","A812345678901","O\'Brien","Siân","","4W","4","Yes","31/08/2029","WIRI",'
    '"Máire","O\'Brien","Mother","maire.obrien@example.org","07700 900301",'
    '"Seán","O\'Brien","Father","","07700 900302"\r\n'
    '"004513","A812345678902","O\'Brien","Oisín","Ossie","1B","1","Y","","WIRI",'
    '"Seán","O\'Brien","Father","","07700900302",'
    '"Máire","O\'Brien","Mother","Maire.OBrien@example.org",""\r\n'
    '"004514","A812345678903","Nowak","Zoë","","1B","1","Refused","","WOTH",'
    '"Agnieszka","Nowak","Mother","a.nowak@example.com","07700 900303","","","","",""\r\n'
    '"004515","A812345678904","Adeyemi","Tóbi","","RW","R","Consent given","","BNGN",'
    '"Folake","Adeyemi","Mother","folake@example.net","07700 900304",'
    '"","","","",""\r\n'
    '"004516","A812345678905","Adeyemi-Clarke","Renée","","4W","4","","","MWBC",'
    '"Folake","Adeyemi","Mother","folake@example.net","07700 900304",'
    '"Paul","Clarke","Stepfather","paul.clarke@example.net",""\r\n'
    '"004517","A812345678906","Hussain","Amira","","6B","6","Yes","31/08/2025","APKN",'
    '"Rukhsana","Hussain","Grandmother","","07700 900305","","","","",""\r\n'
).encode("cp1252")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "Student List (SIMS).csv"
    path.write_bytes(EXPORT)
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def test_without_map_the_unrecognised_class_column_is_a_plain_error(
    export: Path, db_path: Path
) -> None:
    result = run(db_path, "import", "roster", str(export))
    assert result.exit_code == 1
    assert "Error: The file has no column for class" in result.output
    assert '--map "Header Name=class"' in result.output


def test_windows_1252_export_with_map_gives_the_right_pupils_families_and_may_film(
    export: Path, db_path: Path
) -> None:
    result = run(db_path, "import", "roster", str(export), "--map", "Tutor Grp=class",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["encoding"] == "Windows-1252" and report["delimiter"] == "comma"
    assert report["columns"]["Adm. No."] == "pupil_id"
    assert report["columns"]["Tutor Grp"] == "class"
    assert report["columns"]["NC Year"] == "year_group"
    assert {"column": "UPN", "why": "pupil_id is taken from 'Adm. No.'", "loud": False} in (
        report["ignored_columns"]
    )
    assert report["counts"]["added"] == 6
    store = open_store(db_path)
    try:
        pupils = {p["id"]: p for p in store.families.pupils()}
        assert pupils["004512"]["first_name"] == "Siân"
        assert pupils["004513"]["preferred_name"] == "Ossie"
        assert pupils["004513"]["year_group"] == "Year 1"
        # Two guardians listed in either order, one email differing only in case: siblings.
        assert pupils["004512"]["family_id"] == pupils["004513"]["family_id"] == "F004512"
        # A step-family: a shared mother links different surnames.
        assert pupils["004515"]["family_id"] == pupils["004516"]["family_id"] == "F004515"
        assert store.families.get("F004515")["display_name"] == "Adeyemi & Adeyemi-Clarke family"
        assert store.families.get("F004512")["display_name"] == "O'Brien family"
        assert len(store.families.all()) == 4
        may = filmable(store, list(pupils), date(2026, 12, 10))
        assert may == {
            "004512": True, "004513": True, "004514": False, "004515": True,
            "004516": False,  # blank: not returned
            "004517": False,  # expired in 2025
        }
    finally:
        store.close()


def test_dry_run_then_pupils_list_json(export: Path, db_path: Path) -> None:
    dry = run(db_path, "import", "roster", str(export), "--map", "Tutor Grp=class",
              "--dry-run")
    assert dry.exit_code == 0
    assert "Dry run, nothing was changed" in dry.output
    assert "Windows-1252" in dry.output
    assert json.loads(run(db_path, "pupils", "list", "--format", "json").output) == []
    run(db_path, "import", "roster", str(export), "--map", "Tutor Grp=class")
    listed = json.loads(
        run(db_path, "pupils", "list", "--format", "json", "--on", "2026-12-10").output
    )
    assert [p["id"] for p in listed[:2]] == ["004514", "004513"]  # by class, then surname
    assert listed[1] == {
        "id": "004513", "first_name": "Oisín", "preferred_name": "Ossie", "surname": "O'Brien",
        "class": "1B", "year_group": "Year 1", "family_id": "F004512", "may_film": True,
        "on_roll": True,
    }
    assert len(listed) == 6


def test_broken_file_names_its_bad_lines_and_exits_1(export: Path, db_path: Path) -> None:
    broken = EXPORT.replace(b'"004514"', b'""').replace(b'"31/08/2025"', b'"31st Aug"')
    export.write_bytes(broken)
    result = run(db_path, "import", "roster", str(export), "--map", "Tutor Grp=class")
    assert result.exit_code == 1
    assert "Error: Nothing was imported: 2 rows have problems (lines 4, 7)." in result.output
    assert "missing pupil id" in result.output
    assert "unknown consent date format" in result.output
    store = open_store(db_path)
    try:
        assert store.families.pupils() == []
    finally:
        store.close()


def test_pupils_list_csv_neutralises_formulas(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("pupil_id,first_name,surname,class,consent_event_recording\n"
                    "1,=HYPERLINK(\"x\"),Lee,3B,Yes\n", encoding="utf-8")
    assert run(db_path, "import", "roster", str(path)).exit_code == 0
    output = run(db_path, "pupils", "list", "--format", "csv").output
    assert "'=HYPERLINK" in output


def test_roster_commands_have_help() -> None:
    for args in (["import", "roster", "--help"], ["pupils", "list", "--help"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and "--format" in result.output
