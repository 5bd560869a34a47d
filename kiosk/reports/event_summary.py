"""The event summary: who came in, who was refused and why, check-ins over time, the
running order with each item's filming status, and violations by kind. No names at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.audit.log import heads_markdown, noted_now
from kiosk.consent import ItemStatus
from kiosk.events import running_order
from kiosk.reports.chart import Series, bar_chart
from kiosk.reports.common import long_date, md, md_table
from kiosk.reports.pdf import ALERT, GOOD, Column, ReportPDF, Styled
from kiosk.security.files import write_private
from kiosk.store import Store
from kiosk.store.rows import EventRow
from kiosk.violations.vocabulary import KIND_LABELS

REFUSAL_LABELS: dict[str, str] = {
    "not_a_pass": "Not a pass from this school",
    "malformed": "Code misread",
    "unknown_pass": "Pass not recognised",
    "revoked": "Pass cancelled",
    "expired": "Pass expired",
    "not_yet_valid": "Pass not valid yet",
    "not_expected": "Family not expected at this event",
    "seats_used_up": "Seats used up",
}
STATUS_WORDS = {
    ItemStatus.ALLOWED: "Filming allowed – own child only",
    ItemStatus.NO_FILMING: "No filming",
}
MAX_BARS = 36
BIN_WIDTHS = (10, 20, 30, 60, 120, 240, 480, 1440)
BAR_COLOURS = {"admitted": (47, 95, 152), "re_entry": (134, 170, 210),
               "refused": (200, 80, 70)}
CSV_COLUMNS = ("section", "name", "value", "detail")


@dataclass(frozen=True)
class TimeBin:
    """Check-ins starting in one interval: admissions, re-entries and refusals."""

    start: datetime
    admitted: int = 0
    re_entry: int = 0
    refused: int = 0


@dataclass(frozen=True)
class EventSummary:
    """Every figure of the summary, computed once and shared by the PDF, CSV and Markdown."""

    event: EventRow
    families_expected: int
    families_admitted: int
    people_admitted: int
    party_unknown: int
    party_sizes: dict[int, int]
    re_entries: int
    undone: int
    refusals: dict[str, int]
    methods: dict[str, int]
    bins: list[TimeBin]
    bin_minutes: int
    items: list[dict[str, Any]]
    violations: dict[str, int]
    audit_heads: str = ""  # the chain heads when it was gathered (kiosk.audit.log)

    @property
    def refused_total(self) -> int:
        """All refusals, whatever the reason."""
        return sum(self.refusals.values())


def _bins(rows: list[dict[str, Any]]) -> tuple[list[TimeBin], int]:
    """Check-ins counted per 10 minutes (wider bins if the day is long), gaps filled."""
    times = [(datetime.fromisoformat(r["at"]), r) for r in rows]
    if not times:
        return [], 10
    zone = times[0][0].tzinfo
    times = [(t.astimezone(zone) if zone else t, r) for t, r in times]
    first, last = min(t for t, _ in times), max(t for t, _ in times)
    width = next((w for w in BIN_WIDTHS if (last - first) / timedelta(minutes=w) < MAX_BARS),
                 BIN_WIDTHS[-1])
    origin = first.replace(minute=first.minute // width * width if width < 60 else 0,
                           second=0, microsecond=0)
    count = int((last - origin) / timedelta(minutes=width)) + 1
    tallies: list[Counter[str]] = [Counter() for _ in range(count)]
    for moment, row in times:
        if row["result"] == "admitted" and row["undone_at"]:
            continue
        tallies[int((moment - origin) / timedelta(minutes=width))][row["result"]] += 1
    return [
        TimeBin(origin + timedelta(minutes=width * i), t["admitted"], t["re_entry"], t["refused"])
        for i, t in enumerate(tallies)
    ], width


def gather(store: Store, event_id: str) -> EventSummary:
    """Compute the summary of one event from its check-ins, running order and violations."""
    order = running_order(store, event_id)
    rows = store.checkins.for_report(event_id)
    live = [r for r in rows if r["result"] == "admitted" and not r["undone_at"]]
    sizes = Counter(r["party_size"] for r in live if r["party_size"] is not None)
    performing = set().union(*(r.performers for r in order.items)) if order.items else set()
    families = {p["family_id"] for p in store.families.pupils() if p["id"] in performing}
    bins, width = _bins(rows)
    items = [
        {"position": index, "title": r.item.title, "starts_at": r.item.starts_at,
         "status": STATUS_WORDS[r.status], "allowed": r.status is ItemStatus.ALLOWED,
         "staff_marked": r.staff_marked, "performers": r.performer_count,
         "not_filmable": r.not_filmable_count}
        for index, r in enumerate(order.items, start=1)
    ]
    return EventSummary(
        event=order.event,
        families_expected=len(families),
        families_admitted=len({r["family_id"] for r in live}),
        people_admitted=sum(size * n for size, n in sizes.items()),
        party_unknown=sum(1 for r in live if r["party_size"] is None),
        party_sizes=dict(sorted(sizes.items())),
        re_entries=sum(1 for r in rows if r["result"] == "re_entry"),
        undone=sum(1 for r in rows if r["result"] == "admitted" and r["undone_at"]),
        refusals=dict(Counter(r["code"] for r in rows if r["result"] == "refused")
                      .most_common()),
        methods=dict(Counter(r["method"] for r in live).most_common()),
        bins=bins,
        bin_minutes=width,
        items=items,
        violations=store.violations.kind_counts(event_id),
        audit_heads=noted_now(store),
    )


def _event_line(s: EventSummary) -> str:
    """'Thursday 10 December 2026 · doors 17:30 · curtain 18:00'."""
    parts = [long_date(s.event["date"])]
    if s.event.get("doors_open"):
        parts.append(f"doors {s.event['doors_open']}")
    if s.event.get("curtain"):
        parts.append(f"curtain {s.event['curtain']}")
    return "  ·  ".join(parts)


def _people(s: EventSummary) -> str:
    """People admitted, saying how many families' party sizes were not recorded."""
    if s.party_unknown and not s.party_sizes:
        return "Not recorded (no seats allocated)"
    if s.party_unknown:
        return f"{s.people_admitted}, plus {_families(s.party_unknown)} of unknown size"
    return str(s.people_admitted)


