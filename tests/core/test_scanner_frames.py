"""The benchmark set is reproducible and its truth labels are sound."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import scanner_frames  # a sibling script of the benchmark, not a package

from kiosk.demo import optics
from kiosk.passes.token import parse_token
from kiosk.scanner.decode import ZxingDecoder


def test_same_seed_same_frames_other_seed_other_frames() -> None:
    classes = ("perspective", "hard_negative")
    first = list(scanner_frames.generate(1, seed=7, classes=classes))
    again = list(scanner_frames.generate(1, seed=7, classes=classes))
    other = list(scanner_frames.generate(1, seed=8, classes=classes))
    assert [f.size for f in first] == [(640, 480), (1280, 720)] * 2
    assert all(np.array_equal(a.image, b.image) for a, b in zip(first, again, strict=True))
    assert all(a.expected == b.expected for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0].image, other[0].image)


def test_truth_labels() -> None:
    wanted = ("clean", "multi", "beyond_reach", "empty")
    frames = {f.cls: f for f in scanner_frames.generate(1, seed=3, classes=wanted)
              if f.size == (1280, 720)}
    assert set(frames) == set(wanted)
    assert set(scanner_frames.CLASSES) >= {"glare", "phone_dark", "paper_curl", "jpeg",
                                           "hard_negative", "curl_strong"}
    for cls in ("clean", "multi", "beyond_reach"):
        for payload in frames[cls].expected:
            parse_token(payload.decode("ascii"))  # real pass tokens
    assert len(frames["multi"].expected) == 2
    assert frames["empty"].expected == [] and not frames["empty"].in_target
    assert frames["beyond_reach"].beyond and not frames["beyond_reach"].in_target
    clean = frames["clean"]
    assert clean.ppm >= 3 and clean.blur_modules < 1 and clean.in_target
    assert clean.image.shape == (720, 1280, 3) and clean.image.dtype == np.uint8
    decoded = {c.raw for c in ZxingDecoder().decode(clean.image)}
    assert decoded == set(clean.expected)


def test_sensor_noise_reaches_every_colour_channel() -> None:
    flat = np.full((60, 80, 3), 0.5, np.float32)
    noisy = optics.sensor_noise(flat, np.random.default_rng(1), 0.05)
    spread = (noisy - flat).std(axis=(0, 1))
    assert spread.shape == (3,)
    assert all(0.02 < s < 0.08 for s in spread)
    grey = optics.sensor_noise(np.full((60, 80), 0.5, np.float32), np.random.default_rng(1), 0.05)
    assert 0.02 < float((grey - 0.5).std()) < 0.08
