"""Retention: purge check-ins and closed violations once the school no longer needs them.

Defaults (changeable with `kiosk settings retention`):

- check-ins are kept for 30 days after the event's date: long enough to answer "was my
  family let in?" or to review a door incident, no longer (the design's default);
- violations are kept for 6 years after they were closed, the limitation period for most
  civil claims in England and Wales and the usual schools' records-management advice for
  incident and complaint records. The policy sends violations to the Headteacher under the
  Child Protection policy; a concern that becomes a child-protection matter belongs in the
  child's safeguarding file, which has its own, longer schedule outside this program.

A violation is never purged before it is closed, whatever its age, and nothing of a family
on legal hold is purged. The audit chain stays whole: only the personal details tied to
purged records go, and the purge itself is audited with counts and ids only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.audit.details import PurgeCounts, PurgeDetail
from kiosk.audit.terms import Subject
from kiosk.errors import KioskError
from kiosk.families import get_family
from kiosk.store import Store

CHECKIN_DAYS_KEY = "retention.checkin_days"
VIOLATION_YEARS_KEY = "retention.violation_years"
DEFAULT_CHECKIN_DAYS = 30
DEFAULT_VIOLATION_YEARS = 6
MAX_CHECKIN_DAYS = 3660
MAX_VIOLATION_YEARS = 100


class RetentionError(KioskError):
    """A retention setting is out of range or unreadable."""


@dataclass(frozen=True)
class RetentionPolicy:
    """How long check-ins (days after the event) and closed violations (years) are kept."""

    checkin_days: int = DEFAULT_CHECKIN_DAYS
    violation_years: int = DEFAULT_VIOLATION_YEARS


@dataclass
class PurgePlan:
    """What a purge removes (or would remove, for a dry run) and what it keeps on purpose."""

    today: date
    policy: RetentionPolicy
    checkin_cutoff: date
    violation_cutoff: date
    checkins: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    audit_personal: list[int] = field(default_factory=list)
    held_checkins: int = 0
    held_violations: int = 0
    unclosed_old_violations: list[int] = field(default_factory=list)
    done: bool = False

    def counts(self) -> PurgeCounts:
        """How many records of each kind go (or would go)."""
        return {
            "checkins": len(self.checkins),
            "violations": len(self.violations),
            "audit_personal": len(self.audit_personal),
        }

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: dates, counts and record ids (nothing personal)."""
        return {
            "today": self.today.isoformat(),
            "policy": asdict(self.policy),
            "checkins_from_events_before": self.checkin_cutoff.isoformat(),
            "violations_closed_before": self.violation_cutoff.isoformat(),
            "counts": self.counts(),
            "checkins": self.checkins,
            "violations": self.violations,
            "audit_personal_entries": self.audit_personal,
            "kept_on_legal_hold": {
                "checkins": self.held_checkins, "violations": self.held_violations
            },
            "kept_not_closed": self.unclosed_old_violations,
            "done": self.done,
        }


