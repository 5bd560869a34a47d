"""The confidential violations report: real PDFs read back, CSV neutralised, Markdown, CLI."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kiosk.cli import cli
from kiosk.reports import violations_report
from kiosk.reports.pdf import find_dejavu, to_latin1
from kiosk.store import Store
from kiosk.violations.workflow import add_note, log_violation
from support.violations_school import School, add_violations, build_school

GENERATED = datetime(2026, 12, 11, 8, 5)
# Debian's fonts-dejavu-core (on the project's machines) prints every name as written;
# without it the report falls back to transliterated Latin-1 (tested on its own below).
UNICODE_FONT = find_dejavu() is not None


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    built = build_school(store, now)
    add_violations(built, now)
    return built


def _printed(text: str) -> str:
    """How `text` reads in the PDF with the font this machine has."""
    return text if UNICODE_FONT else to_latin1(text)


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _pdf(school: School, tmp_path: Path, **kwargs) -> list[str]:
    report = violations_report.gather(school.store, event_id="nativity")
    out = tmp_path / "violations.pdf"
    violations_report.render_pdf(report, out, school="Valence Primary School",
                                 generated_at=GENERATED, **kwargs)
    return _pages(out)


def test_pdf_has_every_detail_children_in_full_and_history(school: School, tmp_path) -> None:
    pages = _pdf(school, tmp_path)
    text = "\n".join(pages)
    for page_no, page in enumerate(pages, start=1):
        assert _printed("Confidential — safeguarding") in page
        assert "Valence Primary School" in page
        assert f"Page {page_no} of {len(pages)}" in page
        assert "Generated 11 December 2026 at 08:05" in page
    for expected in (
        "Violations report", "Nativity, Thursday 10 December 2026",
        "No. 1", "Filmed a child without permission", "CLOSED", "The Shepherds",
        "The Demir family", "Man in a blue coat", "Zoë Łukasiewicz (1B)",
        "Deleted in front of staff", "Lee Lead", "Spoke to the family; they understood.",
        "Resolved: clip deleted", "No. 2", "OPEN", "Sam Steward", "No. 3", "ACKNOWLEDGED",
        "Refused to delete", "Мария Иванова (2W)", "Mei ? (2W)",
    ):
        assert _printed(expected) in text, expected
    assert "Amelia" not in text and "Tobi" not in text


def test_pdf_without_a_unicode_font_transliterates_instead_of_crashing(
    school: School, tmp_path
) -> None:
    text = "\n".join(_pdf(school, tmp_path, use_dejavu=False))
    assert "Zoë Lukasiewicz (1B)" in text
    assert "Confidential - safeguarding" in text
    assert "could not be printed exactly" in text


def test_to_latin1_keeps_what_it_can() -> None:
    assert to_latin1("Zoë Łukasz “Őrs” — Ångström 王") == 'Zoë Lukasz "Ors" - Ångström ?'


def test_long_report_breaks_across_pages_and_repeats_table_headings(
    school: School, now, tmp_path
) -> None:
    store, head = school.store, school.staff["headteacher"]
    vid = log_violation(store, event_id="nativity", kind="other", reported_by=head,
                        now=now, kiosk_id="office", description="A long story")
    for n in range(70):
        add_note(store, vid, f"Follow-up number {n} with the family and the governors.",
                 staff_id=head, now=now + timedelta(minutes=n), kiosk_id="office")
    pages = _pdf(school, tmp_path)
    assert len(pages) >= 3
    holding = [p for p in pages if "Follow-up number" in p]
    assert len(holding) >= 2
    assert all("When Who What Detail" in p for p in holding)
    text = "\n".join(pages)
    assert all(f"Follow-up number {n} " in text for n in range(70))


def test_empty_period_says_so(school: School, tmp_path) -> None:
    report = violations_report.gather(school.store, date_from=date(2027, 1, 1))
    assert report.violations == []
    assert report.scope == "Logged from Friday 1 January 2027"
    out = tmp_path / "none.pdf"
    violations_report.render_pdf(report, out, school="S", generated_at=GENERATED)
    assert "No violations were logged in this period." in _pages(out)[0]


def test_markdown_has_the_same_facts_escaped(school: School) -> None:
    report = violations_report.gather(school.store, event_id="nativity")
    text = violations_report.render_markdown(report, school="Valence Primary School",
                                             generated_at=GENERATED)
    assert text.startswith("# Violations report — Valence Primary School")
    assert "**Confidential — safeguarding.**" in text
    assert "Zoë Łukasiewicz (1B)" in text and "Mei 王 (2W)" in text
    assert "=cmd\\|' /C calc'\\!A0" in text
    assert "| 11 Dec 2026 08:50 | Helen Head | Note added | Spoke to the family; they" in text


def _cli(db: Path, *args: str):
    return CliRunner().invoke(cli, ["report", "violations", *args, "--db", str(db),
                                    "--staff", "Helen Head"], input="123456\n")


def test_cli_report_with_names_needs_a_headteacher(school: School, db_path, tmp_path) -> None:
    school.store.close()
    out = tmp_path / "v.csv"
    nobody = CliRunner().invoke(cli, ["report", "violations", "--out", str(out), "--db",
                                      str(db_path)])
    assert nobody.exit_code == 1 and "--staff NAME (a headteacher or above)" in nobody.output
    lead = CliRunner().invoke(cli, ["report", "violations", "--out", str(out), "--db",
                                    str(db_path), "--staff", "Lee Lead"], input="123456\n")
    assert lead.exit_code == 1 and "Only a headteacher or above" in lead.output
    assert not out.exists()


def test_cli_csv_neutralises_formulas_and_keeps_names(school: School, db_path, tmp_path) -> None:
    school.store.close()
    out = tmp_path / "v.csv"
    result = _cli(db_path, "--event", "nativity", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    table, _, trailer = text.partition("\r\n\r\n")  # a blank row, then the chain heads
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [r["number"] for r in rows] == ["1", "2", "3"]
    assert trailer.startswith("Audit chain heads when this was written")
    assert "audit-head " in trailer
    assert rows[1]["description"] == "'=cmd|' /C calc'!A0 woman by the fire exit"
    assert rows[0]["children"] == "Zoë Łukasiewicz (1B)"
    assert rows[2]["children"] == "Мария Иванова (2W); Mei 王 (2W)"
    assert "Note added by Helen Head: Spoke to the family" in rows[0]["history"]
    assert tuple(rows[0]) == violations_report.CSV_COLUMNS


def test_cli_writes_each_format_into_a_folder(school: School, db_path, tmp_path) -> None:
    school.store.close()
    folder = tmp_path / "reports"
    folder.mkdir()  # --out into a folder that does not exist is refused
    result = _cli(db_path, "--from", "2026-12-10", "--to", "2026-12-10", "--format", "pdf",
                  "--format", "md", "--out", str(folder))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["violations-2026-12-10-to-2026-12-10.md",
                     "violations-2026-12-10-to-2026-12-10.pdf"]
    pages = _pages(folder / names[1])
    assert "Logged from Thursday 10 December 2026 to Thursday 10 December 2026" in pages[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--event", "nativity", "--from", "2026-12-01", "--out", "x.pdf"], "not both"),
    (["--from", "2026-12-02", "--to", "2026-12-01", "--out", "x.pdf"], "must not be after"),
    (["--out", "x.docx"], "Name the output file .pdf, .csv or .md"),
    (["--event", "sports-day", "--out", "x.pdf"], "no event called 'sports-day'"),
])
def test_cli_refuses_unclear_requests(school: School, db_path, tmp_path, args, message) -> None:
    school.store.close()
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = _cli(db_path, *args)
    assert result.exit_code != 0
    assert message in result.output
