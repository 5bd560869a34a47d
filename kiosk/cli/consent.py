"""`kiosk consent ...`: record a guardian's answer given outside the MIS, at once."""

from __future__ import annotations

from datetime import datetime

import click

from kiosk.cli.base import acting_staff, read_clock, store_option
from kiosk.consent import CATEGORIES, EVENT_RECORDING, Value
from kiosk.events import filmable
from kiosk.roster.answers import record_answer, withdraw_consent
from kiosk.staff import Role, StaffSession
from kiosk.store import Store

_CATEGORY = click.option(
    "--category", type=click.Choice(CATEGORIES), default=EVENT_RECORDING, show_default=True,
    help="Which use of photos and recordings the answer is about.",
)
_BY = click.option("--by", "given_by", required=True,
                   help="Who gave the answer: the guardian's name, or 'office'.")


@click.group()
def consent() -> None:
    """Record a guardian's consent answer now (a form, a call): withdrawals apply at once."""


@consent.command("withdraw")
@click.argument("pupil_id")
@_CATEGORY
@_BY
@store_option
@acting_staff(Role.LEAD)
def consent_withdraw(store: Store, member: StaffSession, pupil_id: str, category: str,
                     given_by: str) -> None:
    """Withdraw PUPIL_ID's consent at once, even mid-event (kiosks and boards follow)."""
    now = read_clock()
    withdraw_consent(store, pupil_id, category, given_by=given_by, now=now,
                     staff_id=member.staff_id)
    _say_effect(store, pupil_id, category, now)


@consent.command("record")
@click.argument("pupil_id")
@click.argument("value", type=click.Choice([v.value for v in Value]))
@_CATEGORY
@_BY
@click.option("--valid-until", type=click.DateTime(["%Y-%m-%d"]),
              help="Last day the answer holds, YYYY-MM-DD.")
@store_option
@acting_staff(Role.LEAD)
def consent_record(store: Store, member: StaffSession, pupil_id: str, value: str,
                   category: str, given_by: str, valid_until: datetime | None) -> None:
    """Record one guardian's answer (granted, refused, not_returned) for PUPIL_ID."""
    now = read_clock()
    record_answer(store, pupil_id, category, value, given_by=given_by, now=now,
                  valid_until=valid_until.date() if valid_until else None,
                  staff_id=member.staff_id)
    _say_effect(store, pupil_id, category, now)


def _say_effect(store: Store, pupil_id: str, category: str, now: datetime) -> None:
    """Say plainly what the answer means now (event recording is judged by the rules)."""
    if category != EVENT_RECORDING:
        click.echo(f"Recorded the {category.replace('_', ' ')} answer for pupil {pupil_id}.")
        return
    allowed = filmable(store, [pupil_id], now.date())[pupil_id]
    click.echo(f"Pupil {pupil_id} {'may' if allowed else 'may not'} be filmed at events"
               " from now on.")
