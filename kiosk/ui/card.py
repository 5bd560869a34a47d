"""The big result card: one family's answer in colour, words and symbols (never colour alone).

Everything shown comes from a core `Decision` (and its family view); text from the
database goes through `safe_text` into Rich `Text`, never into markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from kiosk.checkin import Decision
from kiosk.doorview import FamilyView
from kiosk.safetext import safe_text
from kiosk.ui.bigtext import render_big

STATES = ("ready", "green", "amber", "yellow", "red", "problem")
SYMBOLS = {"green": "✔", "amber": "!", "yellow": "↺", "red": "✘", "problem": "!"}
BIG_WORDS = {"green": "WELCOME", "amber": "WELCOME", "yellow": "CHECKED IN",
             "red": "SEE STAFF", "problem": "SEE STAFF"}


class Headline(Widget):
    """A word in block letters as large as fits (plain bold text when nothing fits)."""

    word: reactive[str] = reactive("")

    def render(self) -> Text:
        """Draw the word centred, at the largest scale the widget allows."""
        size = self.content_size
        rows, scale = render_big(self.word, size.width, size.height, max_scale=3)
        top = max(0, (size.height - len(rows)) // 2)
        body = Text("\n" * top + "\n".join(row.center(size.width) for row in rows),
                    no_wrap=True, overflow="crop", justify="left")
        if not scale:
            body.stylize("bold")
        return body


def view_text(view: FamilyView) -> Text:
    """Restrictions first, then each performing child (first name, class) and their items."""
    text = Text()
    for notice in view.notices:
        text.append("! ", style="bold")
        text.append(safe_text(notice), style="bold")
        text.append("\n")
    if view.notices and view.children:
        text.append("\n")
    for index, child in enumerate(view.children):
        if index:
            text.append("\n")
        text.append(safe_text(child.name), style="bold")
        text.append(f" · Class {safe_text(child.class_name)}\n")
        for item in child.items:
            text.append("  ✔ " if item.filming_allowed else "  ✘ ", style="bold")
            text.append(safe_text(item.title))
            text.append(" — ")
            text.append(item.status_text, style="bold" if not item.filming_allowed else "")
            text.append("\n")
    text.rstrip()
    return text


class ResultCard(Vertical):
    """Ready prompt or one decision: big word, symbol and title, message, family view."""

    state: reactive[str] = reactive("ready", init=False)

    def compose(self) -> ComposeResult:
        """Headline, title, message and a scrollable body for large families."""
        yield Headline(id="card-big")
        yield Static(id="card-title")
        yield Static(id="card-message")
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card-body")
        yield Static(id="card-footer")

    def on_mount(self) -> None:
        """Start ready."""
        self.show_ready()

    def watch_state(self, state: str) -> None:
        """Swap the colour class (CSS gives each state its colours)."""
        for name in STATES:
            self.set_class(name == state, f"-{name}")

    def _fill(self, state: str, title: Text, message: Text, body: Text, footer: Text) -> None:
        self.state = state
        self.set_class(state == "ready", "-ready")
        self.query_one("#card-big", Headline).word = BIG_WORDS.get(state, "")
        self.query_one("#card-title", Static).update(title)
        self.query_one("#card-message", Static).update(message)
        self.query_one("#card-body", Static).update(body)
        self.query_one("#card-footer", Static).update(footer)
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)

    def show_ready(self, hint: str = "", *, camera: bool = True) -> None:
        """The waiting state: what to do, in plain words (and the demo key, in the demo)."""
        if camera:
            title = "Hold your pass up to the camera"
            how = "Paper or phone screen both work. Hold it still for a moment."
        else:
            title = "Please scan your pass"
            how = "Hold it under the handheld scanner, or show it to a member of staff."
        self._fill("ready", Text(title, style="bold"), Text(how),
                   Text("No pass? Please see a member of staff."), Text(hint))

    def show_decision(self, decision: Decision) -> None:
        """One family's answer: colour, symbol, words, then their children and items."""
        title = Text(f"{SYMBOLS[decision.colour]}  {decision.title.upper()}", style="bold")
        body = view_text(decision.view) if decision.view is not None else Text()
        footer = Text(f"Pass {safe_text(decision.pass_ref)}" if decision.pass_ref else "")
        self._fill(decision.colour, title, Text(safe_text(decision.message)), body, footer)

    def show_problem(self, message: str) -> None:
        """The kiosk itself could not decide (database trouble): send the family to staff."""
        self._fill("problem", Text("!  PLEASE SEE A MEMBER OF STAFF", style="bold"),
                   Text("We could not check your pass just now."),
                   Text(f"For staff: {safe_text(message)}"), Text(""))
