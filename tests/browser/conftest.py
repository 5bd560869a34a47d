"""Real-browser tests: skipped with the reason when Chromium is missing, failed under CI."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from support.tablet import browser_missing, chromium


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI runs the browser tests, but {reason}.")
    pytest.skip(f"no browser for the tablet tests: {reason}")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school dated today, built once for the module (each test uses other passes)."""
    from kiosk.demo.school import build_demo

    path = tmp_path_factory.mktemp("hub") / "demo.db"
    build_demo(path, today=date.today())
    return path


@pytest.fixture(scope="module")
def demo_passes(demo_db: Path) -> dict[str, list[dict[str, str]]]:
    """The demo's passes by the door result they give, to be taken (popped) by tests."""
    passes = json.loads(demo_db.with_name("demo-passes.json").read_text())["passes"]
    by_kind: dict[str, list[dict[str, str]]] = {}
    for item in passes:
        by_kind.setdefault(item["kind"], []).append(item)
    return by_kind


@pytest.fixture
def browsers(tmp_path: Path) -> Iterator[Any]:
    """Open headless Chromiums (each its own fresh profile); all quit at the end."""
    opened: list[Any] = []

    def open_browser(camera: Path | None = None, **kwargs: Any) -> Any:
        driver = chromium(tmp_path / f"profile-{len(opened)}", camera, **kwargs)
        opened.append(driver)
        return driver

    yield open_browser
    for driver in opened:
        driver.quit()
