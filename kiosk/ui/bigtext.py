"""Very large block letters for a screen read from the back of a hall.

Textual's Digits shows numbers only, so this draws its own 5x5 pixel font with half-block
characters (two pixel rows per terminal row, so letters keep their shape) and picks the
largest scale at which the words fit the widget, wrapping between words. When even the
smallest scale cannot fit, it shows the words as plain bold text.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

GLYPH_HEIGHT = 5
GLYPH_WIDTH = 5

_FONT_ROWS = {
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ####"),
    "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "I": ("#####", "  #  ", "  #  ", "  #  ", "#####"),
    "J": ("  ###", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
    "0": (" ### ", "#  ##", "# # #", "##  #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"),
    "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", "  #  "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "),
    "9": (" ### ", "#   #", " ####", "    #", " ### "),
    " ": ("     ",) * 5,
    "-": ("     ", "     ", " ### ", "     ", "     "),
    ".": ("     ", "     ", "     ", "     ", "  #  "),
    ",": ("     ", "     ", "     ", "  #  ", " #   "),
    "!": ("  #  ", "  #  ", "  #  ", "     ", "  #  "),
    "?": (" ### ", "#   #", "  ## ", "     ", "  #  "),
    "'": ("  #  ", "  #  ", "     ", "     ", "     "),
    ":": ("     ", "  #  ", "     ", "  #  ", "     "),
    "&": (" ##  ", "#  # ", " ## #", "#  # ", " ## #"),
}
_UNKNOWN = ("#####", "#   #", "#   #", "#   #", "#####")
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def glyph(char: str) -> tuple[str, ...]:
    """The 5 pixel rows of a character ('#' is ink); unknown characters draw a box."""
    return _FONT_ROWS.get(char.upper(), _UNKNOWN)


def wrap_words(words: list[str], per_line: int) -> list[str] | None:
    """Greedy word wrap to `per_line` characters, or None when a word is too long."""
    lines: list[str] = []
    for word in words:
        if len(word) > per_line:
            return None
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def layout(text: str, width: int, height: int, sx: int, sy: int) -> list[str] | None:
    """The wrapped lines of `text` at a scale, or None when they do not fit width x height.

    Newlines in `text` are hard breaks. A pixel is `sx` columns wide and `sy` pixel rows
    tall, drawn two pixel rows to a terminal row; glyphs have a one-pixel gap and lines
    one blank terminal row between them.
    """
    per_line = (width + sx) // ((GLYPH_WIDTH + 1) * sx)
    if per_line < 1:
        return None
    lines: list[str] = []
    for phrase in text.upper().split("\n"):
        wrapped = wrap_words(phrase.split(), per_line)
        if wrapped is None:
            return None
        lines += wrapped
    rows_per_line = -(-GLYPH_HEIGHT * sy // 2)
    needed = len(lines) * rows_per_line + max(0, len(lines) - 1)
    return lines if needed <= height else None


def draw_line(line: str, sx: int, sy: int) -> list[str]:
    """One line of text as terminal rows of half-block characters."""
    pixels: list[list[bool]] = []
    for row in range(GLYPH_HEIGHT):
        bits: list[bool] = []
        for index, char in enumerate(line):
            if index:
                bits += [False] * sx
            for ink in glyph(char)[row]:
                bits += [ink == "#"] * sx
        pixels += [bits] * sy
    if len(pixels) % 2:
        pixels.append([False] * len(pixels[0]))
    return [
        "".join(_HALF_BLOCKS[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(pixels[::2], pixels[1::2], strict=True)
    ]


# Scales to try, biggest glyph first: square pixels (sx, sx) and tall ones (sx, 2*sx).
SCALES = sorted(
    {(sx, sy) for sx in range(1, 9) for sy in (sx, 2 * sx)},
    key=lambda scale: (scale[0] * scale[1], scale[0]), reverse=True,
)


def render_big(text: str, width: int, height: int) -> tuple[list[str], int]:
    """Rows drawing `text` as large as fits in width x height, and the pixel width (0: plain)."""
    for sx, sy in SCALES:
        lines = layout(text, width, height, sx, sy)
        if lines is None:
            continue
        rows: list[str] = []
        for number, line in enumerate(lines):
            if number:
                rows.append("")
            rows += draw_line(line, sx, sy)
        return rows, sx
    return [line.strip() for line in text.split("\n")], 0


class BigText(Widget):
    """Words in block letters, as large as the widget allows, centred both ways."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BigText.text, text)

    def render(self) -> Text:
        """Draw the text at the largest scale that fits the current size."""
        size = self.content_size
        rows, scale = render_big(self.text, size.width, size.height)
        top = max(0, (size.height - len(rows)) // 2)
        centred = [row.center(size.width).rstrip() if scale else row.center(size.width)
                   for row in rows]
        body = Text("\n" * top + "\n".join(centred), no_wrap=scale > 0, overflow="crop")
        if not scale:
            body.stylize("bold")
        return body
