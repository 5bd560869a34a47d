"""What a camera does to a scene: light, glare, screen moire, blur, noise, 8-bit output.

Works on float32 BGR frames in 0..1 (as `synth.py` builds them), in memory only.
"""

from __future__ import annotations

import math

import cv2
import numpy as np


def scene(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A plausible background: soft colour field, furniture blocks, posters, cables, people."""
    w, h = size
    field = rng.uniform(0.15, 0.75, (3, 4, 3)).astype(np.float32)
    img = cv2.resize(field, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(int(rng.integers(3, 9))):
        colour = tuple(float(c) for c in rng.uniform(0.05, 0.9, 3))
        x, y = int(rng.integers(-w // 4, w)), int(rng.integers(-h // 4, h))
        bw, bh = int(rng.integers(w // 12, w // 2)), int(rng.integers(h // 12, h // 2))
        cv2.rectangle(img, (x, y), (x + bw, y + bh), colour, -1)
    for _ in range(int(rng.integers(0, 4))):
        colour = tuple(float(c) for c in rng.uniform(0.1, 0.8, 3))
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(w // 20, w // 5)), int(rng.integers(h // 8, h // 2)))
        cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1,
                    cv2.LINE_AA)
    for _ in range(int(rng.integers(0, 6))):
        colour = tuple(float(c) for c in rng.uniform(0.0, 1.0, 3))
        p1 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        p2 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.line(img, p1, p2, colour, int(rng.integers(1, 6)), cv2.LINE_AA)
    return cv2.GaussianBlur(img, (0, 0), 1.2)


def illumination(rng: np.random.Generator, size: tuple[int, int], level: float,
                 unevenness: float) -> np.ndarray:
    """A light field: `level` overall, with a gradient and vignette of `unevenness` (0..1)."""
    w, h = size
    sw, sh = max(2, w // 8), max(2, h // 8)  # smooth: compute small, scale up
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    ramp = ((xx - sw / 2) * math.cos(ang) + (yy - sh / 2) * math.sin(ang)) / max(sw, sh)
    vignette = ((xx - sw / 2) ** 2 + (yy - sh / 2) ** 2) / ((sw / 2) ** 2 + (sh / 2) ** 2)
    light = 1.0 - unevenness * (0.5 + ramp) - 0.3 * unevenness * vignette
    field = (level * np.clip(light, 0.05, 1.0)).astype(np.float32)
    return cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)


def shadow(field: np.ndarray, rng: np.random.Generator, depth: float) -> np.ndarray:
    """Cast a shadow edge (a hand, a door frame) across a light field: a soft half-plane.

    Only lit surfaces darken; `light()` leaves self-lit screens at their own brightness.
    """
    h, w = field.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    cx, cy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.35, 0.65)
    dist = (xx - cx) * math.cos(ang) + (yy - cy) * math.sin(ang)
    soft = max(1.0, rng.uniform(0.005, 0.03) * w)
    inside = 0.5 * (1.0 + np.tanh(dist / (2.0 * soft)))  # a logistic step, no overflow
    return (field * (1.0 - depth * inside)).astype(np.float32)


def light(image: np.ndarray, emissive: np.ndarray, field: np.ndarray,
          screen_level: float = 1.0) -> np.ndarray:
    """Light the scene; self-lit screens keep their own brightness."""
    gain = field * (1 - emissive) + screen_level * emissive
    return image * gain[:, :, None]


def glare(image: np.ndarray, centre: tuple[float, float], radius: float,
          strength: float) -> np.ndarray:
    """Add a specular highlight (a lamp reflected in glass or glossy paper)."""
    h, w = image.shape[:2]
    r = max(radius, 1.0)
    x0, x1 = max(0, int(centre[0] - 3 * r)), min(w, int(centre[0] + 3 * r) + 1)
    y0, y1 = max(0, int(centre[1] - 3 * r)), min(h, int(centre[1] + 3 * r) + 1)
    out = image.copy()
    if x1 <= x0 or y1 <= y0:
        return out
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d2 = ((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / r**2
    blob = strength * np.exp(-d2 * 1.5) + 0.6 * strength * (d2 < 0.35)
    out[y0:y1, x0:x1] += blob[:, :, None].astype(np.float32)
    return out


def moire(image: np.ndarray, emissive: np.ndarray, rng: np.random.Generator,
          amplitude: float) -> np.ndarray:
    """Interference bands where a camera films a pixel screen (only on the screen)."""
    h, w = image.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    out = np.ones((h, w), np.float32)
    for _ in range(2):
        period = rng.uniform(3.0, 12.0)
        ang = rng.uniform(0, math.pi)
        phase = (xx * math.cos(ang) + yy * math.sin(ang)) * (2 * math.pi / period)
        out *= 1 + amplitude * np.sin(phase + rng.uniform(0, 2 * math.pi))
    return image * (1 + (out - 1) * emissive)[:, :, None]


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Out-of-focus blur of standard deviation `sigma` pixels."""
    return cv2.GaussianBlur(image, (0, 0), sigma) if sigma > 0.05 else image


def motion_blur(image: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    """Blur along a line `length` pixels long: a hand moving during the exposure."""
    if length < 1.0:
        return image
    size = math.ceil(length) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    dx, dy = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    half = length / 2
    cv2.line(kernel, (round(c - dx * half), round(c - dy * half)),
             (round(c + dx * half), round(c + dy * half)), 1.0, 1, cv2.LINE_AA)
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def sensor_noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Read and shot noise: `sigma` (0..1 scale) plus a part that grows with brightness."""
    noise: np.ndarray = np.empty(image.shape, np.float32)
    cv2.setRNGSeed(int(rng.integers(2**31)))  # OpenCV's generator is 3x faster than numpy's
    # One channel of (height, width * channels): a scalar mean and deviation given to a
    # 3-channel array would fill its first channel only.
    flat = noise.reshape(noise.shape[0], -1)
    cv2.randn(flat, 0.0, 1.0)  # type: ignore[call-overload]  # stubs lack the scalar form
    level = cv2.sqrt(np.clip(image, 0.0, 1.0).astype(np.float32))
    return image + noise * (sigma * (0.6 + 0.8 * level))


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Clip to 0..1 and quantise to an 8-bit BGR frame, as the camera delivers it."""
    return (np.clip(image, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
