"""Readable forms of a subject access export: Markdown and a printable A4 PDF.

Both are drawn from the same list of blocks (headings, paragraphs, tables), so they
always say the same thing as the JSON file they accompany.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from kiosk.checkin.lists import result_words
from kiosk.reports.pdf import note_heads
from kiosk.safetext import safe_text
from kiosk.security.files import write_private

MAX_CELL = 4000
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?$")
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/TTF", "/usr/local/share/fonts", "/Library/Fonts")


@dataclass(frozen=True)
class Block:
    """One piece of the document: a heading (level 1-3), a paragraph, bullets or a table."""

    kind: str
    text: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _cell(value: Any) -> str:
    """A value as one line of safe text ('' for nothing, yes/no for flags, short times)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and _TIMESTAMP.match(value):
        return value[:10] + " " + value[11:16]
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return safe_text(str(value).replace("\r", " ").replace("\n", " "), MAX_CELL)


def _table(columns: list[str], rows: list[list[Any]], empty: str) -> list[Block]:
    """A table block, or a paragraph saying there is nothing of this kind."""
    if not rows:
        return [Block("p", empty)]
    return [Block("table", columns=tuple(columns),
                  rows=tuple(tuple(_cell(v) for v in row) for row in rows))]


def _first(pupils: dict[str, dict[str, Any]], pupil_id: str) -> str:
    """A pupil's first (or preferred) name, for tables that name pupils by id."""
    pupil = pupils.get(pupil_id)
    return (pupil["preferred_name"] or pupil["first_name"]) if pupil else pupil_id


def _violation_blocks(violation: dict[str, Any]) -> list[Block]:
    """One violation: its facts as a two-column table, then its history."""
    children = ", ".join(f"{c['name']} ({c['class']})" for c in violation["your_children"])
    facts = [
        ["Event", f"{violation['event']} ({violation['event_date']})"],
        ["When", violation["at"]], ["Item on stage", violation["item"]],
        ["What happened", violation["kind"].replace("_", " ")],
        ["Why this concerns you", "; ".join(violation["concerns_you_because"])],
        ["Pass", violation["pass_ref"]], ["Description", violation["description"]],
        ["Action taken", (violation["action_taken"] or "").replace("_", " ")],
        ["Notes", violation["notes"]], ["Your children involved", children],
        ["Other children involved", violation["other_children"]],
        ["Status", violation["status"]], ["Outcome", violation["outcome"]],
        ["Closed", violation["closed_at"]],
    ]
    return [
        Block("h3", f"Violation {violation['id']}"),
        *_table(["Field", "Value"], facts, ""),
        *_table(["When", "Step", "Detail"],
                [[h["at"], h["action"], h["detail"]] for h in violation["history"]],
                "No history recorded."),
    ]


def document_blocks(doc: dict[str, Any]) -> list[Block]:
    """The whole export as blocks, in reading order."""
    family = doc["family"]
    pupils = {p["id"]: p for p in doc["pupils"]}
    guardian_pupils: dict[int, list[str]] = {}
    for link in doc["guardian_links"]:
        guardian_pupils.setdefault(link["guardian_id"], []).append(
            _first(pupils, link["pupil_id"])
        )
    blocks = [
        Block("h1", f"Data held about {family['display_name']}"),
        Block("p", f"Family reference {family['id']}. Prepared {doc['generated_at']}. "
                   "This is everything the event kiosk holds about your family."),
        Block("h2", "Family"),
        *_table(["Field", "Value"], [["Reference", family["id"]], ["Name", family["display_name"]],
                           ["Legal hold", bool(family["legal_hold"])],
                           ["Created", family["created_at"]],
                           ["Updated", family["updated_at"]]], ""),
        Block("h2", "Children"),
        *_table(["Pupil", "First name", "Preferred", "Surname", "Class", "Year", "On roll",
                 "Left"],
                [[p["id"], p["first_name"], p["preferred_name"], p["surname"],
                  p["class_name"], p["year_group"], bool(p["on_roll"]), p["left_at"]]
                 for p in doc["pupils"]], "No children recorded."),
        Block("h2", "Parents and carers"),
        *_table(["Name", "Relationship", "Email", "Phone", "Children"],
                [[g["name"], g["relationship"], g["email"], g["phone"],
                  ", ".join(guardian_pupils.get(g["id"], []))] for g in doc["guardians"]],
                "No parents or carers recorded."),
        Block("h2", "Photo and recording permissions"),
        *_table(["Child", "Use", "Answer", "Given by", "Recorded", "Until", "Withdrawn"],
                [[_first(pupils, c["pupil_id"]), c["category"].replace("_", " "), c["value"],
                  c["given_by"], c["recorded_at"], c["valid_until"], c["withdrawn_at"]]
                 for c in doc["consents"]], "No permissions recorded."),
        Block("h2", "Passes"),
        *_table(["Reference", "Label", "Valid from", "Valid until", "Issued", "Revoked",
                 "Reason"],
                [[p["ref"], p["label"], p["valid_from"], p["valid_until"], p["issued_at"],
                  p["revoked_at"], p["revoked_reason"]] for p in doc["passes"]],
                "No passes issued."),
        Block("h2", "Arrivals at events (check-ins)"),
        *_table(["Event", "Date", "Time", "Result", "Code", "People", "How", "Undone"],
                [[c["event_name"], c["event_date"], c["at"], result_words(c["result"]),
                  c["code"], c["party_size"], c["method"], c["undone_at"]]
                 for c in doc["checkins"]],
                "No check-ins recorded."),
        Block("h2", "Named places in running orders"),
        *_table(["Child", "Event", "Date", "Item"],
                [[_first(pupils, p["pupil_id"]), p["event_name"], p["event_date"], p["title"]]
                 for p in doc["performances"]], "None."),
        Block("h2", "Recording-policy violations that concern you"),
    ]
    if not doc["violations"]:
        blocks.append(Block("p", "None."))
    for violation in doc["violations"]:
        blocks += _violation_blocks(violation)
    blocks += [
        Block("h2", "Audit log details about you"),
        *_table(["When", "What happened", "Details"],
                [[a["at"], a["what"], a["in_words"]] for a in doc["audit_details"]], "None."),
        Block("h2", "Not included"),
        Block("ul", "\n".join(doc["not_included"])),
    ]
    return blocks


