"""No camera frame ever reaches the disk: checked in the source code and in a real session."""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner

import kiosk.scanner
from kiosk.cli import cli
from kiosk.demo.camera import DemoSource
from kiosk.demo.synth import camera_view
from kiosk.passes.token import encode_token
from kiosk.scanner.results import ScanEvent
from kiosk.scanner.service import ScanService
from kiosk.scanner.sources import VideoFileSource

SCANNER_DIR = Path(kiosk.scanner.__file__).parent
CLI_SCAN = SCANNER_DIR.parent / "cli" / "scan.py"
WRITING_CALLS = frozenset({
    "imwrite", "imwritemulti", "imencode", "imencodemulti", "imencodeWithMetadata",
    "VideoWriter", "VideoWriter_fourcc", "save", "savez", "savez_compressed", "tofile",
    "write_bytes", "write_text", "dump", "NamedTemporaryFile", "mkstemp", "TemporaryFile",
})
WRITING_MODULES = frozenset({"PIL", "imageio", "tempfile", "pickle", "shelve", "matplotlib"})
TOKEN = encode_token(bytes(range(16)))


def writing_calls(source: str) -> list[str]:
    """Names of calls and imports in Python source that could put an image on disk."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            # open(...) / Path.open(mode) open files; a source's own .open() takes nothing.
            opens_file = name == "open" and (isinstance(func, ast.Name) or node.args
                                             or node.keywords)
            if name in WRITING_CALLS or opens_file:
                found.append(name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                node.module or ""]
            found += [m for m in modules if m.split(".")[0] in WRITING_MODULES]
    return found


def test_the_checker_catches_writers() -> None:
    sample = ("import cv2, PIL.Image\nfrom tempfile import mkdtemp\n"
              "cv2.imwrite('x.png', f)\nimg.save('y.jpg')\nopen('z', 'wb')\n"
              "cv2.VideoWriter('v.avi', 0, 1, (1, 1))\np.open('wb')\nsource.open()\n")
    assert sorted(writing_calls(sample)) == sorted(
        ["PIL.Image", "tempfile", "imwrite", "save", "open", "VideoWriter", "open"])


@pytest.mark.parametrize("path", [*sorted(SCANNER_DIR.glob("*.py")), CLI_SCAN],
                         ids=lambda p: p.name)
def test_scanner_code_never_calls_an_image_writer(path: Path) -> None:
    assert writing_calls(path.read_text(encoding="utf-8")) == []


def files_under(*roots: Path) -> set[Path]:
    return {Path(d) / f for root in roots for d, _, files in os.walk(root) for f in files}


def test_a_capture_session_leaves_no_file_behind(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    work, tmp, home, media = (tmp_path / n for n in ("cwd", "tmp", "home", "media"))
    for folder in (work, tmp, home, media):
        folder.mkdir()
    video = media / "door.avi"  # recorded by the test, before the session starts
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (480, 270))
    for i in range(6):
        writer.write(camera_view([TOKEN] if i > 2 else [], size=(480, 270), seed=i))
    writer.release()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    before = files_under(tmp_path)

    demo = DemoSource([TOKEN], fps=None, seed=4)
    with ScanService(demo) as live:
        demo.present_next()
        while not isinstance(message := live.messages.get(timeout=10), ScanEvent):
            assert message.state != "failed"
        assert live.preview(40, 12) is not None
    with ScanService(VideoFileSource(video)) as recorded:
        assert recorded.wait(10)
    runner = CliRunner()
    assert runner.invoke(cli, ["scan-image", str(video)]).output.strip() == TOKEN
    result = runner.invoke(cli, ["scan-camera", "--camera", str(video), "--format", "json"])
    assert result.exit_code == 0 and TOKEN in result.output

    assert files_under(tmp_path) == before
