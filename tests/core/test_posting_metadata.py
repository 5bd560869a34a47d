"""The metadata reader on real layouts and on hostile bytes; the clean copy has none."""

from __future__ import annotations

import contextlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.posting.images import clean_copy, decode
from kiosk.posting.metadata import MetadataError, read_metadata
from support.photo_files import exif_block, iptc_block, pixels, write_jpeg, write_png, xmp_packet


def test_every_field_is_read(tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "a.jpg",
                       exif=exif_block("desc", xp_comment="comment", xp_subject="subject",
                                       gps=True, device=True, thumbnail=True),
                       iptc=iptc_block("caption", ("kw1", "kw2")), xmp=xmp_packet("xmp text"),
                       comment="jpeg comment")
    meta = read_metadata(photo.read_bytes())
    fields = dict(meta.texts)
    assert fields["EXIF ImageDescription"] == "desc"
    assert fields["EXIF XPComment"] == "comment" and fields["EXIF XPSubject"] == "subject"
    assert fields["IPTC Caption"] == "caption"
    assert [v for k, v in meta.texts if k == "IPTC Keywords"] == ["kw1", "kw2"]
    assert "xmp text" in fields["XMP"] and fields["JPEG comment"] == "jpeg comment"
    assert meta.gps and meta.device and meta.thumbnail
    assert meta.kinds == {"EXIF", "IPTC", "XMP", "comment"}


def test_png_text_chunks_are_read(tmp_path: Path) -> None:
    meta = read_metadata(write_png(tmp_path / "a.png", {"Description": "Zoe"}).read_bytes())
    assert meta.texts == [("PNG Description", "Zoe")]


def test_a_plain_opencv_jpeg_has_no_metadata() -> None:
    ok, data = cv2.imencode(".jpg", pixels())
    assert ok and read_metadata(data.tobytes()).empty


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".webp"])
def test_the_clean_copy_keeps_size_and_drops_everything(tmp_path: Path, suffix: str) -> None:
    original = write_jpeg(tmp_path / "a.jpg", exif=exif_block("x", gps=True, thumbnail=True),
                          iptc=iptc_block("c"), xmp=xmp_packet("x"), comment="c")
    image = decode(original.read_bytes())
    out = clean_copy(image, original, tmp_path / f"clean{suffix}")
    assert read_metadata(out.read_bytes()).empty
    again = cv2.imread(str(out))
    assert again.shape == image.shape
    assert float(np.abs(again.astype(int) - image.astype(int)).mean()) < 3


def test_other_formats_are_refused_plainly() -> None:
    with pytest.raises(MetadataError, match="Only JPEG, PNG and WebP"):
        read_metadata(b"GIF89a....")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from([b"\xff\xd8", b"\x89PNG\r\n\x1a\n",
                                                 b"RIFF\x00\x00\x00\x00WEBP"]))
def test_hostile_bytes_give_metadata_error_or_a_result(body: bytes, head: bytes) -> None:
    with contextlib.suppress(MetadataError):
        read_metadata(head + body)


@settings(max_examples=200)
@given(st.binary(min_size=8, max_size=300))
def test_a_mangled_exif_block_never_crashes(noise: bytes) -> None:
    block = b"II*\x00\x08\x00\x00\x00" + noise
    segment = b"\xff\xe1" + (len(block) + 8).to_bytes(2, "big") + b"Exif\x00\x00" + block
    with contextlib.suppress(MetadataError):
        read_metadata(b"\xff\xd8" + segment + b"\xff\xd9")
