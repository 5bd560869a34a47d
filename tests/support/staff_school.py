"""A small fictional school for the staff-mode and stage-board tests (fixed data, fixed day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kiosk.store import Store
from kiosk.ui.context import KioskContext
from kiosk.ui.staff import staff_mode
from support.school import (
    DAY,
    Item,
    MutableClock,
    Pupil,
    add_event,
    add_roster,
    add_staff_members,
    families_of,
    issue_passes,
    quick_hashes,
)

__all__ = ["DAY", "PINS", "PUPILS", "MutableClock", "School", "StaffHost", "build_school",
           "fill", "quick_hashes", "quiet_inputs", "sign_in"]

PINS = {"Sam Steward": "111111", "Lee Lead": "222222", "Helen Head": "333333",
        "Ada Admin": "444444"}
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


def build_school(store: Store, now: datetime) -> School:
    """Families, pupils, consents, the nativity with four items, four staff, passes."""
    pupils = [Pupil(pid, family, first, surname, cls, consent)
              for pid, first, surname, cls, family, consent in PUPILS]
    families = families_of(pupils, {p.family: f"{p.family.title()} family" for p in pupils})
    add_roster(store, families, pupils, stamp="2026-09-01T09:00:00+00:00")
    items = add_event(store, "nativity", "Infant Nativity", DAY, now=now, curtain="18:00",
                      items=[Item(title, classes) for title, classes in ITEMS])
    staff = add_staff_members(store, [(name, ROLES[name], pin) for name, pin in PINS.items()],
                              now=now)
    passes = issue_passes(store, [f.id for f in families], now=now)
    return School(staff, items, {family: token for family, (token, _) in passes.items()})


async def sign_in(pilot: Pilot, name: str, pin: str | None = None, *,
                  type_pin: bool = False) -> None:
    """Open the PIN screen with F2, type `name`, enter the PIN, and wait for the check.

    The PIN is typed key by key when `type_pin`; otherwise it is put in the field and
    only Enter is pressed (Pilot spends ~60 ms per key, so long tests stay quick).
    """
    app = pilot.app
    if type(app.screen).__name__ != "PinScreen":
        await pilot.press("f2")
        await pilot.pause()
    await settle(pilot)  # the names are read in a worker
    app.screen.query_one("#pin-name", Input).value = name
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
