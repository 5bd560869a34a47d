"""Read what a photo says about itself: EXIF (with GPS and device), IPTC, XMP, comments.

A small reader of our own for JPEG, PNG and WebP, bounds-checked everywhere: a damaged
or hostile file gives MetadataError, never a crash. Only text is kept (to look for
names); GPS, device and thumbnail are noted as present, their values are not kept.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field

from kiosk.errors import KioskError

MAX_IFD_ENTRIES = 1000
MAX_TEXT = 64 * 1024
_JPEG = b"\xff\xd8"
_PNG = b"\x89PNG\r\n\x1a\n"
_EXIF = b"Exif\x00\x00"
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXT = b"http://ns.adobe.com/xmp/extension/\x00"
_PHOTOSHOP = b"Photoshop 3.0\x00"
_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r'=\s*"([^"]*)"')

# EXIF text tags worth reading for names (tag number -> name shown to staff).
EXIF_TEXT = {0x010E: "ImageDescription", 0x013B: "Artist", 0x8298: "Copyright",
             0x010D: "DocumentName", 0x9286: "UserComment", 0xA420: "ImageUniqueID",
             0x9C9B: "XPTitle", 0x9C9C: "XPComment", 0x9C9D: "XPAuthor",
             0x9C9E: "XPKeywords", 0x9C9F: "XPSubject"}
DEVICE_TAGS = {0x010F, 0x0110, 0xA431, 0xA434, 0xA435}  # make, model, serials, lens
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
IPTC_NAMES = {5: "IPTC ObjectName", 25: "IPTC Keywords", 80: "IPTC By-line",
              105: "IPTC Headline", 116: "IPTC Copyright", 120: "IPTC Caption"}


class MetadataError(KioskError):
    """The image file could not be read."""


@dataclass
class Metadata:
    """What was found: text fields (name, value), and which kinds of metadata exist."""

    format: str
    texts: list[tuple[str, str]] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    gps: bool = False
    device: bool = False
    thumbnail: bool = False

    @property
    def empty(self) -> bool:
        """True when the file carries no metadata at all."""
        return not self.kinds


def _text(raw: bytes, encoding: str = "utf-8") -> str:
    """Bytes as text, cut at NULs and at MAX_TEXT, never failing."""
    return raw[:MAX_TEXT].decode(encoding, "replace").replace("\x00", " ").strip()


def _add(meta: Metadata, name: str, value: str) -> None:
    if value:
        meta.texts.append((name, value))


def _read_tiff(meta: Metadata, data: bytes) -> None:
    """Parse a TIFF/EXIF block: IFD0, IFD1 (thumbnail), the Exif and GPS sub-IFDs."""
    meta.kinds.add("EXIF")
    if len(data) < 8 or data[:2] not in (b"II", b"MM"):
        return
    order = "<" if data[:2] == b"II" else ">"
    seen: set[int] = set()

    def ifd(offset: int, depth: int) -> int:
        if offset in seen or depth > 4 or not 8 <= offset <= len(data) - 2:
            return 0
        seen.add(offset)
        (count,) = struct.unpack_from(order + "H", data, offset)
        for index in range(min(count, MAX_IFD_ENTRIES)):
            at = offset + 2 + 12 * index
            if at + 12 > len(data):
                return 0
            tag, kind, n, value = struct.unpack_from(order + "HHI4s", data, at)
            entry(tag, kind, n, value, depth)
        end = offset + 2 + 12 * min(count, MAX_IFD_ENTRIES)
        return struct.unpack_from(order + "I", data, end)[0] if end + 4 <= len(data) else 0

    def payload(kind: int, n: int, value: bytes) -> bytes:
        size = {1: 1, 2: 1, 7: 1}.get(kind, 0) * n
        if size <= 4:
            return value[:size]
        (pointer,) = struct.unpack(order + "I", value)
        return data[pointer:pointer + min(size, MAX_TEXT)]

    def entry(tag: int, kind: int, n: int, value: bytes, depth: int) -> None:
        if tag in (EXIF_IFD, GPS_IFD) and kind in (4, 13):
            (pointer,) = struct.unpack(order + "I", value)
            if tag == GPS_IFD:
                meta.gps = meta.gps or n > 0
            ifd(pointer, depth + 1)
        elif tag in DEVICE_TAGS:
            meta.device = True
        elif tag in EXIF_TEXT:
            raw = payload(kind, n, value)
            if tag >= 0x9C9B:
                _add(meta, "EXIF " + EXIF_TEXT[tag], _text(raw, "utf-16-le"))
            elif tag == 0x9286:
                coding = "utf-16-le" if raw[:8].startswith(b"UNICODE") else "utf-8"
                _add(meta, "EXIF UserComment", _text(raw[8:], coding))
            else:
                _add(meta, "EXIF " + EXIF_TEXT[tag], _text(raw))

    first = struct.unpack_from(order + "I", data, 4)[0]
    following = ifd(first, 0)
    if following:
        meta.thumbnail = True
        ifd(following, 1)


def _read_xmp(meta: Metadata, raw: bytes) -> None:
    """Every text value and attribute in an XMP packet (captions, keywords, people)."""
    meta.kinds.add("XMP")
    xml = _text(raw)
    if "GPSLatitude" in xml or "GPSLongitude" in xml:
        meta.gps = True
    values = [v.strip() for v in _TAG.split(xml)] + _ATTR.findall(xml)
    _add(meta, "XMP", " ".join(v for v in values if v and not v.startswith(("http:", "uuid:"))))


def _read_photoshop(meta: Metadata, raw: bytes) -> None:
    """IPTC-IIM datasets inside a Photoshop 8BIM resource block (id 0x0404)."""
    at = 0
    while at + 12 <= len(raw) and raw[at:at + 4] == b"8BIM":
        resource = struct.unpack_from(">H", raw, at + 4)[0]
        name_len = raw[at + 6]
        at += 7 + name_len + ((name_len + 1) % 2)
        if at + 4 > len(raw):
            return
        (size,) = struct.unpack_from(">I", raw, at)
        block = raw[at + 4:at + 4 + size]
        at += 4 + size + (size % 2)
        if resource == 0x0404:
            _read_iptc(meta, block)
        else:
            meta.kinds.add("Photoshop")


def _read_iptc(meta: Metadata, block: bytes) -> None:
    meta.kinds.add("IPTC")
    at = 0
    while at + 5 <= len(block) and block[at] == 0x1C:
        record, dataset = block[at + 1], block[at + 2]
        (size,) = struct.unpack_from(">H", block, at + 3)
        if size & 0x8000:
            return
        value = block[at + 5:at + 5 + size]
        at += 5 + size
        if record == 2 and dataset not in (0, 90):
            _add(meta, IPTC_NAMES.get(dataset, f"IPTC 2:{dataset}"), _text(value))


def _read_jpeg(data: bytes) -> Metadata:
    meta = Metadata("jpeg")
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise MetadataError("This JPEG file is damaged (a segment marker is missing).")
        marker = data[at + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        (size,) = struct.unpack_from(">H", data, at + 2)
        body = data[at + 4:at + 2 + size]
        at += 2 + size
        if marker == 0xE1 and body.startswith(_EXIF):
            _read_tiff(meta, body[len(_EXIF):])
        elif marker == 0xE1 and body.startswith((_XMP, _XMP_EXT)):
            _read_xmp(meta, body[body.index(b"\x00") + 1:])
        elif marker == 0xED and body.startswith(_PHOTOSHOP):
            _read_photoshop(meta, body[len(_PHOTOSHOP):])
        elif marker == 0xFE:
            meta.kinds.add("comment")
            _add(meta, "JPEG comment", _text(body))
        elif marker == 0xE2 and body.startswith(b"ICC_PROFILE"):
            meta.kinds.add("ICC profile")
        elif 0xE1 <= marker <= 0xEF:
            meta.kinds.add(f"APP{marker - 0xE0}")
    return meta


def _read_png(data: bytes) -> Metadata:
    meta = Metadata("png")
    at = 8
    while at + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        body = data[at + 8:at + 8 + size]
        at += 12 + size
        if kind == b"IEND":
            break
        if kind == b"eXIf":
            _read_tiff(meta, body)
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            _png_text(meta, kind, body)
        elif kind in (b"tIME", b"iCCP", b"sPLT", b"dSIG"):
            meta.kinds.add(f"PNG {kind.decode()}")
    return meta


def _png_text(meta: Metadata, kind: bytes, body: bytes) -> None:
    key, _, rest = body.partition(b"\x00")
    meta.kinds.add("PNG text")
    try:
        if kind == b"zTXt":
            rest = zlib.decompressobj().decompress(rest[1:], MAX_TEXT)
        elif kind == b"iTXt":
            compressed = rest[:1] == b"\x01"
            rest = rest[2:].split(b"\x00", 2)[-1]
            if compressed:
                rest = zlib.decompressobj().decompress(rest, MAX_TEXT)
    except zlib.error as error:
        raise MetadataError("This PNG file has a damaged text chunk.") from error
    name = _text(key, "latin-1")
    if name == "XML:com.adobe.xmp":
        _read_xmp(meta, rest)
    else:
        _add(meta, f"PNG {name}", _text(rest, "utf-8" if kind == b"iTXt" else "latin-1"))


def _read_webp(data: bytes) -> Metadata:
    meta = Metadata("webp")
    at = 12
    while at + 8 <= len(data):
        kind, size = struct.unpack_from("<4sI", data, at)
        body = data[at + 8:at + 8 + size]
        at += 8 + size + (size % 2)
        if kind == b"EXIF":
            _read_tiff(meta, body[len(_EXIF):] if body.startswith(_EXIF) else body)
        elif kind == b"XMP ":
            _read_xmp(meta, body)
        elif kind == b"ICCP":
            meta.kinds.add("ICC profile")
    return meta


def image_format(data: bytes) -> str:
    """'jpeg', 'png' or 'webp' from the file's first bytes, else MetadataError."""
    if data.startswith(_JPEG):
        return "jpeg"
    if data.startswith(_PNG):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise MetadataError("Only JPEG, PNG and WebP photos can be checked.")


def read_metadata(data: bytes) -> Metadata:
    """Parse a photo's metadata; MetadataError for other formats and damaged files."""
    reader = {"jpeg": _read_jpeg, "png": _read_png, "webp": _read_webp}[image_format(data)]
    try:
        return reader(data)
    except (struct.error, IndexError, ValueError) as error:
        raise MetadataError("The photo's metadata is damaged and could not be read.") from error
