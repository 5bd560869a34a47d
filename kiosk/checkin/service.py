"""Check-in decisions at the door: pass + event + time -> a decision with a stable code.

Checks run in this order: not our pass -> malformed / unknown / revoked / expired / not
yet valid (kiosk.passes.verify) -> the event is not today (a door set up for the wrong
event, or a wrong clock: refused, naming the event's date) -> outside the event's hours
(before doors-open minus a margin, or after its end: refused, saying when the doors
open; kiosk.checkin.hours) -> family not expected (no
child performing and the event is not open to all) -> seat allocation used up (only when
the event allocates seats; party size asked only then) -> already checked in (re-entry,
with the first time and door) -> admitted. Each pass is its own party: the first use
of each of a family's passes admits that party (parents and grandparents are welcomed
each), and re-entry is per pass. Every decision, refusals too, is written to `checkins`
and the audit log in one BEGIN IMMEDIATE transaction, so two doors racing admit a pass
once; the same nonce twice records one
check-in. The door-facing family view (first names, class, items and their status; never
surnames, never why a child may not be filmed) is built here, not in the UI. Time is
passed in, never read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.audit.details import CheckinDetail, CheckinPersonal, CheckinUndoDetail
from kiosk.audit.terms import Actor, Subject
from kiosk.checkin.doorview import (
    CODES,
    RED,
    ChildLine,
    FamilyView,
    ItemLine,
    colour_of,
    result_of,
)
from kiosk.checkin.hours import Window, window_of
from kiosk.checkin.lists import (
    CheckinCounts,
    CheckinEntry,
    FamilyMatch,
    checkins_for_event,
    event_counts,
    family_door_view,
    find_families,
)
from kiosk.errors import KioskError, NotFound
from kiosk.events import get_event
from kiosk.families import get_family
from kiosk.passes.verification import ADVICE as PASS_ADVICE
from kiosk.passes.verification import MESSAGES as PASS_MESSAGES
from kiosk.passes.verification import verify
from kiosk.staff import Role, require_role
from kiosk.store import Store
from kiosk.store.rows import CheckinRow, EventRow

__all__ = [
    "CODES", "CheckinCounts", "CheckinEntry", "CheckinError", "ChildLine", "Decision",
    "FamilyMatch", "FamilyView", "ItemLine", "PartySizeNeeded", "check_in",
    "checkins_for_event", "colour_of", "event_counts", "find_families",
    "manual_check_in", "undo_check_in",
]

METHODS = ("camera", "scanner", "keyboard", "manual", "cli")
SEE_STAFF = "Please see a member of staff."

_TITLES = {
    "admitted": "Welcome – you're checked in",
    "admitted_restricted": "Welcome – please note",
    "re_entry": "Already checked in",
}


class CheckinError(KioskError):
    """A check-in request could not be carried out as asked."""


class PartySizeNeeded(CheckinError):
    """The event allocates seats: ask how many people are coming in, then call again."""

    def __init__(self, seats_left: int, seats_per_family: int) -> None:
        super().__init__(
            f"This event allocates {seats_per_family} seats per family ({seats_left} left):"
            " say how many people are coming in."
        )
        self.seats_left = seats_left
        self.seats_per_family = seats_per_family


@dataclass(frozen=True)
class Decision:
    """The answer to one scan or manual check-in; `code` is stable (see CODES)."""

    code: str
    colour: str
    result: str  # admitted / re_entry / refused (the checkins.result column)
    title: str
    message: str
    family_id: str | None = None
    checkin_id: int | None = None
    pass_ref: str | None = None
    first_at: datetime | None = None
    first_kiosk: str | None = None
    party_size: int | None = None
    view: FamilyView | None = field(default=None)
    replayed: bool = False  # the nonce was seen before: nothing new was recorded

    @property
    def ok(self) -> bool:
        """True when the family may go in (admitted or re-entry)."""
        return self.result != "refused"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the `kiosk checkin --format json` output)."""
        data = asdict(self)
        data["first_at"] = self.first_at.isoformat() if self.first_at else None
        data["ok"] = self.ok
        return data


