"""The hub end to end without a browser: aiohttp's test client speaking the page's protocol
to the real door app (`kiosk run` under textual-serve's web driver)."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import cv2
import pytest
from aiohttp import ClientSession, ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestServer

from kiosk.demo.school import build_demo, demo_passes
from kiosk.serve.hub import COOKIE, Hub
from kiosk.serve.pairing import PairingStore, hub_folder
from kiosk.store import open_store
from support.tablet import pass_picture

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hub") / "demo.db"
    build_demo(path, today=date.today())
    return path


async def screen_until(socket: ClientWebSocketResponse, text: str, limit: float = 60) -> str:
    """Read the app's output until `text` has been painted."""
    seen = ""
    async with asyncio.timeout(limit):
        while text not in seen:
            message = await socket.receive()
            if message.type == WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
            elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
                raise AssertionError(f"the app closed before showing {text!r}")
    return seen


async def all_ended(hub: Hub, limit: float = 30) -> None:
    """Wait until every page's handler has stopped its app process."""
    async with asyncio.timeout(limit):
        while hub.sessions:
            await asyncio.sleep(0.02)


async def test_a_scan_whose_answer_was_lost_is_resent_and_recorded_once(demo: Path) -> None:
    pairings = PairingStore(hub_folder(demo))
    door = pairings.ensure("Resend door")
    _, cookie = pairings.pair(pairings.new_code(door))
    hub = Hub(demo, "nativity", pairings, secure=False)
    family = next(p for p in demo_passes(demo) if p.kind == "admitted")
    ok, jpeg = cv2.imencode(".jpg", pass_picture(family.token))
    assert ok
    async with TestServer(hub.application()) as server, \
            ClientSession(cookies={COOKIE: cookie}) as client:
        first = await client.ws_connect(server.make_url("/ws/one?width=100&height=30"))
        await screen_until(first, "Resend door")
        camera = await client.ws_connect(server.make_url("/camera/one"))
        answer: dict = {}
        async with asyncio.timeout(30):
            while not answer.get("codes"):  # until the door screen takes scans
                await camera.send_bytes(jpeg.tobytes())
                answer = json.loads((await camera.receive()).data)
        await camera.close()
        await first.close()  # the Wi-Fi dropped with the answer on its way
        second = await client.ws_connect(server.make_url("/ws/two?width=100&height=30"))
        await screen_until(second, f"Pass {family.ref}")  # the resent scan's answer
        await second.close()
        await all_ended(hub)
    store = open_store(demo)
    try:
        rows = [r for r in store.checkins.of_event("nativity") if r["kiosk_id"] == "Resend door"]
    finally:
        store.close()
    assert len(rows) == 1 and rows[0]["family_id"] == family.family_id
    assert rows[0]["nonce"].startswith("tablet:Resend door:")



async def test_a_page_whose_camera_was_refused_gets_the_camera_off_card(demo: Path) -> None:
    pairings = PairingStore(hub_folder(demo))
    door = pairings.ensure("No camera door")
    _, cookie = pairings.pair(pairings.new_code(door))
    hub = Hub(demo, "nativity", pairings, secure=False)
    async with TestServer(hub.application()) as server, \
            ClientSession(cookies={COOKIE: cookie}) as client:
        page = await client.ws_connect(server.make_url("/ws/cam?width=85&height=34"))
        camera = await client.ws_connect(server.make_url("/camera/cam"))
        await camera.send_str(json.dumps({"camera": "off"}))  # as door.js does when refused
        await camera.send_str("not json")  # ignored, the socket stays up
        seen = await screen_until(page, "this browser did not allow it")
        assert "Hold your pass up to the camera" in seen  # the card before the state came
        await camera.send_str(json.dumps({"camera": "on"}))
        await screen_until(page, "Hold your pass up to the camera")
        await camera.close()
        await page.close()
        await all_ended(hub)
    store = open_store(demo)
    try:
        rows = [r for r in store.checkins.of_event("nativity")
                if r["kiosk_id"] == "No camera door"]
    finally:
        store.close()
    assert rows == []  # a camera state is never a scan

async def test_the_hub_refuses_sockets_without_a_pairing_or_from_another_site(
        demo: Path) -> None:
    pairings = PairingStore(hub_folder(demo))
    _, cookie = pairings.pair(pairings.new_code(pairings.ensure("Other door")))
    hub = Hub(demo, "nativity", pairings, secure=False)
    async with TestServer(hub.application()) as server:
        async with ClientSession() as stranger:
            page = await stranger.get(server.make_url("/door"))
            assert page.status == 403 and "not set up as a door" in await page.text()
            socket = await stranger.get(server.make_url("/ws/x"))
            assert socket.status == 403
        async with ClientSession(cookies={COOKIE: cookie}) as paired:
            page = await paired.get(server.make_url("/door"))
            assert page.status == 200
            assert "default-src 'self'" in page.headers["Content-Security-Policy"]
            elsewhere = await paired.get(server.make_url("/ws/y"),
                                         headers={"Origin": "https://evil.example"})
            assert elsewhere.status == 403
            camera = await paired.get(server.make_url("/camera/no-such-page"))
            assert camera.status == 403
    assert hub.sessions == {}
