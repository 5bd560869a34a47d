"""Synthetic camera views of QR passes, for the demo source and the benchmark set.

A pass is drawn as a printed card or a phone screen (the "face"), bent or creased if
asked, then placed in a scene with a 3-D pose (size, rotation, tilt) by a homography.
Everything stays in memory as float32 BGR in 0..1; `optics.py` adds light, blur and noise.
Nothing here writes a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

import cv2
import numpy as np
import qrcode
import qrcode.constants

from kiosk.demo import optics
from kiosk.passes import render
from kiosk.passes.token import looks_like_ours

QUIET_ZONE = 4  # modules of white border around the symbol, as the QR spec asks
FaceStyle = Literal["paper", "phone", "phone_dark"]
_ECC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def qr_matrix(payload: str | bytes, ecc: str = "Q") -> np.ndarray:
    """Return the QR module matrix (True = dark), quiet zone included, as qrcode builds it.

    A pass token (text with our prefix) is drawn exactly as the passes module prints it.
    """
    if isinstance(payload, str) and looks_like_ours(payload):
        return np.array(render.qr_matrix(payload, ecc), dtype=bool)
    qr = qrcode.QRCode(error_correction=_ECC[ecc], box_size=1, border=QUIET_ZONE)
    qr.add_data(payload)
    qr.make(fit=True)
    return np.array(qr.get_matrix(), dtype=bool)


@dataclass(frozen=True)
class Face:
    """A pass as drawn on its carrier, before the camera sees it."""

    image: np.ndarray  # float32 BGR, 0..1
    alpha: np.ndarray  # float32, 1 on the card or phone, 0 around it
    emissive: np.ndarray  # float32, 1 where the surface gives its own light (a screen)
    code_quad: np.ndarray  # (4, 2) symbol corners without quiet zone: TL, TR, BR, BL
    ppm: int  # face pixels per module


def _modules(matrix: np.ndarray, ppm: int, dark: float, light: float) -> np.ndarray:
    cells = np.where(matrix, dark, light).astype(np.float32)
    return np.kron(cells, np.ones((ppm, ppm), np.float32))


def _text_bars(img: np.ndarray, rng: np.random.Generator, box: tuple[int, int, int, int],
               line_h: int, colour: tuple[float, float, float]) -> None:
    """Draw lines of word-like bars in a box: the printed text around a code."""
    x0, y0, x1, y1 = box
    y = y0
    while y + line_h <= y1:
        x = x0 + int(rng.integers(0, max(1, line_h)))
        end = x0 + int((x1 - x0) * rng.uniform(0.45, 1.0))
        while x < end:
            word = int(rng.integers(line_h, line_h * 5))
            cv2.rectangle(img, (x, y), (min(x + word, end), y + int(line_h * 0.7)), colour, -1)
            x += word + max(2, line_h // 2)
        y += int(line_h * rng.uniform(1.6, 2.2))


def _rounded_mask(h: int, w: int, radius: int) -> np.ndarray:
    mask = np.zeros((h, w), np.float32)
    r = max(1, min(radius, h // 2, w // 2))
    cv2.rectangle(mask, (r, 0), (w - 1 - r, h - 1), 1.0, -1)
    cv2.rectangle(mask, (0, r), (w - 1, h - 1 - r), 1.0, -1)
    for cx, cy in ((r, r), (w - 1 - r, r), (r, h - 1 - r), (w - 1 - r, h - 1 - r)):
        cv2.circle(mask, (cx, cy), r, 1.0, -1, lineType=cv2.LINE_AA)
    return mask


def paper_face(matrix: np.ndarray, ppm: int, rng: np.random.Generator,
               ink: float | None = None) -> Face:
    """A printed pass card: off-white paper, slightly grey ink (or `ink`), text beside it."""
    n = matrix.shape[0]
    paper = rng.uniform(0.86, 0.97)
    tint = np.array([rng.uniform(0.94, 1.0), 1.0, rng.uniform(0.97, 1.0)], np.float32)
    ink = rng.uniform(0.04, 0.18) if ink is None else ink
    h, w = int(n * 1.15) * ppm, int(n * 2.3) * ppm
    grey = np.full((h, w), paper, np.float32)
    oy = (h - n * ppm) // 2
    grey[oy:oy + n * ppm, :n * ppm] = _modules(matrix, ppm, ink, paper)
    img = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR) * tint
    _text_bars(img, rng, (n * ppm + 2 * ppm, oy + 4 * ppm, w - 3 * ppm, h - 4 * ppm),
               max(2, int(ppm * 1.6)), (ink, ink, ink + 0.1))
    texture = rng.normal(0.0, 0.012, (h // 4 + 1, w // 4 + 1)).astype(np.float32)
    img += cv2.resize(texture, (w, h), interpolation=cv2.INTER_LINEAR)[:, :, None]
    if ppm >= 4:  # ink spreads a little into the paper
        img = np.asarray(cv2.GaussianBlur(img, (0, 0), 0.25 * ppm), np.float32)
    quad = _symbol_quad(0, oy, n, ppm)
    ones = np.ones((h, w), np.float32)
    return Face(np.clip(img, 0, 1), ones, np.zeros((h, w), np.float32), quad, ppm)


def phone_face(matrix: np.ndarray, ppm: int, rng: np.random.Generator,
               dark_mode: bool = False) -> Face:
    """A phone showing the pass: body, bezel, app header, code and text (or dark mode)."""
    n = matrix.shape[0]
    sw = int(n * rng.uniform(1.15, 1.45)) * ppm
    sh = int(sw * rng.uniform(1.9, 2.15))
    bezel = max(2, int(sw * rng.uniform(0.03, 0.07)))
    h, w = sh + 2 * bezel + 4 * bezel, sw + 2 * bezel
    body = rng.uniform(0.02, 0.12)
    img = np.full((h, w, 3), body, np.float32)
    sy = 2 * bezel + bezel
    if dark_mode:
        bg, fg = rng.uniform(0.0, 0.08), rng.uniform(0.8, 0.95)
    else:
        bg, fg = rng.uniform(0.9, 1.0), rng.uniform(0.0, 0.08)
    screen = np.full((sh, sw, 3), bg, np.float32)
    header = np.array(rng.uniform(0.15, 0.6, 3), np.float32)
    screen[: int(sh * 0.09)] = header * (0.5 if dark_mode else 1.0)
    qx, qy = (sw - n * ppm) // 2, int(sh * 0.2)
    screen[qy:qy + n * ppm, qx:qx + n * ppm] = _modules(matrix, ppm, fg, bg)[:, :, None]
    _text_bars(screen, rng, (ppm * 2, qy + n * ppm + 2 * ppm, sw - ppm * 2, sh - ppm * 3),
               max(2, int(ppm * 1.3)), (fg, fg, fg))
    img[sy:sy + sh, bezel:bezel + sw] = screen
    emissive = np.zeros((h, w), np.float32)
    emissive[sy:sy + sh, bezel:bezel + sw] = 1.0
    alpha = _rounded_mask(h, w, int(w * 0.09))
    return Face(img, alpha, emissive, _symbol_quad(bezel + qx, sy + qy, n, ppm), ppm)


def _symbol_quad(x: int, y: int, n: int, ppm: int) -> np.ndarray:
    """Corners of the symbol (quiet zone excluded) for a matrix drawn at (x, y)."""
    a, b = QUIET_ZONE * ppm, (n - QUIET_ZONE) * ppm
    return np.array([[x + a, y + a], [x + b, y + a], [x + b, y + b], [x + a, y + b]],
                    np.float32)


def make_face(matrix: np.ndarray, style: FaceStyle, ppm: int,
              rng: np.random.Generator, ink: float | None = None) -> Face:
    """Draw the pass in the given style at `ppm` face pixels per module (paper: `ink` shade)."""
    if style == "paper":
        return paper_face(matrix, ppm, rng, ink)
    return phone_face(matrix, ppm, rng, dark_mode=style == "phone_dark")


def _remap(face: Face, map_x: np.ndarray, map_y: np.ndarray, shade: np.ndarray) -> Face:
    def warp(a: np.ndarray) -> np.ndarray:
        return cv2.remap(a, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)

    image = warp(face.image) * shade[:, :, None]
    return replace(face, image=image, alpha=warp(face.alpha), emissive=warp(face.emissive))


def curl(face: Face, rng: np.random.Generator, strength: float) -> Face:
    """Bend the card around a vertical axis, as a pass held in one hand (0 < strength <= 1)."""
    h, w = face.alpha.shape
    arc = max(1e-3, strength) * math.pi * 0.9  # total bend angle across the card
    radius = w / arc
    half_out = radius * math.sin(arc / 2)
    xs = (np.arange(w, dtype=np.float32) - w / 2) * (2 * half_out / w)
    theta = np.arcsin(np.clip(xs / radius, -1, 1))
    src_x = (theta * radius + w / 2).astype(np.float32)
    sag = rng.uniform(-0.04, 0.04) * h
    ys = np.arange(h, dtype=np.float32)
    map_x = np.repeat(src_x[None, :], h, axis=0)
    bow = (1 - np.cos(theta)) * sag
    map_y = (ys[:, None] + bow[None, :] * ((ys[:, None] - h / 2) / (h / 2))).astype(np.float32)
    light = rng.uniform(-0.6, 0.6)
    shade_row = (0.78 + 0.22 * np.cos(theta - light)).astype(np.float32)
    shade = np.repeat(shade_row[None, :], h, axis=0)
    # Corner points move with the columns they sit on.
    quad = face.code_quad.copy()
    for p in quad:
        t = (p[0] - w / 2) / radius
        p[0] = radius * math.sin(t) * (w / (2 * half_out)) + w / 2
    return replace(_remap(face, map_x, map_y, shade), code_quad=quad)


def texture(face: Face, rng: np.random.Generator, strength: float) -> Face:
    """Print a picture into the modules (a decorated pass): colour blobs and stripes.

    The picture is blended over the symbol at `strength` (0..1), so dark modules stay
    darker than light ones but lose contrast and gain texture.
    """
    x0, y0 = (int(v) for v in face.code_quad[0])
    x1, y1 = (int(v) for v in face.code_quad[2])
    qw, qh = x1 - x0, y1 - y0
    picture = optics.scene(rng, (qw, qh))
    yy, xx = np.mgrid[0:qh, 0:qw].astype(np.float32)
    period = rng.uniform(1.5, 4.0) * face.ppm
    ang = rng.uniform(0, math.pi)
    stripes = 0.5 + 0.5 * np.sin((xx * math.cos(ang) + yy * math.sin(ang)) * 2 * math.pi
                                 / period)
    picture = picture * (0.7 + 0.3 * stripes[:, :, None])
    image = face.image.copy()
    code = image[y0:y1, x0:x1]
    image[y0:y1, x0:x1] = code * (1 - strength) + picture * strength * (0.35 + 0.65 * code)
    return replace(face, image=np.clip(image, 0, 1).astype(np.float32))


def crease(face: Face, rng: np.random.Generator) -> Face:
    """Fold line across the code: a step in shading, a bright or dark line, a small kink."""
    h, w = face.alpha.shape
    quad = face.code_quad
    cx, cy = quad.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * (quad[2] - quad[0])
    ang = rng.uniform(0, math.pi)
    nx, ny = -math.sin(ang), math.cos(ang)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    dist = (xx - cx) * nx + (yy - cy) * ny
    side = (dist > 0).astype(np.float32)
    kink = rng.uniform(0.1, 0.35) * face.ppm
    map_x = xx + side * kink * nx
    map_y = yy + side * kink * ny
    line = np.exp(-(dist / max(1.0, 0.3 * face.ppm)) ** 2)
    shade = 1.0 - side * rng.uniform(0.05, 0.2) + line * rng.choice([-0.25, 0.2])
    return _remap(face, map_x, map_y, shade.astype(np.float32))


def pose_homography(face: Face, frame_size: tuple[int, int], code_height: float,
                    centre: tuple[float, float], rotation_deg: float,
                    tilt_deg: tuple[float, float]) -> np.ndarray:
    """Homography putting the face in the frame: symbol `code_height` px tall, posed in 3-D."""
    w, _ = frame_size
    quad = face.code_quad
    side = float(np.linalg.norm(quad[3] - quad[0]))
    scale = code_height / side
    mid = quad.mean(axis=0)
    fh, fw = face.alpha.shape
    src = np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], np.float32)
    pts = np.column_stack([(src - mid) * scale, np.zeros(4)])
    rz, tx, ty = (math.radians(a) for a in (rotation_deg, *tilt_deg))
    rot_z = np.array([[math.cos(rz), -math.sin(rz), 0], [math.sin(rz), math.cos(rz), 0],
                      [0, 0, 1]])
    rot_x = np.array([[1, 0, 0], [0, math.cos(tx), -math.sin(tx)],
                      [0, math.sin(tx), math.cos(tx)]])
    rot_y = np.array([[math.cos(ty), 0, math.sin(ty)], [0, 1, 0],
                      [-math.sin(ty), 0, math.cos(ty)]])
    focal = float(w)  # about a 53-degree field of view, like a webcam
    cam = pts @ (rot_y @ rot_x @ rot_z).T + np.array([0.0, 0.0, focal])
    dst = np.column_stack([focal * cam[:, 0] / cam[:, 2] + centre[0],
                           focal * cam[:, 1] / cam[:, 2] + centre[1]]).astype(np.float32)
    return cv2.getPerspectiveTransform(src, dst)


@dataclass
class Placed:
    """A frame under construction: pixels, self-lit mask and where the symbols are."""

    image: np.ndarray  # float32 BGR 0..1
    emissive: np.ndarray  # float32 0..1
    quads: list[np.ndarray]  # symbol corners in frame pixels, one per placed pass


def place(scene: np.ndarray, face: Face, homography: np.ndarray,
          placed: Placed | None = None) -> Placed:
    """Composite a face into the scene (or a frame built so far) through a homography."""
    h, w = scene.shape[:2]
    out = placed or Placed(scene.copy(), np.zeros((h, w), np.float32), [])
    quad = cv2.perspectiveTransform(face.code_quad.reshape(1, 4, 2), homography)[0]
    out.quads.append(quad)
    fh, fw = face.alpha.shape
    outline = np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], np.float32).reshape(1, 4, 2)
    box = cv2.perspectiveTransform(outline, homography)[0]
    x0, y0 = (max(0, int(v) - 2) for v in box.min(axis=0))
    x1, y1 = min(w, int(box[:, 0].max()) + 3), min(h, int(box[:, 1].max()) + 3)
    if x1 <= x0 or y1 <= y0:
        return out
    # Pre-blur big faces that shrink a lot, so the warp does not alias the modules.
    area = cv2.contourArea(box) / float(fw * fh)
    img, alpha = face.image * face.alpha[:, :, None], face.alpha
    if area < 0.25:
        sigma = 0.2 / math.sqrt(max(area, 1e-6))
        img = cv2.GaussianBlur(img, (0, 0), sigma)
        alpha = cv2.GaussianBlur(alpha, (0, 0), sigma)
    shifted = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ homography

    def warp(a: np.ndarray) -> np.ndarray:
        return cv2.warpPerspective(a, shifted, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_CONSTANT)

    a = warp(alpha)
    roi = out.image[y0:y1, x0:x1]
    out.image[y0:y1, x0:x1] = roi * (1 - a[:, :, None]) + warp(img)
    em = out.emissive[y0:y1, x0:x1]
    out.emissive[y0:y1, x0:x1] = np.maximum(em * (1 - a), warp(face.emissive * face.alpha))
    return out


def camera_view(payloads: list[str | bytes], size: tuple[int, int] = (640, 480), *,
                style: FaceStyle = "phone", seed: int = 0, code_frac: float = 0.3,
                rotation: float = 0.0, tilt: tuple[float, float] = (0.0, 0.0),
                mirror: bool = False) -> np.ndarray:
    """A plain webcam picture (8-bit BGR) of passes held up side by side; for demos and tests."""
    rng = np.random.default_rng(seed)
    w, h = size
    frame = optics.scene(rng, size)
    placed = None
    for i, payload in enumerate(payloads):
        face = make_face(qr_matrix(payload), style, 6, rng)
        centre = (w * (i + 0.5) / len(payloads), h * 0.5)
        hom = pose_homography(face, size, code_frac * h, centre, rotation, tilt)
        placed = place(frame, face, hom, placed)
    image = frame if placed is None else placed.image
    image = optics.sensor_noise(optics.gaussian_blur(image, 0.6), rng, 0.01)
    out = optics.to_uint8(image)
    return np.ascontiguousarray(out[:, ::-1]) if mirror else out
