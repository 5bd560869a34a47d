"""Tablet frames on the hub: real JPEGs decoded by the real decoder, garbage refused."""

from __future__ import annotations

import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.serve.apps import scan_paste
from kiosk.serve.camera import CameraBridge, decode_image
from support.tablet import pass_picture

TOKEN = "KP1:WT7HQZYKKN5QYZXI2PQEJHBBSZCDP66A"


def jpeg(picture: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return data.tobytes()


def test_a_pass_held_up_is_one_scan_per_presentation() -> None:
    clock = [0.0]
    bridge = CameraBridge(clock=lambda: clock[0])
    frame = jpeg(pass_picture(TOKEN))
    assert bridge.frame(frame) == [TOKEN]
    clock[0] = 0.1
    assert bridge.frame(frame) == []  # still in view: the same presentation
    clock[0] = 0.2
    assert bridge.frame(jpeg(pass_picture(None))) == []
    clock[0] = 4.0
    assert bridge.frame(frame) == [TOKEN]  # shown again after the gap


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=4000))
def test_garbage_frames_are_no_scan(data: bytes) -> None:
    assert CameraBridge().frame(data) == []


def test_huge_or_tiny_images_are_dropped() -> None:
    assert decode_image(b"\xff" * 3_000_000) is None
    assert decode_image(jpeg(np.zeros((10, 10), np.uint8))) is None
    assert decode_image(jpeg(np.zeros((10, 2000), np.uint8))) is None


def test_a_scan_paste_carries_no_control_characters() -> None:
    paste = scan_paste("a" * 32, "KP1:AB\x1b[201~\x00CD")
    assert paste.startswith(b"\x1b[200~") and paste.endswith(b"\x1b[201~")
    assert paste.count(b"\x1b") == 2
