"""QR images of a pass token (rendered with `qrcode`): the module matrix, PNG and SVG.

The token is upper-case Base32 behind "KP1:", all in the QR alphanumeric set, so it is
encoded as one alphanumeric segment: version 2 at error correction M, version 3 at Q
(measured; see docs/pass-format.md). We print at Q: a scuffed or folded card still reads.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from qrcode.util import MODE_ALPHA_NUM, QRData

QUIET_ZONE = 4  # modules of white around the symbol, as the QR standard asks
ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
PASS_LEVEL = "Q"
PNG_MODULE_PX = 16  # 37 modules x 16 px = 592 px: crisp on any phone screen
SVG_MODULE_MM = 1.2  # 37 x 1.2 mm = 44.4 mm printed, symbol 34.8 mm


def qr_code(token: str, level: str = PASS_LEVEL, *, box_size: int = 10) -> qrcode.QRCode:
    """The smallest QR code holding `token` as one alphanumeric segment at `level`."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECTION[level], border=QUIET_ZONE, box_size=box_size
    )
    code.add_data(QRData(token.encode("ascii"), mode=MODE_ALPHA_NUM, check_data=False))
    code.make(fit=True)
    return code


def qr_version(token: str, level: str = PASS_LEVEL) -> int:
    """QR version (1 = 21x21 modules, +4 per version) the token needs at `level`."""
    return int(qr_code(token, level).version)


@dataclass(frozen=True)
class PassQR:
    """One pass's QR code, fitted once (about 7 ms) and drawn as many ways as needed."""

    code: qrcode.QRCode

    @classmethod
    def of(cls, token: str) -> PassQR:
        """Fit the token's QR code at the pass error-correction level."""
        return cls(qr_code(token))

    @property
    def matrix(self) -> list[list[bool]]:
        """Dark (True) / light modules, rows top to bottom, including the quiet zone."""
        return self.code.get_matrix()

    def _sized(self, box_size: int) -> qrcode.QRCode:
        sized = copy.copy(self.code)
        sized.box_size = box_size
        return sized

    def png(self, *, module_px: int = PNG_MODULE_PX) -> bytes:
        """A black-on-white PNG (for a phone screen or an email)."""
        out = io.BytesIO()
        self._sized(module_px).make_image().save(out)
        return out.getvalue()

    def svg(self) -> bytes:
        """An SVG with a white background (dark-mode viewers stay readable), in mm."""
        box = round(SVG_MODULE_MM * 10)  # qrcode's SVG unit: box_size 10 = 1 mm per module
        image = self._sized(box).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
        out = io.BytesIO()
        image.save(out)
        return out.getvalue()


def qr_matrix(token: str, level: str = PASS_LEVEL) -> list[list[bool]]:
    """Dark (True) / light modules, rows top to bottom, including the quiet zone."""
    return qr_code(token, level).get_matrix()


def png_bytes(token: str, *, module_px: int = PNG_MODULE_PX) -> bytes:
    """A black-on-white PNG of the pass QR code."""
    return PassQR.of(token).png(module_px=module_px)


def svg_bytes(token: str) -> bytes:
    """An SVG of the pass QR code with a white background."""
    return PassQR.of(token).svg()
