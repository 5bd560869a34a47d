"""Issue passes and write their files: per pass a PNG and an SVG, per family one PDF.

These files are the only place a pass secret ever exists. Each family is issued in its
own transaction that also writes the files: if writing fails, the passes are rolled back
and the partial files removed, so no pass exists that nobody holds (and no file holds a
pass the database does not know). Door kiosks wait at most one family's rendering.
Families are issued in surname order as a person looks for them (accents and case set
aside: "Åberg" with the A's, "Ó Briain" with the O's), so the bulk sheet reads like a
register. Each run first removes the files of revoked passes from the folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from kiosk.families import get_family
from kiosk.passes.cards import Card, bulk_pdf, bulk_position, family_pdf
from kiosk.passes.issuing import IssuedPass, PassError, issue_pass, reissue
from kiosk.passes.render import PassQR
from kiosk.security.files import UnsafePath, private_folder, write_private
from kiosk.store import Store

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PassFiles:
    """One issued pass as listed for the office (no token): its reference and images."""

    family_id: str
    family_name: str
    ref: str
    label: str | None
    valid_until: date
    pdf: Path
    png: Path
    svg: Path
    bulk_sheet: str | None = None  # "page 3, card 4" in the bulk PDF, when one was written
    children: str = ""  # "Leo (R); Isla (R)": to hand cards out through book bags
    emails: tuple[str, ...] = ()  # the guardians' addresses, for a mail merge


@dataclass(frozen=True)
class IssueRun:
    """What a run wrote: every pass with its files, and the bulk PDF if one was asked for."""

    passes: list[PassFiles]
    bulk_pdf: Path | None = None
    removed: tuple[Path, ...] = ()  # files of revoked passes taken out of the folder


_BASE_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d",
                               "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
                               "Þ": "Th", "þ": "th", "ı": "i"})


def sort_key(name: str) -> tuple[str, str]:
    """A collation key for names without ICU: accents stripped, case folded, then as typed.

    "Åberg" sorts with the A's, "Ó Briain" and "O'Brien" with the O's and "Łukasiewicz"
    with the L's, where a person looks for them; punctuation is set aside.
    """
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name.translate(_BASE_LETTERS))
                       if not unicodedata.combining(c))
    letters = "".join(c for c in stripped.casefold() if c.isalnum() or c == " ")
    return " ".join(letters.split()), name


def safe_stem(text: str) -> str:
    """A file-name-safe form of an id from the MIS (letters, digits, - and _ only)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:40] or "family"


@dataclass(frozen=True)
class _Household:
    """What the files of one family show and list besides the passes."""

    name: str
    school: str
    children: str  # first names and classes (the index CSV)
    first_names: str | None  # printed on the card only when another family shares the name
    emails: tuple[str, ...]


def _household(store: Store, family_id: str, school: str) -> _Household:
    family = get_family(store, family_id)
    pupils = store.families.pupils_of_family(family_id)
    names = [(p.get("preferred_name") or "").strip() or p["first_name"] for p in pupils]
    twins = store.families.count_named(family["display_name"])
    emails = tuple(dict.fromkeys(g["email"].strip() for g in
                                 store.families.guardians_of_family(family_id)
                                 if g["email"] and g["email"].strip()))
    return _Household(
        family["display_name"], school,
        "; ".join(f"{n} ({p['class_name']})" for n, p in zip(names, pupils, strict=True)),
        ", ".join(names) if twins > 1 and names else None, emails,
    )


def _card(issued: IssuedPass, qr: PassQR, home: _Household) -> Card:
    return Card(token=issued.token, ref=issued.ref, family_name=home.name,
                school_name=home.school, valid_until=issued.valid_until, label=issued.label,
                children=home.first_names, matrix=qr.matrix)


def _write_family(
    out_dir: Path, issued: Sequence[IssuedPass], home: _Household,
    created: datetime, written: list[Path], cards: list[Card],
) -> list[PassFiles]:
    """Write each pass's PNG and SVG and the family PDF; note the paths and cards made."""
    stem = safe_stem(issued[0].family_id)
    pdf = out_dir / f"{stem}-{issued[0].ref}.pdf"
    listed = []
    for p in issued:
        qr = PassQR.of(p.token)
        png = out_dir / f"{stem}-{p.ref}.png"
        svg = out_dir / f"{stem}-{p.ref}.svg"
        for path, data in ((png, qr.png()), (svg, qr.svg())):
            written.append(path)
            write_private(path, data)
        cards.append(_card(p, qr, home))
        listed.append(PassFiles(p.family_id, home.name, p.ref, p.label, p.valid_until,
                                pdf, png, svg, children=home.children, emails=home.emails))
    written.append(pdf)
    write_private(pdf, family_pdf(cards[-len(issued):], created=created))
    return listed


