"""The printable roll call (A4): who is in the hall now, with totals, for a fire officer."""

from __future__ import annotations

from pathlib import Path

from kiosk.reports.common import long_date
from kiosk.reports.pdf import Column, ReportPDF
from kiosk.security.files import write_private
from kiosk.views.rollcall import RollCall


def render_pdf(call: RollCall, path: Path, *, school: str, use_dejavu: bool = True) -> None:
    """Write the roll call as a one-glance A4 list, families in alphabetical order."""
    title = f"Roll call: {call.event_name}"
    pdf = ReportPDF(
        school=school,
        title=title,
        generated_at=call.taken_at,
        confidential="Confidential: for the fire officer and staff",
        use_dejavu=use_dejavu,
    )
    pdf.title_block(
        title,
        [
            f"{long_date(call.event_date)}. In the hall at"
            f" {call.taken_at:%H:%M} on {call.taken_at:%d %b %Y}."
        ],
    )
    pdf.figures(
        [
            (str(call.families), "families in"),
            (str(len(call.lines)), "parties in"),
            (str(call.people) if call.people is not None else "not counted", "people in"),
            (str(call.left) if call.check_out else "no check-out", "parties left"),
        ]
    )
    if not call.check_out:
        pdf.paragraph(
            "This event does not scan passes on the way out: everyone checked in"
            " is listed, including anyone who has already gone home.",
            size=8.5,
            muted=True,
        )
    if call.lines:
        pdf.data_table(
            [
                Column("", 8),
                Column("Family", 52),
                Column("Party", 52),
                Column("Door", 34),
                Column("In at", 18),
                Column("People", 16, "R"),
            ],
            [
                (
                    "\u2610" if pdf.unicode_font else "[ ]",
                    line.family,
                    line.party,
                    line.door,
                    f"{line.at:%H:%M}",
                    "" if line.people is None else line.people,
                )
                for line in call.lines
            ],
        )
    else:
        pdf.paragraph("Nobody is checked in.", muted=True)
    pdf.lost_characters_note()
    pdf.audit_heads(call.audit_heads)
    write_private(path, bytes(pdf.output()))
