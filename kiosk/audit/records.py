"""Records cross-check: do the check-ins and violations still say what the audit log says?

The hash chain proves the log was not edited; this proves the rows it describes were
not edited either. Each check-in row is compared with its `checkin:ID` entries (event,
code, result, method, party size, pass, door, time, staff, whether a family was known,
and family and reason through the personal detail while it is kept); each violation
with its `violation:ID` entries (event, kind, item, action taken, time, reporter, links,
children count, status, closing time, outcome through the personal detail) and its
history rows step by step. Fields an older entry did not record are not compared.

What retention and erasure remove on purpose is not flagged: a violation named in a
`retention.purged` entry may be gone; check-ins may be missing up to the counts the
purges and forced event deletions (for their event) and erasures (with their personal
detail gone) recorded; a violation an erasure kept may have lost its family, pass and
that family's children.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from kiosk.audit.details import (
    CheckinPersonal,
    StepPersonal,
    ViolationPersonal,
    checkin_detail,
    step_detail,
    violation_detail,
)
from kiosk.audit.pass_records import check_passes
from kiosk.audit.removals import Removals, read_removals
from kiosk.audit.seals import seal
from kiosk.audit.terms import Actor, Subject
from kiosk.store import Store
from kiosk.store.rows import AuditEntryRow, CheckinRow, CountedViolationRow, ViolationHistoryRow
from kiosk.violations.vocabulary import KIND_LABELS


@dataclass
class RecordsCheck:
    """How many records were compared with the log, and the first mismatch of each."""

    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _staff_of(actor: str) -> int | None:
    """The staff id an actor names ('staff:3' -> 3), or None for a door or the CLI."""
    return Actor.parse(actor).staff_id


def _by_subject(entries: list[AuditEntryRow]) -> dict[int, list[AuditEntryRow]]:
    """Entries grouped by the record id their subject names."""
    grouped: dict[int, list[AuditEntryRow]] = defaultdict(list)
    for entry in entries:
        subject = Subject.parse(entry["subject"])
        record_id = subject.number if subject is not None else None
        if record_id is not None:
            grouped[record_id].append(entry)
    return grouped


@dataclass(frozen=True)
class _Sealed:
    """A seal shown in a mismatch as 'another value', never as the digest itself."""

    digest: str

    def __repr__(self) -> str:
        return "another value (sealed)"


def _sealed(store: Store, kind: str, *values: object) -> _Sealed:
    """The seal of the row's values, compared with the sealed value the entry holds."""
    return _Sealed(seal(store, kind, *values))


class _Personal:
    """Kept personal details by entry id, parsed; purged ones are unknown (None)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._kept = store.audit.personal_details()

    def of(self, entry: AuditEntryRow) -> dict[str, Any] | None:
        """The entry's personal values: {} when it had none, None when they were purged."""
        if entry["personal_digest"] is None:
            return {}
        text = self._kept.get(entry["id"])
        return None if text is None else json.loads(text)

    def checkin(self, entry: AuditEntryRow) -> CheckinPersonal | None:
        """A check-in or undo entry's personal part (None when purged)."""
        return cast(CheckinPersonal | None, self.of(entry))

    def violation(self, entry: AuditEntryRow) -> ViolationPersonal | None:
        """A logged violation's personal part (None when purged)."""
        return cast(ViolationPersonal | None, self.of(entry))

    def step(self, entry: AuditEntryRow) -> StepPersonal | None:
        """A violation step's personal part (None when purged)."""
        return cast(StepPersonal | None, self.of(entry))


def _differs(what: str, field_name: str, actual: Any, recorded: Any) -> str | None:
    """A plain sentence when the row's value is not the one the audit log recorded."""
    if actual == recorded:
        return None
    if isinstance(recorded, _Sealed):
        return f"{what}: {field_name} is not the one the audit log recorded (sealed)"
    return f"{what}: {field_name} is {actual!r} but the audit log recorded {recorded!r}"


def _first(*problems: str | None) -> str | None:
    return next((p for p in problems if p is not None), None)


def _checkin_problem(
    row: CheckinRow, entries: list[AuditEntryRow], personal: _Personal
) -> str | None:
    """What in one check-in row disagrees with its audit entries, or None."""
    what = f"check-in {row['id']}"
    decided = [e for e in entries if e["action"] != "checkin.undone"]
    undone = [e for e in entries if e["action"] == "checkin.undone"]
    if len(decided) != 1:
        return f"{what}: the audit log has {len(decided)} entries for its decision, not 1"
    entry = decided[0]
    detail = checkin_detail(entry["detail"])
    checks: list[tuple[str, Any, Any]] = [
        ("event", row["event_id"], detail.get("event")),
        ("code", row["code"], detail.get("code")),
        ("result", row["result"], entry["action"].removeprefix("checkin.")),
        ("door", row["kiosk_id"], entry["kiosk_id"]),
        ("time", row["at"], entry["at"]),
        ("staff", row["staff_id"], _staff_of(entry["actor"])),
    ]
    if "method" in detail:
        checks.append(("method", row["method"], detail["method"]))
    if "party_size" in detail:
        checks.append(("party size", row["party_size"], detail["party_size"]))
    if "pass" in detail:
        checks.append(("pass", row["pass_id"], detail["pass"]))
    if "family" in detail:
        checks.append(("family known", row["family_id"] is not None, detail["family"]))
    said = personal.checkin(entry)
    if said is not None:
        checks += [("family", row["family_id"], said.get("family_id")),
                   ("reason", row["reason"], said.get("reason"))]
    if "family_seal" in detail:
        checks.append(("family", _sealed(personal.store, "family", row["family_id"]),
                       _Sealed(detail["family_seal"])))
    problem = _first(*(_differs(what, *check) for check in checks))
    if problem is not None:
        return problem
    return _undo_problem(what, row, undone, personal)