def _families(n: int) -> str:
    """'1 family', '3 families'."""
    return f"{n} family" if n == 1 else f"{n} families"


def _people_figure(s: EventSummary) -> str:
    """The people count for the headline: 'n/a' when no party size was recorded at all."""
    if not s.party_unknown:
        return str(s.people_admitted)
    return f"{s.people_admitted}+" if s.people_admitted else "n/a"


def _status_cell(item: dict[str, Any]) -> Styled:
    """The filming status, red and bold when it is no filming."""
    text = item["status"] + (" (marked by staff)" if item["staff_marked"] else "")
    return Styled(text, GOOD if item["allowed"] else ALERT, bold=not item["allowed"])


def _refusal_rows(s: EventSummary) -> list[tuple[str, str, int]]:
    return [(REFUSAL_LABELS.get(code, code.replace("_", " ")), code, n)
            for code, n in s.refusals.items()]


def _violation_rows(s: EventSummary) -> list[tuple[str, int]]:
    return [(label, s.violations.get(kind, 0)) for kind, label in KIND_LABELS.items()]


def render_pdf(
    s: EventSummary, path: Path, *, school: str, generated_at: datetime, use_dejavu: bool = True
) -> None:
    """Write the printable A4 summary with its check-ins chart."""
    title = f"Event summary: {s.event['name']}"
    pdf = ReportPDF(school=school, title=title, generated_at=generated_at,
                    use_dejavu=use_dejavu)
    pdf.title_block(title, [_event_line(s)])
    pdf.figures([
        (f"{s.families_admitted} / {s.families_expected}", "families in / expected"),
        (_people_figure(s), "people admitted"),
        (str(s.re_entries), "re-entries"),
        (str(s.refused_total), "refused at the door"),
        (str(sum(s.violations.values())), "violations logged"),
    ])
    if s.party_unknown:
        pdf.paragraph(f"Party size was not recorded for {s.party_unknown} of the admitted "
                      "families (it is asked only when the event allocates seats), so they "
                      "are not in the people count.", size=8.5, muted=True)
    pdf.heading(f"Check-ins over time (per {s.bin_minutes} minutes)", keep_with=70)
    if s.bins:
        bar_chart(
            pdf, [b.start.strftime("%H:%M") for b in s.bins],
            [Series("Admitted", BAR_COLOURS["admitted"], [b.admitted for b in s.bins]),
             Series("Re-entry", BAR_COLOURS["re_entry"], [b.re_entry for b in s.bins]),
             Series("Refused", BAR_COLOURS["refused"], [b.refused for b in s.bins])],
            y_caption="check-ins per interval",
        )
    else:
        pdf.paragraph("No check-ins were recorded for this event.", muted=True)
    pdf.heading("Admissions", keep_with=25)
    admissions = [("Families admitted", s.families_admitted),
                  ("Families with a child performing", s.families_expected),
                  ("People admitted", _people(s)), ("Re-entries", s.re_entries),
                  ("Check-ins undone by staff", s.undone)]
    admissions += [(f"Parties of {size}", _families(n)) for size, n in s.party_sizes.items()]
    admissions += [(f"Checked in by {m}", n) for m, n in s.methods.items()]
    pdf.data_table([Column("Figure", 100), Column("Count", 60, "R")], admissions)
    pdf.heading("Refused at the door", keep_with=20)
    if s.refusals:
        pdf.data_table([Column("Reason", 95), Column("Code", 45), Column("Count", 20, "R")],
                       _refusal_rows(s))
    else:
        pdf.paragraph("Nobody was refused.", muted=True)
    pdf.heading("Running order and filming", keep_with=25)
    pdf.data_table(
        [Column("#", 9, "R"), Column("Item", 62), Column("Starts", 15),
         Column("Filming", 56), Column("On stage", 19, "R"), Column("Not filmable", 19, "R")],
        [(i["position"], i["title"], i["starts_at"] or "", _status_cell(i),
          i["performers"], i["not_filmable"]) for i in s.items],
    )
    pdf.heading("Violations by kind", keep_with=20)
    pdf.data_table([Column("Kind", 120), Column("Count", 25, "R")], _violation_rows(s))
    pdf.paragraph("Details of each violation are in the confidential violations report.",
                  size=8.5, muted=True)
    pdf.lost_characters_note()
    pdf.audit_heads(s.audit_heads)
    write_private(path, bytes(pdf.output()))


