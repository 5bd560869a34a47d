"""Compare a read roster with the database and plan every write (pure: no SQL, no clock).

Consent answers from the MIS are stored as one row per pupil and category with
given_by = "school record"; answers given by a guardian (other rows) are never touched.
The fail-safe rules in kiosk.consent treat a row with `withdrawn_at` set as withdrawn
whatever its value, so:

- a live grant (granted, not withdrawn) that the MIS now records as refused or not
  returned is a *withdrawal*: the new value is stored and `withdrawn_at` is set;
- a value that was not granted and now is granted is a *re-grant*: `withdrawn_at` is
  cleared (the MIS changed its answer, so its earlier withdrawal no longer stands);
- a granted answer that stays granted keeps any `withdrawn_at` set outside the import,
  so re-importing an out-of-date MIS file can never undo a withdrawal;
- a category the file has no column for is left alone, and so is a stored expiry date
  when the file has no expiry column (missing data never loosens a rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kiosk.consent import Value
from kiosk.roster.checks import filming_warnings, keep_letters, leavers_problem, match_ids
from kiosk.roster.errors import RosterRejected
from kiosk.roster.families import assign_families, display_name
from kiosk.roster.gather import GuardianEntry, PupilEntry
from kiosk.roster.parse import ParsedRoster
from kiosk.roster.problems import Notice
from kiosk.roster.report import ConsentChange, FamilyView, PupilChange, RosterReport
from kiosk.roster.values import name_key

SCHOOL_RECORD = "school record"
_PUPIL_FIELDS = (
    ("first_name", "first name"), ("preferred_name", "preferred name"), ("surname", "surname"),
    ("class_name", "class"), ("year_group", "year group"), ("family_id", "family"),
)
_CONTACT = ("relationship", "email", "phone")


@dataclass
class Snapshot:
    """The roster as stored now (every pupil, on roll or not)."""

    pupils: Mapping[str, Mapping[str, Any]]
    families: Mapping[str, Mapping[str, Any]]
    guardians: Mapping[int, Mapping[str, Any]]
    links: dict[str, set[int]]
    consents: dict[tuple[str, str], dict[str, Any]]


@dataclass
class RosterPlan:
    """Every write an import makes, and the report describing them."""

    report: RosterReport
    families: list[dict[str, Any]] = field(default_factory=list)
    pupils: list[dict[str, Any]] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    guardians_new: list[dict[str, Any]] = field(default_factory=list)
    guardians_update: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    touched_families: set[str] = field(default_factory=set)
    today: date = date.min


def base_report(parsed: ParsedRoster) -> RosterReport:
    """The part of the report known from the file alone."""
    return RosterReport(
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        columns=dict(parsed.mapping.mapped),
        ignored_columns=list(parsed.mapping.ignored),
        rows=parsed.rows,
        rejected=list(parsed.rejected),
        notices=list(parsed.notices),
    )


def plan_import(
    parsed: ParsedRoster, snap: Snapshot, now: datetime, *, allow_merge: bool = False,
    confirm_leavers: bool = False,
) -> RosterPlan:
    """Work out what importing `parsed` over `snap` changes, at time `now`.

    Raises RosterRejected (with the report listing who) when so many pupils would leave
    that it needs `confirm_leavers`.
    """
    plan = RosterPlan(report=base_report(parsed), today=now.date())
    stamp = now.isoformat()
    pupils, matched = match_ids(parsed.pupils, snap.pupils)
    pupils, lossy_lines = keep_letters(pupils, snap.pupils)
    if matched:
        example = f"{matched[0][1]} is {matched[0][2]}"
        plan.report.notices.append(Notice(
            f"{len(matched)} id{'s match' if len(matched) != 1 else ' matches'} a pupil already"
            f" stored once leading zeros are ignored (as Excel drops them), so kept as stored"
            f" (e.g. {example})", tuple(line for line, _, _ in matched)))
    if lossy_lines:
        plan.report.warnings.append(
            f"The file has '?' where the stored names have a letter (a lossy save?): the "
            f"stored spelling is kept for {len(lossy_lines)} pupil"
            f"{'s' if len(lossy_lines) != 1 else ''}; save the export as CSV UTF-8 or .xlsx.")
    current = {pid: row["family_id"] for pid, row in snap.pupils.items()}
    family_of, held = assign_families(
        pupils, current, set(snap.families), allow_merge=allow_merge)
    plan.report.held = held
    _plan_families(plan, pupils, family_of, snap, stamp)
    in_file = set()
    for entry in pupils:
        in_file.add(entry.pupil_id)
        _plan_pupil(plan, entry, family_of[entry.pupil_id], parsed, snap, stamp)
    for pid, row in sorted(snap.pupils.items()):
        if row["on_roll"] and pid not in in_file:
            plan.left.append(pid)
            plan.report.left.append(PupilChange(pid, _name(row), row["class_name"]))
    _plan_guardians(plan, pupils, family_of, snap)
    on_roll = sum(1 for row in snap.pupils.values() if row["on_roll"])
    new_ids = sum(1 for entry in pupils if entry.pupil_id not in snap.pupils)
    plan.report.warnings += filming_warnings(
        (_event_answer(entry, parsed, snap) for entry in pupils), now.date())
    problem = leavers_problem(on_roll, len(plan.left), new_ids, len(pupils))
    if problem and not confirm_leavers:
        raise RosterRejected(
            f"Nothing was imported: {problem}; check the list of leavers and import again with"
            " --confirm-leavers if it is right.", plan.report)
    return plan


def _event_answer(
    entry: PupilEntry, parsed: ParsedRoster, snap: Snapshot
) -> tuple[Value, date | None]:
    value = entry.consents.get("event_recording", Value.NOT_RETURNED)
    if parsed.has_expiry:
        return value, entry.valid_until
    old = snap.consents.get((entry.pupil_id, "event_recording"))
    until = old["valid_until"] if old else None
    return value, date.fromisoformat(until) if until else None


def _name(row: Mapping[str, Any]) -> str:
    return f"{row['first_name']} {row['surname']}"


def _plan_families(
    plan: RosterPlan, pupils: list[PupilEntry], family_of: dict[str, str], snap: Snapshot,
    stamp: str,
) -> None:
    surnames: dict[str, list[str]] = {}
    for entry in pupils:
        surnames.setdefault(family_of[entry.pupil_id], []).append(entry.surname)
    children: dict[str, list[str]] = {}
    for entry in pupils:
        children.setdefault(family_of[entry.pupil_id], []).append(
            entry.preferred_name or entry.first_name)
    for family_id, names in sorted(surnames.items()):
        shown = display_name(names)
        existing = snap.families.get(family_id)
        status = "new" if existing is None else (
            "renamed" if existing["display_name"] != shown else "same")
        plan.report.families.append(
            FamilyView(family_id, shown, tuple(children[family_id]), status))
        if existing is None:
            plan.report.families_added.append(family_id)
        elif existing["display_name"] != shown:
            plan.report.families_changed.append(family_id)
        else:
            continue
        plan.families.append({
            "id": family_id, "display_name": shown, "created_at": stamp, "updated_at": stamp,
        })


def _plan_pupil(
    plan: RosterPlan, entry: PupilEntry, family_id: str, parsed: ParsedRoster, snap: Snapshot,
    stamp: str,
) -> None:
    row = {
        "id": entry.pupil_id, "family_id": family_id, "first_name": entry.first_name,
        "preferred_name": entry.preferred_name, "surname": entry.surname,
        "class_name": entry.class_name, "year_group": entry.year_group,
        "on_roll": 1, "left_at": None, "updated_at": stamp,
    }
    name = f"{entry.first_name} {entry.surname}"
    old = snap.pupils.get(entry.pupil_id)
    details = []
    if old is not None:
        details = [
            f"{label} {old[key] or '-'} -> {row[key] or '-'}"
            for key, label in _PUPIL_FIELDS if old[key] != row[key]
        ]
        if not old["on_roll"]:
            details.append("back on roll")
    consent_details = _plan_consents(plan, entry, name, parsed, snap, stamp, is_new=old is None)
    if old is None:
        plan.pupils.append(row)
        plan.report.added.append(PupilChange(
            entry.pupil_id, name, entry.class_name, _consent_words(entry, plan.today),
        ))
    elif details or consent_details:
        if details:
            plan.pupils.append(row)
        plan.report.changed.append(
            PupilChange(entry.pupil_id, name, entry.class_name, (*details, *consent_details))
        )
    else:
        plan.report.unchanged += 1


def _consent_words(entry: PupilEntry, today: date) -> tuple[str, ...]:
    words = []
    for category, value in entry.consents.items():
        text = f"{category.replace('_', ' ')} {value.value}"
        if value is Value.GRANTED and entry.valid_until and entry.valid_until < today:
            text += f" (expired {entry.valid_until:%d/%m/%Y}: not filmable)"
        words.append(text)
    return tuple(words)


def _plan_consents(
    plan: RosterPlan, entry: PupilEntry, name: str, parsed: ParsedRoster, snap: Snapshot,
    stamp: str, *, is_new: bool,
) -> list[str]:
    """Plan the school-record answers of one pupil; return the changes in words."""
    words = []
    for category, value in entry.consents.items():
        old = snap.consents.get((entry.pupil_id, category))
        if parsed.has_expiry:
            until = entry.valid_until.isoformat() if entry.valid_until else None
        else:
            until = old["valid_until"] if old else None
        row: dict[str, Any] = {
            "pupil_id": entry.pupil_id, "category": category, "value": value.value,
            "given_by": SCHOOL_RECORD, "recorded_at": stamp, "valid_until": until,
            "withdrawn_at": None, "source": "mis",
        }
        if old is None:
            plan.consents.append(row)
            if not is_new:
                first = "grant" if value is Value.GRANTED else "change"
                words.append(_record(plan, entry, name, category, None, value.value, first))
            continue
        kind: str | None = None
        was_live_grant = old["value"] == Value.GRANTED and old["withdrawn_at"] is None
        if value is Value.GRANTED:
            row["withdrawn_at"] = None if old["value"] != Value.GRANTED else old["withdrawn_at"]
            if old["value"] != Value.GRANTED:
                kind = "grant"
        elif was_live_grant:
            row["withdrawn_at"] = stamp
            kind = "withdrawal"
        else:
            row["withdrawn_at"] = old["withdrawn_at"]
            if old["value"] != value.value:
                kind = "change"
        if old["value"] == value.value:
            row["recorded_at"] = old["recorded_at"]
        if until != old["valid_until"]:
            words.append(f"{category.replace('_', ' ')} expiry {old['valid_until'] or 'none'}"
                         f" -> {until or 'none'}")
        if kind is not None:
            words.append(_record(plan, entry, name, category, old["value"], value.value, kind))
        if any(row[k] != old[k] for k in ("value", "valid_until", "withdrawn_at")):
            plan.consents.append(row)
    return words


def _record(
    plan: RosterPlan, entry: PupilEntry, name: str, category: str, before: str | None,
    after: str, kind: str,
) -> str:
    change = ConsentChange(entry.pupil_id, name, category, before, after, kind)
    {"grant": plan.report.grants, "withdrawal": plan.report.withdrawals}.get(
        kind, plan.report.consent_changes
    ).append(change)
    suffix = f" ({kind})" if kind != "change" else ""
    return f"{category.replace('_', ' ')}: {before or 'none'} -> {after}{suffix}"


def _merge(found: dict[str, dict[str, Any]], guardian: GuardianEntry) -> str:
    """Add a named guardian to a family's list (first non-blank detail wins); return its key."""
    key = name_key(guardian.name or "")
    slot = found.setdefault(key, {"name": guardian.name, **dict.fromkeys(_CONTACT)})
    for part in _CONTACT:
        slot[part] = slot[part] or getattr(guardian, part)
    return key


