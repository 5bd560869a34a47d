"""Tablets as doors, in a real headless Chromium with a fake camera showing a pass.

The hub is the real `kiosk serve`; the camera is Chromium's fake device playing a Y4M file
of a pass QR image; frames are decoded by the real decoder on the hub and the door app
checks the family in under its own door name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from kiosk.store import open_store
from support.tablet import (
    off_hub,
    pass_picture,
    requested_urls,
    running_hub,
    wait_for,
    write_y4m,
)

pytestmark = pytest.mark.slow

NOT_A_DOOR = "This tablet is not set up as a door"


def camera_file(folder: Path, token: str) -> Path:
    """A fake camera: blank paper, then the pass held up (looped by Chromium)."""
    pictures = [pass_picture(None)] * 5 + [pass_picture(token)] * 20
    return write_y4m(folder / f"{token[-6:]}.y4m", pictures)


def shows(driver: Any, text: str, timeout: float = 45) -> None:
    """Wait until the page's terminal has received `text`."""
    wait_for(driver, f"window.kioskProbe && kioskProbe.text.indexOf({text!r}) >= 0", timeout)


def checkins_by_door(db: Path) -> dict[str, list[str]]:
    """Families admitted (not re-entries or refusals) by each door's name."""
    store = open_store(db)
    try:
        rows = store.checkins.of_event("nativity")
    finally:
        store.close()
    found: dict[str, list[str]] = {}
    for row in rows:
        if row["family_id"] and row["code"] in ("admitted", "admitted_restricted"):
            found.setdefault(row["kiosk_id"], []).append(row["family_id"])
    return found


def test_two_doors_check_in_two_families_each_under_its_name(
        demo_db: Path, demo_passes: dict, browsers: Any, tmp_path: Path) -> None:
    north_pass, south_pass = demo_passes["admitted"].pop(), demo_passes["admitted"].pop()
    with running_hub(demo_db, ["--demo", "--door", "North door", "--door", "South door"]) as hub:
        north = browsers(camera_file(tmp_path, north_pass["token"]))
        south = browsers(camera_file(tmp_path, south_pass["token"]), size=(768, 1024))
        north.get(hub.links["North door"] + "?probe=1")
        south.get(hub.links["South door"] + "?probe=1")
        shows(north, f"Pass {north_pass['ref']}")
        shows(south, f"Pass {south_pass['ref']}")
        assert "North door" in north.execute_script("return kioskProbe.text")
        for driver in (north, south):
            urls = requested_urls(driver)
            assert any("/camera/" in u for u in urls) and any("/ws/" in u for u in urls)
            assert off_hub([u for u in urls if not u.startswith("chrome:")], hub.base) == []
    doors = checkins_by_door(demo_db)
    assert doors["North door"] == [north_pass["family_id"]]
    assert doors["South door"] == [south_pass["family_id"]]
    left = sorted(p.name for p in demo_db.parent.rglob("*") if p.is_file())
    assert not [n for n in left if n.endswith((".jpg", ".jpeg", ".png", ".webp"))]


def test_a_browser_without_a_pairing_gets_no_door_and_no_app(
        demo_db: Path, browsers: Any) -> None:
    with running_hub(demo_db, ["--demo", "--door", "North door"]) as hub:
        paired = browsers()
        paired.get(hub.links["North door"])
        wait_for(paired, "document.querySelector('.xterm') !== null")
        stranger = browsers()
        for path in ("/", "/door", "/pair/not-a-code"):
            stranger.get(hub.base + path)
            assert NOT_A_DOOR in stranger.find_element(By.TAG_NAME, "body").text
        stranger.get(hub.links["North door"])  # the link was spent by the paired tablet
        assert "used already" in stranger.find_element(By.TAG_NAME, "body").text
        cookie = paired.get_cookie("kiosk_door")
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
        door_id, pairing_id, _mac = cookie["value"].split(".")
        stranger.add_cookie({"name": "kiosk_door", "value": f"{door_id}.{pairing_id}.{'0' * 64}",
                             "path": "/"})
        stranger.get(hub.base + "/door")
        assert NOT_A_DOOR in stranger.find_element(By.TAG_NAME, "body").text
        assert len([c for c in hub.app_processes() if " run " in c]) == 1  # the paired one
        trust = browsers()
        trust.get(hub.base + "/trust")
        assert "Certificate Trust Settings" in trust.find_element(By.TAG_NAME, "body").text


def test_a_refused_camera_gets_a_card_and_a_handheld_scanner_still_works(
        demo_db: Path, demo_passes: dict, browsers: Any) -> None:
    family = demo_passes["admitted"].pop()
    with running_hub(demo_db, ["--demo", "--door", "West door"]) as hub:
        door = browsers(deny_camera=True)
        door.get(hub.links["West door"] + "?probe=1")
        wait_for(door, "kioskProbe.cameraState.indexOf('camera is not available') >= 0")
        assert door.find_element(By.ID, "camera-card").is_displayed()
        shows(door, "this browser did not allow it")  # the door app's ready card says so
        keys = door.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        keys.send_keys(family["token"] + Keys.ENTER)  # a Bluetooth scanner types like this
        shows(door, f"Pass {family['ref']}")
    assert checkins_by_door(demo_db)["West door"] == [family["family_id"]]


def test_the_board_follows_now_on_stage_moved_in_staff_mode(
        demo_db: Path, browsers: Any) -> None:
    with running_hub(demo_db, ["--demo", "--door", "Stage door"]) as hub:
        board = browsers(size=(1280, 800))
        board.get(hub.links["Board"] + "?probe=1")
        shows(board, "Nothing on stage")
        door = browsers()
        door.get(hub.links["Stage door"] + "?probe=1")
        shows(door, "Staff")
        keys = door.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        keys.send_keys(Keys.F2)
        shows(door, "Staff sign-in")
        keys.send_keys("Lee Lead" + Keys.ENTER)  # the name is typed, never listed
        keys.send_keys("222222" + Keys.ENTER)
        shows(door, "Now on stage")
        keys.send_keys("n")
        shows(board, "Now on stage", timeout=10)


def test_a_door_that_loses_the_hub_reconnects_by_itself_still_paired(
        demo_db: Path, demo_passes: dict, browsers: Any, tmp_path: Path) -> None:
    family = demo_passes["admitted"].pop()
    with running_hub(demo_db, ["--demo", "--door", "East door"]) as hub:
        door = browsers(camera_file(tmp_path, family["token"]))
        door.get(hub.links["East door"] + "?probe=1")
        shows(door, f"Pass {family['ref']}")
        port = hub.port
    wait_for(door, "!document.getElementById('reconnecting').hidden", 20)
    with running_hub(demo_db, ["--demo", "--door", "East door"], port=port):
        wait_for(door, "document.getElementById('reconnecting').hidden"
                       " && window.kioskProbe && kioskProbe.text.indexOf('East door') >= 0", 60)
    assert checkins_by_door(demo_db)["East door"] == [family["family_id"]]
