"""Which camera a kiosk opens: what `open_source` knows, plus 'demo' (made-up passes).

The production scanner package knows nothing of the demo; the launcher (and any command
that offers `--camera demo`) asks here instead. Imports no textual.
"""

from __future__ import annotations

from kiosk.scanner.sources import DEFAULT_RESOLUTION, FrameSource, open_source

DEMO_CAMERA = "demo"
MADE_UP_PASSES = 3
PRESENT_EVERY_S = 3.0


def open_camera(spec: str, resolution: tuple[int, int] = DEFAULT_RESOLUTION, *,
                realtime: bool = True, fps: float | None = None) -> FrameSource:
    """A camera, file or image source from what the user typed; 'demo' shows made-up passes.

    A video or folder standing in for a camera plays in real time unless `realtime` is
    off. Does not open it (the scan service does, and retries live ones).
    """
    if spec.strip().lower() == DEMO_CAMERA:  # made-up passes shown every few seconds
        from kiosk.demo.camera import DemoSource
        from kiosk.passes.token import new_token

        return DemoSource([new_token() for _ in range(MADE_UP_PASSES)], size=resolution,
                          auto_present_s=PRESENT_EVERY_S)
    return open_source(spec, resolution, realtime=realtime, fps=fps)
