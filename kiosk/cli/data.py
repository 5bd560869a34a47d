"""Data protection commands: purge, export and erase a family, legal hold, backup, restore."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.base import acting_staff, emit, format_option, read_clock, sign_in, store_option
from kiosk.config import resolve_db_path
from kiosk.errors import KioskError
from kiosk.privacy.backup import backup as make_backup
from kiosk.privacy.backup import check_backup, restore
from kiosk.privacy.erasure import erase_family, erasure_blockers
from kiosk.privacy.retention import purge, set_legal_hold
from kiosk.privacy.subject_access import export_family
from kiosk.staff import Role, StaffSession
from kiosk.store import Store, open_store

COLUMNS = ("record", "id", "event", "date")
REMOVED_LABELS = {
    "violation_children": "links of children to violations",
    "violations_unlinked": "violations unlinked",
    "checkins": "check-ins",
    "performers": "running-order places",
    "consents": "consent answers",
    "guardian_links": "guardian links",
    "passes": "passes",
    "guardians": "parents or carers",
    "pupils": "pupils",
    "audit_personal": "personal audit details",
    "families": "family record",
}


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
@format_option
@store_option
def purge_command(store: Store, dry_run: bool, fmt: str) -> None:
    """Remove check-ins and closed violations past their retention period."""
    plan = purge(store, now=read_clock(), dry_run=dry_run)
    rows = [{"record": "check-in", "id": r["id"], "event": r["event_id"],
             "date": r["event_date"]} for r in plan.checkins]
    rows += [{"record": "violation", "id": r["id"], "event": r["event_id"],
              "date": r["closed_on"]} for r in plan.violations]
    verb = "Would remove" if dry_run else "Removed"
    summary = (
        f"{verb} {len(plan.checkins)} check-ins (events before {plan.checkin_cutoff}),"
        f" {len(plan.violations)} closed violations (closed before {plan.violation_cutoff})"
        f" and {len(plan.audit_personal)} personal audit details."
    )
    if fmt != "table":
        emit(rows, COLUMNS, fmt, json_value=plan.as_dict())
        return
    click.echo(summary)
    if rows:
        emit(rows, COLUMNS, fmt)
    held = plan.held_checkins + plan.held_violations
    if held:
        click.echo(f"Kept {held} records of families on legal hold.")
    if plan.unclosed_old_violations:
        click.echo(f"Kept {len(plan.unclosed_old_violations)} old violations that are not"
                   " closed yet (a violation is never purged before it is closed).")


@click.command("legal-hold")
@click.argument("family_id", metavar="FAMILY")
@click.option("--release", is_flag=True, help="Release the hold instead of setting it.")
@store_option
def legal_hold_command(store: Store, family_id: str, release: bool) -> None:
    """Keep a family's data from purge and erasure (or release it with --release)."""
    set_legal_hold(store, family_id, not release, now=read_clock())
    click.echo(f"Family {family_id} {'released from' if release else 'placed on'} legal hold.")


@click.group("export")
def export_group() -> None:
    """Subject access exports."""


@export_group.command("family")
@click.argument("family_id", metavar="FAMILY")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the JSON, Markdown and PDF files into.")
@click.option("--no-pdf", is_flag=True, help="Write only JSON and Markdown.")
@store_option
@acting_staff(Role.ADMIN)
def export_family_command(store: Store, member: StaffSession, family_id: str, out_dir: str,
                          no_pdf: bool) -> None:
    """Write everything held about one family (subject access request; an admin's PIN)."""
    paths = export_family(store, family_id, out_dir, now=read_clock(), pdf=not no_pdf,
                          actor=member.actor.text)
    for path in paths:
        click.echo(str(path))


@click.group("erase")
def erase_group() -> None:
    """Erasure of personal data."""


@erase_group.command("family")
@click.argument("family_id", metavar="FAMILY")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@store_option
@acting_staff(Role.ADMIN)
def erase_family_command(store: Store, member: StaffSession, family_id: str, yes: bool) -> None:
    """Remove everything held about one family (an admin's PIN; refused on hold or open case)."""
    reasons = erasure_blockers(store, family_id)
    if reasons:
        raise click.ClickException(" ".join(reasons))
    if not yes:
        click.confirm(f"Erase family {family_id} and all its data? This cannot be undone",
                      abort=True)
    result = erase_family(store, family_id, now=read_clock(), actor=member.actor.text)
    removed = ", ".join(f"{n} {REMOVED_LABELS.get(table, table)}"
                        for table, n in result.removed.items() if n)
    click.echo(f"Erased family {family_id}: {removed}.")
    if result.kept_violations:
        numbers = ", ".join(str(i) for i in result.kept_violations)
        click.echo(f"Closed violation {numbers} stays as the school's safeguarding record until"
                   " its retention period ends, no longer linked to this family; text staff"
                   " wrote in it is unchanged.")
    if not result.log_emptied:
        click.echo("Another kiosk is reading the database, so its write-ahead log could not be"
                   " emptied yet: the erased names leave the disk when every kiosk is closed.")
    click.echo("Backups made before now still hold this family until they are deleted.")


@click.command("backup")
@click.argument("dest", type=click.Path())
@store_option
@acting_staff(Role.ADMIN)
def backup_command(store: Store, member: StaffSession, dest: str) -> None:
    """Copy the database to DEST (a file or a folder) while the kiosk keeps running."""
    made = make_backup(store, dest, now=read_clock(), actor=member.actor.text)
    click.echo(f"Backup written to {made.path} ({made.size} bytes, schema {made.schema}).")


@click.command("restore")
@click.argument("src", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--check", "check_only", is_flag=True, help="Only check SRC; change nothing.")
@click.option("--staff", "staff_name", metavar="NAME", default=None,
              help="You, an admin of the database being replaced (your PIN is asked).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Database file to replace (default: the group's --db, $KIOSK_DB, else"
                   " the per-user kiosk.db).")
@click.pass_context
def restore_command(
    ctx: click.Context, src: str, yes: bool, check_only: bool, staff_name: str | None,
    db_path: str | None,
) -> None:
    """Replace the database with the backup SRC, after checking it (stop the kiosk first)."""
    schema = check_backup(src)
    if check_only:
        click.echo(f"{src} is a sound kiosk backup (schema {schema}).")
        return
    live = resolve_db_path(db_path or (ctx.find_root().obj or {}).get("db_path"))
    member = _restorer(live, staff_name)
    if not yes:
        click.confirm(f"Replace {live} with {src}? Changes made since the backup are lost"
                      " (the current database is kept beside it)", abort=True)
    done = restore(src, live, now=read_clock(), actor=member.actor.text)
    click.echo(f"Restored {src} into {live} (schema {done.schema_restored},"
               f" now {done.schema_now}).")
    if done.previous_copy is not None:
        click.echo(f"The database it replaced is kept at {done.previous_copy};"
                   " delete it when no longer needed.")
    if done.families_back:
        click.echo("These families were erased after this backup and are back; erase them"
                   f" again: {', '.join(done.families_back)}")


def _restorer(live: Path, staff_name: str | None) -> StaffSession:
    """Sign in the admin replacing `live` (checked against the database being replaced)."""
    if not staff_name:
        raise KioskError("Name yourself with --staff NAME (an admin); your PIN is then asked.")
    if not live.exists():
        raise KioskError(f"There is no kiosk database at {live} to replace; restore over the"
                         " damaged file, or copy the backup into place by hand.")
    store = open_store(live)
    try:
        return sign_in(store, staff_name, Role.ADMIN)
    finally:
        store.close()
