"""Read generated PDFs back in tests: pages as grey images (pdfium) and their text.

pypdfium2 ships the PDF renderer as a wheel, so the README's test command installs
everything it needs with pip alone (no system packages).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium


def _document(pdf: bytes | Path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(pdf.read_bytes() if isinstance(pdf, Path) else pdf)


def render_pages(pdf: bytes | Path, dpi: int = 150) -> list[np.ndarray]:
    """Rasterise every page to an 8-bit grey image at `dpi`."""
    document = _document(pdf)
    try:
        return [
            np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            for page in document
        ]
    finally:
        document.close()


def pdf_text(pdf: bytes | Path) -> str:
    """The text of every page, pages separated by form feeds."""
    document = _document(pdf)
    try:
        return "\f".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
