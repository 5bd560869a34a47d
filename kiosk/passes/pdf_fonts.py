"""Fonts for pass PDFs: built-in Helvetica where the text allows, a Unicode TTF where not.

The PDF core fonts are fast (no font file to parse or embed) but only cover Latin-1.
Family names from the MIS can hold any letter (Łukasz, Şahin, Nguyễn), so each piece
of text is checked: Latin-1 text uses Helvetica, anything else a Unicode TrueType font
found on the machine, loaded into the document only when first needed (parsing and
subsetting one costs about 60 ms). With no such font installed, the letters Helvetica
lacks print as "?" rather than failing the whole run.
"""

from __future__ import annotations

import functools
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
CORE = "Helvetica"
UNICODE = "PassSans"
MONO = "Courier"


@functools.cache
def unicode_font_files() -> tuple[str, str] | None:
    """The first installed (regular, bold) Unicode TTF pair, or None."""
    for regular, bold in _CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


def _printable(value: str) -> str:
    return "".join(ch for ch in value.translate(_TYPOGRAPHY) if ch.isprintable())


def fits_core_font(value: str) -> bool:
    """True when Helvetica can print `value` (after straightening quotes and dashes)."""
    try:
        _printable(value).encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class DocumentFonts:
    """Picks the face for each piece of text in one document, adding a TTF only if needed."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self._added: set[str] = set()

    def face(self, value: str, *, bold: bool) -> tuple[str, str]:
        """(font family, text ready for it) for `value`."""
        text = _printable(value)
        if fits_core_font(text):
            return CORE, text
        files = unicode_font_files()
        if files is None:
            return CORE, text.encode("latin-1", "replace").decode("latin-1")
        style = "B" if bold else ""
        if style not in self._added:
            self.pdf.add_font(UNICODE, style, files[1] if bold else files[0])
            self._added.add(style)
        return UNICODE, text
