"""Frame sources: image folders and globs, video files, cameras that are not there, demo."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.demo.camera import DemoSource
from kiosk.demo.synth import camera_view
from kiosk.passes.token import encode_token
from kiosk.scanner import sources
from kiosk.scanner.decode import ZxingDecoder
from kiosk.scanner.sources import (
    STILL_FPS,
    WATCH_FPS,
    CameraSource,
    ImageSequenceSource,
    SourceUnavailable,
    VideoFileSource,
    camera_problem,
    image_files,
    open_source,
    parse_resolution,
)

TOKEN = encode_token(bytes(range(16)))


def write_video(path: Path, frames: list[np.ndarray], fps: float = 10.0) -> Path:
    """Test-only: record frames into an MJPEG .avi (the scanner itself never writes)."""
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def _drain(source) -> list:
    source.open()
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    source.close()
    return frames


def test_parse_resolution() -> None:
    assert parse_resolution("1280x720") == (1280, 720)
    assert parse_resolution(" 640 X 480 ") == (640, 480)
    with pytest.raises(ValueError, match="not a resolution"):
        parse_resolution("big")


def test_image_folder_in_name_order_skipping_unreadable_files(tmp_path: Path) -> None:
    for name, value in (("b.png", 20), ("a.png", 10), ("c.jpg", 30)):
        cv2.imwrite(str(tmp_path / name), np.full((8, 8, 3), value, np.uint8))
    (tmp_path / "broken.png").write_bytes(b"not a png")
    (tmp_path / "notes.txt").write_text("ignored")
    source = ImageSequenceSource(tmp_path, fps=4.0)
    frames = _drain(source)
    assert [int(f.image[0, 0, 0]) for f in frames] == [10, 20, 30]
    assert [f.t for f in frames] == [0.0, 0.25, 0.5]
    assert [p.name for p in source.skipped] == ["broken.png"]
    assert [p.name for p in image_files(str(tmp_path / "*.png"))] == ["a.png", "b.png",
                                                                      "broken.png"]


def test_no_images_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="No images found"):
        ImageSequenceSource(tmp_path / "*.png").open()


def test_video_file_frames_carry_video_time(tmp_path: Path) -> None:
    shots = [camera_view([TOKEN] if 2 <= i < 5 else [], seed=i) for i in range(7)]
    frames = _drain(VideoFileSource(write_video(tmp_path / "door.avi", shots)))
    assert [f.index for f in frames] == list(range(7))
    assert [f.t for f in frames] == pytest.approx([i / 10 for i in range(7)])
    decoder = ZxingDecoder()
    seen = [bool(decoder.decode(f.image)) for f in frames]
    assert seen == [False, False, True, True, True, False, False]


def test_missing_video_and_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailable, match="does not exist"):
        VideoFileSource(tmp_path / "none.mp4").open()
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(SourceUnavailable, match="could not be opened"):
        VideoFileSource(junk).open()


def test_a_missing_camera_is_a_plain_sentence_not_a_crash() -> None:
    with pytest.raises(SourceUnavailable) as caught:
        CameraSource("/dev/video-none").open()
    assert str(caught.value) == (
        "No camera found (/dev/video-none): use the handheld scanner or type the code.")
    with pytest.raises(SourceUnavailable, match=r"No camera found|could not be opened"):
        CameraSource(97).open()  # no such camera index on any test machine


class NeverOpens:
    """A capture that never opens (the device is there but busy)."""

    def __init__(self, device: object) -> None:
        self.device = device

    def isOpened(self) -> bool:
        return False

    def release(self) -> None:
        pass


def test_no_camera_is_not_another_program_using_it(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources.sys, "platform", "linux")
    monkeypatch.setattr(sources, "LINUX_CAMERA", str(tmp_path / "video{}"))
    monkeypatch.setattr(sources.cv2, "VideoCapture", NeverOpens)
    absent = camera_problem(0)
    assert absent.startswith("No camera found") and "handheld scanner" in absent
    assert "another program" not in absent
    (tmp_path / "video0").touch()
    with pytest.raises(SourceUnavailable) as caught:
        CameraSource(0).open()
    busy = str(caught.value)
    assert busy == "Camera 0 is there but will not open: another program may be using it."
    (tmp_path / "video0").chmod(0)
    if not os.access(tmp_path / "video0", os.R_OK):  # root may read anything
        assert "may not use it" in camera_problem(0)
    monkeypatch.setattr(sources.sys, "platform", "darwin")  # no device file to look at
    assert "not connected, or another program" in camera_problem(0)


def test_reading_a_camera_that_is_not_open_says_so() -> None:
    with pytest.raises(SourceUnavailable, match="not open"):
        CameraSource(0).read()


def test_open_source_picks_the_kind(tmp_path: Path) -> None:
    video = write_video(tmp_path / "v.avi", [np.zeros((48, 64, 3), np.uint8)])
    assert isinstance(open_source("0"), CameraSource)
    assert open_source("/dev/video2", (640, 480)).resolution == (640, 480)
    assert isinstance(open_source(str(video)), VideoFileSource)
    assert isinstance(open_source(str(tmp_path)), ImageSequenceSource)
    assert isinstance(open_source(str(tmp_path / "*.jpg")), ImageSequenceSource)
    with pytest.raises(SourceUnavailable, match="not a camera number"):
        open_source(str(tmp_path / "nothing-here"))


def test_demo_source_shows_a_pass_on_request_then_goes_back_to_empty() -> None:
    demo = DemoSource([TOKEN], fps=None, seed=5, hold_s=1.0)
    demo.open()
    decoder = ZxingDecoder()
    assert decoder.decode(demo.read().image) == [] and not demo.presenting
    assert demo.present_next() == TOKEN
    assert demo.presenting
    reads = [[c.text for c in decoder.decode(demo.read().image)] for _ in range(40)]
    assert [TOKEN] in reads
    assert reads[-1] == [] and not demo.presenting
    first, last = reads.index([TOKEN]), len(reads) - 1 - reads[::-1].index([TOKEN])
    assert all(r == [TOKEN] for r in reads[first + 2:last - 1])  # held steadily in view


def test_demo_source_present_any_token_and_queue_them() -> None:
    other = encode_token(bytes(range(50, 66)))
    demo = DemoSource(fps=None, seed=1, hold_s=0.5, size=(320, 240))
    demo.open()
    with pytest.raises(ValueError, match="no tokens"):
        demo.present_next()
    demo.present(TOKEN, style="paper")
    demo.present(other, style="phone_dark")
    decoder = ZxingDecoder()
    texts = [c.text for _ in range(60) for c in decoder.decode(demo.read().image)]
    assert TOKEN in texts and other in texts
    assert texts.index(TOKEN) < texts.index(other)
    frame = demo.read()
    assert frame.image.shape == (240, 320, 3) and frame.t == pytest.approx(frame.index / 15)


def test_a_video_or_folder_standing_in_for_a_camera_is_paced(tmp_path: Path) -> None:
    video = write_video(tmp_path / "door.avi", [np.zeros((48, 64, 3), np.uint8)], fps=25.0)
    played = open_source(str(video), realtime=True)
    played.open()
    assert played.pace == pytest.approx(25.0) and not played.still
    played.close()
    fast = open_source(str(video))
    fast.open()
    assert fast.pace is None
    fast.close()
    assert open_source(str(tmp_path), realtime=True).pace == WATCH_FPS
    assert open_source(str(tmp_path), realtime=True, fps=5.0).pace == 5.0
    folder = open_source(str(tmp_path))
    assert folder.pace is None and folder.still
    assert isinstance(folder, ImageSequenceSource) and folder.fps == STILL_FPS


def test_opencv_logging_is_silenced_once_the_sources_are_loaded() -> None:
    assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_SILENT
