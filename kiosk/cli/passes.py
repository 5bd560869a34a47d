"""`kiosk passes ...`: issue, revoke, reissue, list and verify family passes.

No command ever prints a token: the secret exists only in the files `issue` and
`reissue` write. `verify` exits 0 only when the pass is ok.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from kiosk.cli.base import (
    acting_staff,
    emit,
    format_option,
    read_clock,
    read_token,
    store_option,
    write_csv,
)
from kiosk.errors import KioskError
from kiosk.families import get_family
from kiosk.passes import (
    IssueRun,
    PassCheck,
    issue_to_families,
    pass_state,
    reissue_to_family,
    remove_revoked_files,
    revoke_pass,
    verify,
)
from kiosk.security.files import write_private
from kiosk.staff import Role, StaffSession
from kiosk.store import Store

ISSUED_COLUMNS = ("family_id", "family", "ref", "label", "valid_until", "pdf")
INDEX_COLUMNS = (*ISSUED_COLUMNS, "png", "svg", "bulk_sheet", "children", "emails",
                 "pdf_file")
MAIL_COLUMNS = ("email", "family", "children", "ref", "pdf_file", "pdf")
TABLE_LIMIT = 20  # longer runs print a summary; the index CSV lists every pass
LIST_COLUMNS = ("ref", "family_id", "label", "state", "valid_from", "valid_until",
                "issued_at", "revoked_at", "revoked_reason")
LIST_TABLE_COLUMNS = ("ref", "family_id", "label", "state", "valid_until", "revoked_on",
                      "revoked_reason")
CHECK_COLUMNS = ("code", "ok", "message", "ref", "family_id", "valid_until")
_DATE = click.DateTime(["%Y-%m-%d"])


@click.group()
def passes() -> None:
    """Family passes: issue printable QR passes, revoke lost ones, check a code."""


def _issued_rows(run: IssueRun) -> list[dict[str, Any]]:
    """One row per pass; `bulk_sheet` says where its card is in the bulk PDF, if any."""
    return [
        {"family_id": p.family_id, "family": p.family_name, "ref": p.ref, "label": p.label,
         "valid_until": p.valid_until.isoformat(), "pdf": str(p.pdf), "png": str(p.png),
         "svg": str(p.svg), "bulk_sheet": p.bulk_sheet, "children": p.children,
         "emails": "; ".join(p.emails), "pdf_file": p.pdf.name}
        for p in run.passes
    ]


def _mail_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per guardian address and family PDF: the file a mail merge attaches."""
    seen: set[tuple[str, str]] = set()
    mail = []
    for row in rows:
        for email in filter(None, row["emails"].split("; ")):
            if (email, row["pdf"]) not in seen:
                seen.add((email, row["pdf"]))
                mail.append({**row, "email": email})
    return mail


def existing_folder(out_dir: str) -> Path:
    """The --out folder, which must exist already (a typo must not scatter secrets)."""
    folder = Path(out_dir)
    if not folder.is_dir():
        raise KioskError(f"There is no folder {folder}: create it first (mkdir {folder}),"
                         " or choose another --out.")
    return folder


def _report_run(run: IssueRun, out_dir: Path, now: datetime, fmt: str) -> None:
    """Write the office's index CSV beside the files and print what was written."""
    rows = _issued_rows(run)
    index = out_dir / f"passes-{now:%Y%m%d-%H%M%S}.csv"
    mail = out_dir / f"mailmerge-{now:%Y%m%d-%H%M%S}.csv"
    for target, table, columns in ((index, rows, INDEX_COLUMNS),
                                   (mail, _mail_rows(rows), MAIL_COLUMNS)):
        out = io.StringIO(newline="")
        write_csv(out, table, columns)
        write_private(target, "\ufeff" + out.getvalue())  # with a BOM, so Excel reads UTF-8
    bulk = str(run.bulk_pdf) if run.bulk_pdf else None
    removed = [str(p) for p in run.removed]
    if fmt != "table" or len(rows) <= TABLE_LIMIT:
        emit(rows, ISSUED_COLUMNS, fmt, title="Passes issued",
             json_value={"passes": rows, "bulk_pdf": bulk, "index_csv": str(index),
                         "mail_merge_csv": str(mail), "removed_revoked": removed})
    if fmt == "table":
        families = len({r["family_id"] for r in rows})
        click.echo(f"Issued {len(rows)} pass(es) for {families} family(ies) into {out_dir}.")
        if bulk:
            click.echo(f"All cards in one PDF for printing: {bulk}")
        click.echo(f"Index for the office (no secrets): {index}")
        click.echo(f"Mail merge (one row per guardian e-mail, with the PDF to attach): {mail}")
        if removed:
            click.echo(f"Removed {len(removed)} file(s) of revoked passes from {out_dir}.")


