"""Check-out at the door: a pass scanned on the way out, for events that want a roll call.

Only events with check-out turned on (`kiosk event edit EVENT --check-out`) take it. The
party of that pass must be in the hall (admitted, not undone, not already out); coming
back in is an ordinary re-entry scan. A check-out is a row in `checkouts` naming the
party's admission, with its audit entry; a refused check-out is audited only (nobody
moved). The same nonce twice records one check-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor, Subject
from kiosk.checkin.doorview import GREEN, RED
from kiosk.errors import KioskError
from kiosk.events import get_event
from kiosk.passes.verification import MESSAGES as PASS_MESSAGES
from kiosk.passes.verification import verify
from kiosk.store import Store

CHECKOUT_CODES = ("checked_out", "not_checked_in", "already_out")
_MESSAGES = {
    "checked_out": "Goodbye, thank you for coming. Scan your pass again to come back in.",
    "not_checked_in": "This pass was not checked in to this event. Please see a member of staff.",
    "already_out": "This pass is already checked out. Please see a member of staff.",
}


class CheckOutNotUsed(KioskError):
    """The event does not take check-outs (turn it on with `kiosk event edit --check-out`)."""


@dataclass(frozen=True)
class CheckOut:
    """The answer to one scan on the way out; `code` is one of CHECKOUT_CODES or a pass code."""

    code: str
    colour: str
    message: str
    family_id: str | None = None
    pass_ref: str | None = None
    checkout_id: int | None = None
    replayed: bool = False

    @property
    def ok(self) -> bool:
        """True when the party was recorded as leaving."""
        return self.code == "checked_out"


def _audit(store: Store, code: str, *, event_id: str, now: datetime, kiosk_id: str,
           staff_id: int | None, method: str, family_id: str | None,
           checkout_id: int | None) -> None:
    audit.append(
        store, kiosk_id=kiosk_id, at=now,
        actor=Actor.staff(staff_id) if staff_id is not None else Actor.system(method),
        action="checkout.recorded" if code == "checked_out" else "checkout.refused",
        subject=Subject.of("checkout", checkout_id) if checkout_id else Subject.of("event",
                                                                                     event_id),
        detail={"event": event_id, "code": code, "method": method},
        personal={"family_id": family_id} if family_id else None, family_id=family_id,
    )


def check_out(store: Store, scanned_text: str, event_id: str, *, now: datetime,
              kiosk_id: str, nonce: str, staff_id: int | None = None,
              method: str = "scanner") -> CheckOut:
    """Record the party of a scanned pass leaving the hall (see module doc)."""
    with store.immediate():
        event = get_event(store, event_id)
        if not event["check_out"]:
            raise CheckOutNotUsed(f"Event {event_id!r} does not use check-out: turn it on with"
                                  f" `kiosk event edit {event_id} --check-out`.")
        seen = store.checkins.checkout_by_nonce(nonce)
        if seen is not None:
            return CheckOut("checked_out", GREEN, _MESSAGES["checked_out"], seen["family_id"],
                            store.checkins.pass_ref_of(seen["pass_id"]), seen["id"], True)
        check = verify(scanned_text, store, now.date())
        family_id = check.family_id if check.ok else None
        code: str = check.code if not check.ok else "checked_out"
        admission = (store.checkins.live_admission(event_id, family_id, check.pass_id)
                     if family_id else None)
        if family_id and admission is None:
            code = "not_checked_in"
        checkout_id = None
        if admission is not None:
            party = next((p for p in store.checkins.live_admissions(event_id)
                          if p["id"] == admission["id"]), None)
            if party and party["last_out_at"] and party["last_out_at"] >= party["last_in_at"]:
                code = "already_out"
            else:
                checkout_id = store.checkins.insert_checkout({
                    "event_id": event_id, "family_id": family_id, "pass_id": check.pass_id,
                    "checkin_id": admission["id"], "kiosk_id": kiosk_id,
                    "at": now.isoformat(), "method": method, "staff_id": staff_id,
                    "nonce": nonce,
                })
        _audit(store, code, event_id=event_id, now=now, kiosk_id=kiosk_id, staff_id=staff_id,
               method=method, family_id=family_id, checkout_id=checkout_id)
    message = _MESSAGES.get(code) or f"{PASS_MESSAGES.get(code, 'This pass cannot be used.')}"
    return CheckOut(code, GREEN if code == "checked_out" else RED, message, family_id,
                    check.ref, checkout_id)
