"""A small fictional school for the staff-mode and stage-board tests (fixed data, fixed day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import ClassVar

import pytest
from argon2 import PasswordHasher
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from kiosk import staff as staff_service
from kiosk.events import add_item, create_event
from kiosk.passes.issuing import issue_pass
from kiosk.staff import add_staff
from kiosk.store import Store
from kiosk.ui.context import KioskContext
from kiosk.ui.staff import staff_mode

DAY = date(2026, 12, 10)
PINS = {"Sam Steward": "1111", "Lee Lead": "2222", "Helen Head": "3333", "Ada Admin": "4444"}
ROLES = {"Sam Steward": "steward", "Lee Lead": "lead", "Helen Head": "headteacher",
         "Ada Admin": "admin"}
# (pupil id, first name, surname, class, family, event-recording consent)
PUPILS = (
    ("p1", "Amelia", "Khan", "R", "khan", "granted"),
    ("p2", "Noah", "Khan", "1B", "khan", "granted"),
    ("p3", "Olivia", "Price", "R", "price", "granted"),
    ("p4", "Jack", "Osei", "1B", "osei", "refused"),
    ("p5", "Isla", "Novak", "1B", "novak", None),
    ("p6", "Leo", "Grant", "2W", "grant", "granted"),
)
ITEMS = (("Welcome", ()), ("Away in a Manger", ("R",)), ("Shepherds' Song", ("1B",)),
         ("Finale", ("R", "1B", "2W")))


@dataclass
class School:
    """Ids a test needs: staff by name, item ids in order, a live pass per family."""

    staff: dict[str, int] = field(default_factory=dict)
    items: list[int] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)


def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters so tests stay fast (the parameters live in each hash)."""
    monkeypatch.setattr(staff_service, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def build_school(store: Store, now: datetime) -> School:
    """Families, pupils, consents, the nativity with four items, four staff, passes."""
    school = School()
    stamp = "2026-09-01T09:00:00+00:00"
    for family in dict.fromkeys(row[4] for row in PUPILS):
        store.families.upsert_family({"id": family, "display_name": f"{family.title()} family",
                             "created_at": stamp, "updated_at": stamp})
    for pid, first, surname, cls, family, consent in PUPILS:
        store.families.upsert_pupil({"id": pid, "family_id": family, "first_name": first,
                            "surname": surname, "class_name": cls, "year_group": cls[0],
                            "updated_at": stamp})
        if consent:
            store.families.upsert_consent({"pupil_id": pid, "category": "event_recording",
                                  "value": consent, "given_by": "school record",
                                  "recorded_at": stamp})
    create_event(store, "nativity", "Infant Nativity", DAY, now=now, curtain="18:00")
    for title, classes in ITEMS:
        school.items.append(add_item(store, "nativity", title, now=now, classes=classes))
    for name, pin in PINS.items():
        school.staff[name] = add_staff(store, name, ROLES[name], pin, now=now)
    for family in dict.fromkeys(row[4] for row in PUPILS):
        school.tokens[family] = issue_pass(store, family, now=now).token
    return school


class MutableClock:
    """A clock tests move by hand: idle locks and back-offs without sleeping."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.moment += timedelta(seconds=seconds)


async def sign_in(pilot: Pilot, name: str, pin: str | None = None, *,
                  type_pin: bool = False) -> None:
    """Open the PIN screen with F2, pick `name`, enter the PIN, and wait for the check.

    The PIN is typed key by key when `type_pin`; otherwise it is put in the field and
    only Enter is pressed (Pilot spends ~60 ms per key, so long tests stay quick).
    """
    app = pilot.app
    if type(app.screen).__name__ != "PinScreen":
        await pilot.press("f2")
        await pilot.pause()
    names = app.screen.query_one("#pin-names", OptionList)
    names.highlighted = next(i for i in range(names.option_count)
                             if names.get_option_at_index(i).id == name)
    field = app.screen.query_one("#pin-input", Input)
    field.focus()
    pin = pin if pin is not None else PINS[name]
    if type_pin:
        await pilot.press(*pin)
    else:
        field.value = pin
    await pilot.press("enter")
    await settle(pilot)


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let thread workers finish and their results be drawn (a result may start a load)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def fill(pilot: Pilot, selector: str, text: str, *, submit: bool = False) -> None:
    """Put text in a field (as a paste would) and optionally press Enter in it."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()
    if submit:
        await pilot.press("enter")


class StaffHost(App[None]):
    """A bare host for staff mode (a blank door) so snapshots depend on staff screens only."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("f2", "staff", "Staff")]
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, store: Store, clock: MutableClock, *, event_id: str = "nativity",
                 idle_lock: float = 120.0) -> None:
        super().__init__()
        self.staff_mode = staff_mode(self, KioskContext(store, event_id, "door-1", clock,
                                                        idle_lock=idle_lock))

    def compose(self) -> ComposeResult:
        yield Static("Door screen (test host)", id="door")

    def action_staff(self) -> None:
        self.staff_mode.unlock()


def quiet_inputs(app: App) -> None:
    """Stop cursor blinking and clear toasts so a snapshot is the same every run."""
    for box in app.screen.query(Input):
        box.cursor_blink = False
    app.clear_notifications()