def csv_rows(s: EventSummary) -> list[dict[str, Any]]:
    """The summary as long-format rows: section, name, value, detail."""
    rows: list[dict[str, Any]] = [
        {"section": "event", "name": "name", "value": s.event["name"], "detail": s.event["date"]},
        {"section": "admissions", "name": "families_admitted", "value": s.families_admitted},
        {"section": "admissions", "name": "families_expected", "value": s.families_expected},
        {"section": "admissions", "name": "people_admitted", "value": s.people_admitted},
        {"section": "admissions", "name": "party_size_not_recorded", "value": s.party_unknown},
        {"section": "admissions", "name": "re_entries", "value": s.re_entries},
        {"section": "admissions", "name": "undone", "value": s.undone},
    ]
    rows += [{"section": "party_size", "name": str(size), "value": n}
             for size, n in s.party_sizes.items()]
    rows += [{"section": "method", "name": m, "value": n} for m, n in s.methods.items()]
    rows += [{"section": "refusals", "name": code, "value": n, "detail": label}
             for label, code, n in _refusal_rows(s)]
    rows += [{"section": f"checkins_per_{s.bin_minutes}_min", "name": b.start.isoformat(),
              "value": b.admitted + b.re_entry + b.refused,
              "detail": f"admitted {b.admitted}, re-entry {b.re_entry}, refused {b.refused}"}
             for b in s.bins]
    rows += [{"section": "items", "name": f"{i['position']}. {i['title']}",
              "value": i["not_filmable"],
              "detail": f"{i['status']}; {i['performers']} on stage, "
                        f"{i['not_filmable']} not filmable"} for i in s.items]
    rows += [{"section": "violations", "name": label, "value": n}
             for label, n in _violation_rows(s)]
    return rows


def render_markdown(s: EventSummary, *, school: str, generated_at: datetime) -> str:
    """The same summary as Markdown text."""
    lines = [f"# Event summary: {md(s.event['name'])} — {md(school)}", "",
             f"{md(_event_line(s))}. Generated {generated_at:%d %B %Y at %H:%M}.", "",
             "## Admissions", ""]
    lines += md_table(["Figure", "Count"], [
        ["Families admitted", s.families_admitted],
        ["Families with a child performing", s.families_expected],
        ["People admitted", _people(s)], ["Re-entries", s.re_entries],
        ["Check-ins undone by staff", s.undone],
        *([f"Parties of {size}", _families(n)] for size, n in s.party_sizes.items()),
    ])
    lines += ["", "## Refused at the door", ""]
    lines += (md_table(["Reason", "Code", "Count"], [list(r) for r in _refusal_rows(s)])
              if s.refusals else ["Nobody was refused."])
    lines += ["", f"## Check-ins per {s.bin_minutes} minutes", ""]
    lines += md_table(["From", "Admitted", "Re-entry", "Refused"],
                      [[b.start.strftime("%H:%M"), b.admitted, b.re_entry, b.refused]
                       for b in s.bins])
    lines += ["", "## Running order and filming", ""]
    lines += md_table(["#", "Item", "Starts", "Filming", "On stage", "Not filmable"],
                      [[i["position"], i["title"], i["starts_at"] or "", i["status"],
                        i["performers"], i["not_filmable"]] for i in s.items])
    lines += ["", "## Violations by kind", ""]
    lines += md_table(["Kind", "Count"], [list(r) for r in _violation_rows(s)])
    return "\n".join(lines) + "\n" + heads_markdown(s.audit_heads)
