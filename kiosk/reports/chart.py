"""A small stacked bar chart drawn with fpdf2 primitives (no plotting library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.reports.pdf import INK, MUTED, RULE, ReportPDF

MIN_SLOTS = 18


@dataclass(frozen=True)
class Series:
    """One stacked layer of the bars: a name for the legend, a fill colour, a value per bar."""

    name: str
    colour: tuple[int, int, int]
    values: Sequence[int]


def _nice_top(peak: int) -> int:
    """A round axis maximum at or above `peak` (1, 2, 5, 10, 20, 50...)."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= peak:
                return step * magnitude
        magnitude *= 10


def _divisions(top: int) -> int:
    """How many grid steps split the axis into whole numbers (0-5 by 1, 0-20 by 5...)."""
    if top <= 5:
        return top
    return 4 if str(top).startswith("2") else 5


def bar_chart(
    pdf: ReportPDF, labels: Sequence[str], series: Sequence[Series], *, height: float = 50,
    y_caption: str = "",
) -> None:
    """Stacked bars, one per label, with a light grid, axis numbers, every few labels, legend."""
    pdf.ensure_space(height + 22)
    left = pdf.l_margin + 10
    width = pdf.content_width - 10
    top = pdf.get_y() + 2
    bottom = top + height
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    axis_top = _nice_top(max(totals, default=0) or 1)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.font(7)
    pdf.set_text_color(*MUTED)
    parts = _divisions(axis_top)
    for step in range(parts + 1):
        y = bottom - height * step / parts
        pdf.line(left, y, left + width, y)
        pdf.set_xy(pdf.l_margin, y - 2)
        pdf.cell(9, 4, str(axis_top * step // parts), align="R")
    slot = width / max(len(labels), MIN_SLOTS)
    bar = slot * 0.72
    every = max(1, round(len(labels) / 12))
    for index, label in enumerate(labels):
        x = left + index * slot + (slot - bar) / 2
        y = bottom
        for layer in series:
            count = layer.values[index]
            if count:
                h = height * count / axis_top
                pdf.set_fill_color(*layer.colour)
                pdf.rect(x, y - h, bar, h, style="F")
                y -= h
        if index % every == 0:
            pdf.set_xy(left + index * slot - 4, bottom + 1)
            pdf.cell(slot + 8, 4, pdf.clean(label), align="C")
    pdf.set_xy(left, bottom + 6)
    for layer in series:
        pdf.set_fill_color(*layer.colour)
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
        pdf.set_x(pdf.get_x() + 4)
        pdf.cell(pdf.get_string_width(layer.name) + 6, 5, pdf.clean(layer.name))
    if y_caption:
        pdf.cell(0, 5, pdf.clean(y_caption), align="R")
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, bottom + 14)