@contextmanager
def _writing_to(out_dir: Path) -> Iterator[None]:
    """Turn a file-system failure (missing folder, no permission, disk full) into a sentence."""
    try:
        yield
    except (OSError, UnsafePath) as error:
        reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
        raise PassError(
            f"The pass files could not be written to {out_dir} ({reason}); a pass whose"
            " files were not written was not issued."
        ) from error


def _make_folder(out_dir: Path) -> None:
    with _writing_to(out_dir):
        private_folder(out_dir)


def remove_revoked_files(store: Store, out_dir: Path) -> tuple[Path, ...]:
    """Delete the PNG, SVG and family PDF of every revoked pass found in `out_dir`.

    A revoked pass no longer admits anyone, but its card could still be printed and
    handed out by mistake. Bulk sheets are named by time and are not touched.
    """
    if not out_dir.is_dir():
        return ()
    revoked = store.passes.revoked_refs()
    removed = []
    with _writing_to(out_dir):
        for path in sorted(out_dir.iterdir()):
            stem, _, ref = path.stem.rpartition("-")
            if stem and ref in revoked and path.suffix in (".png", ".svg", ".pdf"):
                path.unlink()
                removed.append(path)
    return tuple(removed)


def issue_with_files(
    store: Store, family_id: str, out_dir: Path, make: Callable[[], list[IssuedPass]], *,
    now: datetime, cards: list[Card] | None = None,
) -> list[PassFiles]:
    """Run `make` (issue or reissue) and write its files in one transaction.

    When `cards` is given, the family's cards are appended to it (for a bulk PDF).
    """
    written: list[Path] = []
    made: list[Card] = []
    school_name = store.settings.get("school_name") or ""
    try:
        with _writing_to(out_dir), store.immediate():
            home = _household(store, family_id, school_name)
            listed = _write_family(out_dir, make(), home, now, written, made)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    if cards is not None:
        cards.extend(made)
    return listed


def issue_to_families(
    store: Store, family_ids: Iterable[str], out_dir: Path, *, now: datetime,
    valid_until: date | None = None, label: str | None = None, bulk: bool = False,
    actor: str = "cli", kiosk_id: str = "admin", progress: Progress | None = None,
) -> IssueRun:
    """Issue one new pass to each family and write its files (and a bulk PDF if asked)."""
    _make_folder(out_dir)
    removed = remove_revoked_files(store, out_dir)
    cards: list[Card] | None = [] if bulk else None
    listed: list[PassFiles] = []
    names: dict[str, str] = {f["id"]: f["display_name"] for f in store.families.all()}
    ordered = sorted(dict.fromkeys(family_ids),
                     key=lambda fid: (sort_key(names.get(fid) or fid), fid))
    for family_id in ordered:

        def make(fid: str = family_id) -> list[IssuedPass]:
            return [issue_pass(store, fid, now=now, valid_until=valid_until, label=label,
                               actor=actor, kiosk_id=kiosk_id)]

        listed += issue_with_files(store, family_id, out_dir, make, now=now, cards=cards)
        if progress is not None:
            progress(family_id)
    if bulk:
        listed = [replace(p, bulk_sheet=bulk_position(i)) for i, p in enumerate(listed)]
    return IssueRun(listed, _write_bulk(out_dir, cards, now), removed)


def reissue_to_family(
    store: Store, family_id: str, out_dir: Path, *, now: datetime,
    valid_until: date | None = None, reason: str = "reissued", actor: str = "cli",
    kiosk_id: str = "admin",
) -> IssueRun:
    """Revoke the family's passes, issue replacements and write their files."""
    _make_folder(out_dir)
    listed = issue_with_files(
        store, family_id, out_dir,
        lambda: reissue(store, family_id, now=now, valid_until=valid_until, reason=reason,
                        actor=actor, kiosk_id=kiosk_id),
        now=now,
    )
    return IssueRun(listed, removed=remove_revoked_files(store, out_dir))


def _write_bulk(out_dir: Path, cards: list[Card] | None, now: datetime) -> Path | None:
    """All cards of the run in one PDF for the office (named by time: never overwrites)."""
    if not cards:
        return None
    path = out_dir / f"all-passes-{now:%Y%m%d-%H%M%S}.pdf"
    with _writing_to(out_dir):
        write_private(path, bulk_pdf(cards, created=now))
    return path
