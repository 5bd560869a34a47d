"""`kiosk scan-image` and `kiosk scan-camera` on PNG passes, camera-like photos and video."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.demo.synth import camera_view, qr_matrix
from kiosk.passes.render import png_bytes
from kiosk.passes.token import encode_token

TOKEN_A = encode_token(bytes(range(16)))
TOKEN_B = encode_token(bytes(range(32, 48)))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A pass PNG, a photo of two phones, an empty photo, a video, a text file."""
    out = {"png": tmp_path / "pass.png", "photo": tmp_path / "door.jpg",
           "empty": tmp_path / "empty.jpg", "video": tmp_path / "door.avi",
           "text": tmp_path / "notes.txt"}
    out["png"].write_bytes(png_bytes(TOKEN_A))
    cv2.imwrite(str(out["photo"]), camera_view([TOKEN_A, TOKEN_B], size=(960, 540),
                                               code_frac=0.3, rotation=20, seed=4))
    cv2.imwrite(str(out["empty"]), camera_view([], seed=5))
    writer = cv2.VideoWriter(str(out["video"]), cv2.VideoWriter_fourcc(*"MJPG"), 10, (480, 270))
    # A shown, taken away for 0.2 s (same presentation), B, then A again 4 s later.
    plan = [[TOKEN_A]] * 3 + [[]] * 2 + [[TOKEN_A]] + [[TOKEN_B]] * 2 + [[]] * 40 + [[TOKEN_A]]
    for i, codes in enumerate(plan):
        writer.write(camera_view(codes, size=(480, 270), code_frac=0.45, seed=i))
    writer.release()
    out["text"].write_text("hello")
    return out


def test_scan_image_prints_one_payload_per_line(runner: CliRunner,
                                                files: dict[str, Path]) -> None:
    result = runner.invoke(cli, ["scan-image", str(files["png"]), str(files["photo"])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == TOKEN_A and sorted(lines[1:]) == sorted([TOKEN_A, TOKEN_B])


def test_scan_image_json_has_file_points_and_time(runner: CliRunner,
                                                  files: dict[str, Path]) -> None:
    result = runner.invoke(cli, ["scan-image", "--format", "json", str(files["photo"])])
    rows = json.loads(result.output)
    assert sorted(r["text"] for r in rows) == sorted([TOKEN_A, TOKEN_B])
    for row in rows:
        assert row["file"] == str(files["photo"]) and row["frame"] is None
        assert row["looks_like_pass"] is True and row["decode_ms"] > 0
        assert len(row["points"]) == 4 and all(len(p) == 2 for p in row["points"])


def test_scan_image_reads_a_video_once_per_presentation(runner: CliRunner,
                                                        files: dict[str, Path]) -> None:
    result = runner.invoke(cli, ["scan-image", "--format", "json", str(files["video"])])
    rows = json.loads(result.output)
    assert [(r["text"], r["frame"]) for r in rows] == [(TOKEN_A, 0), (TOKEN_B, 6), (TOKEN_A, 48)]


def test_scan_image_exit_1_when_nothing_is_found(runner: CliRunner,
                                                 files: dict[str, Path]) -> None:
    result = runner.invoke(cli, ["scan-image", str(files["empty"]), str(files["text"])])
    assert result.exit_code == 1
    assert "could not be read as an image or a video" in result.output
    assert "No QR code found." in result.output


def test_scan_image_prints_controls_safely(runner: CliRunner, tmp_path: Path) -> None:
    cells = np.where(qr_matrix(b"\x1b[31mred\x07"), 0, 255).astype(np.uint8)
    cv2.imwrite(str(tmp_path / "evil.png"), np.kron(cells, np.ones((5, 5), np.uint8)))
    result = runner.invoke(cli, ["scan-image", str(tmp_path / "evil.png")])
    assert "red" in result.output  # zxing-cpp names controls (<ESC>); safe_text is the backstop
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_scan_camera_with_a_video_prints_scans_then_ends(runner: CliRunner,
                                                         files: dict[str, Path]) -> None:
    result = runner.invoke(cli, ["scan-camera", "--camera", str(files["video"]),
                                 "--format", "json", "--as-fast-as-possible"])
    assert result.exit_code == 0, result.output
    scans = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [(s["text"], s["frame"]) for s in scans] == [(TOKEN_A, 0), (TOKEN_B, 6), (TOKEN_A, 48)]
    assert scans[1]["t"] == pytest.approx(0.6)
    assert "has ended." in result.output


def test_scan_camera_with_an_image_glob_and_a_limit(runner: CliRunner,
                                                    files: dict[str, Path]) -> None:
    glob = str(files["png"].parent / "*.jpg")
    result = runner.invoke(cli, ["scan-camera", "--camera", glob, "--limit", "1",
                                 "--as-fast-as-possible"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] in (TOKEN_A, TOKEN_B)


def test_scan_camera_fails_plainly_for_a_missing_file_source(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    result = runner.invoke(cli, ["scan-camera", "--camera", str(tmp_path / "*.png")])
    assert result.exit_code == 1
    assert "Error: No images found at" in result.output
    bad = runner.invoke(cli, ["scan-camera", "--camera", "0", "--resolution", "huge"])
    assert bad.exit_code == 2 and "not a resolution" in bad.output


def test_scan_camera_plays_files_in_real_time_unless_asked_not_to(
        runner: CliRunner, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.scanner import sources
    from kiosk.ui import cameras

    asked: list[dict[str, object]] = []
    real = sources.open_source

    def spy(spec: str, size: tuple[int, int], **kwargs: object) -> sources.FrameSource:
        asked.append(kwargs)
        return real(spec, size)  # read without waiting: this test never sleeps

    monkeypatch.setattr(cameras, "open_source", spy)
    glob = str(files["png"].parent / "*.jpg")
    runner.invoke(cli, ["scan-camera", "--camera", glob])
    runner.invoke(cli, ["scan-camera", "--camera", glob, "--fps", "4"])
    runner.invoke(cli, ["scan-camera", "--camera", glob, "--as-fast-as-possible"])
    assert asked == [{"realtime": True, "fps": None}, {"realtime": True, "fps": 4.0},
                     {"realtime": False, "fps": None}]


def test_both_commands_have_help(runner: CliRunner) -> None:
    for name in ("scan-image", "scan-camera"):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
