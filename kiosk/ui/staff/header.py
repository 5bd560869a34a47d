"""The top of every staff screen, for touch: staff bar, nav bar, and the screen's own keys.

A tablet has only taps: the staff bar has Lock, the nav bar a button per screen staff go
to (and "More…" for every staff command), and the keys bar a button for each key the
screen itself offers (n next item, u undo, a acknowledge, p print ...).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from kiosk.safetext import safe_text
from kiosk.staff import Role
from kiosk.ui.staff.desk import StaffDesk


class StaffBar(Horizontal):
    """Top line of staff screens: where you are, who is signed in, and a Lock button."""

    def __init__(self, mode: StaffDesk, where: str) -> None:
        super().__init__(classes="staff-bar")
        self.mode = mode
        self.where = where

    def compose(self) -> ComposeResult:
        """Title, signed-in member, the lock button (for touch)."""
        session = self.mode.session
        who = f"{session.name} ({session.role})" if session else "locked"
        yield Static(Text(safe_text(f"STAFF · {self.where} · {self.mode.event_name}")),
                     classes="staff-where")
        yield Static("", classes="staff-notice")
        yield Static(Text(safe_text(who)), classes="staff-who")
        yield touch_button("Lock", "lock-button", variant="error")

    def on_mount(self) -> None:
        """Show the mode's notice now and as it changes (the mode reads it each second)."""
        self.show_notice()
        self.set_interval(1.0, self.show_notice, name="staff-bar-notice")

    def show_notice(self) -> None:
        """The newest door-change notice, quietly, or nothing at all."""
        notice = self.query_one(".staff-notice", Static)
        text = self.mode.notice
        notice.update(Text(safe_text(f"! {text}", 70)) if text else "")
        notice.display = bool(text)


# Buttons of the touch nav bar: (label, staff screen), Inbox for a headteacher and above;
# "More…" opens every staff command as a button (kiosk.ui.staff.actions).
NAV_BUTTONS = (("Dashboard", "dashboard"), ("Check-ins", "checkins"), ("Inbox", "inbox"),
               ("Log violation", "violation"), ("More…", "actions"))


def touch_button(label: str, button_id: str, *, variant: ButtonVariant = "default") -> Button:
    """A compact button for the touchscreen that never takes keyboard focus (keys do that)."""
    button = Button(label, id=button_id, variant=variant, compact=True)
    button.can_focus = False
    return button


class StaffNav(Horizontal):
    """Second line of staff screens: a button for every screen staff go to, for touch."""

    def __init__(self, mode: StaffDesk, here: str) -> None:
        super().__init__(classes="staff-nav")
        self.mode = mode
        self.here = here

    def compose(self) -> ComposeResult:
        """Dashboard, Check-ins, Inbox (headteacher and above), Log violation, More…."""
        session = self.mode.session
        for label, name in NAV_BUTTONS:
            if name == "inbox" and not (session and session.can(Role.HEADTEACHER)):
                continue
            yield touch_button(label, f"nav-{name}",
                               variant="primary" if name == self.here else "default")


class ScreenKeys(Horizontal):
    """Third line of a staff screen: a button for each of the screen's own keys (touch).

    Built from the keys the screen's own class shows in its footer (not the keys every
    staff screen has), except those it has a button for already (id = the action's name);
    hidden or dimmed as the screen's check_action says.
    """

    def __init__(self) -> None:
        super().__init__(classes="staff-keys")
        self.actions: dict[str, str] = {}  # button id -> action

    def on_mount(self) -> None:
        """One button per key, then keep them in step with what the screen allows."""
        screen = self.screen
        for binding in type(screen).__dict__.get("BINDINGS", ()):
            if not (isinstance(binding, Binding) and binding.show and binding.description):
                continue
            name = binding.action.replace("_", "-")
            if screen.query(f"#{name}") or f"key-{name}" in self.actions:
                continue
            self.actions[f"key-{name}"] = binding.action
            self.mount(touch_button(binding.description, f"key-{name}"))
        self.display = bool(self.actions)
        screen.bindings_updated_signal.subscribe(self, lambda _screen: self.follow())
        self.follow()

    def on_unmount(self) -> None:
        """Stop following the screen's bindings."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def follow(self) -> None:
        """Hide the buttons of actions the screen hides; dim those it disables."""
        screen = self.screen
        for button in self.query(Button):
            allowed = screen.check_action(self.actions[button.id or ""], ())
            button.display = allowed is not False
            button.disabled = allowed is None

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        """Run the key's action on the screen, as the key would."""
        event.stop()
        await self.screen.run_action(self.actions[event.button.id or ""])


class StaffHeader(Vertical):
    """The staff bar, the nav bar and the screen's keys; buttons go where keys go."""

    def __init__(self, mode: StaffDesk, where: str, here: str) -> None:
        super().__init__(classes="staff-header")
        self.mode = mode
        self.where = where
        self.here = here
        self.set_class(mode.context.tablet, "-tablet")

    def compose(self) -> ComposeResult:
        """Staff bar above the nav bar above the screen's keys."""
        yield StaffBar(self.mode, self.where)
        yield StaffNav(self.mode, self.here)
        yield ScreenKeys()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Lock locks at once; a nav button opens its screen."""
        button_id = event.button.id or ""
        event.stop()
        if button_id == "lock-button":
            self.mode.lock("lock_key")
        elif button_id.startswith("nav-"):
            self.mode.show(button_id.removeprefix("nav-"))
