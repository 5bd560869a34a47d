"""Printable pass cards on A4 (fpdf2): one sheet per family, and a bulk sheet for the office.

Cards are ID-1 size (85.6 x 54 mm, a bank card: fits a wallet or a lanyard holder), laid
edge to edge in two columns so one guillotine cut serves two cards; dashed cut lines run
between them and crop marks sit in the margin. The QR code is drawn as vector squares
from the `qrcode` matrix (error correction Q, 4-module quiet zone, symbol about 31 mm).
A card shows school, "Family pass", the family's display name, the label, validity,
staff reference and "Show this at the door"; children's first names only when another
household has the same family name (so two Smith families can tell their cards apart).
Text stops short of the QR code's quiet zone, however long a name is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from fpdf import FPDF

from kiosk.passes.pdf_fonts import MONO, DocumentFonts
from kiosk.passes.render import qr_matrix

PAGE_W, PAGE_H = 210.0, 297.0
CARD_W, CARD_H = 85.6, 54.0
QR_SIZE = 40.0  # mm including the quiet zone: 37 modules of 1.08 mm, symbol 31.4 mm
QR_RIGHT = 1.5  # mm from the card's right edge to the QR code (quiet zone included)
CARD_PAD = 4.5
TEXT_GAP = 1.5  # clear space between any text and the quiet zone
TEXT_W = CARD_W - QR_SIZE - QR_RIGHT - CARD_PAD - TEXT_GAP
BULK_ROWS = 5
BULK_PER_PAGE = 2 * BULK_ROWS
FAMILY_ROWS = 3
ACCENT = (31, 78, 121)
INK = (33, 37, 41)
GREY = (108, 117, 125)
CUT = (150, 150, 150)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True)
class Card:
    """What one printed card shows; `token` goes only into the QR code."""

    token: str = field(repr=False)
    ref: str
    family_name: str
    school_name: str
    valid_until: date
    label: str | None = None
    children: str | None = None  # first names, only where two households share a name
    matrix: list[list[bool]] | None = field(default=None, repr=False, compare=False)

    @property
    def modules(self) -> list[list[bool]]:
        """The QR matrix (quiet zone included): precomputed, or fitted from the token."""
        return self.matrix if self.matrix is not None else qr_matrix(self.token)


def long_date(day: date) -> str:
    """"31 August 2026" (no locale involved)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_LINES_CACHE: dict[tuple[str, str, float, float, bool], list[str]] = {}


