"""Still images: the size comes from the header, and a huge one is refused before decoding."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.cli import cli
from kiosk.scanner.still import ImageTooLarge, decode_still, image_size, read_still


def _huge_png(width: int, height: int) -> bytes:
    """A small, valid-looking PNG whose header claims width x height."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".bmp", ".webp"])
def test_the_header_size_matches_what_opencv_decodes(suffix: str) -> None:
    image = np.random.default_rng(1).integers(0, 255, (37, 53, 3), dtype=np.uint8)
    ok, encoded = cv2.imencode(suffix, image)
    assert ok
    assert image_size(encoded.tobytes()) == (53, 37)
    decoded = decode_still(encoded.tobytes())
    assert decoded is not None and decoded.shape[:2] == (37, 53)


def test_a_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_huge_png(25_000, 25_000))
    assert bomb.stat().st_size < 2000
    with pytest.raises(ImageTooLarge, match="25000x25000 pixels"):
        read_still(bomb)
    result = CliRunner().invoke(cli, ["scan-image", str(bomb)])
    assert result.exit_code == 1 and "25000x25000 pixels" in result.output
    assert "Traceback" not in result.output


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_give_a_size_none_or_a_plain_refusal(data: bytes) -> None:
    size = image_size(data)
    assert size is None or (isinstance(size[0], int) and isinstance(size[1], int))
    try:
        decode_still(data)
    except ImageTooLarge as error:
        assert "pixels" in str(error)