def _stored_int(store: Store, key: str, default: int, maximum: int) -> int:
    """A positive whole-number setting, or the default when unset."""
    raw = store.settings.get(key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise RetentionError(f"The setting {key} is not a whole number ({raw!r}).") from error
    _check_range(key, value, maximum)
    return value


def _check_range(key: str, value: int, maximum: int) -> None:
    """Refuse zero, negative or absurd periods (a typo must not purge everything)."""
    if not 1 <= value <= maximum:
        raise RetentionError(f"The setting {key} must be between 1 and {maximum}.")


def retention_policy(store: Store) -> RetentionPolicy:
    """The school's retention settings (defaults where none are stored)."""
    return RetentionPolicy(
        checkin_days=_stored_int(store, CHECKIN_DAYS_KEY, DEFAULT_CHECKIN_DAYS, MAX_CHECKIN_DAYS),
        violation_years=_stored_int(
            store, VIOLATION_YEARS_KEY, DEFAULT_VIOLATION_YEARS, MAX_VIOLATION_YEARS
        ),
    )


def set_retention(
    store: Store, *, now: datetime, checkin_days: int | None = None,
    violation_years: int | None = None, actor: str = "cli", kiosk_id: str = "admin",
) -> RetentionPolicy:
    """Change one or both periods (audited); return the policy now in force."""
    changes: dict[str, int] = {}
    if checkin_days is not None:
        _check_range(CHECKIN_DAYS_KEY, checkin_days, MAX_CHECKIN_DAYS)
        changes[CHECKIN_DAYS_KEY] = checkin_days
    if violation_years is not None:
        _check_range(VIOLATION_YEARS_KEY, violation_years, MAX_VIOLATION_YEARS)
        changes[VIOLATION_YEARS_KEY] = violation_years
    with store.immediate():
        for key, value in changes.items():
            store.settings.set(key, str(value))
        if changes:
            audit.append(
                store, kiosk_id=kiosk_id, at=now, actor=actor, action="retention.changed",
                subject=Subject.of("settings"), detail=changes,
            )
        return retention_policy(store)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def plan_purge(store: Store, *, now: datetime) -> PurgePlan:
    """Work out what the retention settings say should go as of `now` (reads only).

    A check-in goes once more than `checkin_days` days have passed since its event's date;
    a violation once more than `violation_years` years have passed since it was closed.
    """
    policy = retention_policy(store)
    today = now.date()
    plan = PurgePlan(
        today=today,
        policy=policy,
        checkin_cutoff=today - timedelta(days=policy.checkin_days),
        violation_cutoff=years_before(today, policy.violation_years),
    )
    checkin_cutoff = plan.checkin_cutoff.isoformat()
    violation_cutoff = plan.violation_cutoff.isoformat()
    plan.checkins = store.privacy.checkins_of_events_before(checkin_cutoff, held=False)
    plan.held_checkins = len(store.privacy.checkins_of_events_before(checkin_cutoff, held=True))
    plan.violations = store.privacy.violations_closed_before(violation_cutoff, held=False)
    plan.held_violations = len(store.privacy.violations_closed_before(violation_cutoff, held=True))
    plan.unclosed_old_violations = [
        r["id"] for r in store.privacy.unclosed_violations_before(violation_cutoff)
    ]
    subjects = [f"checkin:{r['id']}" for r in plan.checkins]
    subjects += [f"violation:{r['id']}" for r in plan.violations]
    plan.audit_personal = sorted(
        set(store.privacy.audit_personal_of_subjects(subjects))
        | set(store.privacy.audit_personal_of_checkins_before(checkin_cutoff))
    )
    return plan


def purge(
    store: Store, *, now: datetime, dry_run: bool = False, actor: str = "cli",
    kiosk_id: str = "admin",
) -> PurgePlan:
    """Delete what `plan_purge` lists, in one transaction, and audit it (counts and ids).

    With `dry_run` nothing changes and nothing is audited. Deleted content is overwritten
    (secure_delete), the file rebuilt (VACUUM) and the write-ahead log emptied where no
    other kiosk is reading, so purged text does not linger in free pages.
    """
    if dry_run:
        return plan_purge(store, now=now)
    was_secure = store.privacy.set_secure_delete(True)
    try:
        with store.immediate():
            plan = plan_purge(store, now=now)
            store.privacy.delete_audit_personal(plan.audit_personal)
            store.privacy.delete_closed_violations([r["id"] for r in plan.violations])
            store.privacy.delete_checkins([r["id"] for r in plan.checkins])
            detail: PurgeDetail = {
                **plan.counts(),
                "checkin_days": plan.policy.checkin_days,
                "violation_years": plan.policy.violation_years,
                "violation_ids": [r["id"] for r in plan.violations],
                "checkin_events": sorted({r["event_id"] for r in plan.checkins}),
                "kept_on_legal_hold": plan.held_checkins + plan.held_violations,
                "personal_entries": sorted(plan.audit_personal),
                "checkin_ids": [r["id"] for r in plan.checkins],
            }
            audit.append(
                store, kiosk_id=kiosk_id, at=now, actor=actor, action="retention.purged",
                subject=Subject.of("retention"), detail=detail,
            )
        plan.done = True
        store.privacy.compact()
        store.privacy.checkpoint_truncate()
    finally:
        store.privacy.set_secure_delete(was_secure)
    return plan


def set_legal_hold(
    store: Store, family_id: str, held: bool, *, now: datetime, actor: str = "cli",
    kiosk_id: str = "admin",
) -> None:
    """Put a family on legal hold (kept from purge and erasure) or release it; audited."""
    with store.immediate():
        get_family(store, family_id)
        store.privacy.set_legal_hold(family_id, held, now.isoformat())
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor,
            action="family.hold_set" if held else "family.hold_released",
            subject=seals.family_subject(store, family_id),
        )