def _md_cell(text: str) -> str:
    """A Markdown table cell: pipes and backslashes escaped."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def render_markdown(doc: dict[str, Any]) -> str:
    """The export as Markdown text."""
    lines: list[str] = []
    for block in document_blocks(doc):
        if block.kind in ("h1", "h2", "h3"):
            lines += ["#" * int(block.kind[1]) + " " + _cell(block.text), ""]
        elif block.kind == "p":
            lines += [_cell(block.text), ""]
        elif block.kind == "ul":
            lines += [f"- {_cell(item)}" for item in block.text.splitlines()] + [""]
        else:
            lines.append("| " + " | ".join(_md_cell(c) for c in block.columns) + " |")
            lines.append("|" + "---|" * len(block.columns))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines)


def _unicode_font() -> tuple[Path, Path] | None:
    """An installed DejaVu Sans pair (regular, bold), or None."""
    for folder in _FONT_DIRS:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _ExportPDF(FPDF):
    """A4 pages with a footer saying what the document is and the page number."""

    def footer(self) -> None:
        """Confidential marking and page number at the bottom of every page."""
        self.set_y(-12)
        self.set_font(self.font_family, size=7)
        self.cell(0, 5, f"Confidential: subject access export. Page {self.page_no()}",
                  align="C")


def render_pdf(doc: dict[str, Any], path: Path, *, heads: str = "") -> None:
    """The export as a printable A4 PDF at `path`, ending with the audit chain `heads`."""
    pdf = _ExportPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    font = _unicode_font()
    if font is not None:
        pdf.add_font("ExportSans", "", str(font[0]))
        pdf.add_font("ExportSans", "B", str(font[1]))
        face = "ExportSans"
    else:
        face = "Helvetica"

    def fit(text: str) -> str:
        return text if font else text.encode("latin-1", "replace").decode("latin-1")

    pdf.set_font(face, size=9)
    pdf.add_page()
    sizes = {"h1": 15, "h2": 12, "h3": 10}
    for block in document_blocks(doc):
        if block.kind in sizes:
            pdf.ln(2)
            pdf.set_font(face, "B", sizes[block.kind])
            pdf.multi_cell(0, 7, fit(_cell(block.text)), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(face, size=9)
        elif block.kind in ("p", "ul"):
            for line in block.text.splitlines():
                bullet = "- " if block.kind == "ul" else ""
                pdf.multi_cell(0, 5, fit(bullet + _cell(line)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font(face, size=7 if len(block.columns) > 4 else 8)
            widths = (1, 2.5) if len(block.columns) == 2 else None
            with pdf.table(headings_style=FontFace(emphasis="BOLD"), col_widths=widths) as table:
                table.row([fit(c) for c in block.columns])
                for row in block.rows:
                    table.row([fit(c) for c in row])
            pdf.set_font(face, size=9)
            pdf.ln(2)
    note_heads(pdf, heads, width=pdf.epw)
    write_private(path, bytes(pdf.output()))
