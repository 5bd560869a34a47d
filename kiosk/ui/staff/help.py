"""The help screen (? or F1): every staff key, and who may use it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from kiosk.ui.staff.base import StaffModal

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Everywhere in staff mode", (
        ("ctrl+l, F12, Lock", "lock now: back to the door screen"),
        ("v / F2", "log a violation"),
        ("d / F3", "event dashboard"),
        ("c / F4", "check-ins"),
        ("i / F5", "headteacher inbox (headteacher and admin)"),
        ("? / F1", "this help"),
        ("ctrl+p", "command palette: staff actions, Close the kiosk (lead+)"),
    )),
    ("Dashboard", (
        ("n / b", "now on stage: next / previous item (lead+)"),
        ("r", "show / hide names of children not to film (lead+)"),
    )),
    ("Check-ins", (
        ("/", "find a family by surname, child's name or pass ref"),
        ("m, Enter on a family", "check in without a pass (reason needed)"),
        ("u", "undo the highlighted check-in (lead+, reason)"),
    )),
    ("Log a violation", (
        ("1-5", "what happened"),
        ("k", "pick the children involved from the item on stage (lead+)"),
        ("Tab", "next field (action, pass, description, children, notes)"),
        ("ctrl+s", "save: the headteacher sees it at once"),
        ("esc", "leave without saving"),
    )),
    ("Inbox", (
        ("Enter", "open a violation"),
        ("s", "show closed violations too"),
        ("a / n / x", "acknowledge / add a note / close with an outcome"),
    )),
    ("Night tasks (open them from ctrl+p; every action has a button)", (
        ("Consent change", "withdraw (w) or grant (g) a child's photo permission (lead+)"),
        ("Lost pass", "cancel the pass (x), check the family in by hand (m) (lead+)"),
        ("Reset a staff PIN", "the new PIN twice on the keypad, ctrl+s resets (admin)"),
    )),
)


def help_text() -> str:
    """The keys as aligned plain lines."""
    lines = []
    for section, keys in KEYS:
        lines.append(section)
        lines += [f"  {key:<22} {what}" for key, what in keys]
    lines.append("Staff mode locks itself after a while with no key or tap.")
    return "\n".join(lines)


class HelpScreen(StaffModal[None]):
    """Keys for staff mode; esc closes."""

    NAME = "help"

    def compose(self) -> ComposeResult:
        """Title and the key list."""
        with VerticalScroll(id="help-dialog"):
            yield Label("Staff mode keys (esc closes)", id="help-title")
            yield Static(help_text(), id="help-keys", markup=False)
