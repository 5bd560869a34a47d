"""The headteacher's violations report: every detail and history entry, children named in full.

This is the only report that names children, and only those linked to a violation (the
headteacher's safeguarding copy); it never contains photos. PDF, CSV and Markdown carry
the same facts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.audit.log import heads_markdown, noted_now
from kiosk.events import get_event
from kiosk.reports.common import long_date, md, md_table, when
from kiosk.reports.pdf import ALERT, GOOD, MUTED, Column, ReportPDF
from kiosk.security.files import write_private
from kiosk.store import Store
from kiosk.violations.reads import contact_lines, list_violations, violation_detail
from kiosk.violations.vocabulary import KIND_LABELS, STATUS_LABELS

CONFIDENTIAL = "Confidential — safeguarding"
COPY_NOTE = (
    "Headteacher's copy. It names the children involved in full: keep it with the "
    "safeguarding records and do not share it."
)
CSV_COLUMNS = (
    "number", "logged_at", "event", "event_date", "item_on_stage", "kind", "status",
    "family", "family_id", "pass_ref", "contact", "description", "children", "action_taken",
    "reported_by", "notes", "outcome", "closed_at", "history",
)
STATUS_COLOURS = {"open": ALERT, "acknowledged": (176, 96, 0), "closed": GOOD}


@dataclass(frozen=True)
class ViolationsReport:
    """What the report covers (in words) and the violations in it, oldest first, in full."""

    scope: str
    violations: list[dict[str, Any]]
    audit_heads: str = ""  # the chain heads when it was gathered (kiosk.audit.log)

    @property
    def by_status(self) -> Counter[str]:
        """How many violations have each status."""
        return Counter(v["status"] for v in self.violations)

    @property
    def by_kind(self) -> Counter[str]:
        """How many violations are of each kind."""
        return Counter(v["kind"] for v in self.violations)


def gather(
    store: Store, *, event_id: str | None = None, date_from: date | None = None,
    date_to: date | None = None,
) -> ViolationsReport:
    """Collect the violations of one event, or logged within a date range (or all)."""
    if event_id is not None:
        event = get_event(store, event_id)
        scope = f"{event['name']}, {long_date(event['date'])}"
    elif date_from or date_to:
        scope = "Logged " + " ".join(
            part for part in (
                f"from {long_date(date_from.isoformat())}" if date_from else "",
                f"to {long_date(date_to.isoformat())}" if date_to else "",
            ) if part
        )
    else:
        scope = "Every violation on record"
    rows = list_violations(store, event_id=event_id, since=date_from, until=date_to)
    details = [violation_detail(store, row["id"]) for row in reversed(rows)]
    return ViolationsReport(scope=scope, violations=details, audit_heads=noted_now(store))


def _who(v: dict[str, Any]) -> str:
    """Who did it: the family (and pass) when linked, and the description staff typed."""
    parts = []
    if v["family_name"]:
        parts.append(v["family_name"] + (f" (pass {v['pass_ref']})" if v["pass_ref"] else ""))
    if v["description"]:
        parts.append(v["description"])
    return "\n".join(parts) or "Not identified"


def _children(v: dict[str, Any]) -> str:
    """The children involved: full name and class, one per line."""
    return "\n".join(f"{c['name']} ({c['class_name']})" for c in v["children"]) or "None linked"


def _item(v: dict[str, Any]) -> str:
    """The item on stage, with its place in the running order."""
    if not v["item_title"]:
        return "Not recorded"
    return f"{v['item_position']}. {v['item_title']}"


def _history_line(h: dict[str, Any]) -> str:
    """One history entry as a line of text (CSV)."""
    text = f"{when(h['at'])} {h['action_label']} by {h['staff_name'] or 'unknown'}"
    return text + (f": {h['detail']}" if h["detail"] and h["action"] != "created" else "")


def csv_rows(report: ViolationsReport) -> list[dict[str, Any]]:
    """One CSV row per violation (history folded into one cell, entries split by ' | ')."""
    return [
        {
            "number": v["id"], "logged_at": v["at"], "event": v["event_name"],
            "event_date": v["event_date"], "item_on_stage": v["item_title"] or "",
            "kind": v["kind_label"], "status": v["status_label"],
            "family": v["family_name"] or "", "family_id": v["family_id"] or "",
            "pass_ref": v["pass_ref"] or "",
            "contact": "; ".join(contact_lines(v["contact"])[1:]) if v["contact"] else "",
            "description": v["description"] or "",
            "children": "; ".join(f"{c['name']} ({c['class_name']})" for c in v["children"]),
            "action_taken": v["action_label"], "reported_by": v["reporter_name"] or "",
            "notes": v["notes"] or "", "outcome": v["outcome"] or "",
            "closed_at": v["closed_at"] or "",
            "history": " | ".join(_history_line(h) for h in v["history"]),
        }
        for v in report.violations
    ]


def render_pdf(
    report: ViolationsReport, path: Path, *, school: str, generated_at: datetime,
    use_dejavu: bool = True,
) -> None:
    """Write the printable A4 report, marked confidential on every page."""
    pdf = ReportPDF(school=school, title="Violations report", generated_at=generated_at,
                    confidential=CONFIDENTIAL, use_dejavu=use_dejavu)
    pdf.title_block("Violations report", [report.scope, COPY_NOTE])
    statuses = report.by_status
    pdf.figures([(str(len(report.violations)), "violations"),
                 *((str(statuses.get(s, 0)), label.lower())
                   for s, label in STATUS_LABELS.items())])
    if report.violations:
        pdf.heading("By kind", keep_with=20)
        kinds = report.by_kind
        pdf.data_table(
            [Column("Kind", 120), Column("Count", 25, "R")],
            [(label, kinds[k]) for k, label in KIND_LABELS.items() if kinds.get(k)],
        )
    else:
        pdf.paragraph("No violations were logged in this period.", muted=True)
    for v in report.violations:
        _pdf_violation(pdf, v)
    pdf.lost_characters_note()
    pdf.audit_heads(report.audit_heads)
    write_private(path, bytes(pdf.output()))


def _pdf_violation(pdf: ReportPDF, v: dict[str, Any]) -> None:
    """One violation: a heading with its status, the details, then its history."""
    pdf.heading(f"No. {v['id']}  ·  {v['kind_label']}", keep_with=60)
    top = pdf.get_y() - 9.5
    pdf.font(9, bold=True)
    pdf.set_text_color(*STATUS_COLOURS.get(v["status"], MUTED))
    pdf.set_xy(pdf.l_margin, top)
    pdf.cell(0, 7, pdf.clean(v["status_label"].upper()), align="R")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, top + 9.5)
    pairs = [
        ("When", f"{when(v['at'])}  ({v['event_name']})"),
        ("On stage", _item(v)),
        ("Who", _who(v)),
        ("Contact", "\n".join(contact_lines(v["contact"]))),
        ("Children involved", _children(v)),
        ("Action taken", v["action_label"] or "Not recorded"),
        ("Reported by", v["reporter_name"] or ""),
    ]
    if v["notes"]:
        pairs.append(("Notes", v["notes"]))
    if v["status"] == "closed":
        pairs.append(("Outcome", f"{v['outcome']}\n(closed {when(v['closed_at'])})"))
    pdf.key_values(pairs)
    pdf.ln(1)
    pdf.font(9, bold=True)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, "History")
    pdf.ln(5.5)
    pdf.set_text_color(0, 0, 0)
    pdf.data_table(
        [Column("When", 32), Column("Who", 38), Column("What", 26), Column("Detail", 84)],
        [(when(h["at"]), h["staff_name"] or "", h["action_label"],
          "" if h["action"] == "created" else h["detail"] or "") for h in v["history"]],
        size=8.5,
    )


def render_markdown(report: ViolationsReport, *, school: str, generated_at: datetime) -> str:
    """The same report as Markdown text (for e-mail or a records system)."""
    lines = [f"# Violations report — {md(school)}", "",
             f"**{CONFIDENTIAL}.** {COPY_NOTE}", "",
             f"{md(report.scope)}. Generated {generated_at:%d %B %Y at %H:%M}.", "",
             "## Summary", ""]
    statuses = report.by_status
    lines += md_table(["Status", "Count"],
                      [[label, statuses.get(s, 0)] for s, label in STATUS_LABELS.items()])
    kinds = report.by_kind
    lines += ["", *md_table(["Kind", "Count"],
                            [[label, kinds.get(k, 0)] for k, label in KIND_LABELS.items()])]
    for v in report.violations:
        lines += ["", f"## No. {v['id']} — {md(v['kind_label'])} ({md(v['status_label'])})", ""]
        pairs = [("When", f"{when(v['at'])} ({v['event_name']})"), ("On stage", _item(v)),
                 ("Who", _who(v)), ("Contact", "; ".join(contact_lines(v["contact"]))),
                 ("Children involved", _children(v)),
                 ("Action taken", v["action_label"] or "Not recorded"),
                 ("Reported by", v["reporter_name"] or ""), ("Notes", v["notes"] or "")]
        if v["status"] == "closed":
            pairs.append(("Outcome", f"{v['outcome']} (closed {when(v['closed_at'])})"))
        lines += [f"- **{key}:** {md(value)}" for key, value in pairs if value]
        lines += ["", *md_table(
            ["When", "Who", "What", "Detail"],
            [[when(h["at"]), h["staff_name"] or "", h["action_label"],
              "" if h["action"] == "created" else h["detail"] or ""] for h in v["history"]],
        )]
    if not report.violations:
        lines += ["", "No violations were logged in this period."]
    return "\n".join(lines) + "\n" + heads_markdown(report.audit_heads)