class _Sheet:
    """One PDF document being drawn; the face is chosen per piece of text."""

    def __init__(self, *, title: str, created: datetime) -> None:
        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.fonts = DocumentFonts(self.pdf)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.set_creation_date(created)
        self.pdf.set_title(title)
        self.pdf.set_creator("kiosk passes")

    def use(self, text: str, size: float, *, bold: bool = False,
            colour: tuple[int, int, int] = INK) -> str:
        """Set the face `text` needs at `size` pt and the colour; return the text to draw."""
        family, prepared = self.fonts.face(text, bold=bold)
        self.pdf.set_font(family, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)
        return prepared

    def line_of_text(self, x: float, y: float, width: float, text: str, size: float, *,
                     bold: bool = False, colour: tuple[int, int, int] = INK,
                     minimum: float | None = None) -> None:
        """One line at (x, y top), shrunk to fit, then cut with "..." if still too long."""
        text = self.use(text, size, bold=bold, colour=colour)
        while size > (minimum or size) and self.pdf.get_string_width(text) > width:
            size -= 0.5
            self.pdf.set_font_size(size)
        while text and self.pdf.get_string_width(text) > width:
            text = text[:-4].rstrip() + "..."
        self.pdf.set_xy(x, y)
        self.pdf.cell(w=width, h=size * 0.42, text=text)

    def paragraph(self, x: float, y: float, width: float, text: str, size: float, *,
                  bold: bool = False, colour: tuple[int, int, int] = INK) -> float:
        """Wrapped text from (x, y); return the y below (breaks cached: same text each family)."""
        text = self.use(text, size, bold=bold, colour=colour)
        key = (self.pdf.font_family, text, size, width, bold)
        lines = _LINES_CACHE.get(key)
        if lines is None:
            lines = cast(list[str], self.pdf.multi_cell(
                w=width, h=size * 0.45, text=text, dry_run=True, output="LINES"
            ))
            _LINES_CACHE[key] = lines
        for number, line in enumerate(lines):
            self.pdf.set_xy(x, y + number * size * 0.45)
            self.pdf.cell(w=width, h=size * 0.45, text=line)
        return y + len(lines) * size * 0.45

    def qr(self, x: float, y: float, size: float, matrix: list[list[bool]]) -> None:
        """Draw the QR code (quiet zone included) as merged dark runs, no hairline seams."""
        module = size / len(matrix)
        self.pdf.set_fill_color(255, 255, 255)
        self.pdf.rect(x, y, size, size, style="F")
        self.pdf.set_fill_color(0, 0, 0)
        overlap = 0.02
        for row_index, row in enumerate(matrix):
            col = 0
            while col < len(row):
                if not row[col]:
                    col += 1
                    continue
                start = col
                while col < len(row) and row[col]:
                    col += 1
                self.pdf.rect(x + start * module, y + row_index * module,
                              (col - start) * module + overlap, module + overlap, style="F")

    def card(self, x: float, y: float, card: Card) -> None:
        """Draw one card with its top-left corner at (x, y)."""
        pad = CARD_PAD
        text_w = TEXT_W
        if card.school_name:
            self.line_of_text(x + pad, y + 4.2, CARD_W - 2 * pad, card.school_name.upper(),
                              7.0, bold=True, colour=ACCENT, minimum=5.5)
        self.pdf.set_draw_color(*ACCENT)
        self.pdf.set_line_width(0.35)
        self.pdf.line(x + pad, y + 8.6, x + CARD_W - pad, y + 8.6)
        self.line_of_text(x + pad, y + 11.5, text_w, "Family pass", 15, bold=True,
                          colour=ACCENT)
        self.line_of_text(x + pad, y + 19.5, text_w, card.family_name, 11.5, bold=True,
                          minimum=7.5)
        line_y = y + 25.0
        if card.children:
            self.line_of_text(x + pad, line_y, text_w, card.children, 7.5, minimum=6)
            line_y += 3.8
        if card.label:
            self.line_of_text(x + pad, line_y, text_w, card.label, 8, colour=GREY,
                              minimum=6.5)
            line_y += 3.8 if card.children else 4.0
        self.line_of_text(x + pad, line_y, text_w, "Valid until", 7.5, colour=GREY)
        self.line_of_text(x + pad, line_y + 3.4, text_w, long_date(card.valid_until), 8.5,
                          bold=True)
        self.line_of_text(x + pad, y + 40.5, text_w, "Show this at the door.", 8, bold=True)
        self.pdf.set_font(MONO, "B", 9.5)
        self.pdf.set_text_color(*INK)
        self.pdf.set_xy(x + pad, y + 45.5)
        self.pdf.cell(w=text_w, h=4, text=f"pass {card.ref}")
        self.qr(x + CARD_W - QR_SIZE - QR_RIGHT, y + CARD_H - QR_SIZE - 1.8, QR_SIZE, card.modules)

    def grid(self, cards: Sequence[Card], left: float, top: float, columns: int) -> None:
        """Cards edge to edge in `columns`, dashed cut lines between, crop marks outside."""
        rows = (len(cards) + columns - 1) // columns
        for index, card in enumerate(cards):
            self.card(left + (index % columns) * CARD_W, top + (index // columns) * CARD_H,
                      card)
        width, height = columns * CARD_W, rows * CARD_H
        pdf = self.pdf
        pdf.set_draw_color(*CUT)
        pdf.set_line_width(0.2)
        with pdf.local_context():
            pdf.set_dash_pattern(dash=1.6, gap=1.2)
            for c in range(columns + 1):
                pdf.line(left + c * CARD_W, top, left + c * CARD_W, top + height)
            for r in range(rows + 1):
                pdf.line(left, top + r * CARD_H, left + width, top + r * CARD_H)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.15)
        for c in range(columns + 1):
            cx = left + c * CARD_W
            pdf.line(cx, top - 8, cx, top - 3)
            pdf.line(cx, top + height + 3, cx, top + height + 8)
        for r in range(rows + 1):
            cy = top + r * CARD_H
            pdf.line(left - 8, cy, left - 3, cy)
            pdf.line(left + width + 3, cy, left + width + 8, cy)

    def footer(self, text: str) -> None:
        """Small grey line at the foot of the page."""
        self.line_of_text(20, PAGE_H - 12, PAGE_W - 40, text, 7, colour=GREY)

    def output(self) -> bytes:
        """The finished PDF bytes."""
        return bytes(self.pdf.output())


