"""The posting check: may this photo be posted on this channel? Yes only if nothing says no.

No when any pupil in it lacks consent for the channel (the fail-safe rules of
`kiosk.consent`), when a pupil's name is attached (caption, file name, metadata), when
the image carries GPS and is not being cleaned, or when nobody says who is in it.
Faces are counted to warn staff, never recognised. Every check is audited without the
image, the caption or any name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kiosk.audit import log as audit
from kiosk.consent import State, consent_state
from kiosk.errors import KioskError, NotFound
from kiosk.events import consent_records, get_event
from kiosk.posting import faces, images
from kiosk.posting.metadata import Metadata, read_metadata
from kiosk.posting.names import NameHit, find_names
from kiosk.staff import Role, require_role
from kiosk.store import Store
from kiosk.store.rows import PupilRow

CHANNEL_LABELS = {"website": "the school website", "social_media": "social media",
                  "press": "the press"}
CHANNELS = tuple(CHANNEL_LABELS)
STATE_LABELS = {State.GRANTED: "may be posted", State.MISSING: "no answer on record",
                State.NOT_RETURNED: "form not returned", State.REFUSED: "refused",
                State.EXPIRED: "expired", State.WITHDRAWN: "withdrawn",
                State.DISPUTED: "guardians disagree"}


class PostingError(KioskError):
    """The posting check could not be done as asked."""


@dataclass(frozen=True)
class PupilAnswer:
    """One pupil in the photo: first name and class (staff-only) and their consent."""

    id: str
    first_name: str
    class_name: str
    state: State

    @property
    def allowed(self) -> bool:
        """True only when consent for the channel is granted and current."""
        return self.state is State.GRANTED


@dataclass
class PostingCheck:
    """The answer and everything staff need to act on a no."""

    channel: str
    pupils: list[PupilAnswer]
    names: list[NameHit] = field(default_factory=list)
    metadata: Metadata | None = None
    faces: faces.FaceCount | None = None
    cleaned: Path | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        """Yes only when no reason says no."""
        return not self.reasons

    @property
    def blocked(self) -> list[PupilAnswer]:
        """The pupils to leave out or blur."""
        return [p for p in self.pupils if not p.allowed]

    @property
    def extra_faces(self) -> int:
        """How many more faces were found than pupils named (0 when none or not counted)."""
        found = self.faces.count if self.faces else None
        return max(0, found - len(self.pupils)) if found is not None else 0

    def messages(self) -> list[str]:
        """What staff are told, one plain sentence each, reasons first."""
        lines: list[str] = []
        if self.blocked:
            names = ", ".join(f"{p.first_name} ({p.class_name})" for p in self.blocked)
            lines.append(f"{len(self.blocked)} of {len(self.pupils)} pupils may not be posted"
                         f" on {CHANNEL_LABELS[self.channel]}: leave out or blur {names}.")
        if not self.pupils:
            lines.append("Nobody is named: say who is in the photo (pupils, a class or an"
                         " item of an event).")
        for hit in self.names:
            lines.append(f"A pupil's name is attached ({hit.source}: \"{hit.text}\"):"
                         " remove it before posting.")
        if self.metadata is not None and self.metadata.gps and self.cleaned is None:
            lines.append("The photo records where it was taken (GPS): post a clean copy"
                         " (--clean).")
        elif self.metadata is not None and not self.metadata.empty and self.cleaned is None:
            kinds = ", ".join(sorted(self.metadata.kinds))
            lines.append(f"The photo carries metadata ({kinds}): post a clean copy (--clean).")
        if self.cleaned is not None:
            lines.append(f"Clean copy written to {self.cleaned}: post that one.")
        if self.extra_faces:
            lines.append(f"{self.extra_faces} more faces than pupils named: check nobody"
                         " else is in it.")
        if self.faces is not None and self.faces.count is None:
            lines.append("Faces could not be counted on this machine: check by eye that"
                         " nobody else is in it.")
        return lines


def pupils_named(count: int) -> str:
    """'1 pupil named', '3 pupils named'."""
    return f"{count} pupil{'' if count == 1 else 's'} named"


def parse_item(value: str) -> tuple[str, int]:
    """'EVENT:N' as (event id, item number in the running order)."""
    event_id, _, number = value.rpartition(":")
    if not event_id or not number.isdigit():
        raise PostingError(f"An item is written EVENT:N, e.g. nativity:3 (not {value!r}).")
    return event_id, int(number)


def pupils_in_photo(
    store: Store, *, pupil_ids: Iterable[str] = (), classes: Iterable[str] = (),
    item: str | None = None,
) -> list[PupilRow]:
    """The pupil rows named by id, by class, and on stage in an item, each once."""
    wanted = list(dict.fromkeys(pupil_ids))
    members = store.families.class_members(list(dict.fromkeys(classes)))
    for class_name, ids in members.items():
        if not ids:
            raise NotFound(f"No pupils are on roll in class {class_name!r}.")
        wanted += ids
    if item is not None:
        wanted += _item_pupils(store, *parse_item(item))
    rows = []
    for pupil_id in dict.fromkeys(wanted):
        row = store.families.pupil(pupil_id)
        if row is None:
            raise NotFound(f"There is no pupil with id {pupil_id!r}.")
        rows.append(row)
    return rows


def _item_pupils(store: Store, event_id: str, number: int) -> list[str]:
    get_event(store, event_id)
    rows = [r for r in store.events.items(event_id) if r["position"] == number]
    if not rows:
        raise NotFound(f"Event {event_id!r} has no item {number}.")
    item_id = rows[0]["id"]
    performers = [p for p in store.events.performers(event_id) if p["item_id"] == item_id]
    classes = [p["ref"] for p in performers if p["kind"] == "class"]
    named = [p["ref"] for p in performers if p["kind"] == "pupil"]
    return named + [pid for ids in store.families.class_members(classes).values() for pid in ids]


def consent_answers(
    store: Store, rows: Sequence[PupilRow], channel: str, on: datetime
) -> list[PupilAnswer]:
    """Each pupil's consent state for the channel on the day (no answer: missing)."""
    records = consent_records(store.families.consent_rows(channel, [r["id"] for r in rows]))
    return [
        PupilAnswer(id=r["id"], first_name=r["preferred_name"] or r["first_name"],
                    class_name=r["class_name"],
                    state=consent_state(records.get(r["id"], ()), on.date()))
        for r in rows
    ]


