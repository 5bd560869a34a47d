"""`kiosk scan-image` and `kiosk scan-camera`: read QR codes from files or a camera.

Both print one payload per line (controls shown as '?'); `--format json` adds where the
code is and how long decoding took. Frames stay in memory; nothing is written.
A still image is decoded with every alternative (kiosk/scanner/decode.py); a video with
the camera's schedule. `scan-camera` plays a video or a folder standing in for a camera
in real time (a person can watch the cards) unless `--as-fast-as-possible`.
"""

from __future__ import annotations

import json
import queue
from pathlib import Path
from typing import Any

import click

from kiosk.safetext import safe_text
from kiosk.scanner.results import DecodedCode, ScanEvent, ScannerStatus

SHOWN_LIMIT = 4096
_OUTPUT = click.Choice(("text", "json"))


def _points(corners: Any) -> list[list[float]]:
    return [[round(x, 1), round(y, 1)] for x, y in corners]


def _code_row(path: str, code: DecodedCode, ms: float, frame: int | None) -> dict[str, Any]:
    return {
        "file": path,
        "frame": frame,
        "text": code.text,
        "looks_like_pass": code.looks_like_pass,
        "points": _points(code.corners),
        "decode_ms": round(ms, 2),
    }


def _scan_video(path: str, gap_s: float) -> list[dict[str, Any]]:
    """Every presentation of a code in a video (same de-duplication as the camera)."""
    from kiosk.scanner.decode import default_decoder, timed_decode
    from kiosk.scanner.dedup import Deduplicator
    from kiosk.scanner.sources import VideoFileSource

    source, decoder, dedup = VideoFileSource(path), default_decoder(), Deduplicator(gap_s)
    source.open()
    rows = []
    try:
        while (frame := source.read()) is not None:
            codes, ms = timed_decode(decoder, frame.image)
            rows += [_code_row(path, c, ms, frame.index) for c in codes
                     if dedup.seen(c.text, frame.t)]
    finally:
        source.close()
    return rows


def _scan_file(path: str, gap_s: float) -> list[dict[str, Any]]:
    """Codes in one image (or video) file; KioskError if it cannot be read."""

    from kiosk.scanner.decode import default_decoder, timed_decode
    from kiosk.scanner.sources import VIDEO_SUFFIXES, SourceUnavailable
    from kiosk.scanner.still import read_still

    if Path(path).suffix.lower() in VIDEO_SUFFIXES:
        return _scan_video(path, gap_s)
    image = read_still(path)
    if image is None:
        try:
            return _scan_video(path, gap_s)
        except SourceUnavailable:
            raise SourceUnavailable(f"{path} could not be read as an image or a video.") from None
    codes, ms = timed_decode(default_decoder(still=True), image)
    return [_code_row(path, c, ms, None) for c in codes]


def _say(text: str) -> None:
    click.echo(safe_text(text, SHOWN_LIMIT))


@click.command("scan-image")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=_OUTPUT, default="text", show_default=True,
              help="text: one payload per line; json: with file, points and decode time.")
@click.option("--gap", "gap_s", type=click.FloatRange(min=0), default=3.0, show_default=True,
              help="Seconds a code must be out of sight in a video to count again.")
def scan_image(files: tuple[str, ...], fmt: str, gap_s: float) -> None:
    """Print the QR codes in image (or video) FILES; exit 1 when none is found."""
    from kiosk.errors import KioskError

    rows: list[dict[str, Any]] = []
    for path in files:
        try:
            found = _scan_file(path, gap_s)
        except KioskError as error:
            click.echo(f"Error: {error}", err=True)
            continue
        rows += found
        if fmt == "text":
            for row in found:
                _say(row["text"])
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    if not rows:
        click.echo("No QR code found.", err=True)
        raise SystemExit(1)


@click.command("scan-camera")
@click.option("--camera", "spec", default="0", show_default=True,
              help="Camera number, /dev/videoN, a video file, an image folder or glob, or 'demo'.")
@click.option("--resolution", default="1280x720", show_default=True,
              help="Camera resolution to ask for (WIDTHxHEIGHT).")
@click.option("--format", "fmt", type=_OUTPUT, default="text", show_default=True,
              help="text: one payload per line; json: one JSON object per line.")
@click.option("--gap", "gap_s", type=click.FloatRange(min=0), default=3.0, show_default=True,
              help="Seconds a code must be out of sight before it counts again.")
@click.option("--retry", "retry_s", type=click.FloatRange(min=0.05), default=2.0,
              show_default=True, help="Seconds between attempts to reopen a missing camera.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Stop after this many scans.")
@click.option("--fps", type=click.FloatRange(min=0.01), default=None,
              help="Images a second for a folder or glob [default: 2 in real time, else 10].")
@click.option("--as-fast-as-possible", "fast", is_flag=True,
              help="Read a video or a folder without waiting (benchmarks, batch checks).")
def scan_camera(spec: str, resolution: str, fmt: str, gap_s: float, retry_s: float,
                limit: int | None, fps: float | None, fast: bool) -> None:
    """Print codes as they are shown to a camera, until Ctrl-C or the end of a file.

    A video plays at its own frame rate and a folder at --fps, as a camera would show
    them, unless --as-fast-as-possible.
    """
    from kiosk.scanner.service import ScanService
    from kiosk.scanner.sources import parse_resolution
    from kiosk.ui.cameras import open_camera

    try:
        size = parse_resolution(resolution)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--resolution") from None
    source = open_camera(spec, size, realtime=not fast, fps=fps)
    service = ScanService(source, gap_s=gap_s, retry_s=retry_s)
    scans, failure = 0, None
    service.start()
    try:
        while limit is None or scans < limit:
            try:
                message = service.messages.get(timeout=0.25)
            except queue.Empty:
                if not service.running and service.messages.empty():
                    break
                continue
            if isinstance(message, ScanEvent):
                scans += 1
                _print_scan(message, fmt)
            elif isinstance(message, ScannerStatus):
                click.echo(message.message, err=True)
                if message.state == "failed":
                    failure = message.message
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        service.stop()
    if failure:
        raise click.ClickException(failure)
    if scans == 0 and not service.source.live:
        click.echo("No QR code found.", err=True)
        raise SystemExit(1)


def _print_scan(event: ScanEvent, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({
            "text": event.text,
            "looks_like_pass": event.looks_like_pass,
            "t": round(event.t, 3),
            "frame": event.frame_index,
            "points": _points(event.corners or ()),
            "decode_ms": round(event.decode_ms, 2),
        }))
    else:
        _say(event.text)
