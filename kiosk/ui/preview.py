"""The live camera preview: half-block pictures made off the UI thread, shown as they come.

The scanning thread renders each preview at this widget's size (`preview_size`) and
posts it; the widget only swaps the picture in. Frames are never kept beyond the latest.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

OFF_TEXT = "No camera picture\n\nUse the handheld scanner\nor type the code below."


class CameraPreview(Widget):
    """The latest camera picture, or a plain note when there is none."""

    live: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._picture: RenderableType | None = None
        self._cells = (0, 0)

    @property
    def preview_size(self) -> tuple[int, int]:
        """Cells available (columns, rows); read from the scanning thread, set on resize."""
        return self._cells

    def on_resize(self) -> None:
        """Remember the size for the scanning thread (a plain tuple: safe to read there)."""
        self._cells = (self.content_size.width, self.content_size.height)

    def show_picture(self, picture: RenderableType) -> None:
        """Show a new preview picture."""
        self._picture = picture
        self.live = True
        self.refresh()

    def show_off(self) -> None:
        """No camera picture: drop the last one so nothing stale stays on screen."""
        self._picture = None
        self.live = False
        self.refresh()

    def watch_live(self, live: bool) -> None:
        """Style the placeholder differently from a picture."""
        self.set_class(not live, "-off")

    def render(self) -> RenderableType:
        """The picture, or the note."""
        if self._picture is not None:
            return self._picture
        return Text(OFF_TEXT, justify="center")
