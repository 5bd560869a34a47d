"""The big result card: one family's answer in colour, words and symbols (never colour alone).

Everything shown comes from a core `Decision` (and its family view); text from the
database goes through `safe_text` into Rich `Text`, never into markup.
"""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from kiosk.checkin.doorview import (
    NOTHING_FILMABLE_MESSAGE,
    FamilyView,
    RunningItem,
    names_text,
)
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


TITLE_MIN = 30  # narrower than this beside the status, the status goes under the title
TITLE_MAX = 60  # wider than this, the status would sit too far from its title to read


def item_text(item: RunningItem) -> Text:
    """An item's time (if set), title and which of the family's children are in it."""
    text = Text()
    if item.starts_at:
        text.append(f"{safe_text(item.starts_at, 5)}  ")
    text.append(safe_text(item.title))
    text.append(" · ")
    text.append(names_text(item.children), style="bold")
    return text


class ItemRow:
    """One of the family's items, laid out for the width it is drawn at.

    Wide enough, it is one row: symbol, title and children, filming status. On a narrow
    card the status goes under the title instead, so a long title wraps across the card,
    never into a column one word wide. Every row of a card gets the same `status_width`,
    so the rows line up and all choose the same layout.
    """

    def __init__(self, item: RunningItem, status_width: int) -> None:
        self.item = item
        self.status_width = status_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """A one-row grid: symbol, then title and status side by side or one over the other."""
        item = self.item
        wide = options.max_width - self.status_width - 5 >= TITLE_MIN
        grid = Table.grid(padding=(0, 2), expand=True)
        if wide:
            grid.width = min(options.max_width, TITLE_MAX + self.status_width + 5)
        grid.add_column(width=1)
        grid.add_column(ratio=1)
        symbol = Text("✔" if item.filming_allowed else "✘", style="bold")
        status = Text(item.status_text, style="" if item.filming_allowed else "bold")
        if wide:
            grid.add_column(width=self.status_width)
            grid.add_row(symbol, item_text(item), status)
        else:
            grid.add_row(symbol, Text("\n").join([item_text(item), status]))
        yield grid


def view_parts(view: FamilyView, *, spaced: bool = True) -> list[RenderableType]:
    """Restrictions first, then one part per item in running order (first names only).

    A page of a big family's list breaks between parts, never inside an item.
    `spaced=False` drops the blank line and the heading (a big family, a small screen).
    """
    parts: list[RenderableType] = [
        Text(f"! {safe_text(notice)}", style="bold") for notice in view.notices]
    if view.running:
        if spaced:
            if parts:
                parts.append(Text(""))
            parts.append(Text("Your family's items, in running order:"))
        width = max(len(item.status_text) for item in view.running)
        parts += [ItemRow(item, width) for item in view.running]
    return parts


def view_renderable(view: FamilyView, *, spaced: bool = True) -> Group:
    """The family view as one renderable (see `view_parts`)."""
    return Group(*view_parts(view, spaced=spaced))


def page_gaps(heights: list[int], page: int) -> list[int]:
    """Blank lines to put before each part so that none shorter than a page straddles two."""
    gaps, y = [], 0
    for height in heights:
        room = page - y % page
        gaps.append(room if y % page and height > room else 0)
        y += gaps[-1] + height
    return gaps


class ResultCard(Vertical):
    """Ready prompt or one decision: big word, symbol and title, message, family view."""

    state: reactive[str] = reactive("ready", init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: FamilyView | None = None  # the family shown, to re-lay it out compactly
        self._pager: Timer | None = None
        self._footer = Text()
        self.pages = 1  # how many pages the family's list takes
        self._page_lines = 1  # the height of one page, in lines

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
        self._footer = footer
        self.pages = 1
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
        """Still too long when compact: turn pages by themselves (no scrollbar to drag).

        Blank lines push an item that would straddle two pages onto the next, so its
        title is never on one page and its filming status on another.
        """
        scroll = self.query_one("#card-scroll", VerticalScroll)
        if scroll.max_scroll_y <= 0 or self._pager is not None or self._view is None:
            return
        parts = view_parts(self._view, spaced=False)
        console = self.app.console
        options = console.options.update_width(scroll.scrollable_content_region.width)
        heights = [len(console.render_lines(part, options, pad=False)) for part in parts]
        self._page_lines = page = max(scroll.scrollable_content_region.height, 1)
        gaps = page_gaps(heights, page)
        lines = sum(heights) + sum(gaps)
        self.pages = -(-lines // page)
        paged: list[RenderableType] = []
        for gap, part in zip(gaps, parts, strict=True):
            paged += [Text("\n" * (gap - 1))] if gap else []
            paged.append(part)
        if self.pages * page > lines:  # the last page is a whole page too
            paged.append(Text("\n" * (self.pages * page - lines - 1)))
        self.query_one("#card-body", Static).update(Group(*paged))
        self._show_page(0)
        self._pager = self.set_interval(PAGE_SECONDS, self.next_page, name="card-pages")

    def _show_page(self, number: int) -> None:
        footer = self._footer.copy()
        footer.append(f"{'  ·  ' if footer else ''}page {number + 1} of {self.pages}")
        self.query_one("#card-footer", Static).update(footer)
        self.query_one("#card-scroll", VerticalScroll).scroll_to(
            y=number * self._page_lines, animate=False)

    @property
    def page(self) -> int:
        """The page of the family's list on show now (0 for the first)."""
        return int(self.query_one("#card-scroll", VerticalScroll).scroll_y) // self._page_lines

    def next_page(self) -> None:
        """Show the next page of the family's list, then the first again."""
        self._show_page((self.page + 1) % self.pages)

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
        """One family's answer: colour, symbol, words, then their items in running order."""
        title = Text(f"{SYMBOLS[decision.colour]}  {decision.title.upper()}", style="bold")
        view = decision.view
        message = decision.message
        if decision.code == "admitted_restricted" and view is not None and view.nothing_filmable:
            # Not "read the note": there is nothing to film, and one sentence says so (the
            # notice naming the items would say it again; each item still says it below).
            message = NOTHING_FILMABLE_MESSAGE
            view = replace(view, notices=())
        self._view = view
        body = view_renderable(view) if view is not None else Text()
        footer = Text(f"Pass {safe_text(decision.pass_ref)}" if decision.pass_ref else "")
        self._fill(decision.colour, title, Text(safe_text(message)), body, footer)

    def show_problem(self, message: str) -> None:
        """The kiosk itself could not decide (database trouble): send the family to staff."""
        self._view = None
        self._fill("problem", Text("!  PLEASE SEE A MEMBER OF STAFF", style="bold"),
                   Text("We could not check your pass just now."),
                   Text(f"For staff: {safe_text(message)}"), Text(""))
