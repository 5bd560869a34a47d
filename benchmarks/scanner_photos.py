"""Real photographs of QR codes for the scanner benchmark, read from a folder, never committed.

The folder is given with `--photos DIR` or the environment variable KIOSK_QR_PHOTOS. Its
layout is BoofCV's QR code benchmark data: one folder per category (`blurred`, `curved`,
`damaged`, ...), each photo `NAME.jpg` beside `NAME.txt` that lists the corners of every
symbol in it (hand-labelled: 8 numbers a symbol on lines after `SETS`, or 4 lines of
`x y`). The labels give where the symbols are, not their payloads, so a read counts when
a decoded code's centre lies inside a labelled symbol, and a read anywhere else is
reported as an unlabelled read.

How it was obtained for the figures in docs/scanner.md: BoofCV's public QR benchmark set
(boofcv.org, "Performance:QrCode"), as vendored in the public GitHub repository
rizwankce/RustQR under benches/images/boofcv (508 photos, 1,204 symbols). Extract that
folder anywhere outside this repository and point the benchmark at it.

The code-free photos are the same photos with every labelled symbol painted over (a grey
fill with the photo's own noise), so the false-read test uses real scenes, real paper and
real camera noise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from kiosk.scanner.results import DecodedCode

ENV = "KIOSK_QR_PHOTOS"
SUFFIXES = (".jpg", ".jpeg", ".png")
# Categories whose symbols are not the kind a pass is (QR Model 2, version 3, ASCII,
# printed alone): `lots` is sheets of many small codes, `high_version` versions far above
# a pass's, `noncompliant` and `pathological` break the QR standard on purpose.
NOT_PASS_LIKE = frozenset({"lots", "high_version", "noncompliant", "pathological"})
_COVER = 1.35  # a painted-over symbol is enlarged by this much around its centre


@dataclass
class Photo:
    """One labelled photograph: its category and the corners of each symbol in it."""

    path: Path
    category: str
    symbols: list[np.ndarray] = field(repr=False)  # (4, 2) float corner arrays


def folder(given: str | None) -> Path | None:
    """The photo folder from the command line or the environment, if any."""
    text = given or os.environ.get(ENV)
    return Path(text) if text else None


def labels(path: Path) -> list[np.ndarray]:
    """The labelled symbols of a photo: every 8 numbers are one symbol's corners."""
    numbers: list[float] = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("#") or "SETS" in line:
            continue
        numbers += [float(x) for x in line.split()]
    return [np.array(numbers[i:i + 8]).reshape(4, 2) for i in range(0, len(numbers) - 7, 8)]


def photos(root: Path) -> Iterator[Photo]:
    """Every labelled photo under `root`, in category and name order."""
    for image in sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES):
        truth = image.with_suffix(".txt")
        if truth.is_file():
            yield Photo(image, image.parent.name, labels(truth))


def load(photo: Photo) -> np.ndarray | None:
    """The photo as stored (EXIF orientation ignored, as the labels are)."""
    return cv2.imread(str(photo.path), cv2.IMREAD_COLOR | cv2.IMREAD_IGNORE_ORIENTATION)


def matched(centre: tuple[float, float], photo: Photo) -> int | None:
    """Index of the labelled symbol a decoded centre lies in, or None."""
    for i, quad in enumerate(photo.symbols):
        contour = quad.astype(np.float32).reshape(-1, 1, 2)
        if cv2.pointPolygonTest(contour, centre, False) >= 0:
            return i
    return None


def centre(code: DecodedCode) -> tuple[float, float]:
    """The middle of a decoded code's corners."""
    return (sum(p[0] for p in code.corners) / 4.0, sum(p[1] for p in code.corners) / 4.0)


def centres(codes: list[DecodedCode]) -> list[tuple[float, float, bytes]]:
    """(x, y, payload) of every decoded code, for PhotoResult.add."""
    return [(*centre(c), c.raw) for c in codes]


def code_free(image: np.ndarray, photo: Photo, seed: int = 0) -> np.ndarray:
    """The photo with every labelled symbol painted over: a real scene with no code."""
    out = image.copy()
    rng = np.random.default_rng(seed)
    grey = tuple(int(v) for v in np.median(image.reshape(-1, 3), axis=0))
    for quad in photo.symbols:
        centre = quad.mean(axis=0)
        big = (centre + (quad - centre) * _COVER).astype(np.int32)
        cv2.fillConvexPoly(out, big, grey)
    noise = rng.normal(0, 4, out.shape).astype(np.int16)
    return np.clip(out.astype(np.int16) + noise, 0, 255).astype(np.uint8)


@dataclass
class PhotoResult:
    """What one decoder made of the photos: symbols read, stray reads, time per photo."""

    read: dict[str, list[int]] = field(default_factory=dict)  # category -> [read, symbols]
    unlabelled: list[str] = field(default_factory=list)  # reads outside every label
    ms: list[float] = field(default_factory=list)
    whole: list[int] = field(default_factory=lambda: [0, 0])  # [all symbols read, photos]
    misses: dict[str, list[str]] = field(default_factory=dict)  # category -> "photo: 0 2"

    def add(self, photo: Photo, centres: list[tuple[float, float, bytes]], ms: float) -> set:
        """Score one photo's reads; returns the indices of the symbols read."""
        hits = set()
        for x, y, raw in centres:
            index = matched((x, y), photo)
            if index is None:
                self.unlabelled.append(f"{photo.category}/{photo.path.name}: {raw[:40]!r}")
            else:
                hits.add(index)
        row = self.read.setdefault(photo.category, [0, 0])
        row[0] += len(hits)
        row[1] += len(photo.symbols)
        lost = [str(i) for i in range(len(photo.symbols)) if i not in hits]
        if lost:
            self.misses.setdefault(photo.category, []).append(
                f"{photo.path.stem}: {' '.join(lost)}")
        self.whole[0] += len(hits) == len(photo.symbols)
        self.whole[1] += 1
        self.ms.append(ms)
        return hits

    def rate(self, category: str | None = None) -> tuple[int, int]:
        """(symbols read, symbols) in one category or over all of them."""
        rows = [self.read[category]] if category else list(self.read.values())
        return sum(r[0] for r in rows), sum(r[1] for r in rows)

    def rate_excluding(self, categories: frozenset[str]) -> tuple[int, int]:
        """(symbols read, symbols) over every category but the given ones."""
        rows = [r for c, r in self.read.items() if c not in categories]
        return sum(r[0] for r in rows), sum(r[1] for r in rows)

    def print_misses(self) -> None:
        """The labelled symbols not read, by category (photo: symbol numbers)."""
        print("symbols scan-image missed, by category (photo: symbol indices)")
        for cat, misses in sorted(self.misses.items()):
            print(f"  {cat:13} {len(misses):3}: " + ", ".join(misses))
