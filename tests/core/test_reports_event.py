"""The event summary: figures from check-ins, the running order and violations; no names."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kiosk.cli import cli
from kiosk.reports import event_summary
from kiosk.reports.event_summary import TimeBin
from kiosk.reports.pdf import find_dejavu, to_latin1
from kiosk.store import Store
from support.violations_school import PUPILS, School, add_checkins, add_violations, build_school

GENERATED = datetime(2026, 12, 11, 8, 5)


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    built = build_school(store, now)
    add_checkins(built, now - timedelta(minutes=20))
    add_violations(built, now)
    return built


def test_figures_come_from_the_records(school: School, now) -> None:
    s = event_summary.gather(school.store, "nativity")
    assert (s.families_expected, s.families_admitted) == (6, 3)
    assert (s.people_admitted, s.party_unknown, s.party_sizes) == (5, 1, {2: 1, 3: 1})
    assert (s.re_entries, s.undone, s.refused_total) == (1, 1, 3)
    assert s.refusals == {"unknown_pass": 2, "revoked": 1}
    assert s.bin_minutes == 10
    start = now.replace(minute=20)
    assert s.bins == [TimeBin(start, 2, 0, 0), TimeBin(start + timedelta(minutes=10), 1, 0, 2),
                      TimeBin(start + timedelta(minutes=20), 0, 1, 0),
                      TimeBin(start + timedelta(minutes=30), 0, 0, 1)]
    assert [(i["title"], i["allowed"], i["performers"], i["not_filmable"]) for i in s.items] == [
        ("Away in a Manger", False, 3, 1), ("The Shepherds", False, 4, 1),
        ("Solo: Silent Night", True, 1, 0)]
    assert s.violations == {"filmed_child_without_permission": 1, "filmed_staff": 1,
                            "posted_online": 1}


def test_long_days_get_wider_bins(school: School, now) -> None:
    rows = [{"at": (now + timedelta(minutes=25 * n)).isoformat(), "result": "admitted",
             "undone_at": None} for n in range(25)]
    bins, width = event_summary._bins(rows)
    assert width == 20
    assert len(bins) < event_summary.MAX_BARS
    assert sum(b.admitted for b in bins) == 25


def test_event_without_check_ins(store: Store, now) -> None:
    build_school(store, now)
    s = event_summary.gather(store, "nativity")
    assert s.bins == [] and s.families_admitted == 0 and s.refusals == {}


def test_pdf_reads_well_and_names_no_child(school: School, tmp_path) -> None:
    out = tmp_path / "event.pdf"
    s = event_summary.gather(school.store, "nativity")
    event_summary.render_pdf(s, out, school="Valence Primary School", generated_at=GENERATED)
    pages = [p.extract_text() for p in PdfReader(out).pages]
    text = "\n".join(pages)
    for expected in (
        "Event summary: Nativity", "Thursday 10 December 2026", "doors 17:30", "curtain 18:00",
        "3 / 6", "families in / expected", "Check-ins over time (per 10 minutes)", "17:20",
        "Admitted", "Re-entry", "Refused", "Pass not recognised", "unknown_pass",
        "5, plus 1 family of unknown size", "Check-ins undone by staff",
        "Away in a Manger", "No filming", "Filming allowed – own child only",
        "Filmed a child without permission", "Party size was not recorded for 1",
    ):
        assert (expected if find_dejavu() else to_latin1(expected)) in text, expected
    for page_no, page in enumerate(pages, start=1):
        assert f"Page {page_no} of {len(pages)}" in page
        assert "Valence Primary School" in page
    for _pid, _family, first, surname, _cls, _consent in PUPILS:
        assert first not in text and surname not in text
    assert "Confidential" not in text


def test_markdown_summary(school: School) -> None:
    s = event_summary.gather(school.store, "nativity")
    text = event_summary.render_markdown(s, school="Valence Primary School",
                                         generated_at=GENERATED)
    assert "# Event summary: Nativity — Valence Primary School" in text
    assert "| 17:30 | 1 | 0 | 2 |" in text
    assert "| Pass not recognised | unknown\\_pass | 2 |" in text
    assert "| 2 | The Shepherds | 18:10 | No filming | 4 | 1 |" in text


def test_cli_writes_pdf_csv_and_md(school: School, db_path: Path, tmp_path: Path) -> None:
    school.store.close()
    folder = tmp_path / "out"
    folder.mkdir()  # --out into a folder that does not exist is refused
    result = CliRunner().invoke(cli, ["report", "event", "nativity", "--format", "pdf",
                                      "--format", "csv", "--format", "md", "--out",
                                      str(folder), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "event-nativity.csv", "event-nativity.md", "event-nativity.pdf"]
    with (folder / "event-nativity.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    figures = {(r["section"], r["name"]): r["value"] for r in rows}
    assert figures[("admissions", "families_admitted")] == "3"
    assert figures[("refusals", "unknown_pass")] == "2"
    assert figures[("violations", "Filmed a member of staff")] == "1"
    assert figures[("items", "2. The Shepherds")] == "1"
    single = tmp_path / "summary.md"
    again = CliRunner().invoke(cli, ["report", "event", "nativity", "--out", str(single),
                                     "--db", str(db_path)])
    assert again.exit_code == 0 and single.read_text().startswith("# Event summary")


def test_an_out_folder_that_does_not_exist_is_refused(school: School, db_path: Path,
                                                      tmp_path: Path) -> None:
    school.store.close()
    for args in (["--out", str(tmp_path / "nope" / "summary.pdf")],
                 ["--format", "pdf", "--out", str(tmp_path / "nope")]):
        result = CliRunner().invoke(cli, ["report", "event", "nativity", *args,
                                          "--db", str(db_path)])
        assert result.exit_code == 1 and "There is no folder" in result.output
        assert not (tmp_path / "nope").exists()
