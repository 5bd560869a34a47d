"""Import a roster file: all or nothing, in one BEGIN IMMEDIATE transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from kiosk.audit import log as audit
from kiosk.roster.errors import RosterError, RosterRejected
from kiosk.roster.parse import ParsedRoster, read_roster
from kiosk.roster.plan import SCHOOL_RECORD, RosterPlan, Snapshot, base_report, plan_import
from kiosk.roster.report import RosterReport
from kiosk.roster.values import name_key
from kiosk.store import Store


def load_snapshot(store: Store) -> Snapshot:
    """Read the stored roster the importer compares against."""
    links: dict[str, set[int]] = {}
    for link in store.families.guardian_links():
        links.setdefault(link["pupil_id"], set()).add(link["guardian_id"])
    return Snapshot(
        pupils={row["id"]: row for row in store.families.pupils(on_roll_only=False)},
        families={row["id"]: row for row in store.families.all()},
        guardians={row["id"]: row for row in store.families.guardians()},
        links=links,
        consents={
            (row["pupil_id"], row["category"]): row
            for row in store.families.consents_given_by(SCHOOL_RECORD)
        },
    )


def read_source(source: bytes | str | Path) -> bytes:
    """The file's bytes (a path, or bytes already read)."""
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise RosterError(f"The file {source} could not be read ({error.strerror}).") from None


def import_roster(
    store: Store,
    source: bytes | str | Path,
    *,
    now: datetime,
    mapping: Iterable[str] | Mapping[str, str] = (),
    values: Iterable[str] | Mapping[str, str] = (),
    sheet: str | None = None,
    allow_merge: bool = False,
    confirm_leavers: bool = False,
    dry_run: bool = False,
    actor: str = "cli",
    kiosk_id: str = "admin",
) -> RosterReport:
    """Import an MIS roster export (CSV or .xlsx); with `dry_run`, only report what would change.

    Raises RosterRejected (listing every bad row, or the leavers it would need
    `confirm_leavers` for) and RosterError for a file that cannot be read at all, or
    holds consent words nobody said the meaning of; either way nothing changes.
    `mapping` holds `--map` items ("Header Name=field") or a {header: field} dict;
    `values` holds `--value` items ("TEXT=granted|refused|not_returned").
    Everything is written in one transaction at the end, so an interruption before it
    commits changes nothing.
    """
    parsed = read_roster(read_source(source), mapping, values, sheet)
    if parsed.rejected:
        _reject(parsed, dry_run)
    options = {"allow_merge": allow_merge, "confirm_leavers": confirm_leavers}
    if dry_run:
        try:
            report = plan_import(parsed, load_snapshot(store), now, **options).report
        except RosterRejected as refused:
            refused.report.dry_run = True
            raise
        report.dry_run = True
        return report
    with store.immediate():
        plan = plan_import(parsed, load_snapshot(store), now, **options)
        write_plan(store, plan, now)
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="roster.imported",
            detail={**plan.report.counts(), "encoding": parsed.encoding},
        )
    plan.report.applied = True
    return plan.report


def _reject(parsed: ParsedRoster, dry_run: bool) -> None:
    report = base_report(parsed)
    report.dry_run = dry_run
    lines = [str(problem.line) for problem in parsed.rejected]
    shown = ", ".join(lines[:10]) + (", ..." if len(lines) > 10 else "")
    count = len(lines)
    raise RosterRejected(
        f"Nothing was imported: {count} row{'s' if count != 1 else ''} "
        f"{'have' if count != 1 else 'has'} problems (line{'s' if count != 1 else ''} {shown}).",
        report,
    )


def write_plan(store: Store, plan: RosterPlan, now: datetime) -> None:
    """Carry out a plan (inside the caller's transaction)."""
    with store.immediate():
        store.families.save_families(plan.families)
        store.families.save_pupils(plan.pupils)
        store.families.mark_pupils_left(plan.left, now.isoformat())
        store.families.save_consents(plan.consents)
        store.families.update_guardians(plan.guardians_update)
        for row in plan.guardians_new:
            store.families.insert_guardian(row)
        ids = {(g["family_id"], name_key(g["name"])): g["id"] for g in store.families.guardians()}
        store.families.set_guardian_links(
            {pupil_id: [ids[link] for link in links] for pupil_id, links in plan.links.items()}
        )
        store.families.delete_unlinked_guardians(plan.touched_families)
