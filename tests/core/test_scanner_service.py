"""The scanner thread: events once per presentation, retries, clean stop, nothing left over."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.demo.camera import DemoSource
from kiosk.demo.synth import camera_view
from kiosk.passes.token import encode_token
from kiosk.scanner.results import Frame, ScanEvent, ScannerMessage, ScannerStatus
from kiosk.scanner.service import THREAD_NAME, ScanService
from kiosk.scanner.sources import CameraSource, ImageSequenceSource, SourceUnavailable

TOKEN_A = encode_token(bytes(range(16)))
TOKEN_B = encode_token(bytes(range(16, 32)))
WAIT = 10.0  # generous timeout for queue waits on a busy machine (never a sleep)


def scanner_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    yield
    assert scanner_threads() == []


def next_of(q: queue.Queue[ScannerMessage], kind: type, **match: object) -> ScannerMessage:
    """The next message of a kind (and fields) from a queue, skipping others."""
    while True:
        message = q.get(timeout=WAIT)
        if isinstance(message, kind) and all(getattr(message, k) == v for k, v in match.items()):
            return message


def test_one_event_per_presentation_from_an_image_sequence(tmp_path: Path) -> None:
    # One picture per second: A for two seconds, away 1 s, back (same presentation),
    # away 3 s, back (a new one); B once beside A.
    plan = [[], [TOKEN_A], [TOKEN_A, TOKEN_B], [], [TOKEN_A], [], [], [], [TOKEN_A]]
    for i, codes in enumerate(plan):
        image = camera_view(codes, size=(480, 270), code_frac=0.4, seed=i)
        cv2.imwrite(str(tmp_path / f"{i:02d}.png"), image)
    statuses: list[ScannerStatus] = []
    events: list[ScanEvent] = []
    done = threading.Event()

    def collect(message: ScannerMessage) -> None:
        if isinstance(message, ScanEvent):
            events.append(message)
        else:
            statuses.append(message)
            if message.state in ("finished", "failed"):
                done.set()

    service = ScanService(ImageSequenceSource(tmp_path, fps=1.0), on_message=collect)
    service.start()
    assert done.wait(WAIT)
    assert service.wait(WAIT)
    service.stop()
    assert [(e.text, e.t, e.frame_index) for e in events] == [
        (TOKEN_A, 1.0, 1), (TOKEN_B, 2.0, 2), (TOKEN_A, 8.0, 8)]
    assert all(e.origin == "camera" and e.corners and e.decode_ms > 0 for e in events)
    assert [s.state for s in statuses] == ["starting", "running", "finished"]
    assert service.frames_read == len(plan)


def test_demo_scan_through_the_thread_then_stop_and_restart() -> None:
    demo = DemoSource([TOKEN_A], fps=None, seed=2)
    service = ScanService(demo)
    service.start()
    next_of(service.messages, ScannerStatus, state="running")
    demo.present_next()
    event = next_of(service.messages, ScanEvent)
    assert event.text == TOKEN_A and event.looks_like_pass
    preview = service.preview(32, 10)
    assert preview is not None and preview.width <= 32 and preview.height <= 10
    service.stop()
    assert not service.running and scanner_threads() == []
    assert service.snapshot() is None  # the last frame is dropped on stop
    assert service.status.state == "stopped"

    service.restart()
    next_of(service.messages, ScannerStatus, state="running")
    demo.present_next()  # after a restart the same pass scans again at once
    assert next_of(service.messages, ScanEvent).text == TOKEN_A
    service.stop()
    service.stop()  # twice is fine


class FlakyCamera:
    """A camera missing at first, then working, then unplugged for a moment, then back."""

    live = True
    pace = None
    description = "camera 9"

    def __init__(self) -> None:
        self.opens = 0
        self.reads = 0
        self.frame = camera_view([TOKEN_A], size=(320, 240), code_frac=0.5)
        self.blank = camera_view([], size=(320, 240))

    def open(self) -> None:
        self.opens += 1
        if self.opens <= 2:
            raise SourceUnavailable("Camera 9 is not connected. Check the cable.")

    def read(self) -> Frame:
        self.reads += 1
        if self.reads == 3:
            raise SourceUnavailable("Camera 9 stopped sending pictures: unplugged?")
        image = self.frame if self.reads in (1, 2, 6) else self.blank
        return Frame(image, 10.0 * self.reads, self.reads)

    def close(self) -> None:
        """Nothing held."""


def test_missing_and_unplugged_camera_is_retried_in_the_background() -> None:
    camera = FlakyCamera()
    service = ScanService(camera, retry_s=0.01)
    service.start()
    first = next_of(service.messages, ScannerStatus, state="unavailable")
    assert first.message.startswith("Camera 9 is not connected.")
    next_of(service.messages, ScannerStatus, state="running")
    assert next_of(service.messages, ScanEvent).frame_index == 1
    lost = next_of(service.messages, ScannerStatus, state="unavailable")
    assert "unplugged" in lost.message
    next_of(service.messages, ScannerStatus, state="running")
    assert next_of(service.messages, ScanEvent).frame_index == 6  # scanning again after replug
    assert camera.opens == 4
    service.stop()


def test_retries_report_once_and_stop_cleanly_without_a_camera() -> None:
    service = ScanService(CameraSource("/dev/video-kiosk-test-none"), retry_s=0.01)
    service.start()
    next_of(service.messages, ScannerStatus, state="unavailable")
    assert service.running  # still trying, in the background
    service.stop()
    states = []
    while not service.messages.empty():
        states.append(service.messages.get_nowait().state)
    assert "unavailable" not in states  # retries did not repeat the message
    assert states[-1:] == ["stopped"]


def test_a_missing_file_source_fails_and_ends(tmp_path: Path) -> None:
    service = ScanService(ImageSequenceSource(tmp_path / "*.png"))
    service.start()
    failed = next_of(service.messages, ScannerStatus, state="failed")
    assert "No images found" in failed.message
    assert service.wait(WAIT)
    service.stop()


def test_a_paced_source_stops_without_waiting_for_its_next_frame() -> None:
    demo = DemoSource([TOKEN_A], fps=0.05, seed=1)  # one frame every 20 s
    service = ScanService(demo)
    service.start()
    next_of(service.messages, ScannerStatus, state="running")
    service.stop(timeout=WAIT)
    assert not service.running


class BrokenDecoder:
    """Fails on every other frame, as a decoder might on a corrupt camera buffer."""

    name = "broken"

    def __init__(self) -> None:
        self.calls = 0

    def decode(self, image: np.ndarray) -> list:
        self.calls += 1
        if self.calls % 2:
            raise cv2.error("corrupt frame")
        return []


def test_a_failing_frame_or_consumer_does_not_kill_the_thread(tmp_path: Path) -> None:
    for i in range(4):
        cv2.imwrite(str(tmp_path / f"{i}.png"), np.zeros((40, 40, 3), np.uint8))
    seen: list[ScannerMessage] = []
    finished = threading.Event()

    def fussy(message: ScannerMessage) -> None:
        seen.append(message)
        if isinstance(message, ScannerStatus) and message.state == "finished":
            finished.set()
        raise RuntimeError("consumer bug")

    decoder = BrokenDecoder()
    service = ScanService(ImageSequenceSource(tmp_path), fussy, decoder=decoder)
    service.start()
    assert finished.wait(WAIT)
    service.stop()
    assert decoder.calls == 4 and service.frames_read == 4
    assert [m.state for m in seen if isinstance(m, ScannerStatus)][-1] == "finished"


def test_a_folder_of_stills_is_decoded_thoroughly_a_camera_on_a_schedule(
        tmp_path: Path) -> None:
    folder = ScanService(ImageSequenceSource(tmp_path))
    camera = ScanService(CameraSource(97))
    assert folder.decoder.still and not camera.decoder.still  # type: ignore[attr-defined]
