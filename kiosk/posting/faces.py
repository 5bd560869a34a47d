"""Count faces in a photo, never recognise them: a count is all that leaves this module.

Uses OpenCV's bundled frontal-face Haar cascade (`cv2.data`, OpenCV 4 wheels) or its
YuNet detector when a YuNet model file is given (`$KIOSK_FACE_MODEL`, or
`face_detection_yunet*.onnx` in the kiosk data folder's `models/`). No landmarks,
embeddings or crops are kept; the pixels are dropped when the caller drops them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.config import data_dir

ENV_MODEL = "KIOSK_FACE_MODEL"
DETECT_SIDE = 1280
YUNET_SCORE = 0.7


@dataclass(frozen=True)
class FaceCount:
    """How many faces were found (None: no detector on this machine) and by what."""

    count: int | None
    detector: str


def _yunet_model() -> Path | None:
    named = os.environ.get(ENV_MODEL)
    if named:
        return Path(named) if Path(named).is_file() else None
    found = sorted((data_dir() / "models").glob("face_detection_yunet*.onnx"))
    return found[-1] if found else None


@cache
def _haar() -> Any | None:
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    path = Path(folder) / "haarcascade_frontalface_default.xml"
    if not hasattr(cv2, "CascadeClassifier") or not path.is_file():
        return None
    classifier = cv2.CascadeClassifier(str(path))
    return None if classifier.empty() else classifier


def detector_name() -> str:
    """Which detector `count_faces` will use here ('none' when neither is available)."""
    if _yunet_model() is not None and hasattr(cv2, "FaceDetectorYN"):
        return "yunet"
    return "haar" if _haar() is not None else "none"


def _scaled(pixels: np.ndarray) -> tuple[np.ndarray, float]:
    """The image at most DETECT_SIDE on its longer side, and the factor it was shrunk by."""
    height, width = pixels.shape[:2]
    if max(height, width) <= DETECT_SIDE:
        return pixels, 1.0
    scale = DETECT_SIDE / max(height, width)
    return cv2.resize(pixels, (max(1, round(width * scale)), max(1, round(height * scale))),
                      interpolation=cv2.INTER_AREA), scale


Box = tuple[int, int, int, int]


def face_boxes(pixels: np.ndarray) -> tuple[list[Box], str]:
    """(x, y, width, height) of each face in a BGR image, and the detector used.

    Boxes only, in memory: no landmarks, crops or features are kept. Raises nothing when
    no detector is available: the list is empty and the detector is 'none'.
    """
    image, scale = _scaled(pixels)
    model = _yunet_model()
    if model is not None and hasattr(cv2, "FaceDetectorYN"):
        height, width = image.shape[:2]
        detector = cv2.FaceDetectorYN.create(str(model), "", (width, height), YUNET_SCORE)
        _, found = detector.detect(image)
        raw = [] if found is None else [tuple(row[:4]) for row in found]
        name = "yunet"
    else:
        classifier = _haar()
        if classifier is None:
            return [], "none"
        grey = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
        side = max(20, min(grey.shape[:2]) // 40)
        raw = list(classifier.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5,
                                               minSize=(side, side)))
        name = "haar"
    boxes = [[round(float(v) / scale) for v in box] for box in raw]
    return [(b[0], b[1], b[2], b[3]) for b in boxes], name


def count_faces(pixels: np.ndarray) -> FaceCount:
    """The number of faces in a BGR image, by the best detector available here."""
    boxes, name = face_boxes(pixels)
    return FaceCount(None if name == "none" else len(boxes), name)