def check_photo(
    store: Store, *, channel: str, staff_id: int, now: datetime, kiosk_id: str,
    image: Path | None = None, pupil_ids: Iterable[str] = (), classes: Iterable[str] = (),
    item: str | None = None, caption: str | None = None, clean_out: Path | None = None,
) -> PostingCheck:
    """Answer "may this photo be posted on `channel`?" (lead or above) and audit the check."""
    staff = require_role(store, staff_id, Role.LEAD)
    if channel not in CHANNEL_LABELS:
        raise PostingError(f"The channel must be one of: {', '.join(CHANNELS)}.")
    if clean_out is not None and image is None:
        raise PostingError("A clean copy needs a photo to clean.")
    rows = pupils_in_photo(store, pupil_ids=pupil_ids, classes=classes, item=item)
    result = PostingCheck(channel, consent_answers(store, rows, channel, now))
    texts = [("caption", caption)] if caption else []
    if image is not None:
        data = images.read_bytes(image)
        result.metadata = read_metadata(data)
        pixels = images.decode(data)
        result.faces = faces.count_faces(pixels)
        if clean_out is not None:
            result.cleaned = images.clean_copy(pixels, image, clean_out)
        posted = result.cleaned or image
        texts.append(("file name", posted.stem))
        if result.cleaned is None:
            texts += result.metadata.texts
        del pixels
    result.names = find_names(store, [r["id"] for r in rows], texts)
    result.reasons = _reasons(result)
    _audit(store, result, staff["id"], now, kiosk_id)
    return result


def _reasons(result: PostingCheck) -> list[str]:
    reasons = []
    if not result.pupils:
        reasons.append("nobody_named")
    if result.blocked:
        reasons.append("consent")
    if result.names:
        reasons.append("names_attached")
    if result.metadata is not None and result.metadata.gps and result.cleaned is None:
        reasons.append("gps")
    return reasons


def _audit(store: Store, result: PostingCheck, staff_id: int, now: datetime,
           kiosk_id: str) -> None:
    """Record who checked, when, the channel, counts and the answer; never names or image."""
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=f"staff:{staff_id}", action="photo.checked",
        detail={"channel": result.channel, "pupils": len(result.pupils),
                "not_allowed": len(result.blocked), "answer": "yes" if result.allowed else "no",
                "reasons": result.reasons, "names_found": len(result.names),
                "faces": result.faces.count if result.faces else None,
                "cleaned": result.cleaned is not None},
    )
