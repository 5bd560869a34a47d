"""QR images and printable PDFs: versions, real decoding of PNG, SVG and printed pages.

The PDF tests rasterise pages and read their text with pdfium (tests/support/pdf_pages.py);
the QR codes are read back with zxing-cpp.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from kiosk.passes import PassError, issue_to_families, verify
from kiosk.passes import files as pass_files
from kiosk.passes.cards import CARD_W, Card, bulk_pdf, family_pdf
from kiosk.passes.render import png_bytes, qr_code, qr_matrix, qr_version, svg_bytes
from kiosk.passes.token import new_token
from kiosk.scanner.decode import ZxingDecoder
from kiosk.store import Store
from support.passes_school import CHILD_NAMES, SCHOOL_NAME, build_families
from support.pdf_pages import pdf_text, render_pages

NOW = datetime(2025, 9, 3, 9, 0, tzinfo=timezone(timedelta(0)))
DPI = 150


def _pages(pdf: bytes, tmp_path: Path, dpi: int = DPI) -> list[np.ndarray]:
    """Rasterise every page of a PDF to grey images."""
    return render_pages(pdf, dpi)


def _text(pdf: bytes, tmp_path: Path) -> str:
    return pdf_text(pdf)


def _decode(image: np.ndarray) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def _card(name: str = "Adams", label: str | None = None) -> Card:
    return Card(token=new_token(), ref="7F3K", family_name=name, school_name=SCHOOL_NAME,
                valid_until=date(2026, 8, 31), label=label)


def test_qr_versions_at_m_and_q() -> None:
    """Version depends only on length and mode (fixed), so a few tokens show it."""
    for _ in range(20):
        token = new_token()
        assert qr_version(token, "M") == 2
        assert qr_version(token, "Q") == 3
        code = qr_code(token)
        assert len(code.data_list) == 1 and code.data_list[0].mode == 2  # alphanumeric
        assert len(qr_matrix(token)) == 29 + 2 * 4  # version 3 plus the quiet zone


def test_png_decodes_to_the_token() -> None:
    token = new_token()
    image = cv2.imdecode(np.frombuffer(png_bytes(token), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image.shape == (37 * 16, 37 * 16)
    assert image[:64, :64].min() == 255  # quiet zone is white
    assert [code.text for code in _decode(image)] == [token]


def test_svg_draws_exactly_the_qr_matrix_and_decodes() -> None:
    token = new_token()
    svg = svg_bytes(token).decode()
    assert 'width="44.4mm"' in svg and '<rect fill="white"' in svg
    size = 37
    grid = np.zeros((size, size), dtype=bool)
    for x0, y0, x1, y1 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+z", svg):
        cols = range(round(float(x0) / 1.2), round(float(x1) / 1.2))
        rows = range(round(float(y0) / 1.2), round(float(y1) / 1.2))
        for r in rows:
            for c in cols:
                grid[r, c] = True
    assert grid.tolist() == qr_matrix(token)
    image = np.where(np.kron(grid, np.ones((8, 8), dtype=bool)), 0, 255).astype(np.uint8)
    assert [code.text for code in _decode(image)] == [token]


def test_family_pdf_prints_a_scannable_card_without_children(tmp_path: Path) -> None:
    cards = [_card(label="Mum"), _card(label="Grandparents")]
    pdf = family_pdf(cards, created=NOW)
    pages = _pages(pdf, tmp_path)
    assert len(pages) == 1
    found = _decode(pages[0])
    assert sorted(code.text for code in found) == sorted(card.token for card in cards)
    for code in found:
        side_px = abs(code.position.top_right.x - code.position.top_left.x)
        assert side_px / DPI * 25.4 >= 30.0  # symbol at least 30 mm wide on paper
    text = _text(pdf, tmp_path)
    for needed in (SCHOOL_NAME, "Family pass", "Adams", "pass 7F3K", "Show this at the door.",
                   "31 August 2026", "Mum", "Grandparents"):
        assert needed in text, needed
    for child in CHILD_NAMES:
        assert child not in text


def test_bulk_pdf_holds_ten_cards_a_page_all_readable(tmp_path: Path) -> None:
    cards = [_card(name=f"Family {i}") for i in range(12)]
    pdf = bulk_pdf(cards, created=NOW)
    pages = _pages(pdf, tmp_path)
    assert len(pages) == 2
    assert sorted(c.text for c in _decode(pages[0])) == sorted(c.token for c in cards[:10])
    assert sorted(c.text for c in _decode(pages[1])) == sorted(c.token for c in cards[10:])
    assert "page 2 of 2" in _text(pdf, tmp_path)


def test_any_script_prints_and_long_names_fit(tmp_path: Path) -> None:
    names = ["Nguy\u1ec5n", "\u0141ukasiewicz-Nowak", "\u015eahin", "Wolfeschlegelstein" * 4]
    pdf = bulk_pdf([_card(name=name) for name in names], created=NOW)
    text = _text(pdf, tmp_path)
    for name in names[:3]:
        assert name in text
    assert "Wolfeschlegelstein" in text and "..." in text  # cut, never over the QR code
    assert len(_decode(_pages(pdf, tmp_path)[0])) == 4
    assert CARD_W < 90


def test_issue_to_families_writes_files_that_verify(store: Store, tmp_path: Path) -> None:
    ids = build_families(store, NOW)
    run = issue_to_families(store, ids, tmp_path / "out", now=NOW, bulk=True)
    # by surname as a person looks for it: Łukasiewicz with the L's, O'Brien with the O's
    assert [p.family_id for p in run.passes] == ["F-ADAMS", "F-NOWAK", "F-NGUYEN", "F-OBRIEN"]
    assert run.bulk_pdf is not None and run.bulk_pdf.exists()
    for listed in run.passes:
        image = cv2.imread(str(listed.png), cv2.IMREAD_GRAYSCALE)
        (code,) = _decode(image)
        check = verify(code.text, store, NOW.date())
        assert check.ok and check.family_id == listed.family_id and check.ref == listed.ref
        assert listed.svg.read_bytes().startswith(b"<?xml")
        page = _pages(listed.pdf.read_bytes(), tmp_path / listed.ref)[0]
        (on_paper,) = ZxingDecoder().decode(page)  # the door's own decoder
        assert on_paper.text == code.text


def test_failed_write_rolls_back_the_pass_and_removes_files(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_families(store, NOW)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(pass_files, "family_pdf", broken)
    out = tmp_path / "out"
    with pytest.raises(PassError, match=r"could not be written.*disk full"):
        issue_to_families(store, ["F-ADAMS"], out, now=NOW)
    assert store.passes.all() == []
    assert store.query("SELECT * FROM audit_log") == []
    assert list(out.iterdir()) == []
