"""Reproducible benchmark set: our passes as a door camera would see them, plus empty frames.

`generate(per_class, seed)` yields BenchFrame objects, in memory only, the same for the same
seed. Each distortion class varies one thing over a realistic baseline (desk-distance phone
or card, webcam optics, mild noise); `mixed` combines them; `beyond_reach` is what no
decoder can be expected to read (motion blur over two module widths, under 1.5 px/module),
and `curl_strong` (a card bent 81-130 degrees end to end, measured to defeat every decoder
tried) are reported on their own. The classes a door meets with paper passes and that the
fast pass alone reads least (issue #15) each have a line: curled and creased paper
(`paper_curl`, `paper_crease`, `curl_crease`), uneven light and a shadow edge
(`uneven_light`, `shadow`), pictures printed into the modules (`textured`), faint print
(`low_contrast`), screen moire (`screen_moire`) and a phone screen at low brightness
(`phone_dim`). `clip()` films one shot for several frames (fresh noise, a little hand
shake), for the time from a pass appearing to its read. Tokens come from `encode_token`
over seeded bytes: the real pass format (version 3, ECC Q), reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.demo import optics, synth
from kiosk.passes.token import encode_token

SIZES = ((640, 480), (1280, 720))
SYMBOL_MODULES = 29  # a version 3 symbol (our tokens at ECC Q) without its quiet zone


@dataclass
class Shot:
    """How one frame is taken: pose, carrier, light and optics."""

    style: synth.FaceStyle = "paper"
    frac: float = 0.3  # symbol height / frame height
    rotation: float = 0.0
    tilt: tuple[float, float] = (0.0, 0.0)
    sigma_px: float = 0.7  # optics blur
    motion_modules: float = 0.0
    noise: float = 0.01
    level: float = 0.9
    uneven: float = 0.1
    agc: float = 1.0  # camera gain applied after noise (dim halls)
    glare: float = 0.0
    jpeg: int | None = None
    moire: float = 0.0
    curl: float = 0.0
    crease: bool = False
    mirror: bool = False
    shadow: float = 0.0  # depth of a shadow edge across the frame (0..1)
    texture: float = 0.0  # strength of a picture printed into the modules (0..1)
    ink: float | None = None  # paper ink shade (None: a normal black-ish print)
    screen: float | None = None  # phone screen brightness (None: follows the room light)
    payloads: list[bytes] = field(default_factory=list)
    ppm_override: float | None = None  # pixels per module asked for directly


@dataclass
class BenchFrame:
    """One benchmark frame with the truth about it."""

    image: np.ndarray = field(repr=False)
    size: tuple[int, int]
    cls: str
    expected: list[bytes]
    ppm: float  # smallest pixels-per-module along a symbol edge (0 if no code)
    blur_modules: float  # blur extent (FWHM or motion length) in module widths

    @property
    def beyond(self) -> bool:
        """In a class no decoder is expected to read (reported on its own)."""
        return self.cls in BEYOND_CLASSES

    @property
    def in_target(self) -> bool:
        """A phone held at a desk: >= 3 px/module and blur under one module width."""
        return (bool(self.expected) and not self.beyond and self.ppm >= 3.0
                and self.blur_modules < 1.0)


def _token(rng: np.random.Generator) -> bytes:
    return encode_token(rng.bytes(16)).encode("ascii")


def _base(rng: np.random.Generator) -> Shot:
    return Shot(
        style=str(rng.choice(["paper", "phone", "phone_dark"], p=[0.45, 0.4, 0.15])),  # type: ignore[arg-type]
        frac=rng.uniform(0.15, 0.6),
        rotation=rng.uniform(-15, 15),
        tilt=(rng.uniform(-12, 12), rng.uniform(-12, 12)),
        sigma_px=rng.uniform(0.5, 0.9),
        noise=rng.uniform(0.005, 0.015),
        level=rng.uniform(0.75, 1.0),
        uneven=rng.uniform(0.0, 0.25),
        payloads=[_token(rng)],
    )


def _tilt(rng: np.random.Generator, low: float, high: float) -> tuple[float, float]:
    mag, ang = rng.uniform(low, high), rng.uniform(0, 2 * math.pi)
    return (mag * math.cos(ang), mag * math.sin(ang))


def _blur(s: Shot, rng: np.random.Generator) -> None:
    s.sigma_px = -rng.uniform(0.3, 1.2)  # negative: FWHM in modules, resolved per frame


def _dim(s: Shot, rng: np.random.Generator) -> None:
    s.level = rng.uniform(0.08, 0.25)
    s.noise = rng.uniform(0.004, 0.012)
    s.agc = rng.uniform(1.0, 0.6 / s.level)


def _beyond(s: Shot, rng: np.random.Generator) -> None:
    if rng.random() < 0.5:
        s.motion_modules = rng.uniform(2.0, 4.0)
    else:
        s.ppm_override = rng.uniform(0.9, 1.4)
        s.tilt = (0.0, 0.0)


def _foreign(s: Shot, rng: np.random.Generator) -> None:
    s.payloads = [[b"https://example.org/tickets?id=%d" % rng.integers(1e6),
                   b"WIFI:T:WPA;S:SchoolGuest;P:%d;;" % rng.integers(1e8),
                   bytes(rng.integers(128, 256, 12, dtype=np.uint8)) + b"\x00kiosk",
                   b"KP1:" + b"Z" * 32][int(rng.integers(4))]]


def _mixed(s: Shot, rng: np.random.Generator) -> None:
    s.rotation = rng.uniform(-180, 180)
    s.tilt = _tilt(rng, 0, 30)
    s.noise = rng.uniform(0.005, 0.03)
    s.level = rng.uniform(0.3, 1.0)
    s.uneven = rng.uniform(0.0, 0.5)
    s.glare = rng.uniform(0.3, 0.8) if rng.random() < 0.3 else 0.0
    s.jpeg = int(rng.integers(40, 90)) if rng.random() < 0.5 else None
    s.moire = rng.uniform(0.03, 0.1)
    s.curl = rng.uniform(0.1, 0.4) if s.style == "paper" and rng.random() < 0.4 else 0.0
    s.motion_modules = rng.uniform(0.0, 0.6) if rng.random() < 0.3 else 0.0
    s.mirror = bool(rng.random() < 0.2)


Tweak = Callable[[Shot, np.random.Generator], None]


def _set(**fields: Callable[[np.random.Generator], object]) -> Tweak:
    def tweak(s: Shot, rng: np.random.Generator) -> None:
        for name, draw in fields.items():
            setattr(s, name, draw(rng))
    return tweak


CODE_CLASSES: dict[str, Tweak] = {
    "clean": _set(style=lambda r: "paper", rotation=lambda r: r.uniform(-5, 5),
                  tilt=lambda r: (0.0, 0.0)),
    "rotation": _set(rotation=lambda r: r.uniform(-180, 180)),
    "perspective": _set(tilt=lambda r: _tilt(r, 20, 40), rotation=lambda r: r.uniform(-30, 30)),
    "blur": _blur,
    "motion": _set(motion_modules=lambda r: r.uniform(0.3, 0.95)),
    "noise": _set(noise=lambda r: r.uniform(0.03, 0.08)),
    "dim": _dim,
    "uneven_light": _set(uneven=lambda r: r.uniform(0.6, 0.95)),
    "glare": _set(glare=lambda r: r.uniform(0.5, 1.5)),
    "jpeg": _set(jpeg=lambda r: int(r.integers(15, 50))),
    "phone": _set(style=lambda r: "phone", moire=lambda r: r.uniform(0.05, 0.2)),
    "phone_dark": _set(style=lambda r: "phone_dark", moire=lambda r: r.uniform(0.05, 0.2)),
    "paper_crease": _set(style=lambda r: "paper", crease=lambda r: True),
    # curl strength 0.1-0.5 bends the card 16-81 degrees end to end; more is "curl_strong".
    "paper_curl": _set(style=lambda r: "paper", curl=lambda r: r.uniform(0.1, 0.5)),
    "curl_crease": _set(style=lambda r: "paper", curl=lambda r: r.uniform(0.3, 0.5),
                        crease=lambda r: True),
    "shadow": _set(style=lambda r: "paper", shadow=lambda r: r.uniform(0.8, 0.95),
                   noise=lambda r: r.uniform(0.02, 0.04)),
    "textured": _set(style=lambda r: "paper", texture=lambda r: r.uniform(0.55, 0.8)),
    "low_contrast": _set(style=lambda r: "paper", ink=lambda r: r.uniform(0.68, 0.8),
                         noise=lambda r: r.uniform(0.015, 0.03)),
    "screen_moire": _set(style=lambda r: "phone", moire=lambda r: r.uniform(0.35, 0.6)),
    "phone_dim": _set(style=lambda r: "phone", screen=lambda r: r.uniform(0.03, 0.1),
                      noise=lambda r: r.uniform(0.01, 0.02)),
    "mirrored": _set(mirror=lambda r: True, rotation=lambda r: r.uniform(-180, 180)),
    "small": _set(frac=lambda r: r.uniform(0.10, 0.16)),
    "multi": _set(frac=lambda r: r.uniform(0.15, 0.3), payloads=lambda r: [_token(r), _token(r)]),
    "foreign": _foreign,
    "mixed": _mixed,
    "beyond_reach": _beyond,
    "curl_strong": _set(style=lambda r: "paper", curl=lambda r: r.uniform(0.5, 0.8)),
}
BEYOND_CLASSES = ("beyond_reach", "curl_strong")
EMPTY_CLASSES = ("empty", "hard_negative")
CLASSES = (*CODE_CLASSES, *EMPTY_CLASSES)


def _finish(s: Shot, placed: synth.Placed, rng: np.random.Generator, size: tuple[int, int],
            ppm: float) -> np.ndarray:
    """Light, blur, noise and compress a composited frame like a webcam would."""
    field = optics.illumination(rng, size, s.level, s.uneven)
    if s.shadow > 0:
        field = optics.shadow(field, rng, s.shadow)
    screen = min(1.0, 0.75 + s.level / 2) if s.screen is None else s.screen
    img = optics.light(placed.image, placed.emissive, field, screen_level=screen)
    if s.moire > 0:
        img = optics.moire(img, placed.emissive, rng, s.moire)
    if s.glare > 0 and placed.quads:
        quad = placed.quads[0]
        side = float(np.linalg.norm(quad[2] - quad[0])) / math.sqrt(2)
        centre = quad.mean(axis=0) + rng.uniform(-0.35, 0.35, 2) * side
        img = optics.glare(img, (float(centre[0]), float(centre[1])),
                           side * rng.uniform(0.08, 0.2), s.glare)
    img = optics.gaussian_blur(img, s.sigma_px)
    img = optics.motion_blur(img, s.motion_modules * ppm, rng.uniform(0, 180))
    img = optics.sensor_noise(img, rng, s.noise) * s.agc
    out = optics.to_uint8(img)
    if s.mirror:
        out = np.ascontiguousarray(out[:, ::-1])
    if s.jpeg is not None:
        _, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, s.jpeg])
        out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out


def _compose(cls: str, rng: np.random.Generator,
             size: tuple[int, int]) -> tuple[Shot, synth.Placed, float, float]:
    """The posed, unlit scene of one code frame: shot, frame so far, px/module, blur."""
    w, h = size
    s = _base(rng)
    CODE_CLASSES[cls](s, rng)
    n = len(s.payloads)
    frac = s.frac if s.ppm_override is None else s.ppm_override * SYMBOL_MODULES / h
    code_h = frac * h
    ppm_face = int(np.clip(round(code_h / SYMBOL_MODULES * 1.5), 3, 14))
    placed = None
    background = optics.scene(rng, size)
    for i, payload in enumerate(s.payloads):
        text = payload.decode("latin-1")
        matrix = synth.qr_matrix(text if text.startswith("KP1:") else payload)
        face = synth.make_face(matrix, s.style, ppm_face, rng, s.ink)
        if s.texture > 0:
            face = synth.texture(face, rng, s.texture)
        if s.curl > 0:
            face = synth.curl(face, rng, s.curl)
        if s.crease:
            face = synth.crease(face, rng)
        slot_w = w / n
        margin = code_h * 0.75
        cx = slot_w * i + slot_w / 2 + rng.uniform(-1, 1) * max(0.0, slot_w / 2 - margin)
        cy = h / 2 + rng.uniform(-1, 1) * max(0.0, h / 2 - margin)
        hom = synth.pose_homography(face, size, code_h, (cx, cy), s.rotation, s.tilt)
        placed = synth.place(background, face, hom, placed)
    assert placed is not None
    sides = [float(np.linalg.norm(q[(k + 1) % 4] - q[k])) for q in placed.quads for k in range(4)]
    ppm = min(sides) / SYMBOL_MODULES
    if s.sigma_px < 0:  # blur class: FWHM asked in modules
        s.sigma_px = -s.sigma_px * ppm / 2.355
    blur = max(2.355 * s.sigma_px / ppm, s.motion_modules)
    return s, placed, ppm, blur


def _code_frame(cls: str, rng: np.random.Generator, size: tuple[int, int]) -> BenchFrame:
    s, placed, ppm, blur = _compose(cls, rng, size)
    return BenchFrame(_finish(s, placed, rng, size, ppm), size, cls, list(s.payloads), ppm, blur)


def _shaken(placed: synth.Placed, rng: np.random.Generator, px: float) -> synth.Placed:
    """The same scene moved by a hand's tremor of about `px` pixels."""
    dx, dy = rng.normal(0.0, px, 2)
    move = np.float32([[1, 0, dx], [0, 1, dy]])
    h, w = placed.image.shape[:2]

    def shift(a: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(a, move, (w, h), borderMode=cv2.BORDER_REPLICATE)

    return synth.Placed(shift(placed.image), shift(placed.emissive),
                        [q + np.float32([dx, dy]) for q in placed.quads])


def clip(cls: str, seed: int, index: int, frames: int,
         size: tuple[int, int] = (1280, 720)) -> list[BenchFrame]:
    """One shot of a code class filmed for `frames` frames: new noise and shake each frame."""
    rng = np.random.default_rng([seed, CLASSES.index(cls), SIZES.index(size), index, 1])
    s, placed, ppm, blur = _compose(cls, rng, size)
    return [BenchFrame(_finish(s, _shaken(placed, rng, 1.5), rng, size, ppm), size, cls,
                       list(s.payloads), ppm, blur) for _ in range(frames)]


def _hard_negative(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """Patterns that look like codes to a detector: checkerboards, finders, fake symbols."""
    w, h = size
    img = optics.scene(rng, size)
    kind = int(rng.integers(4))
    if kind == 0:  # checkerboard on a tilted plane
        cell = int(rng.integers(6, 40))
        board = (np.indices((h // cell + 2, w // cell + 2)).sum(axis=0) % 2).astype(np.float32)
        board = cv2.resize(board, None, fx=cell, fy=cell, interpolation=cv2.INTER_NEAREST)
        jitter = rng.uniform(-0.15, 0.15, (4, 2)) * [w, h]
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        hom = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
        board = cv2.warpPerspective(board[:h, :w], hom, (w, h), borderValue=0.5)
        img = cv2.cvtColor(board * 0.8 + 0.1, cv2.COLOR_GRAY2BGR)
    elif kind in (1, 2):  # finder-like squares, alone or in QR-like triples
        for _ in range(int(rng.integers(3, 12))):
            m = rng.uniform(2, 10)
            x, y = rng.uniform(0, w - 8 * m), rng.uniform(0, h - 8 * m)
            spots = [(0, 0)] if kind == 1 else [(0, 0), (14 * m, 0), (0, 14 * m)]
            for dx, dy in spots:
                for k, val in ((0, 0.05), (1, 0.95), (2, 0.05)):
                    p1 = (int(x + dx + k * m), int(y + dy + k * m))
                    p2 = (int(x + dx + (7 - k) * m), int(y + dy + (7 - k) * m))
                    cv2.rectangle(img, p1, p2, (val, val, val), -1)
    else:  # a real symbol layout whose data modules are random: detectable, never decodable
        matrix = synth.qr_matrix(b"KP1:" + b"A" * 32)
        n = matrix.shape[0]
        data = np.ones_like(matrix)
        data[:13, :13] = data[:13, -13:] = data[-13:, :13] = False
        data[10, :] = data[:, 10] = False
        matrix = np.where(data, rng.random(matrix.shape) < 0.5, matrix)
        face = synth.make_face(matrix, "paper", 6, rng)
        code_h = rng.uniform(0.2, 0.5) * h
        hom = synth.pose_homography(face, size, code_h * (n - 8) / n, (w / 2, h / 2),
                                    rng.uniform(-30, 30), (0.0, 0.0))
        img = synth.place(img, face, hom).image
    return img


def _empty_frame(cls: str, rng: np.random.Generator, size: tuple[int, int]) -> BenchFrame:
    s = _base(rng)
    s.jpeg = int(rng.integers(40, 90)) if rng.random() < 0.3 else None
    image = _hard_negative(rng, size) if cls == "hard_negative" else optics.scene(rng, size)
    h, w = image.shape[:2]
    placed = synth.Placed(image, np.zeros((h, w), np.float32), [])
    return BenchFrame(_finish(s, placed, rng, size, 1.0), size, cls, [], 0.0, 0.0)


def generate(per_class: int = 16, seed: int = 2024,
             classes: tuple[str, ...] = CLASSES) -> Iterator[BenchFrame]:
    """Yield `per_class` frames per class and frame size; same seed, same frames."""
    for ci, cls in enumerate(CLASSES):
        if cls not in classes:
            continue
        for si, size in enumerate(SIZES):
            for i in range(per_class):
                rng = np.random.default_rng([seed, ci, si, i])
                if cls in EMPTY_CLASSES:
                    yield _empty_frame(cls, rng, size)
                else:
                    yield _code_frame(cls, rng, size)
