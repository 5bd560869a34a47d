"""Erasure: removing everything held about one family.

Erasure removes the family, pupils, guardians, consents, passes, check-ins, individual
running-order places and personal audit details. It refuses while the family is on legal
hold or a violation concerning it is not closed. Closed violations are the school's
safeguarding record and stay until their retention date, unlinked from the family.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.audit.details import ErasureDetail
from kiosk.errors import KioskError
from kiosk.families import get_family
from kiosk.store import Store


class ErasureRefused(KioskError):
    """The family cannot be erased yet (legal hold, or a violation still open)."""


def erasure_blockers(store: Store, family_id: str) -> list[str]:
    """Plain sentences saying why the family cannot be erased now (empty when it can)."""
    family = get_family(store, family_id)
    reasons = []
    if family["legal_hold"]:
        reasons.append(
            f"Family {family_id} is on legal hold, so its data must be kept;"
            " release the hold first."
        )
    unclosed = store.privacy.unclosed_violations_of_family(family_id)
    if unclosed:
        numbers = ", ".join(str(i) for i in unclosed)
        reasons.append(
            f"Violation {numbers} concerning family {family_id} is not closed yet;"
            " the headteacher must close it first."
        )
    return reasons


@dataclass
class Erasure:
    """What an erasure removed, per table, the closed violations kept, and the log state."""

    family_id: str
    removed: dict[str, int] = field(default_factory=dict)
    kept_violations: list[int] = field(default_factory=list)
    log_emptied: bool = False


def erase_family(
    store: Store, family_id: str, *, now: datetime, actor: str = "cli", kiosk_id: str = "admin",
) -> Erasure:
    """Remove everything held about a family (refusing on hold or an open violation).

    Closed violations that concern the family stay (the school's safeguarding record,
    purged on their own schedule) without their link to it; text staff wrote in them is
    not rewritten. Deleted content is overwritten in the file (secure_delete), the file
    rebuilt (VACUUM) and the write-ahead log emptied when no other kiosk is reading.
    Backups made earlier still hold the family until they are rotated out.
    """
    was_secure = store.privacy.set_secure_delete(True)
    try:
        with store.immediate():
            reasons = erasure_blockers(store, family_id)
            if reasons:
                raise ErasureRefused(" ".join(reasons))
            kept = [v["id"] for v in store.privacy.family_violations(family_id)]
            personal = [e["entry_id"] for e in store.privacy.family_audit_personal(family_id)]
            checkins = [c["id"] for c in store.privacy.family_checkins(family_id)]
            passes = [p["id"] for p in store.privacy.family_passes(family_id)]
            result = Erasure(family_id, store.privacy.erase_family_rows(family_id), kept)
            checked: ErasureDetail = {"checkins": result.removed["checkins"],
                                      "violations_kept": kept, "personal_entries": personal,
                                      "checkin_ids": checkins, "pass_ids": passes}
            audit.append(
                store, kiosk_id=kiosk_id, at=now, actor=actor, action="family.erased",
                subject=seals.family_subject(store, family_id),
                detail={**result.removed, **checked},
            )
        store.privacy.compact()
        result.log_emptied = store.privacy.checkpoint_truncate()
    finally:
        store.privacy.set_secure_delete(was_secure)
    return result