def _undo_problem(
    what: str, row: CheckinRow, undone: list[AuditEntryRow], personal: _Personal
) -> str | None:
    """What in a check-in's undo columns disagrees with its undo entry, or None."""
    if not undone:
        if row["undone_at"] is not None:
            return f"{what}: it is marked undone but the audit log recorded no undo"
        return None
    if row["undone_at"] is None:
        return f"{what}: the audit log recorded an undo but it is not marked undone"
    entry = undone[0]
    checks = [("undo time", row["undone_at"], entry["at"]),
              ("undone by", row["undone_by"], _staff_of(entry["actor"]))]
    said = personal.checkin(entry)
    if said is not None:
        checks.append(("undo reason", row["undo_reason"], said.get("reason")))
    return _first(*(_differs(what, *check) for check in checks))


def _check_checkins(
    store: Store, personal: _Personal, removals: Removals, report: RecordsCheck
) -> None:
    """Compare every check-in row with its entries; account for missing rows."""
    entries = _by_subject(store.audit.entries_about(Subject.prefix("checkin")))
    rows = store.audit.checkin_rows()
    report.checked["checkins"] = len(rows)
    for row in rows:
        problem = _checkin_problem(row, entries.pop(row["id"], []), personal)
        if problem is not None:
            report.problems.append(problem)
    purged, erased = removals.purged_checkins, removals.erased_checkins
    for checkin_id, gone in sorted(entries.items()):
        first = gone[0]
        if removals.exact:
            if checkin_id not in removals.checkin_ids:
                report.problems.append(f"check-in {checkin_id}: it is in the audit log but its"
                                       " record is missing (no purge or erasure removed it)")
            continue
        if checkin_detail(first["detail"]).get("event") in removals.purged_events and purged:
            purged -= 1
        elif personal.of(first) is None and erased:
            erased -= 1
        else:
            report.problems.append(
                f"check-in {checkin_id}: it is in the audit log but its record is missing"
            )


def _logged_problem(
    row: CountedViolationRow, entry: AuditEntryRow, personal: _Personal, erased: bool
) -> str | None:
    """What in a violation row disagrees with its 'violation.logged' entry, or None."""
    what = f"violation {row['id']}"
    detail = violation_detail(entry["detail"])
    checks: list[tuple[str, Any, Any]] = [
        ("event", row["event_id"], detail.get("event")),
        ("kind", row["kind"], detail.get("kind")),
        ("item", row["item_id"], detail.get("item")),
        ("action taken", row["action_taken"], detail.get("action_taken")),
        ("time", row["at"], entry["at"]),
        ("reported by", row["reported_by"], _staff_of(entry["actor"])),
    ]
    if "children" in detail:
        count = row["children_count"]
        recorded = detail["children"]
        if not (erased and count < recorded):
            checks.append(("number of children linked", count, recorded))
    family_linked = row["family_id"] is not None
    if "family_linked" in detail and not (erased and not family_linked):
        checks.append(("family linked", family_linked, detail["family_linked"]))
    pass_linked = row["pass_id"] is not None
    if "pass_linked" in detail and not (erased and not pass_linked):
        checks.append(("pass linked", pass_linked, detail["pass_linked"]))
    said = personal.violation(entry)
    if said is not None:
        if not (erased and row["family_id"] is None):
            checks.append(("family id", row["family_id"], said.get("family_id")))
        if not (erased and row["pass_id"] is None):
            checks.append(("pass id", row["pass_id"], said.get("pass_id")))
        checks += [("description", row["description"], said.get("description")),
                   ("notes", row["notes"], said.get("notes"))]
    store = personal.store
    if "family_seal" in detail and not (erased and row["family_id"] is None):
        checks.append(("family", _sealed(store, "family", row["family_id"]),
                       _Sealed(detail["family_seal"])))
    if "children_seal" in detail and not erased:
        linked = json.loads(row["children_ids"])
        checks.append(("children linked", _sealed(store, "children", linked),
                       _Sealed(detail["children_seal"])))
    if "text_seal" in detail:
        checks.append(("description or notes",
                       _sealed(store, "text", row["description"], row["notes"]),
                       _Sealed(detail["text_seal"])))
    return _first(*(_differs(what, *check) for check in checks))