FAMILY_INTRO = (
    "This pass works for every school event this school year: please keep it. Cut it "
    "out along the dashed lines, or show this page or a photo of the card on your phone. "
    "The code is a random number: it holds no names or other personal details. If you "
    "lose your pass, tell the school office: we will cancel it and give you a new one."
)
FAMILY_RULES = (
    "At our performances you may photograph or film your own children, individually, "
    "during items marked \"filming allowed\". Please do not record other children, and "
    "never record members of staff."
)
AT_THE_DOOR = (
    ("Show your pass at the door.", "Hold the code up to the scanner, on paper or on "
     "your phone."),
    ("See your children's items.", "The screen shows when your children are on stage "
     "and whether filming is allowed for each item."),
    ("Keep it for the whole year.", "The same pass works at every event this school "
     "year, until the date on the card."),
    ("Phone flat, or pass left at home?", "Tell a member of staff at the door: they can "
     "find your family and check you in by hand. A paper copy in your bag helps too."),
)


def family_pdf(cards: Sequence[Card], *, created: datetime) -> bytes:
    """One family's passes: a short letter at the top, the cards below (6 per page)."""
    if not cards:
        raise ValueError("a family sheet needs at least one card")
    first = cards[0]
    heading = f"Your family pass: {first.family_name}"
    sheet = _Sheet(title=f"Family pass - {first.family_name}", created=created)
    per_page = 2 * FAMILY_ROWS
    for start in range(0, len(cards), per_page):
        chunk = cards[start : start + per_page]
        sheet.pdf.add_page()
        if first.school_name:
            sheet.line_of_text(20, 20, PAGE_W - 40, first.school_name, 15, bold=True,
                               colour=ACCENT, minimum=10)
        sheet.line_of_text(20, 29, PAGE_W - 40, heading, 12.5, bold=True, minimum=9)
        y = sheet.paragraph(20, 38, PAGE_W - 40, FAMILY_INTRO, 10)
        y = sheet.paragraph(20, y + 3, PAGE_W - 40, FAMILY_RULES, 10, colour=GREY)
        columns = 1 if len(chunk) == 1 else 2
        left = (PAGE_W - columns * CARD_W) / 2
        top = max(y + 16, 92.0)
        sheet.grid(chunk, left, top, columns)
        rows = (len(chunk) + columns - 1) // columns
        _door_steps(sheet, top + rows * CARD_H + 18)
        sheet.footer(f"Issued {long_date(created.date())}. Cards are 85.6 x 54 mm "
                     "(bank-card size) when printed at 100%.")
    return sheet.output()


def _door_steps(sheet: _Sheet, y: float) -> None:
    """The "at the door" steps under the cards, numbered, each a bold lead and a line."""
    sheet.line_of_text(20, y, PAGE_W - 40, "At the door", 11, bold=True, colour=ACCENT)
    y += 7
    for number, (lead, rest) in enumerate(AT_THE_DOOR, start=1):
        sheet.line_of_text(20, y, 8, f"{number}.", 10, bold=True, colour=ACCENT)
        sheet.line_of_text(28, y, PAGE_W - 48, lead, 10, bold=True)
        y = sheet.paragraph(28, y + 5, PAGE_W - 48, rest, 10) + 3


def bulk_position(index: int) -> str:
    """Where the card at `index` (0-based, in run order) sits in the bulk PDF: "page 3, card 4"."""
    return f"page {index // BULK_PER_PAGE + 1}, card {index % BULK_PER_PAGE + 1}"


def bulk_pdf(cards: Sequence[Card], *, created: datetime) -> bytes:
    """Every card for the office to print in one go: 10 cards per A4 page, left to right."""
    if not cards:
        raise ValueError("a bulk sheet needs at least one card")
    sheet = _Sheet(title="Family passes", created=created)
    per_page = BULK_PER_PAGE
    pages = (len(cards) + per_page - 1) // per_page
    left = (PAGE_W - 2 * CARD_W) / 2
    top = (PAGE_H - BULK_ROWS * CARD_H) / 2
    for page, start in enumerate(range(0, len(cards), per_page), start=1):
        sheet.pdf.add_page()
        sheet.grid(cards[start : start + per_page], left, top, 2)
        sheet.line_of_text(left + 3, top + BULK_ROWS * CARD_H + 4, CARD_W - 6,
                           f"Family passes, page {page} of {pages}", 6.5, colour=GREY)
        sheet.line_of_text(left + CARD_W + 3, top + BULK_ROWS * CARD_H + 4, CARD_W - 6,
                           f"Issued {long_date(created.date())}", 6.5, colour=GREY)
    return sheet.output()
