"""Findings of issue #14 that no other test covered: each as the attack, on a real file.

A decompression bomb at `passes verify --image` and at a folder camera; erasure while
another connection reads (the first release left the names in the file and said nothing).
"""

from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.privacy.erasure import erase_family
from kiosk.scanner.sources import ImageSequenceSource
from kiosk.store import open_store
from support.data_protection_school import NAMES, NOW, School

pytest_plugins = ("support.data_protection_fixtures",)


def _bomb(path: Path) -> Path:
    """A 1 KB PNG whose header claims 25000 x 25000 pixels (3.75 GB decoded)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 25_000, 25_000, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    return path


def test_passes_verify_refuses_a_huge_image_before_decoding(
        school_db: tuple[Path, School], tmp_path: Path) -> None:
    path, _ = school_db
    bomb = _bomb(tmp_path / "pass.png")
    result = CliRunner().invoke(cli, ["--db", str(path), "passes", "verify", "--image",
                                      str(bomb)])
    assert result.exit_code == 1 and "25000x25000 pixels" in result.output
    assert "Traceback" not in result.output


def test_a_folder_camera_skips_a_huge_image(tmp_path: Path) -> None:
    folder = tmp_path / "camera"
    folder.mkdir()
    _bomb(folder / "frame.png")
    source = ImageSequenceSource(folder)
    source.open()
    assert source.read() is None
    assert [p.name for p in source.skipped] == ["frame.png"]


def test_erasure_under_a_reader_says_the_log_was_kept_and_the_names_go_later(
        school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM families").fetchone()[0] > 0  # a snapshot
    store = open_store(path)
    try:
        result = erase_family(store, "F-ROSE", now=NOW, actor="staff:1", kiosk_id="office")
        assert not result.log_emptied  # said, not pretended
    finally:
        store.close()
    reader.execute("COMMIT")
    reader.close()
    open_store(path).close()  # the next kiosk to close empties the log
    wal = Path(f"{path}-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for name in NAMES["F-ROSE"]:
        assert name.encode() not in raw, name


def test_the_cli_says_so_when_a_reader_kept_the_log(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM families").fetchone()
    try:
        result = CliRunner().invoke(cli, ["--db", str(path), "erase", "family", "F-ROSE",
                                          "--yes", "--staff", "Ada Admin"], input="444444\n")
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert result.exit_code == 0, result.output
    assert "its write-ahead log could not be emptied yet" in result.output
