"""Whom to contact: the linked family's id and guardians in the violation detail, the
headteacher's inbox detail and the violations report; nobody else's family."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.reports import violations_report
from kiosk.store import Store
from kiosk.ui.staff.inbox import detail_text
from kiosk.violations.reads import violation_detail
from support.violations_school import School, add_violations, build_school

GENERATED = datetime(2026, 12, 11, 8, 5)
DEMIR = ("Selin Demir", "mother", "07700 900123", "selin.demir@example.org")
DEMIR_DAD = ("Kaan Demir", "father", None, None)
# The family of the child filmed (linked to violation 1 as a child, not as the culprit).
OTHER = ("Jan Łukasiewicz", "father", "07700 900999", "jan.l@example.org")


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    built = build_school(store, now)
    for family, (name, relationship, phone, email) in (
        ("F3", DEMIR), ("F3", DEMIR_DAD), ("F2", OTHER),
    ):
        store.families.upsert_guardian({"family_id": family, "name": name,
                                        "relationship": relationship,
                               "phone": phone, "email": email})
    add_violations(built, now)
    return built


def _others_absent(text: str) -> None:
    name, _, phone, email = OTHER
    for secret in (name, phone, email, "F2"):
        assert secret not in text


def test_detail_names_the_linked_family_and_its_guardians_only(school: School) -> None:
    detail = violation_detail(school.store, 1)
    assert detail["contact"] == {
        "family_id": "F3", "family_name": "The Demir family",
        "guardians": [
            {"name": n, "relationship": r, "phone": p, "email": e}
            for n, r, p, e in (DEMIR, DEMIR_DAD)
        ],
    }
    _others_absent(repr(detail))
    assert violation_detail(school.store, 2)["contact"] is None


def test_inbox_detail_shows_whom_to_contact(school: School) -> None:
    text = detail_text(violation_detail(school.store, 1)).plain
    assert "Contact: Family F3 – The Demir family" in text
    assert "Selin Demir (mother) · 07700 900123 · selin.demir@example.org" in text
    assert "Kaan Demir (father) · no phone or e-mail on record" in text
    _others_absent(text)
    assert "Contact: No family linked" in detail_text(violation_detail(school.store, 2)).plain


def test_report_pdf_markdown_and_csv_carry_the_contact(school: School, tmp_path: Path) -> None:
    report = violations_report.gather(school.store, event_id="nativity")
    out = tmp_path / "violations.pdf"
    violations_report.render_pdf(report, out, school="Valence Primary School",
                                 generated_at=GENERATED)
    pdf = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    markdown = violations_report.render_markdown(report, school="Valence Primary School",
                                                 generated_at=GENERATED)
    for text in (pdf, markdown):
        assert "Family F3" in text and "07700 900123" in text
        assert "selin.demir@example.org" in text
        _others_absent(text)
    assert "**Contact:** Family F3 – The Demir family; Selin Demir (mother)" in markdown
    target = tmp_path / "violations.csv"
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, violations_report.CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(violations_report.csv_rows(report))
    rows = {int(r["number"]): r for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows[1]["family_id"] == "F3"
    assert rows[1]["contact"].startswith(
        "Selin Demir (mother) · 07700 900123 · selin.demir@example.org; Kaan Demir")
    assert rows[2]["contact"] == "" and rows[2]["family_id"] == ""
    _others_absent(target.read_text(encoding="utf-8"))