def _clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise CheckinError("Give a short reason; it goes in the audit log.")
    return text


def _check_request(method: str, party_size: int | None) -> None:
    if method not in METHODS:
        raise CheckinError(f"The check-in method must be one of: {', '.join(METHODS)}.")
    if party_size is not None and party_size < 1:
        raise CheckinError("The party size must be at least 1.")


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _first(row: CheckinRow | None) -> tuple[datetime | None, str | None]:
    if row is None:
        return None, None
    return datetime.fromisoformat(row["at"]), row["kiosk_id"]


def _message(code: str, *, first_at: datetime | None = None,
             first_kiosk: str | None = None, seats: int | None = None,
             seats_left: int | None = None, event_day: date | None = None,
             hours: Window | None = None, now: datetime | None = None) -> str:
    """The plain sentence(s) for a decision, safe to show a parent."""
    if code == "admitted":
        return "You're checked in. Enjoy the show!"
    if code == "admitted_restricted":
        return "You're checked in. Please read the note below before you film."
    if code == "re_entry":
        when = f" at {_hhmm(first_at)}" if first_at else ""
        door = f" at {first_kiosk}" if first_kiosk else ""
        return f"Welcome back. You were first checked in{when}{door}."
    if code == "not_expected":
        return f"Your family's pass is not for this event. {SEE_STAFF}"
    if code == "not_today" and event_day is not None:
        return (f"This door is set up for an event on {event_day:%A %-d %B %Y}, not today."
                f" {SEE_STAFF}")
    if code == "outside_hours" and hours is not None and now is not None:
        return hours.message(now)
    if code == "seats_used_up":
        if seats_left:
            return f"Only {seats_left} of your family's {seats} seats are left. {SEE_STAFF}"
        return f"All {seats} of your family's seats are taken. {SEE_STAFF}"
    reason = PASS_MESSAGES.get(code, "This pass cannot be used.")
    advice = PASS_ADVICE.get(code, "none")
    if advice == "see_staff":
        return reason
    if advice == "try_again":
        return f"{reason} If it still does not work, please see a member of staff."
    return f"{reason} {SEE_STAFF}"


def _record(
    store: Store, *, event_id: str, code: str, now: datetime, kiosk_id: str, nonce: str,
    method: str, staff_id: int | None, family_id: str | None = None,
    pass_id: int | None = None, party_size: int | None = None, reason: str | None = None,
) -> int:
    """Insert the check-in row and its audit entry (inside the caller's transaction)."""
    row = {
        "event_id": event_id, "family_id": family_id, "pass_id": pass_id, "kiosk_id": kiosk_id,
        "at": now.isoformat(), "party_size": party_size, "method": method,
        "result": result_of(code), "code": code, "staff_id": staff_id, "reason": reason,
        "nonce": nonce,
    }
    checkin_id = store.checkins.insert(row)
    personal: CheckinPersonal = {"family_id": family_id} if family_id else {}
    if reason is not None:
        personal["reason"] = reason
    detail: CheckinDetail = {"event": event_id, "code": code, "method": method,
                             "party_size": party_size, "pass": pass_id,
                             "family": family_id is not None,
                             "family_seal": seals.seal(store, "family", family_id)}
    audit.append(
        store, kiosk_id=kiosk_id, at=now,
        actor=Actor.staff(staff_id) if staff_id is not None else Actor.system(method),
        action=f"checkin.{result_of(code)}", subject=Subject.checkin(checkin_id),
        detail=detail, personal=personal or None, family_id=family_id,
    )
    return checkin_id


@dataclass(frozen=True)
class _Request:
    """What every decision path needs to record itself."""

    event: EventRow
    now: datetime
    kiosk_id: str
    nonce: str
    method: str
    staff_id: int | None
    party_size: int | None
    reason: str | None = None


