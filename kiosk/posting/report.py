"""The postings report: every posting check from the audit log, for the headteacher."""

from __future__ import annotations

import json
from typing import Any

from kiosk.errors import KioskError
from kiosk.store import Store


def posting_checks(store: Store, *, since: str | None = None) -> list[dict[str, Any]]:
    """Posting checks oldest first: when, who, channel, pupil counts, yes/no, why."""
    if since is not None and (len(since) != 10 or since[4] != "-"):
        raise KioskError("Dates must look like 2026-12-10.")
    names = {s["id"]: s["name"] for s in store.staff.all()}
    rows = []
    for entry in store.audit.entries_of_actions(("photo.checked",)):
        if since is not None and entry["at"][:10] < since:
            continue
        detail = json.loads(entry["detail"])
        staff_id = entry["actor"].removeprefix("staff:")
        rows.append({
            "at": entry["at"], "kiosk": entry["kiosk_id"],
            "staff": names.get(int(staff_id), entry["actor"]) if staff_id.isdigit()
            else entry["actor"],
            "channel": detail.get("channel"), "pupils": detail.get("pupils"),
            "not_allowed": detail.get("not_allowed"), "answer": detail.get("answer"),
            "reasons": detail.get("reasons", []), "faces": detail.get("faces"),
            "cleaned": detail.get("cleaned"),
        })
    return sorted(rows, key=lambda r: r["at"])
