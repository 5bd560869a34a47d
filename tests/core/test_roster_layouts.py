"""Each MIS layout, through the real CLI on a real database: every pupil's may_film is right,
families group as they should, and only the flags in the docs are needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.store import open_store
from support.roster_fixtures import LAYOUTS, Layout, excel_first

DAY = "2026-12-10"


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def _write(tmp_path: Path, layout: Layout) -> Path:
    path = tmp_path / f"export{layout.suffix}"
    path.write_bytes(layout.data)
    return path


@pytest.mark.parametrize("make", LAYOUTS, ids=lambda m: m.__name__)
def test_layout_imports_right_with_only_its_documented_flags(
    make, tmp_path: Path, db_path: Path
) -> None:
    layout = make()
    if layout.name == "Excel re-save":
        first = tmp_path / "first.csv"
        first.write_bytes(excel_first())
        assert run(db_path, "import", "roster", str(first)).exit_code == 0
    path = _write(tmp_path, layout)
    dry = run(db_path, "import", "roster", str(path), *layout.flags, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Families (check the grouping)" in dry.output
    result = run(db_path, "import", "roster", str(path), *layout.flags, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["left"] == 0
    assert len(report["held_links"]) == layout.held
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json", "--on", DAY).output)
    assert {p["id"]: p["may_film"] for p in listed} == layout.may_film
    family = {p["id"]: p["family_id"] for p in listed}
    for together in layout.families:
        assert len({family[p] for p in together}) == 1, together
    for apart in layout.apart:
        assert len({family[p] for p in apart}) == len(apart), apart


def test_sims_gathers_contacts_and_ticked_consents(tmp_path: Path, db_path: Path) -> None:
    layout = LAYOUTS[0]()
    run(db_path, "import", "roster", str(_write(tmp_path, layout)))
    store = open_store(db_path)
    try:
        names = [g["name"] for g in store.families.guardians_of_pupil("001201")]
        assert names == ["Máire O'Brien", "Seán O'Brien"]
        assert store.families.pupil("001202")["preferred_name"] == "Ossie"
    finally:
        store.close()


def test_allow_merge_groups_through_the_held_contact(tmp_path: Path, db_path: Path) -> None:
    path = _write(tmp_path, LAYOUTS[0]())
    dry = run(db_path, "import", "roster", str(path), "--dry-run")
    assert "Kwame Asante" in dry.output and "parental responsibility" in dry.output
    run(db_path, "import", "roster", str(path), "--allow-merge")
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json").output)
    family = {p["id"]: p["family_id"] for p in listed}
    assert family["001204"] == family["001205"]


def test_scholarpack_without_value_flags_names_each_unknown_answer(
    tmp_path: Path, db_path: Path
) -> None:
    result = run(db_path, "import", "roster", str(_write(tmp_path, LAYOUTS[6]())))
    assert result.exit_code == 1
    assert "'Yes - all uses' in 'Photo Consent' (1 row)" in result.output
    assert "'Yes - internal use only' in 'Photo Consent' (1 row)" in result.output
    assert '--value "' in result.output
    assert json.loads(run(db_path, "pupils", "list", "--format", "json").output) == []


def test_scholarpack_titles_and_footer_are_skipped_and_said(tmp_path: Path, db_path: Path) -> None:
    layout = LAYOUTS[6]()
    result = run(db_path, "import", "roster", str(_write(tmp_path, layout)), *layout.flags,
                 "--format", "json")
    notices = {n["message"]: n["lines"] for n in json.loads(result.output)["notices"]}
    assert notices["Lines above the header (line 4) were skipped as titles"] == [1, 2]
    footer = "Short lines below the last pupil were skipped as a footer ('Total: 4 students')"
    assert notices[footer] == [10]


def test_a_short_last_row_with_an_id_is_a_pupil_row_not_a_footer(
    tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Adno,Forename,Surname,Reg Group,Photo Consent\n1,Ann,Lee,3B,Yes\n"
                    "2,Bo\nTotal: 2,\n", encoding="utf-8")
    result = run(db_path, "import", "roster", str(path))
    assert result.exit_code == 1
    assert "Nothing was imported: 1 row has problems (line 3)" in result.output


def test_rows_of_one_pupil_that_disagree_name_both_lines(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("PupilID,PupilForename,PupilSurname,Class,Photo Consent,ContactForename\n"
                    "7,Ann,Lee,3B,Yes,Jo\n7,Ann,Lee,3B,No,Sam\n", encoding="utf-8")
    result = run(db_path, "import", "roster", str(path), "--format", "json")
    assert result.exit_code == 1
    report, _ = json.JSONDecoder().raw_decode(result.output)
    assert report["rejected"] == [{
        "line": 3, "pupil_id": "7",
        "reason": "pupil id 7 is also on line 2 with a different event recording consent"}]


def test_an_unknown_photo_value_in_a_consent_list_is_never_ignored(
    tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Adno,Forename,Surname,Reg Group,Parental Consent\n"
                    "1,Ann,Lee,3B,Photograph Student\n1,Ann,Lee,3B,No Photos At Events\n",
                    encoding="utf-8")
    result = run(db_path, "import", "roster", str(path))
    assert result.exit_code == 1
    assert "'No Photos At Events' in 'Parental Consent' (1 row)" in result.output
    fixed = run(db_path, "import", "roster", str(path), "--value", "No Photos At Events=refused")
    assert fixed.exit_code == 0
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json").output)
    assert listed[0]["may_film"] is False


def test_two_families_already_stored_are_not_merged_without_asking(
    tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "r.csv"
    header = "Adno,Forename,Surname,Reg Group,Photo Consent,Contact 1 Email\n"
    path.write_text(header + "1,Ann,Lee,3B,Yes,lee@example.org\n2,Bo,Ng,3B,Yes,ng@example.org\n",
                    encoding="utf-8")
    run(db_path, "import", "roster", str(path))
    path.write_text(header + "1,Ann,Lee,3B,Yes,lee@example.org\n2,Bo,Ng,3B,Yes,lee@example.org\n",
                    encoding="utf-8")
    report = json.loads(run(db_path, "import", "roster", str(path), "--format", "json").output)
    assert [h["reason"] for h in report["held_links"]] == ["existing_families"]
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json").output)
    assert {p["id"]: p["family_id"] for p in listed} == {"1": "F1", "2": "F2"}
    run(db_path, "import", "roster", str(path), "--allow-merge")
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json").output)
    assert {p["family_id"] for p in listed} == {"F1"}


def test_excel_resave_is_the_same_pupils_and_keeps_the_letters(
    tmp_path: Path, db_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_bytes(excel_first())
    run(db_path, "import", "roster", str(first))
    result = run(db_path, "import", "roster", str(_write(tmp_path, LAYOUTS[7]())), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Warning: The file has '?' where the stored names")
    assert "kept as stored (e.g. 1188 is 001188)" in result.output
    assert "0 added" in result.output and "0 left" in result.output
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json").output)
    assert "Łukasz" in {p["first_name"] for p in listed}


def test_xlsx_first_sheet_by_default_and_the_date_cell_expires(
    tmp_path: Path, db_path: Path
) -> None:
    path = _write(tmp_path, LAYOUTS[8]())
    assert "no column for pupil_id" in run(db_path, "import", "roster", str(path)).output
    missing = run(db_path, "import", "roster", str(path), "--sheet", "Pupils")
    assert "no sheet called 'Pupils'; its sheets are 'Notes', 'Students'" in missing.output
    dry = run(db_path, "import", "roster", str(path), "--sheet", "Students", "--dry-run")
    assert dry.output.startswith("Warning: 1 pupil has a granted event-recording consent that"
                                 " expired")
    assert "Excel workbook, sheet 'Students'" in dry.output


def test_nobody_filmable_is_the_first_line(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Adno,Forename,Surname,Reg Group,Photo Consent\n1,Ann,Lee,3B,No\n"
                    "2,Bo,Lee,3B,Pending\n", encoding="utf-8")
    result = run(db_path, "import", "roster", str(path), "--dry-run")
    assert result.output.startswith("Warning: Nobody in this file may be filmed")


def test_two_consent_like_columns_are_never_guessed(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Adno,Forename,Surname,Reg Group,Photo Consent,"
                    "Parents filming at school events\n1,Ann,Lee,3B,Yes,No\n", encoding="utf-8")
    result = run(db_path, "import", "roster", str(path))
    assert result.exit_code == 1
    assert ("Several columns could be the event-recording consent ('Photo Consent', "
            "'Parents filming at school events')") in result.output
    ok = run(db_path, "import", "roster", str(path), "--map",
             "Parents filming at school events=consent_event_recording")
    assert ok.exit_code == 0, ok.output
    listed = json.loads(run(db_path, "pupils", "list", "--format", "json").output)
    assert listed[0]["may_film"] is False


def test_a_map_for_a_missing_column_names_the_header_line_and_headers_as_written(
    tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Class list,,,,\n,,,,\nAdno,Forename,Surname,Reg Group,Photo Consent\n"
                    "1,Ann,Lee,3B,Yes\n", encoding="utf-8")
    result = run(db_path, "import", "roster", str(path), "--map", "Tutor Grp=class")
    assert result.exit_code == 1
    assert "'Tutor Grp' (for class); the header row was taken from line 3: Adno | Forename |" in (
        " ".join(result.output.split()))