def _plan_guardians(
    plan: RosterPlan, pupils: Iterable[PupilEntry], family_of: dict[str, str], snap: Snapshot
) -> None:
    wanted: dict[str, dict[str, dict[str, Any]]] = {}
    for entry in pupils:
        family_id = family_of[entry.pupil_id]
        found = wanted.setdefault(family_id, {})
        keys = [_merge(found, g) for g in entry.guardians if g.name]
        links = [(family_id, key) for key in dict.fromkeys(keys)]
        old_links = sorted(
            (snap.guardians[g]["family_id"], name_key(snap.guardians[g]["name"]))
            for g in snap.links.get(entry.pupil_id, ())
        )
        if sorted(links) != old_links:
            plan.links[entry.pupil_id] = links
            plan.touched_families.add(family_id)
            plan.touched_families.update(f for f, _ in old_links)
    existing: dict[tuple[str, str], Mapping[str, Any]] = {
        (g["family_id"], name_key(g["name"])): g for g in snap.guardians.values()
    }
    for family_id, found in sorted(wanted.items()):
        for key, details in found.items():
            old = existing.get((family_id, key))
            if old is None:
                plan.guardians_new.append({"family_id": family_id, **details})
            elif any(old[k] != details[k] for k in ("name", *_CONTACT)):
                plan.guardians_update.append({"id": old["id"], **details})
    plan.report.guardians_added = len(plan.guardians_new)
    plan.report.guardians_changed = len(plan.guardians_update)
    still_linked = {
        gid for pid, gids in snap.links.items() if pid not in plan.links for gid in gids
    }
    plan.report.guardians_removed = sum(
        1 for (family_id, key), g in existing.items()
        if family_id in plan.touched_families and g["id"] not in still_linked
        and key not in wanted.get(family_id, {})
    )
