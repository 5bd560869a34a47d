"""Passes against the audit log: every pass row must match the `pass.issued` entry sealing it.

A pass row inserted or edited by hand (another family, a longer validity, a new secret)
admits at the door, so `kiosk audit verify` names it: its entry is missing, or the row no
longer matches the seal the entry holds, or it is revoked without a `pass.revoked` entry
(or the reverse). A missing pass row is fine only when an erasure listed it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from kiosk.audit.seals import pass_seal
from kiosk.store import Store
from kiosk.store.rows import AuditEntryRow


def _by_pass_id(store: Store) -> dict[int, list[AuditEntryRow]]:
    """Pass entries grouped by the pass id their detail names."""
    grouped: dict[int, list[AuditEntryRow]] = defaultdict(list)
    for entry in store.audit.entries_of_actions(("pass.issued", "pass.revoked")):
        pass_id = json.loads(entry["detail"]).get("pass_id")
        if isinstance(pass_id, int):
            grouped[pass_id].append(entry)
    return grouped


def _pass_problem(store: Store, row: dict[str, Any], entries: list[AuditEntryRow]) -> str | None:
    """What in one pass row disagrees with its entries, or None."""
    what = f"pass {row['ref']} (id {row['id']})"
    issued = [e for e in entries if e["action"] == "pass.issued"]
    revoked = [e for e in entries if e["action"] == "pass.revoked"]
    if len(issued) != 1:
        return (f"{what}: the audit log has {len(issued)} entries for its issue, not 1"
                " (a pass added by hand admits at the door)")
    detail = json.loads(issued[0]["detail"])
    if "pass_seal" in detail and detail["pass_seal"] != pass_seal(store, row):
        return (f"{what}: its family, secret, reference or dates are not the ones the audit"
                " log recorded")
    if issued[0]["at"] != row["issued_at"]:
        return f"{what}: issued_at is {row['issued_at']!r} but the audit log recorded" \
               f" {issued[0]['at']!r}"
    if bool(revoked) != (row["revoked_at"] is not None):
        return (f"{what}: it is {'not ' if revoked else ''}revoked but the audit log"
                f" recorded {'a' if revoked else 'no'} revocation")
    if revoked and revoked[0]["at"] != row["revoked_at"]:
        return f"{what}: its revocation time is not the one the audit log recorded"
    return None


def check_passes(store: Store, erased: set[int], checked: dict[str, int],
                 problems: list[str]) -> None:
    """Compare every pass row with its entries; a missing row must have been erased."""
    entries = _by_pass_id(store)
    rows = store.audit.pass_rows()
    checked["passes"] = len(rows)
    for row in rows:
        problem = _pass_problem(store, row, entries.pop(row["id"], []))
        if problem is not None:
            problems.append(problem)
    for pass_id, gone in sorted(entries.items()):
        sealed = any("pass_seal" in json.loads(e["detail"]) for e in gone)
        if sealed and pass_id not in erased:
            problems.append(f"pass id {pass_id}: it is in the audit log but its record is"
                            " missing (no erasure removed it)")