@passes.command("issue")
@click.option("--family", "family_ids", multiple=True, metavar="ID",
              help="Issue a pass to this family (repeatable).")
@click.option("--all", "all_families", is_flag=True,
              help="Issue a pass to every family with a pupil on roll.")
@click.option("--only-missing", is_flag=True,
              help="With --all: skip families that already hold a current pass.")
@click.option("--valid-until", type=_DATE,
              help="Last valid day, YYYY-MM-DD (default: 31 August, end of the school year).")
@click.option("--label", help="Label printed on the card, e.g. 'Grandparents'.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the PDF, PNG and SVG files (they hold the pass secrets).")
@click.option("--bulk/--no-bulk", default=None,
              help="Also write one PDF of all cards for the office (default: on with --all).")
@format_option
@store_option
@acting_staff(Role.LEAD)
def passes_issue(store: Store, member: StaffSession, family_ids: tuple[str, ...],
                 all_families: bool, only_missing: bool, valid_until: datetime | None,
                 label: str | None,
                 out_dir: str, bulk: bool | None, fmt: str) -> None:
    """Issue new passes and write a printable PDF per family plus PNG and SVG codes."""
    if bool(family_ids) == all_families:
        raise click.UsageError("Give either --family ID (one or more) or --all.")
    now = read_clock()
    if all_families:
        targets = [row["id"] for row in store.passes.families_with_pupils_on_roll()]
        if only_missing:
            holding = store.passes.family_ids_with_current_pass(now.date().isoformat())
            targets = [fid for fid in targets if fid not in holding]
    else:
        targets = list(dict.fromkeys(family_ids))
        for fid in targets:
            get_family(store, fid)
    if not targets:
        click.echo("No family needs a pass.")
        return
    folder = existing_folder(out_dir)
    until = valid_until.date() if valid_until else None
    use_bulk = all_families if bulk is None else bulk
    if len(targets) > 1:
        with click.progressbar(length=len(targets), label="Issuing passes",
                               file=sys.stderr, show_pos=True) as bar:
            run = issue_to_families(store, targets, folder, now=now, valid_until=until,
                                    label=label, bulk=use_bulk, actor=member.actor.text,
                                    progress=lambda _fid: bar.update(1))
    else:
        run = issue_to_families(store, targets, folder, now=now, valid_until=until,
                                label=label, bulk=use_bulk, actor=member.actor.text)
    _report_run(run, folder, now, fmt)


@passes.command("revoke")
@click.argument("ref")
@click.option("--reason", required=True, help="Why, e.g. 'lost' (kept for the office).")
@store_option
@acting_staff(Role.LEAD)
def passes_revoke(store: Store, member: StaffSession, ref: str, reason: str) -> None:
    """Cancel the pass with staff reference REF (e.g. 7F3K) so it no longer admits anyone."""
    row = revoke_pass(store, ref, reason=reason, now=read_clock(), actor=member.actor.text,
                      kiosk_id="admin")
    click.echo(f"Cancelled pass {row['ref']} of family {row['family_id']}.")


@passes.command("tidy")
@click.argument("out_dir", metavar="FOLDER")
@store_option
def passes_tidy(store: Store, out_dir: str) -> None:
    """Remove the card files of revoked passes from FOLDER (so none is printed by mistake)."""
    removed = remove_revoked_files(store, existing_folder(out_dir))
    for path in removed:
        click.echo(f"Removed {path}")
    click.echo(f"{len(removed)} file(s) of revoked passes removed from {out_dir}.")


