"""Fonts for pass PDFs: the built-in Helvetica when the text allows, else a Unicode TTF.

The PDF core fonts are fast (no font file to parse or embed, about 1 ms a document) but
only cover Latin-1. Family names from the MIS can hold any letter (Łukasz, Şahin,
Nguyễn), so a document whose text falls outside Latin-1 embeds a Unicode TrueType font
found on the machine instead (about 0.1 s a document). With no such font installed,
unprintable letters become "?" rather than failing the whole run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

# (regular, bold) pairs, tried in order: Debian/Ubuntu, Fedora, Arch, Windows, macOS.
_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
     "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
     "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
)
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ",
})
SANS = "PassSans"
MONO = "Courier"


@dataclass(frozen=True)
class FontChoice:
    """Which sans-serif face a document uses and how its text must be prepared."""

    unicode_files: tuple[str, str] | None  # (regular, bold) TTF paths, None = core font

    def install(self, pdf: FPDF) -> str:
        """Register the face on `pdf` and return the family name to pass to set_font."""
        if self.unicode_files is None:
            return "Helvetica"
        regular, bold = self.unicode_files
        pdf.add_font(SANS, "", regular)
        pdf.add_font(SANS, "B", bold)
        return SANS

    def text(self, value: str) -> str:
        """`value` ready for this face (letters the core font lacks become "?")."""
        cleaned = "".join(ch for ch in value.translate(_TYPOGRAPHY) if ch.isprintable())
        if self.unicode_files is None:
            return cleaned.encode("latin-1", "replace").decode("latin-1")
        return cleaned


@functools.cache
def unicode_font_files() -> tuple[str, str] | None:
    """The first installed (regular, bold) Unicode TTF pair, or None."""
    for regular, bold in _CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


def choose_font(texts: list[str]) -> FontChoice:
    """Core Helvetica when every text fits Latin-1, else an installed Unicode TTF."""
    needs_unicode = False
    for value in texts:
        try:
            value.translate(_TYPOGRAPHY).encode("latin-1")
        except UnicodeEncodeError:
            needs_unicode = True
            break
    return FontChoice(unicode_font_files() if needs_unicode else None)
