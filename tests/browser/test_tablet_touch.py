"""Staff mode by touch alone, in a real headless Chromium at a tablet's 1024x768.

Every step is a finger's tap at the centre of a terminal cell holding a widget's label
(Chromium makes the mouse events of a tap, which xterm.js passes to the app as on a tablet):
the labels are found in xterm.js's own screen buffer (its cells, read in the page), and a
cell's place on the page comes from the terminal's size in cells and pixels. No key is
sent to the page, so the door's Staff button, the PIN screen's letter keys and keypad,
More…, and Lock are proven to work through textual-serve by taps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.support.ui import WebDriverWait

from support.tablet import running_hub

pytestmark = pytest.mark.slow

# The textual-serve client keeps its xterm.js Terminal as `this.terminal` and does not
# share it: a setter on Object.prototype, installed before the page's scripts run, sees
# that one assignment, puts the terminal on the window for the test and removes itself.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {configurable: true, set(value) {
  delete Object.prototype.terminal;
  this.terminal = value;
  window.kioskTerminal = value;
}});
"""
# One character per cell (the first of each cell's text; a space for an empty cell), so a
# string index is a column; and where the terminal's cell grid sits on the page.
READ_SCREEN = """
const term = window.kioskTerminal;
if (!term || !term.element) return null;
const buffer = term.buffer.active, lines = [];
for (let y = 0; y < term.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  let text = "";
  for (let x = 0; x < term.cols; x++) {
    const cell = line && line.getCell(x);
    const chars = cell ? cell.getChars() : "";
    text += chars ? Array.from(chars)[0] : " ";
  }
  lines.push(text);
}
const box = term.element.querySelector(".xterm-screen").getBoundingClientRect();
return {lines: lines, cols: term.cols, rows: term.rows,
        left: box.left, top: box.top, width: box.width, height: box.height};
"""


def boxes(word: str) -> bool:
    """True for a word drawn only of box and block characters (a border, not a label)."""
    return all("\u2500" <= char <= "\u259f" for char in word)


@dataclass(frozen=True)
class Screen:
    """What the terminal in the page shows, cell by cell, and where its cells are."""

    lines: list[str]
    cols: int
    rows: int
    left: float
    top: float
    width: float
    height: float

    @property
    def text(self) -> str:
        """The whole screen as text, a line per row."""
        return "\n".join(self.lines)

    def spots(self, label: str, *, keys: bool = False) -> list[tuple[int, int]]:
        """(row, column) of the label's middle cell wherever it stands as a word.

        The last row (the footer's key hints) is left out: taps go to buttons. With
        `keys`, only rows of keypad keys count: every word there is one or two
        characters, leaving out the box lines of the dialogs drawn across them.
        """
        word = re.compile(rf"(?<![\w…]){re.escape(label)}(?![\w…])")
        found = []
        for row, line in enumerate(self.lines[:-1]):
            if keys and any(len(part) > 2 for part in line.split() if not boxes(part)):
                continue
            found += [(row, match.start() + len(label) // 2) for match in word.finditer(line)]
        return found

    def centre(self, row: int, column: int) -> tuple[int, int]:
        """The page pixel at the centre of one cell."""
        return (round(self.left + (column + 0.5) * self.width / self.cols),
                round(self.top + (row + 0.5) * self.height / self.rows))


def screen(driver: Any) -> Screen | None:
    """The terminal's screen now (None until the page's terminal exists)."""
    found = driver.execute_script(READ_SCREEN)
    return Screen(**found) if found else None


def wait_screen(driver: Any, condition: Callable[[Screen], bool], why: str,
                timeout: float = 45) -> Screen:
    """Read the screen until `condition` holds for it; fail showing the screen if it never does."""
    seen: list[Screen] = []

    def holds(_driver: Any) -> Screen | None:
        now = screen(driver)
        if now is None:
            return None
        seen[:] = [now]
        return now if condition(now) else None

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(holds)
    except Exception as error:
        shown = seen[0].text if seen else "(no terminal)"
        raise AssertionError(f"the page never showed {why}; it shows:\n{shown}") from error


def tap(driver: Any, label: str, *, keys: bool = False) -> None:
    """Tap (a finger, not a mouse) the centre of the one place where `label` stands."""
    now = wait_screen(driver, lambda s: len(s.spots(label, keys=keys)) == 1,
                      f"{label!r} exactly once")
    x, y = now.centre(*now.spots(label, keys=keys)[0])
    actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    actions.pointer_action.move_to_location(x, y).click()
    actions.perform()


def field_shows(text: str) -> Callable[[Screen], bool]:
    """An input field (a tall box: ▊ edge, the text, ▎ edge) holding exactly `text`."""
    inside = re.compile(rf"▊\s+{re.escape(text)}\s+▎")
    return lambda s: any(inside.search(line) for line in s.lines)


def test_staff_sign_in_open_roll_call_and_lock_by_taps_alone(
        demo_db: Path, browsers: Any) -> None:
    with running_hub(demo_db, ["--demo", "--door", "Touch door"]) as hub:
        door = browsers(size=(1024, 768))
        door.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                             {"source": CATCH_TERMINAL})
        door.get(hub.links["Touch door"])
        at_door = wait_screen(door, lambda s: "Hold your pass up" in s.text, "the door")
        assert (at_door.cols, at_door.rows) == (77, 34)  # the tablet size measured before
        tap(door, "Staff")
        wait_screen(door, lambda s: "Staff sign-in" in s.text and bool(s.spots("A", keys=True)),
                    "the PIN screen's letter keys")
        typed = ""
        for letter in "ADA":
            tap(door, letter, keys=True)
            typed += letter
            wait_screen(door, lambda s, t=typed: field_shows(t)(s) and "Ada Admin" in s.text,
                        f"{typed} typed and Ada Admin offered")
        tap(door, "Ada Admin")
        wait_screen(door, lambda s: field_shows("Ada Admin")(s)
                    and bool(s.spots("OK", keys=True)), "the PIN keypad")
        for count in range(1, 7):
            tap(door, "4", keys=True)
            wait_screen(door, lambda s, n=count: "•" * n in s.text and "•" * (n + 1) not in s.text,
                        f"{count} PIN digits")
        tap(door, "OK", keys=True)
        wait_screen(door, lambda s: "STAFF · Dashboard" in s.text, "the dashboard")
        tap(door, "More…")
        wait_screen(door, lambda s: "Staff actions" in s.text, "the staff actions")
        tap(door, "Roll call")
        wait_screen(door, lambda s: "STAFF · Roll call" in s.text and "In the hall at" in s.text,
                    "the roll call")
        tap(door, "Lock")
        back = wait_screen(door, lambda s: "Hold your pass up" in s.text, "the door again")
        assert "STAFF" not in back.text
