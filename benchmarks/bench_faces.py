"""How well the posting check counts faces: found, missed and false faces on public photos.

Reads group photos with hand-drawn face boxes from a local copy of dlib's examples/faces
(PASCAL VOC images, boxes in training.xml and testing.xml) and a few portraits from
face_recognition's examples, straight out of their git folders (nothing is copied here):

    python benchmarks/bench_faces.py --dlib /path/to/dlib.git --fr /path/to/face_recognition.git

A detection counts as found when it overlaps a drawn box by IoU >= 0.3. Prints one line
per photo and the totals. Which detector runs depends on the OpenCV build (see
kiosk/posting/faces.py); the answer is a count, nothing is kept.
"""

from __future__ import annotations

import argparse
import subprocess
import time
import xml.etree.ElementTree as ET

import cv2
import numpy as np

from kiosk.posting.faces import Box, face_boxes

PORTRAITS = {"examples/two_people.jpg": 2, "examples/knn_examples/test/obama_and_biden.jpg": 2,
             "examples/knn_examples/test/kit_with_rose.jpg": 2, "examples/biden.jpg": 1,
             "examples/obama.jpg": 1, "examples/obama-1080p.jpg": 1,
             "examples/knn_examples/test/johnsnow_test1.jpg": 1}


def _blob(repo: str, path: str) -> bytes:
    return subprocess.run(["git", "--git-dir", repo, "show", f"HEAD:{path}"],
                          check=True, capture_output=True).stdout


def _iou(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = w * h
    return inter / float(aw * ah + bw * bh - inter) if inter else 0.0


def _score(found: list[Box], truth: list[Box]) -> tuple[int, int, int, list[Box]]:
    """(matched, missed, false, the missed boxes) by greedy IoU matching."""
    left = list(found)
    missed: list[Box] = []
    for box in truth:
        best = max(left, key=lambda f: _iou(f, box), default=None)
        if best is not None and _iou(best, box) >= 0.3:
            left.remove(best)
        else:
            missed.append(box)
    return len(truth) - len(missed), len(missed), len(left), missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dlib", required=True, help="git folder of davisking/dlib")
    parser.add_argument("--fr", help="git folder of ageitgey/face_recognition")
    args = parser.parse_args()
    cases: list[tuple[str, np.ndarray, list[Box] | None, int]] = []
    for name in ("training.xml", "testing.xml"):
        root = ET.fromstring(_blob(args.dlib, f"examples/faces/{name}"))
        for image in root.iter("image"):
            data = _blob(args.dlib, f"examples/faces/{image.get('file')}")
            boxes = [(int(b.get("left")), int(b.get("top")), int(b.get("width")),
                      int(b.get("height"))) for b in image.iter("box")]
            cases.append((image.get("file", ""), _decode(data), boxes, len(boxes)))
    cases.append(("dogs.jpg (no people)", _decode(_blob(args.dlib, "examples/faces/dogs.jpg")),
                  [], 0))
    for path, count in PORTRAITS.items() if args.fr else ():
        cases.append((path.rsplit("/", 1)[-1], _decode(_blob(args.fr, path)), None, count))
    totals = [0, 0, 0, 0]
    seconds = []
    detector = "none"
    for name, pixels, truth, expected in cases:
        start = time.perf_counter()
        found, detector = face_boxes(pixels)
        seconds.append(time.perf_counter() - start)
        lost: list[Box] = []
        if truth is not None:
            matched, missed, false, lost = _score(found, truth)
        else:
            matched = min(len(found), expected)
            missed, false = expected - matched, max(0, len(found) - expected)
        totals = [totals[0] + expected, totals[1] + matched, totals[2] + missed,
                  totals[3] + false]
        size = f"{pixels.shape[1]}x{pixels.shape[0]}"
        print(f"{name:28} {size:>9}  faces {expected:2}  counted {len(found):2}  found"
              f" {matched:2}  missed {missed:2}  false {false:2}  {seconds[-1] * 1000:6.1f} ms"
              + "".join(f"  missed box {w}x{h} at ({x},{y})" for x, y, w, h in lost))
    print(f"detector: {detector} (OpenCV {cv2.__version__})")
    print(f"total: {totals[0]} faces in {len(cases)} photos, found {totals[1]}, missed"
          f" {totals[2]}, false {totals[3]}; median {np.median(seconds) * 1000:.1f} ms a photo")


def _decode(data: bytes) -> np.ndarray:
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert pixels is not None
    return pixels


if __name__ == "__main__":
    main()
