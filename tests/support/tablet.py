"""A hub on a free port and headless Chromium tablets with a fake camera (Y4M file).

Used by tests/browser and benchmarks/bench_serve.py. The camera's picture is a Y4M file
written here from a real pass QR image; the page's frames are decoded by the real decoder
on the hub. Chromium is Debian's, driven by its chromedriver: nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from kiosk.passes.render import qr_matrix

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--ignore-certificate-errors", "--use-fake-ui-for-media-stream",
         "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
         "--disable-dev-shm-usage")
LINK = re.compile(r"^(?P<name>[^:]+): (?P<url>https?://\S+/pair/\S+)$")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    return None


def pass_picture(token: str | None, size: tuple[int, int] = (640, 480),
                 module_px: int = 8) -> np.ndarray:
    """A grey camera picture: the pass QR on white paper in the middle (or blank paper)."""
    width, height = size
    picture = np.full((height, width), 235, np.uint8)
    if token is None:
        return picture
    modules = np.array(qr_matrix(token), dtype=bool)
    qr = np.where(np.kron(modules, np.ones((module_px, module_px), bool)), 20, 250)
    top, left = (height - qr.shape[0]) // 2, (width - qr.shape[1]) // 2
    picture[top:top + qr.shape[0], left:left + qr.shape[1]] = qr
    return picture


def write_y4m(path: Path, pictures: list[np.ndarray], fps: int = 10) -> Path:
    """A Y4M video (4:2:0) of grey pictures, which Chromium's fake camera plays in a loop."""
    height, width = pictures[0].shape
    chroma = np.full(((height // 2) * (width // 2) * 2,), 128, np.uint8).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for picture in pictures:
            out.write(b"FRAME\n" + np.ascontiguousarray(picture).tobytes() + chroma)
    return path


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningHub:
    """A `kiosk serve` process: its door links (by name), port and process."""

    links: dict[str, str]
    port: int
    process: subprocess.Popen[str]

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def app_processes(self) -> list[str]:
        """Command lines of the app processes the hub runs now (one per open page)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                                 .decode())
            except (OSError, IndexError, ValueError):
                continue
        return found


@contextmanager
def running_hub(db_path: Path, args: list[str], timeout: float = 90,
                port: int | None = None) -> Iterator[RunningHub]:
    """`kiosk serve` on 127.0.0.1 until the block ends (links printed, port bound)."""
    port = port or free_port()
    command = [sys.executable, "-m", "kiosk", "serve", "--db", str(db_path),
               "--host", "127.0.0.1", "--port", str(port), *args]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    hub = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, env=env)
    links: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    try:
        assert hub.stdout is not None
        for line in hub.stdout:
            match = LINK.match(line.strip())
            if match:
                links[match["name"]] = match["url"]
            if line.startswith("Each link pairs") or time.monotonic() > deadline:
                break
        if not links:
            raise RuntimeError(f"the hub printed no links (exit {hub.poll()})")
        yield RunningHub(links, port, hub)
    finally:
        hub.terminate()
        try:
            hub.wait(10)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()


def chromium(profile: Path, camera: Path | None = None, size: tuple[int, int] = (1024, 768),
             deny_camera: bool = False) -> Any:
    """A headless Chromium (Debian's, with its chromedriver) with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        if deny_camera and flag == "--use-fake-ui-for-media-stream":
            continue
        options.add_argument(flag)
    if camera is not None:
        options.add_argument(f"--use-file-for-fake-video-capture={camera}")
    if deny_camera:
        options.add_experimental_option("prefs", {
            "profile.default_content_setting_values.media_stream_camera": 2})
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for since the last call (from the DevTools performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") in ("Network.requestWillBeSent",
                                     "Network.webSocketCreated"):
            params = message["params"]
            urls.append(params.get("request", {}).get("url") or params.get("url", ""))
    return [u for u in urls if u]


def off_hub(urls: list[str], hub_link: str) -> list[str]:
    """The URLs that go anywhere but the hub (data: and blob: stay in the page)."""
    hub = urlsplit(hub_link).netloc
    return [u for u in urls if not u.startswith(("data:", "blob:"))
            and urlsplit(u).netloc != hub]


def wait_for(driver: Any, script: str, timeout: float = 30.0) -> Any:
    """Poll a page expression until it is truthy (the browser's own clock, no sleeps here)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script(f"return {script};"))