def _steps_problem(
    row: CountedViolationRow, steps: list[AuditEntryRow], personal: _Personal
) -> str | None:
    """What in a violation's status, closing and outcome disagrees with its steps, or None."""
    what = f"violation {row['id']}"
    status = step_detail(steps[-1]["detail"]).get("status", "open") if steps else "open"
    closes = [s for s in steps if s["action"] == "violation.closed"]
    checks: list[tuple[str, Any, Any]] = [("status", row["status"], status)]
    if closes:
        checks.append(("closing time", row["closed_at"], closes[0]["at"]))
        said = personal.step(closes[0])
        if said is not None:
            checks.append(("outcome", row["outcome"], said.get("text")))
        sealed = step_detail(closes[0]["detail"]).get("text_seal")
        if sealed is not None:
            checks.append(("outcome", _sealed(personal.store, "text", row["outcome"]),
                           _Sealed(sealed)))
    else:
        checks += [("closing time", row["closed_at"], None), ("outcome", row["outcome"], None)]
    return _first(*(_differs(what, *check) for check in checks))


def _history_problem(
    row: CountedViolationRow, history: list[ViolationHistoryRow], entries: list[AuditEntryRow],
    personal: _Personal, kind: str,
) -> str | None:
    """What in a violation's history rows disagrees with its entries, step by step, or None."""
    what = f"violation {row['id']}"
    if len(history) != len(entries):
        return (f"{what}: it has {len(history)} history steps but the audit log recorded"
                f" {len(entries)}")
    for number, (step, entry) in enumerate(zip(history, entries, strict=True), start=1):
        action = entry["action"].removeprefix("violation.")
        action = "created" if action == "logged" else action
        where = f"{what}, history step {number}"
        checks: list[tuple[str, Any, Any]] = [
            ("action", step["action"], action),
            ("time", step["at"], entry["at"]),
            ("staff", step["staff_id"], _staff_of(entry["actor"])),
        ]
        sealed = step_detail(entry["detail"]).get("text_seal")
        if action == "created":
            checks.append(("text", step["detail"], KIND_LABELS.get(kind, kind)))
        else:
            said = personal.step(entry)
            if said is not None:
                checks.append(("text", step["detail"], said.get("text")))
            if sealed is not None:
                checks.append(("text", _sealed(personal.store, "text", step["detail"]),
                               _Sealed(sealed)))
        problem = _first(*(_differs(where, *check) for check in checks))
        if problem is not None:
            return problem
    return None


def _check_violations(
    store: Store, personal: _Personal, removals: Removals, report: RecordsCheck
) -> None:
    """Compare every violation and its history with its entries; account for purged ones."""
    entries = _by_subject(store.audit.entries_about(Subject.prefix("violation")))
    history: dict[int, list[ViolationHistoryRow]] = defaultdict(list)
    for step in store.audit.violation_history():
        history[step["violation_id"]].append(step)
    rows = store.audit.violation_rows()
    report.checked["violations"] = len(rows)
    report.checked["violation_history"] = sum(len(steps) for steps in history.values())
    for row in rows:
        own = entries.pop(row["id"], [])
        logged = [e for e in own if e["action"] == "violation.logged"]
        if len(logged) != 1:
            report.problems.append(
                f"violation {row['id']}: the audit log has {len(logged)} entries for its"
                " logging, not 1"
            )
            continue
        steps = [e for e in own if e["action"] != "violation.logged"]
        kind = violation_detail(logged[0]["detail"]).get("kind", row["kind"])
        problem = _first(
            _logged_problem(row, logged[0], personal, row["id"] in removals.erasure_kept),
            _steps_problem(row, steps, personal),
            _history_problem(row, history.pop(row["id"], []), [logged[0], *steps],
                             personal, kind),
        )
        if problem is not None:
            report.problems.append(problem)
    for violation_id in sorted(set(entries) - removals.purged_violations):
        report.problems.append(
            f"violation {violation_id}: it is in the audit log but its record is missing"
        )
    for violation_id in sorted(history):
        report.problems.append(
            f"violation {violation_id}: it has history steps but no violation record"
        )


def _check_personal_gone(store: Store, removals: Removals, report: RecordsCheck) -> None:
    """A personal detail may be missing only when a purge or an erasure listed its entry."""
    if not removals.exact:
        return
    kept = set(store.audit.personal_details())
    for entry_id in sorted(store.audit.personal_entry_ids() - kept - removals.personal_entries):
        report.problems.append(f"audit entry id {entry_id}: its personal details are missing"
                               " but no purge or erasure removed them")


def check_records(store: Store) -> RecordsCheck:
    """Compare every check-in, violation (with its history) and pass with the audit log."""
    report = RecordsCheck()
    personal = _Personal(store)
    removals = read_removals(store)
    _check_checkins(store, personal, removals, report)
    _check_violations(store, personal, removals, report)
    _check_personal_gone(store, removals, report)
    check_passes(store, removals.pass_ids, report.checked, report.problems)
    return report