def _refuse(store: Store, req: _Request, code: str, *, family_id: str | None = None,
            pass_id: int | None = None, pass_ref: str | None = None,
            seats_left: int | None = None) -> Decision:
    checkin_id = _record(
        store, event_id=req.event["id"], code=code, now=req.now, kiosk_id=req.kiosk_id,
        nonce=req.nonce, method=req.method, staff_id=req.staff_id, family_id=family_id,
        pass_id=pass_id, party_size=req.party_size, reason=req.reason,
    )
    message = _message(code, seats=req.event["seats_per_family"],
                       seats_left=seats_left, event_day=date.fromisoformat(req.event["date"]),
                       hours=window_of(store, req.event), now=req.now)
    return Decision(code, RED, "refused", "Not checked in", message, family_id=family_id,
                    checkin_id=checkin_id, pass_ref=pass_ref, party_size=req.party_size)


def _decide_for_family(store: Store, req: _Request, family_id: str, *,
                       pass_id: int | None, pass_ref: str | None) -> Decision:
    """The family-level checks: today, expected, seats, re-entry, admitted (in that order)."""
    event = req.event

    def refuse(code: str, seats_left: int | None = None) -> Decision:
        return _refuse(store, req, code, family_id=family_id, pass_id=pass_id,
                       pass_ref=pass_ref, seats_left=seats_left)

    if date.fromisoformat(event["date"]) != req.now.date():
        return refuse("not_today")
    if not window_of(store, event).admits(req.now):
        return refuse("outside_hours")
    view = family_door_view(store, event["id"], family_id)
    if not view.running and not event["open_to_all"]:
        return refuse("not_expected")
    seats = event["seats_per_family"]
    if seats:
        left = seats - store.checkins.seats_taken(event["id"], family_id)
        if left <= 0 or (req.party_size is not None and req.party_size > left):
            return refuse("seats_used_up", seats_left=max(left, 0))
        if req.party_size is None:
            raise PartySizeNeeded(left, seats)
    first = store.checkins.live_admission(event["id"], family_id, pass_id)
    code = "re_entry" if first else ("admitted_restricted" if view.restricted else "admitted")

    def record(code: str) -> int:
        return _record(store, event_id=event["id"], code=code, now=req.now,
                       kiosk_id=req.kiosk_id, nonce=req.nonce, method=req.method,
                       staff_id=req.staff_id, family_id=family_id, pass_id=pass_id,
                       party_size=req.party_size, reason=req.reason)

    if first is None:
        try:
            with store.immediate():  # savepoint: a lost race rolls back this insert only
                checkin_id = record(code)
        except sqlite3.IntegrityError:
            first = store.checkins.live_admission(event["id"], family_id, pass_id)
            if first is None:
                raise
            code = "re_entry"
    if first is not None:
        checkin_id = record(code)
    first_at, first_kiosk = _first(first)
    return Decision(
        code, colour_of(code), result_of(code), _TITLES[code],
        _message(code, first_at=first_at, first_kiosk=first_kiosk),
        family_id=family_id, checkin_id=checkin_id, pass_ref=pass_ref, first_at=first_at,
        first_kiosk=first_kiosk, party_size=req.party_size,
        view=None if code == "re_entry" else view,  # a re-entry shows no children again
    )


