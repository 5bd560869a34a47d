"""Issue, revoke and reissue family passes; the token leaves only in the returned value.

The database keeps the SHA-256 of the secret and a short staff reference. Every issue
and revocation is audited in the same transaction, without the token or its secret;
labels and reasons are free text, so they go to the purgeable personal part of the entry.
Staff mode revokes with the signed-in member's `staff_id` (lead and above, checked here).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.audit.terms import Actor, Subject
from kiosk.errors import KioskError, NotFound
from kiosk.families import get_family
from kiosk.passes.token import SECRET_BYTES, encode_token, hash_secret, new_reference
from kiosk.staff import Role, require_role
from kiosk.store import Store
from kiosk.store.rows import PassLinkRow

MAX_LABEL = 40
_REF_ATTEMPTS = 50


class PassError(KioskError):
    """A pass could not be issued or revoked as asked."""


@dataclass(frozen=True)
class IssuedPass:
    """A newly issued pass. `token` is the only copy of the secret: write it out, then drop it."""

    token: str = field(repr=False)
    ref: str
    pass_id: int
    family_id: str
    valid_from: date
    valid_until: date
    label: str | None = None


def default_valid_until(today: date) -> date:
    """End of the school year: 31 August this year, or next year once past 31 August."""
    end = date(today.year, 8, 31)
    return end if today <= end else date(today.year + 1, 8, 31)


def clean_ref(ref: str) -> str:
    """Accept a reference as staff type it: "pass 7f3k", " 7F3K " -> "7F3K"."""
    text = "".join(ref.split()).upper()
    return text[4:] if len(text) > 4 and text.startswith("PASS") else text


def clean_label(label: str | None) -> str | None:
    """Trim a label ("Mum's phone", "Grandparents"); None when empty; refuse long ones."""
    if label is None:
        return None
    text = " ".join(label.split())
    if len(text) > MAX_LABEL:
        raise PassError(f"A pass label is at most {MAX_LABEL} characters.")
    if any(not ch.isprintable() for ch in text):
        raise PassError("A pass label may only contain printable characters.")
    return text or None


def _free_ref(store: Store) -> str:
    """A reference no pass has used yet (checked inside the issuing transaction)."""
    for _ in range(_REF_ATTEMPTS):
        ref = new_reference()
        if not store.passes.ref_taken(ref):
            return ref
    raise PassError("No free pass reference could be found; please try again.")


def _insert_pass(
    store: Store, family_id: str, *, now: datetime, valid_until: date, label: str | None,
    actor: str, kiosk_id: str, replaces: str | None = None,
) -> IssuedPass:
    """Create the secret, store its hash, audit; caller holds the transaction."""
    secret = secrets.token_bytes(SECRET_BYTES)
    ref = _free_ref(store)
    today = now.date()
    inserted = {
        "family_id": family_id,
        "ref": ref,
        "secret_hash": hash_secret(secret),
        "label": label,
        "valid_from": today.isoformat(),
        "valid_until": valid_until.isoformat(),
        "issued_at": now.isoformat(),
    }
    pass_id = store.passes.insert(inserted)
    detail: dict[str, Any] = {
        "pass_id": pass_id,
        "family_seal": seals.seal(store, "family", family_id),
        "pass_seal": seals.pass_seal(store, {**inserted, "id": pass_id}),
        "valid_from": today.isoformat(),
        "valid_until": valid_until.isoformat(),
    }
    if replaces:
        detail["replaces"] = replaces
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=actor, action="pass.issued",
        subject=Subject.of("pass", ref), detail=detail,
        personal={"label": label} if label else None, family_id=family_id,
    )
    return IssuedPass(
        token=encode_token(secret), ref=ref, pass_id=pass_id, family_id=family_id,
        valid_from=today, valid_until=valid_until, label=label,
    )


def _valid_until(now: datetime, valid_until: date | None) -> date:
    end = valid_until or default_valid_until(now.date())
    if end < now.date():
        raise PassError("That end date has passed; a pass must be valid until today or later.")
    return end


def issue_pass(
    store: Store, family_id: str, *, now: datetime, valid_until: date | None = None,
    label: str | None = None, actor: str = "cli", kiosk_id: str = "admin",
) -> IssuedPass:
    """Issue one new pass to a family (a family may hold several, e.g. one per guardian)."""
    end = _valid_until(now, valid_until)
    text = clean_label(label)
    with store.immediate():
        get_family(store, family_id)
        return _insert_pass(
            store, family_id, now=now, valid_until=end, label=text, actor=actor,
            kiosk_id=kiosk_id,
        )


def _revoke_row(
    store: Store, row: PassLinkRow, *, reason: str, now: datetime, actor: str,
    kiosk_id: str, replaced: bool = False,
) -> None:
    """Mark one pass row revoked and audit it; caller holds the transaction."""
    store.passes.mark_revoked(row["id"], now.isoformat(), reason)
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=actor, action="pass.revoked",
        subject=Subject.of("pass", row["ref"]),
        detail={"pass_id": row["id"], "family_seal": seals.seal(store, "family", row["family_id"]),
                "reissued": replaced},
        personal={"reason": reason}, family_id=row["family_id"],
    )


def _clean_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise PassError("Say why the pass is being cancelled (for example: lost).")
    return text[:200]


def revoke_pass(
    store: Store, ref: str, *, reason: str, now: datetime, actor: str = "cli",
    kiosk_id: str = "admin", staff_id: int | None = None,
) -> dict[str, Any]:
    """Revoke a pass by its staff reference (e.g. lost); return its row (no secret hash).

    With `staff_id` (staff mode) the member must be a lead or above and is the actor.
    """
    if staff_id is not None:
        actor = Actor.staff(require_role(store, staff_id, Role.LEAD)["id"]).text
    why = _clean_reason(reason)
    key = clean_ref(ref)
    with store.immediate():
        row = store.passes.by_ref(key)
        if row is None:
            raise NotFound(f"No pass has the reference {key}.")
        if row["revoked_at"] is not None:
            raise PassError(f"Pass {key} was already cancelled on {row['revoked_at'][:10]}.")
        _revoke_row(store, row, reason=why, now=now, actor=actor, kiosk_id=kiosk_id)
        updated = store.passes.by_ref(key) or row
    return {k: v for k, v in updated.items() if k != "secret_hash"}


def reissue(
    store: Store, family_id: str, *, now: datetime, valid_until: date | None = None,
    reason: str = "reissued", actor: str = "cli", kiosk_id: str = "admin",
) -> list[IssuedPass]:
    """Revoke the family's unrevoked passes and issue one new pass for each (same labels).

    A family with no unrevoked pass gets one new pass. All of it is one transaction.
    """
    end = _valid_until(now, valid_until)
    why = _clean_reason(reason)
    with store.immediate():
        get_family(store, family_id)
        old = store.passes.unrevoked_of_family(family_id)
        for row in old:
            _revoke_row(store, row, reason=why, now=now, actor=actor, kiosk_id=kiosk_id,
                        replaced=True)
        plan: list[tuple[str | None, str | None]] = (
            [(row["label"], row["ref"]) for row in old] or [(None, None)]
        )
        return [
            _insert_pass(store, family_id, now=now, valid_until=end, label=label,
                         actor=actor, kiosk_id=kiosk_id, replaces=replaces)
            for label, replaces in plan
        ]
