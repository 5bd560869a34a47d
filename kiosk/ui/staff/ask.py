"""A small dialog asking for one line of text (a reason, a note, an outcome), maybe a number."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from kiosk.ui.staff.base import StaffModal, plain
from kiosk.ui.staff.desk import StaffDesk


@dataclass(frozen=True)
class Answer:
    """What was typed: the text, and the number when one was asked for."""

    text: str
    number: int | None = None


class AskScreen(StaffModal[Answer]):
    """Ask for a line of text (required; it may start filled in); Enter confirms.

    `choices` are the usual answers as buttons: a tap fills the field (a tablet's own
    keyboard is unreliable in the page), and the text can still be typed or changed.
    """

    AUTO_FOCUS = "#ask-number, #ask-text"
    TOUCH_CLOSE = False  # it has its own Cancel button

    def __init__(self, mode: StaffDesk, title: str, prompt: str, *, confirm: str = "OK",
                 number_prompt: str | None = None,
                 detail: str | RenderableType = "", value: str = "",
                 choices: tuple[str, ...] = ()) -> None:
        super().__init__(mode)
        self.choices = choices
        self.start_text = value  # text already in the field (a likely answer, to confirm by touch)
        self.title_text = title
        self.prompt = prompt
        self.confirm = confirm
        self.number_prompt = number_prompt
        self.detail = detail

    def compose(self) -> ComposeResult:
        """Title, optional detail and number, the text field, buttons."""
        with Vertical(id="ask-dialog"):
            yield Label(plain(self.title_text), id="ask-title")
            if isinstance(self.detail, str):
                if self.detail:
                    yield Static(plain(self.detail, 400), id="ask-detail")
            else:  # already safe: built from safe_text by the caller
                yield Static(self.detail, id="ask-detail")
            if self.number_prompt:
                yield Label(plain(self.number_prompt))
                yield Input(restrict=r"[0-9]*", max_length=2, id="ask-number")
            yield Label(plain(self.prompt))
            yield Input(self.start_text, max_length=500, id="ask-text")
            if self.choices:
                with Horizontal(id="ask-choices"):
                    for number, choice in enumerate(self.choices):
                        button = Button(plain(choice, 40), id=f"ask-choice-{number}",
                                        classes="ask-choice", compact=True)
                        button.can_focus = False
                        yield button
            yield Static("", id="ask-message")
            with Horizontal(id="ask-buttons"):
                yield Button(self.confirm, id="ask-ok", variant="primary")
                yield Button("Cancel", id="ask-cancel")

    @on(Button.Pressed, ".ask-choice")
    def chosen(self, event: Button.Pressed) -> None:
        """A usual answer tapped: it fills the field, to confirm or change."""
        number = int((event.button.id or "").rsplit("-", 1)[-1])
        field = self.query_one("#ask-text", Input)
        field.value = self.choices[number]
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#ask-number")
    def number_done(self) -> None:
        """Enter in the number field moves on to the text."""
        self.query_one("#ask-text", Input).focus()

    @on(Input.Submitted, "#ask-text")
    @on(Button.Pressed, "#ask-ok")
    def done(self) -> None:
        """Dismiss with the answer once the required parts are filled in."""
        text = self.query_one("#ask-text", Input).value.strip()
        number = None
        if self.number_prompt:
            raw = self.query_one("#ask-number", Input).value
            if not raw or int(raw) < 1:
                self.query_one("#ask-message", Static).update("Type how many people (1 or more).")
                self.query_one("#ask-number", Input).focus()
                return
            number = int(raw)
        if not text:
            self.query_one("#ask-message", Static).update("Please fill this in.")
            self.query_one("#ask-text", Input).focus()
            return
        self.dismiss(Answer(text, number))

    @on(Button.Pressed, "#ask-cancel")
    def cancelled(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
