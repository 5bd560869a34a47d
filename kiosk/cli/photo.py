"""`kiosk photo check` (may we post this photo?) and `kiosk report postings` (the checks made).

Exit 0 when the answer is yes, 3 when it is no, 1 when the check could not be done. The
checker signs in with --staff and their PIN (lead or above), so the record says who.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from kiosk.cli.base import read_clock, safe_json, store_option
from kiosk.config import default_kiosk_id
from kiosk.posting.check import CHANNEL_LABELS, CHANNELS, PostingCheck, check_photo, pupils_named
from kiosk.safetext import safe_text
from kiosk.staff import authenticate
from kiosk.store import Store

EXIT_NO = 3


@click.group("photo")
def photo() -> None:
    """Photos for the website, social media or the press: the posting check."""


def check_json(result: PostingCheck) -> dict:
    """The check as JSON (documented in the README)."""
    faces = result.faces
    return {
        "answer": "yes" if result.allowed else "no",
        "channel": result.channel,
        "reasons": result.reasons,
        "pupils": len(result.pupils),
        "not_allowed": [{"id": p.id, "first_name": p.first_name, "class": p.class_name,
                         "consent": p.state.value} for p in result.blocked],
        "names_found": [{"where": h.source, "text": h.text} for h in result.names],
        "gps": bool(result.metadata and result.metadata.gps),
        "metadata": sorted(result.metadata.kinds) if result.metadata else [],
        "faces": faces.count if faces else None,
        "face_detector": faces.detector if faces else None,
        "clean_copy": str(result.cleaned) if result.cleaned else None,
        "messages": result.messages(),
    }


@photo.command("check")
@click.argument("image", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--channel", required=True, type=click.Choice(CHANNELS),
              help="Where it would be posted.")
@click.option("--pupil", "pupils", multiple=True, help="A pupil in the photo, by MIS id.")
@click.option("--class", "classes", multiple=True, help="Every pupil of this class is in it.")
@click.option("--item", help="Everyone on stage in item N of an event, as EVENT:N.")
@click.option("--caption", help="The text that would be posted with it.")
@click.option("--clean", "clean_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a copy with all metadata removed to this file.")
@click.option("--staff", "staff_name", required=True,
              help="Your name as a staff member, lead or above (your PIN is asked).")
@click.option("--kiosk-id", default=None, help="Audit chain to record the check in.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True)
@store_option
def photo_check(store: Store, image: Path | None, channel: str, pupils: tuple[str, ...],
                classes: tuple[str, ...], item: str | None, caption: str | None,
                clean_out: Path | None, staff_name: str, kiosk_id: str | None,
                fmt: str) -> None:
    """May this photo be posted on CHANNEL? Yes only when nothing says no (exit 0 yes, 3 no)."""
    kiosk = kiosk_id or default_kiosk_id()
    pin = click.prompt(f"PIN for {staff_name}", hide_input=True, show_default=False)
    session = authenticate(store, staff_name, pin, now=read_clock(), kiosk_id=kiosk)
    result = check_photo(store, channel=channel, staff_id=session.staff_id, now=read_clock(),
                         kiosk_id=kiosk, image=image, pupil_ids=pupils, classes=classes,
                         item=item, caption=caption, clean_out=clean_out)
    if fmt == "json":
        click.echo(safe_json(check_json(result)))
    else:
        console = Console(highlight=False)
        verdict = ("YES: it may be posted", "bold green") if result.allowed else \
            ("NO: do not post it as it is", "bold red")
        console.print(Text(verdict[0], style=verdict[1]))
        console.print(Text(f"{pupils_named(len(result.pupils))} · {CHANNEL_LABELS[channel]}"))
        for line in result.messages():
            click.echo("• " + safe_text(line, 4000))
    sys.exit(0 if result.allowed else EXIT_NO)
