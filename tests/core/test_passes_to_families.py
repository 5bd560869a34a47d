"""Passes to families: mail-merge index, register order, quiet zone, twins, revoked files."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.clock import fixed_clock
from kiosk.passes import issue_to_families, remove_revoked_files, revoke_pass
from kiosk.passes.cards import (
    AT_THE_DOOR,
    CARD_H,
    CARD_W,
    FAMILY_INTRO,
    QR_RIGHT,
    QR_SIZE,
    Card,
    bulk_pdf,
)
from kiosk.passes.files import sort_key
from kiosk.store import Store
from support.pdf_pages import pdf_text, render_pages
from support.school import NOW, Family, Pupil, add_roster
from support.signers import add_signers, signed

FAMILIES = [
    Family("F-SMITH-1", "Smith", ("Jo Smith",)),
    Family("F-SMITH-2", "Smith", ("Kim Smith", "Lee Smith")),
    Family("F-ABERG", "Åberg", ("Anna Åberg",)),
    Family("F-OBRIAIN", "Ó Briain", ()),
    Family("F-ZED", "Zacharias", ()),
    Family("F-OWEN", "owen", ()),
]
PUPILS = [
    Pupil("P1", "F-SMITH-1", "Ava", "Smith", "2E"), Pupil("P2", "F-SMITH-1", "Ben", "Smith", "R"),
    Pupil("P3", "F-SMITH-2", "Cara", "Smith", "4B"), Pupil("P4", "F-ABERG", "Elsa", "Åberg", "3C"),
    Pupil("P5", "F-OBRIAIN", "Aoife", "Ó Briain", "1A"),
    Pupil("P6", "F-ZED", "Zak", "Zacharias", "6"), Pupil("P7", "F-OWEN", "Olly", "Owen", "5"),
]


@pytest.fixture
def school(store: Store) -> Store:
    add_roster(store, FAMILIES, PUPILS, stamp=NOW.isoformat())
    store.settings.set("school_name", "Riverside Primary")
    return store


def test_register_order_sets_accents_and_case_aside() -> None:
    names = ["Zacharias", "Ó Briain", "owen", "Åberg", "O'Brien", "Smith", "Łukasz", "Adams"]
    assert sorted(names, key=sort_key) == ["Åberg", "Adams", "Łukasz", "Ó Briain", "O'Brien",
                                           "owen", "Smith", "Zacharias"]


def test_index_and_mail_merge_csv(school: Store, tmp_path: Path) -> None:
    add_signers(school, NOW)
    staff, pin = signed("Lee Lead")
    result = CliRunner().invoke(cli, ["--db", str(school.path), "passes", "issue", "--all",
                                      "--out", str(tmp_path), *staff],
                                input=pin, obj={"clock": fixed_clock(NOW)})
    assert result.exit_code == 0, result.output
    (index,) = tmp_path.glob("passes-*.csv")
    rows = list(csv.DictReader(index.open(encoding="utf-8-sig")))
    assert [r["family"] for r in rows] == ["Åberg", "Ó Briain", "owen", "Smith", "Smith",
                                           "Zacharias"]
    first_smith = next(r for r in rows if r["family_id"] == "F-SMITH-1")
    assert first_smith["children"] == "Ava (2E); Ben (R)"
    assert first_smith["emails"] == "jo@example.org"
    assert first_smith["pdf_file"] == Path(first_smith["pdf"]).name
    assert [r["bulk_sheet"] for r in rows][:2] == ["page 1, card 1", "page 1, card 2"]
    (mail,) = tmp_path.glob("mailmerge-*.csv")
    merge = list(csv.DictReader(mail.open(encoding="utf-8-sig")))
    assert [(m["email"], m["family"]) for m in merge] == [
        ("anna@example.org", "Åberg"), ("jo@example.org", "Smith"),
        ("kim@example.org", "Smith"), ("lee@example.org", "Smith")]
    assert all(Path(m["pdf"]).exists() and m["pdf_file"] for m in merge)
    assert "Mail merge" in result.output


def test_two_households_of_one_name_are_told_apart_on_the_card(school: Store,
                                                                tmp_path: Path) -> None:
    run = issue_to_families(school, ["F-SMITH-1", "F-SMITH-2", "F-ZED"], tmp_path, now=NOW)
    text = {p.family_id: pdf_text(p.pdf) for p in run.passes}
    assert "Ava, Ben" in text["F-SMITH-1"] and "Cara" in text["F-SMITH-2"]
    assert "Cara" not in text["F-SMITH-1"]
    assert "Zak" not in text["F-ZED"], "a name nobody shares prints no child's name"


def test_the_letter_says_every_event_this_year_and_what_to_do_with_a_flat_phone(
    school: Store, tmp_path: Path
) -> None:
    (listed,) = issue_to_families(school, ["F-ZED"], tmp_path, now=NOW).passes
    text = " ".join(pdf_text(listed.pdf).split())
    assert "every school event this school year" in text
    assert "Phone flat" in text and "check you in by hand" in text
    assert "every school event this school year" in FAMILY_INTRO
    assert any("flat" in lead for lead, _ in AT_THE_DOOR)


def test_a_long_family_name_never_reaches_the_quiet_zone() -> None:
    name = "Wolfeschlegelsteinhausenbergerdorff-Montgomery WWWWWWWWWWWWWWWW"
    card = Card(token="KP1:" + "A" * 32, ref="WWWW", family_name=name, school_name="S" * 80,
                valid_until=NOW.date(), label="W" * 60, children="W" * 60)
    (page,) = render_pages(bulk_pdf([card], created=NOW), 200)
    per_mm = page.shape[1] / 210.0
    left, top = (210 - 2 * CARD_W) / 2, (297 - 5 * CARD_H) / 2
    qr_x, qr_y = left + CARD_W - QR_SIZE - QR_RIGHT, top + CARD_H - QR_SIZE - 1.8
    quiet = 4 * QR_SIZE / 37  # the 4-module quiet zone

    def box(x0: float, y0: float, x1: float, y1: float):
        return page[int(y0 * per_mm) + 1:int(y1 * per_mm) - 1,
                    int(x0 * per_mm) + 1:int(x1 * per_mm) - 1]

    assert box(qr_x, qr_y, qr_x + quiet, qr_y + QR_SIZE).min() > 200  # left band
    assert box(qr_x, qr_y, qr_x + QR_SIZE, qr_y + quiet).min() > 200  # top band


def test_revoked_pass_files_leave_the_folder(school: Store, tmp_path: Path) -> None:
    (old,) = issue_to_families(school, ["F-ZED"], tmp_path, now=NOW).passes
    revoke_pass(school, old.ref, reason="lost", now=NOW)
    result = CliRunner().invoke(cli, ["--db", str(school.path), "passes", "tidy",
                                      str(tmp_path)], obj={"clock": fixed_clock(NOW)})
    assert result.exit_code == 0 and "3 file(s)" in result.output
    assert not old.png.exists() and not old.svg.exists() and not old.pdf.exists()
    assert remove_revoked_files(school, tmp_path) == ()


def test_a_new_run_also_clears_revoked_files(school: Store, tmp_path: Path) -> None:
    (old,) = issue_to_families(school, ["F-ZED"], tmp_path, now=NOW).passes
    revoke_pass(school, old.ref, reason="lost", now=datetime(2026, 12, 11, 9, 0))
    run = issue_to_families(school, ["F-ZED"], tmp_path, now=NOW)
    assert set(run.removed) == {old.png, old.svg, old.pdf}
    assert run.passes[0].png.exists()
