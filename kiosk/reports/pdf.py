"""The shared printable A4 layout of every report: header, footer, headings, tables, chart.

Text is drawn in DejaVu Sans when the system has it (package fonts-dejavu-core), so any
European, Greek or Cyrillic name prints as written; a character the font lacks (e.g. CJK)
prints as '?' rather than vanishing. Without DejaVu the PDF core font is used and names
are transliterated to Latin-1 ("Łukasz" -> "Lukasz"), so nothing ever crashes.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import TTFFont

from kiosk.audit.log import HEADS_TITLE
from kiosk.safetext import safe_text

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
ENV_FONT_DIR = "KIOSK_FONT_DIR"
MAX_CELL = 4000
INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
ZEBRA = (244, 246, 248)
ALERT = (176, 0, 32)
GOOD = (40, 110, 60)
_PUNCTUATION = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u2022": "*",
    "\u00a0": " ", "\u0141": "L", "\u0142": "l", "\u00d8": "O", "\u00f8": "o",
    "\u0110": "D", "\u0111": "d", "\u0131": "i", "\u00df": "ss",
})


def find_dejavu(font_dir: str | os.PathLike[str] | None = None) -> tuple[Path, Path] | None:
    """Paths of DejaVuSans.ttf and DejaVuSans-Bold.ttf ($KIOSK_FONT_DIR, then system dirs)."""
    dirs = [font_dir] if font_dir is not None else [os.environ.get(ENV_FONT_DIR), *FONT_DIRS]
    for folder in dirs:
        if not folder:
            continue
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def to_latin1(text: str) -> str:
    """Latin-1 text for the PDF core font: accents kept where Latin-1 has them, else dropped."""
    out = []
    for char in text.translate(_PUNCTUATION):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


@dataclass(frozen=True)
class Styled:
    """A table cell drawn in bold and/or a colour (e.g. "No filming" in red)."""

    text: object
    colour: tuple[int, int, int] = INK
    bold: bool = True


@dataclass(frozen=True)
class Column:
    """One table column: heading, width in mm and alignment (L, C or R)."""

    heading: str
    width: float
    align: str = "L"


class ReportPDF(FPDF):
    """A4 portrait report with the school's name, a title, "Page n of m" and clean tables."""

    def __init__(
        self,
        *,
        school: str,
        title: str,
        generated_at: datetime,
        confidential: str | None = None,
        font_dir: str | os.PathLike[str] | None = None,
        use_dejavu: bool = True,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        fonts = find_dejavu(font_dir) if use_dejavu else None
        if fonts is not None:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family_name = "DejaVu"
        else:
            self.family_name = "Helvetica"
        self.unicode_font = fonts is not None
        self.lost_characters = False
        self.glyphs: set[int] = set()
        if fonts is not None:
            for style in ("", "B"):
                self.set_font("DejaVu", style, 10)
                font = self.current_font
                cmap = set(font.cmap) if isinstance(font, TTFFont) else set()
                self.glyphs = cmap if not self.glyphs else self.glyphs & cmap
        self.school = school
        self.report_title = title
        self.generated_at = generated_at
        self.confidential = confidential
        self.set_title(self.clean(f"{title} - {school}"))
        self.set_creator("kiosk")
        self.set_text_color(*INK)
        self.add_page()

    def clean(self, value: object, limit: int = MAX_CELL) -> str:
        """Text safe to print: no control characters, and only glyphs the font can draw."""
        lines = [] if value is None else str(value).splitlines()
        text = "\n".join(safe_text(line, limit) for line in lines)
        shown = to_latin1(text) if not self.unicode_font else "".join(
            c if ord(c) in self.glyphs or c in "\n\t" else "?" for c in text
        )
        if shown != text:
            self.lost_characters = True
        return shown

    def font(self, size: float, bold: bool = False) -> None:
        """Switch to the report font at `size` points."""
        self.set_font(self.family_name, "B" if bold else "", size)

    @property
    def content_width(self) -> float:
        """Width between the margins, in mm."""
        return self.w - self.l_margin - self.r_margin

    def header(self) -> None:
        """School and report on the left, the confidentiality mark on the right, a rule."""
        self.font(8.5)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 8)
        self.cell(0, 5, self.clean(f"{self.school}  ·  {self.report_title}"))
        if self.confidential:
            self.font(8.5, bold=True)
            self.set_text_color(*ALERT)
            self.set_xy(self.l_margin, 8)
            self.cell(0, 5, self.clean(self.confidential), align="R")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_text_color(*INK)
        self.set_y(18)

    def footer(self) -> None:
        """When it was generated, and "Page n of m"."""
        self.set_y(-13)
        self.font(8)
        self.set_text_color(*MUTED)
        generated = self.generated_at.strftime("%d %B %Y at %H:%M")
        self.cell(0, 5, self.clean(f"Generated {generated}"))
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    def title_block(self, title: str, lines: Sequence[str]) -> None:
        """The big title of the first page with a few lines under it."""
        self.font(18, bold=True)
        self.multi_cell(0, 9, self.clean(title), align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.font(10.5)
        self.set_text_color(*MUTED)
        for line in lines:
            self.multi_cell(0, 5.5, self.clean(line), align="L", new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(3)

    def lost_characters_note(self) -> None:
        """Say so when some characters could not be drawn (the CSV and Markdown have them)."""
        if self.lost_characters:
            self.paragraph("Some characters of names or notes could not be printed exactly "
                           "in this PDF (shown as '?' or without accents); the CSV and "
                           "Markdown copies have them exactly.", size=8.5, muted=True)

    def audit_heads(self, heads: str) -> None:
        """End the report with the audit chain heads of its moment (see `note_heads`)."""
        note_heads(self, heads, width=self.content_width)

    def ensure_space(self, height: float) -> None:
        """Start a new page unless `height` mm still fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, *, keep_with: float = 30) -> None:
        """A section heading, moved to the next page if fewer than `keep_with` mm follow it."""
        self.ensure_space(10 + keep_with)
        self.ln(2)
        self.font(12.5, bold=True)
        self.cell(0, 7, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        """A wrapped paragraph."""
        self.font(size)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1.5)

    def figures(self, pairs: Sequence[tuple[str, str]]) -> None:
        """A row of big numbers with a caption under each (headline figures)."""
        self.ensure_space(20)
        width = self.content_width / max(len(pairs), 1)
        top = self.get_y()
        for index, (value, caption) in enumerate(pairs):
            x = self.l_margin + index * width
            self.set_fill_color(*ZEBRA)
            self.rect(x + 1, top, width - 2, 17, style="F")
            self.set_xy(x + 1, top + 1.5)
            self.font(15, bold=True)
            self.cell(width - 2, 8, self.clean(value), align="C")
            self.set_xy(x + 1, top + 9.5)
            self.font(8)
            self.set_text_color(*MUTED)
            self.cell(width - 2, 5, self.clean(caption), align="C")
            self.set_text_color(*INK)
        self.set_xy(self.l_margin, top + 20)

    def key_values(self, pairs: Sequence[tuple[str, str]], *, key_width: float = 38) -> None:
        """Label / value lines, the value wrapped (one record's details)."""
        for key, value in pairs:
            self.font(9.5, bold=True)
            self.set_text_color(*MUTED)
            top = self.get_y()
            self.multi_cell(key_width, 5, self.clean(key), align="L", new_x=XPos.RIGHT,
                            new_y=YPos.TOP)
            self.set_text_color(*INK)
            self.font(9.5)
            self.multi_cell(0, 5, self.clean(value) or "-", align="L", new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
            self.set_y(max(self.get_y(), top + 5) + 0.8)

    def data_table(
        self, columns: Sequence[Column], rows: Sequence[Sequence[object]], *, size: float = 9
    ) -> None:
        """A table that breaks across pages cleanly, repeating its heading row."""
        self.font(size)
        self.set_draw_color(*RULE)
        self.set_fill_color(255, 255, 255)
        heading_style = FontFace(emphasis="BOLD", fill_color=(226, 230, 234))
        widths = [c.width for c in columns]
        with self.table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            v_align="TOP",
            text_align=[c.align for c in columns],
            headings_style=heading_style,
            line_height=size * 0.5,
            padding=(1.2, 1.5),
            cell_fill_color=ZEBRA,
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout="HORIZONTAL_LINES",
            repeat_headings=1,
        ) as table:
            table.row([self.clean(c.heading) for c in columns])
            for values in rows:
                row = table.row()
                for value in values:
                    if isinstance(value, Styled):
                        style = FontFace(emphasis="BOLD" if value.bold else None,
                                         color=value.colour)
                        row.cell(self.clean(value.text), style=style)
                    else:
                        row.cell(self.clean(value))
        self.ln(3)


def note_heads(pdf: FPDF, heads: str, *, width: float) -> None:
    """Print the audit chain heads small at the end, and keep them in the PDF's keywords.

    The keywords are plain text in the file, so `kiosk audit verify --against` reads them
    back without a PDF reader; the printed lines are for a person comparing by eye.
    """
    if not heads:
        return
    pdf.set_keywords(heads)
    lines = heads.splitlines()
    if pdf.get_y() + 8 + 3.2 * len(lines) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_text_color(*MUTED)
    pdf.set_font("Helvetica", "", 7)
    pdf.multi_cell(width, 3.5, HEADS_TITLE + ":", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Courier", "", 6.5)
    for line in lines:
        pdf.cell(width, 3.2, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