def _replay(store: Store, row: CheckinRow) -> Decision:
    """The decision already recorded under a nonce, rebuilt without recording anything."""
    code = row["code"]
    first = (store.checkins.live_admission(row["event_id"], row["family_id"], row["pass_id"])
             if row["family_id"] else None)
    first_at, first_kiosk = _first(first) if code == "re_entry" else (None, None)
    view = None
    if row["result"] not in ("refused", "re_entry") and row["family_id"]:
        view = family_door_view(store, row["event_id"], row["family_id"])
    event = store.events.get(row["event_id"])
    message = _message(code, first_at=first_at, first_kiosk=first_kiosk,
                       seats=event["seats_per_family"] if event else None,
                       event_day=date.fromisoformat(event["date"]) if event else None,
                       hours=window_of(store, event) if event else None,
                       now=datetime.fromisoformat(row["at"]))
    title = _TITLES.get(code, "Not checked in")
    return Decision(
        code, colour_of(code), row["result"], title, message, family_id=row["family_id"],
        checkin_id=row["id"], pass_ref=store.checkins.pass_ref_of(row["pass_id"]),
        first_at=first_at, first_kiosk=first_kiosk, party_size=row["party_size"], view=view,
        replayed=True,
    )


def check_in(
    store: Store, scanned_text: str, event_id: str, *, now: datetime, kiosk_id: str,
    nonce: str, staff_id: int | None = None, method: str = "scanner",
    party_size: int | None = None,
) -> Decision:
    """Decide on one scanned or typed pass code and record the decision (see module doc).

    Raises NotFound for an unknown event and PartySizeNeeded when the event allocates
    seats and `party_size` is None (nothing is recorded then: ask, and call again with
    the same nonce).
    """
    _check_request(method, party_size)
    with store.immediate():
        existing = store.checkins.by_nonce(nonce)
        if existing is not None:
            return _replay(store, existing)
        req = _Request(get_event(store, event_id), now, kiosk_id, nonce, method, staff_id,
                       party_size)
        check = verify(scanned_text, store, now.date())
        if not check.ok or check.family_id is None:  # an ok pass always names its family
            return _refuse(store, req, check.code, family_id=check.family_id,
                           pass_id=check.pass_id, pass_ref=check.ref)
        return _decide_for_family(store, req, check.family_id, pass_id=check.pass_id,
                                  pass_ref=check.ref)


def manual_check_in(
    store: Store, event_id: str, family_id: str, *, reason: str, staff_id: int,
    now: datetime, kiosk_id: str, nonce: str, party_size: int | None = None,
) -> Decision:
    """Check a family in without a pass (forgotten, broken phone); any staff, reason needed.

    The family-level rules still hold: not expected, seats, re-entry.
    """
    require_role(store, staff_id, Role.STEWARD)
    reason = _clean_reason(reason)
    _check_request("manual", party_size)
    with store.immediate():
        existing = store.checkins.by_nonce(nonce)
        if existing is not None:
            return _replay(store, existing)
        req = _Request(get_event(store, event_id), now, kiosk_id, nonce, "manual", staff_id,
                       party_size, reason)
        get_family(store, family_id)
        return _decide_for_family(store, req, family_id, pass_id=None, pass_ref=None)


def undo_check_in(
    store: Store, checkin_id: int, *, reason: str, staff_id: int, now: datetime,
    kiosk_id: str,
) -> CheckinEntry:
    """Undo an admission or re-entry (lead and above, reason needed); the row is kept."""
    staff = require_role(store, staff_id, Role.LEAD)
    reason = _clean_reason(reason)
    with store.immediate():
        row = store.checkins.get(checkin_id)
        if row is None:
            raise NotFound(f"There is no check-in {checkin_id}.")
        if row["undone_at"] is not None:
            raise CheckinError("This check-in has already been undone.")
        if row["result"] == "refused":
            raise CheckinError("A refusal cannot be undone: nobody was checked in.")
        store.checkins.mark_undone(checkin_id, at=now.isoformat(), staff_id=staff["id"],
                                  reason=reason)
        detail: CheckinUndoDetail = {"event": row["event_id"], "code": row["code"]}
        personal: CheckinPersonal = {"family_id": row["family_id"], "reason": reason}
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
            action="checkin.undone", subject=Subject.checkin(checkin_id),
            detail=detail, personal=personal, family_id=row["family_id"],
        )
    return CheckinEntry.from_row({**row, **(store.checkins.get(checkin_id) or {})})