@passes.command("reissue")
@click.argument("family_id")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the new PDF, PNG and SVG files.")
@click.option("--valid-until", type=_DATE, help="Last valid day, YYYY-MM-DD.")
@click.option("--reason", default="reissued", show_default=True,
              help="Why the old passes are cancelled.")
@format_option
@store_option
@acting_staff(Role.LEAD)
def passes_reissue(store: Store, member: StaffSession, family_id: str, out_dir: str,
                   valid_until: datetime | None, reason: str, fmt: str) -> None:
    """Cancel FAMILY_ID's passes and issue replacements (same labels) with new files."""
    now = read_clock()
    folder = existing_folder(out_dir)
    run = reissue_to_family(store, family_id, folder, now=now, reason=reason,
                            actor=member.actor.text,
                            valid_until=valid_until.date() if valid_until else None)
    _report_run(run, folder, now, fmt)


@passes.command("list")
@click.option("--family", "family_id", help="Only this family's passes.")
@click.option("--on", "on", type=_DATE, help="Judge the state on this date (default: today).")
@format_option
@store_option
def passes_list(store: Store, family_id: str | None, on: datetime | None, fmt: str) -> None:
    """List passes: references, labels, validity and state (never secrets)."""
    if family_id is not None:
        get_family(store, family_id)
    today = on.date() if on else read_clock().date()
    rows = store.passes.all(family_id)
    for row in rows:
        state = pass_state(row, today)
        row["state"] = "valid" if state == "ok" else state
    if fmt == "table":
        shown = [{**row, "revoked_on": (row["revoked_at"] or "")[:10]} for row in rows]
        emit(shown, LIST_TABLE_COLUMNS, fmt, title=f"Passes on {today.isoformat()}")
    else:
        emit(rows, LIST_COLUMNS, fmt)


def _text_from_image(path: str) -> str:
    """The payload of the QR code in an image file (ours first, if it holds several)."""
    from kiosk.scanner.decode import ZxingDecoder  # here: OpenCV takes a while to load
    from kiosk.scanner.still import read_still

    image = read_still(path)
    if image is None:
        raise KioskError(f"The image {path} could not be read.")
    codes = ZxingDecoder(still=True).decode(image)  # a photo: every alternative
    if not codes:
        raise KioskError("No QR code was found in the image.")
    ours = [c for c in codes if c.looks_like_pass]
    return (ours or codes)[0].text


@passes.command("verify")
@click.argument("token", required=False)
@click.option("--image", type=click.Path(exists=True, dir_okay=False),
              help="Read the code from a PNG/JPEG photo or scan instead.")
@click.option("--on", "on", type=_DATE, help="Check validity on this date (default: today).")
@format_option
@store_option
def passes_verify(store: Store, token: str | None, image: str | None, on: datetime | None,
                  fmt: str) -> None:
    """Check a pass code: asked hidden, '-' reads standard input, or --image FILE.

    Exit code 0 only when it is ok. A code in argv is refused (it shows in `ps`).
    """
    if token is not None and image is not None:
        raise click.UsageError("Give either '-' (standard input) or --image FILE.")
    text = _text_from_image(image) if image is not None else read_token(token)
    today = on.date() if on else read_clock().date()
    check = verify(text, store, today)
    if fmt == "table":
        found = f" (pass {check.ref}, family {check.family_id}, valid until " \
                f"{check.valid_until})" if check.ref else ""
        click.echo(f"{check.code}: {check.message}{found}")
    else:
        emit([_check_row(check)], CHECK_COLUMNS, fmt, json_value=_check_row(check))
    if not check.ok:
        sys.exit(1)


def _check_row(check: PassCheck) -> dict[str, Any]:
    return {"code": check.code, "ok": check.ok, "message": check.message, "ref": check.ref,
            "family_id": check.family_id, "valid_until": check.valid_until}

