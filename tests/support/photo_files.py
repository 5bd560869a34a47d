"""Photos for the posting-check tests: real JPEG/PNG files with metadata written byte by byte.

EXIF (description, XP fields, camera make/model, GPS, a thumbnail IFD), IPTC captions and
keywords in a Photoshop block, XMP and a JPEG comment: the fields a phone or a photo
editor leaves in a file, so the reader and the cleaner are tested on the real layout.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np


def pixels(width: int = 320, height: int = 200) -> np.ndarray:
    """A plain picture (a gradient with a block), no faces."""
    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[:, :, 0] = np.linspace(0, 255, width, dtype=np.uint8)
    image[40:120, 60:160] = (30, 160, 220)
    return image


def _ifd(entries: list[tuple[int, int, int, bytes]], start: int, next_ifd: int = 0
         ) -> tuple[bytes, int]:
    """One little-endian IFD at offset `start` with its out-of-line values after it."""
    table = struct.pack("<H", len(entries))
    data = b""
    data_at = start + 2 + 12 * len(entries) + 4
    for tag, kind, count, value in sorted(entries):
        if len(value) <= 4:
            table += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\x00")
        else:
            table += struct.pack("<HHII", tag, kind, count, data_at + len(data))
            data += value + (b"\x00" if len(value) % 2 else b"")
    return table + struct.pack("<I", next_ifd) + data, start + len(table) + 4 + len(data)


def exif_block(description: str | None = None, xp_comment: str | None = None,
               xp_subject: str | None = None, gps: bool = False, device: bool = False,
               thumbnail: bool = False) -> bytes:
    """A TIFF block ('II*\\0' ...) holding the asked-for EXIF fields."""
    def ascii_entry(tag: int, text: str) -> tuple[int, int, int, bytes]:
        raw = text.encode("utf-8") + b"\x00"
        return (tag, 2, len(raw), raw)

    def xp_entry(tag: int, text: str) -> tuple[int, int, int, bytes]:
        raw = text.encode("utf-16-le") + b"\x00\x00"
        return (tag, 1, len(raw), raw)

    entries = []
    if description:
        entries.append(ascii_entry(0x010E, description))
    if device:
        entries += [ascii_entry(0x010F, "PhoneMaker"), ascii_entry(0x0110, "Pocket 12")]
    if xp_comment:
        entries.append(xp_entry(0x9C9C, xp_comment))
    if xp_subject:
        entries.append(xp_entry(0x9C9F, xp_subject))
    gps_at = 0
    if gps:
        entries.append((0x8825, 4, 1, b"\x00\x00\x00\x00"))  # offset patched below
    ifd0, end = _ifd(entries, 8)
    blocks = [ifd0]
    if gps:
        gps_at = end
        latitude = struct.pack("<6I", 51, 1, 30, 1, 1234, 100)
        gps_ifd, end = _ifd([(0x0001, 2, 2, b"N\x00"), (0x0002, 5, 3, latitude)], gps_at)
        blocks.append(gps_ifd)
        entries[-1] = (0x8825, 4, 1, struct.pack("<I", gps_at))
        blocks[0], _ = _ifd(entries, 8)
    if thumbnail:
        thumb_at = end
        ifd1, end = _ifd([(0x0201, 4, 1, struct.pack("<I", 0)),
                          (0x0202, 4, 1, struct.pack("<I", 0))], thumb_at)
        blocks.append(ifd1)
        blocks[0], _ = _ifd(entries, 8, next_ifd=thumb_at)
    return b"II*\x00" + struct.pack("<I", 8) + b"".join(blocks)


def iptc_block(caption: str | None = None, keywords: tuple[str, ...] = ()) -> bytes:
    """A Photoshop 3.0 resource block with IPTC caption (2:120) and keywords (2:25)."""
    data = b"\x1c\x02\x00\x00\x02\x00\x04"
    for dataset, text in [(120, caption)] * bool(caption) + [(25, k) for k in keywords]:
        raw = str(text).encode("utf-8")
        data += struct.pack(">BBBH", 0x1C, 2, dataset, len(raw)) + raw
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(data))
    return b"Photoshop 3.0\x00" + resource + data + (b"\x00" if len(data) % 2 else b"")


def xmp_packet(description: str) -> bytes:
    """A minimal XMP packet with a dc:description."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li>'
        "</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def write_jpeg(path: Path, *, exif: bytes | None = None, iptc: bytes | None = None,
               xmp: bytes | None = None, comment: str | None = None,
               image: np.ndarray | None = None) -> Path:
    """A real JPEG (encoded by OpenCV) with the given metadata segments after SOI."""
    ok, encoded = cv2.imencode(".jpg", pixels() if image is None else image)
    assert ok
    data = encoded.tobytes()
    extra = b""
    if exif is not None:
        extra += _segment(0xE1, b"Exif\x00\x00" + exif)
    if xmp is not None:
        extra += _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp)
    if iptc is not None:
        extra += _segment(0xED, iptc)
    if comment is not None:
        extra += _segment(0xFE, comment.encode())
    path.write_bytes(data[:2] + extra + data[2:])
    return path


def write_png(path: Path, text: dict[str, str]) -> Path:
    """A real PNG with tEXt chunks before IEND."""
    import zlib

    ok, encoded = cv2.imencode(".png", pixels())
    assert ok
    data = encoded.tobytes()
    chunks = b""
    for key, value in text.items():
        body = key.encode("latin-1") + b"\x00" + value.encode("latin-1")
        chunks += struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(
            ">I", zlib.crc32(b"tEXt" + body))
    path.write_bytes(data[:-12] + chunks + data[-12:])
    return path
