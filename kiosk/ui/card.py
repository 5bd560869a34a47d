"""The big result card: one family's answer in colour, words and symbols (never colour alone).

Everything shown comes from a core `Decision` (and its family view); text from the
database goes through `safe_text` into Rich `Text`, never into markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from kiosk.checkin.doorview import NOTHING_FILMABLE_MESSAGE, FamilyView
from kiosk.checkin.service import Decision
from kiosk.safetext import safe_text
from kiosk.ui.bigtext import BigText

STATES = ("ready", "green", "amber", "yellow", "red", "problem")
SYMBOLS = {"green": "✔", "amber": "!", "yellow": "↺", "red": "✘", "problem": "!"}
PAGE_SECONDS = 3.0  # a big family's list turns a page this often (never a scrollbar)
CAMERA_OFF = ("The camera is off: this browser did not allow it. Scan with the handheld "
              "scanner or type the code.")
CAMERA_OFF_STAFF = ("Staff: allow the camera in the browser's site settings, then reload "
                    "the page. No pass? Please see a member of staff.")
BIG_WORDS = {"green": "WELCOME", "amber": "WELCOME", "yellow": "CHECKED IN",
             "red": "SEE STAFF", "problem": "SEE STAFF"}


def view_renderable(view: FamilyView, *, spaced: bool = True) -> Group:
    """Restrictions first, then each performing child (first name, class) and their items.

    Each child's items are a grid, so a long title or status wraps inside its own column.
    `spaced=False` drops the blank lines between children (a big family, a small screen).
    """
    parts: list[RenderableType] = []
    for notice in view.notices:
        parts.append(Text(f"! {safe_text(notice)}", style="bold"))
    for child in view.children:
        heading = Text()
        heading.append(safe_text(child.name), style="bold")
        heading.append(f" · Class {safe_text(child.class_name)}")
        if spaced or not parts:
            parts.append(Text(""))
        parts.append(heading)
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)  # the title takes what the status leaves
        grid.add_column()
        for item in child.items:
            grid.add_row(
                Text("✔" if item.filming_allowed else "✘", style="bold"),
                Text(safe_text(item.title)),
                Text(item.status_text, style="" if item.filming_allowed else "bold"),
            )
        parts.append(grid)
    if parts and not view.notices and spaced:
        parts.pop(0)  # no blank line above the first child
    return Group(*parts)


class ResultCard(Vertical):
    """Ready prompt or one decision: big word, symbol and title, message, family view."""

    state: reactive[str] = reactive("ready", init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: FamilyView | None = None  # the family shown, to re-lay it out compactly
        self._pager: Timer | None = None

    def compose(self) -> ComposeResult:
        """Big word, title, message and a scrollable body for large families."""
        yield BigText(id="card-big")
        yield Static(id="card-title")
        yield Static(id="card-message")
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card-body")
        yield Static(id="card-footer")

    def on_mount(self) -> None:
        """Start ready."""
        self.show_ready()

    def watch_state(self, state: str) -> None:
        """Swap the colour class (CSS gives each state its colours); restyled by `_fill`."""
        for name in STATES:
            self.set_class(name == state, f"-{name}", update=False)

    def _fill(self, state: str, title: Text, message: Text, body: RenderableType,
              footer: Text) -> None:
        before = set(self.classes)
        self.state = state
        self.set_class(state == "ready", "-ready", update=False)
        self.remove_class("-compact", update=False)
        if set(self.classes) != before:  # one restyle of the card for all its classes
            self.update_node_styles()
        self.query_one("#card-big", BigText).text = BIG_WORDS.get(state, "")
        self.query_one("#card-title", Static).update(title)
        self.query_one("#card-message", Static).update(message)
        self.query_one("#card-body", Static).update(body)
        self.query_one("#card-footer", Static).update(footer)
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
        if self._pager is not None:
            self._pager.stop()
            self._pager = None
        if state != "ready":
            self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """If the family's list does not fit, drop the block letters and tighten spacing."""
        if self.query_one("#card-scroll", VerticalScroll).max_scroll_y > 0:
            self.add_class("-compact")
            if self._view is not None:
                self.query_one("#card-body", Static).update(
                    view_renderable(self._view, spaced=False))
            self.call_after_refresh(self._page_if_needed)

    def _page_if_needed(self) -> None:
        """Still too long when compact: turn pages by themselves (no scrollbar to drag)."""
        if self.query_one("#card-scroll", VerticalScroll).max_scroll_y > 0 and self._pager is None:
            self._pager = self.set_interval(PAGE_SECONDS, self.next_page, name="card-pages")

    def next_page(self) -> None:
        """Show the next page of the family's list, then the first again."""
        scroll = self.query_one("#card-scroll", VerticalScroll)
        if scroll.scroll_y >= scroll.max_scroll_y:
            scroll.scroll_home(animate=False)
        else:
            scroll.scroll_page_down(animate=False)

    def show_ready(self, hint: str = "", *, camera: bool = True) -> None:
        """The waiting state: what to do, in plain words (and the demo key, in the demo)."""
        self._view = None
        if camera:
            title = "Hold your pass up to the camera"
            how = "Paper or phone screen both work. Hold it still for a moment."
        else:
            title = "Please scan your pass"
            how = "Hold it under the handheld scanner, or show it to a member of staff."
        self._fill("ready", Text(title, style="bold"), Text(how),
                   Text("No pass? Please see a member of staff."), Text(hint))

    def show_camera_off(self, hint: str = "") -> None:
        """The waiting state on a tablet whose browser refused the camera: other ways in."""
        self._view = None
        self._fill("ready", Text("Please scan your pass", style="bold"),
                   Text(CAMERA_OFF), Text(CAMERA_OFF_STAFF), Text(hint))

    def show_decision(self, decision: Decision) -> None:
        """One family's answer: colour, symbol, words, then their children and items."""
        title = Text(f"{SYMBOLS[decision.colour]}  {decision.title.upper()}", style="bold")
        self._view = decision.view
        body = view_renderable(decision.view) if decision.view is not None else Text()
        footer = Text(f"Pass {safe_text(decision.pass_ref)}" if decision.pass_ref else "")
        message = decision.message
        if (decision.code == "admitted_restricted" and decision.view is not None
                and decision.view.nothing_filmable):
            message = NOTHING_FILMABLE_MESSAGE  # not "read the note": there is nothing to film
        self._fill(decision.colour, title, Text(safe_text(message)), body, footer)

    def show_problem(self, message: str) -> None:
        """The kiosk itself could not decide (database trouble): send the family to staff."""
        self._view = None
        self._fill("problem", Text("!  PLEASE SEE A MEMBER OF STAFF", style="bold"),
                   Text("We could not check your pass just now."),
                   Text(f"For staff: {safe_text(message)}"), Text(""))
