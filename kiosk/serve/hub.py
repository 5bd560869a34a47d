"""The hub's web server: pairing, the door and board pages, app processes, camera frames.

Built on aiohttp with textual-serve's AppService (one app process per page), not on
textual-serve's Server: its page loads a web font from another host, it has no notion of
who may open a door, and every browser that reaches it gets an app process. Here a browser
gets a door only with a cookie signed for a live pairing; everything else is refused before
any process starts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import textual_serve
from aiohttp import WSMsgType, web

from kiosk.serve.apps import DoorProcess, app_argv, camera_paste, scan_paste
from kiosk.serve.camera import CameraBridge
from kiosk.serve.pages import CSP, door_page, not_a_door_page, trust_page
from kiosk.serve.pairing import DOOR, Door, PairingError, PairingStore

log = logging.getLogger(__name__)

COOKIE = "kiosk_door"
COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
MAX_PAGES_PER_DOOR = 3  # open pages (app processes) one door may have at once
RESEND_WINDOW_S = 5.0  # a scan this close before a lost connection is sent to the next app
KIOSK_STATIC = Path(__file__).parent / "static"
TS_STATIC = Path(textual_serve.__file__).parent / "static"


@dataclass
class Session:
    """One page's connection: its door, its app process and the scans sent to it."""

    door: Door
    app: DoorProcess | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    last_scan: tuple[float, bytes] | None = None
    sending: set[asyncio.Task[bool]] = field(default_factory=set)
    camera: bytes | None = None  # the page's camera state, for an app not up yet


@dataclass
class Hub:
    """Everything the server needs: the database, the event, the pairings."""

    db_path: Path
    event_id: str
    pairings: PairingStore
    secure: bool = True
    ca_path: Path | None = None
    sessions: dict[str, Session] = field(default_factory=dict)
    pending: dict[str, bytes] = field(default_factory=dict)  # door id -> scan to resend

    def application(self) -> web.Application:
        """The aiohttp application with every route."""
        app = web.Application(middlewares=[self._headers], client_max_size=4_000_000)
        app.add_routes([
            web.get("/", self.index),
            web.get("/pair/{code}", self.pair),
            web.get("/door", self.door),
            web.get("/ws/{session}", self.terminal_socket),
            web.get("/camera/{session}", self.camera_socket),
            web.get("/trust", self.trust),
            web.get("/ca.crt", self.ca_certificate),
            web.get("/health", self.health),
            web.static("/static/kiosk", KIOSK_STATIC),
            web.static("/static/ts", TS_STATIC),
        ])
        app.on_shutdown.append(self._shutdown)
        return app

    @web.middleware
    async def _headers(
        self, request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        response = await handler(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # --- who is this --------------------------------------------------------------

    def door_of(self, request: web.Request) -> Door | None:
        """The door this browser is paired to, or None."""
        return self.pairings.door_for(request.cookies.get(COOKIE))

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        return origin is None or origin == f"{request.scheme}://{request.host}"

    @staticmethod
    def refused(reason: str = "") -> web.Response:
        """The page for a browser that is not a door (403, and no app process)."""
        return web.Response(text=not_a_door_page(reason), status=403,
                            content_type="text/html")

    # --- pages --------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.StreamResponse:
        """A paired tablet goes to its door; anything else is told it is not a door."""
        if self.door_of(request) is not None:
            raise web.HTTPFound("/door")
        return self.refused()

    async def pair(self, request: web.Request) -> web.StreamResponse:
        """Spend a one-time door link: set the signed cookie, then open the door."""
        try:
            door, cookie = self.pairings.pair(request.match_info["code"])
        except PairingError as error:
            return self.refused(str(error))
        log.info("Paired a browser as %s", door.name)
        probe = "?probe=1" if request.query.get("probe") == "1" else ""
        response = web.HTTPFound("/door" + probe)
        response.set_cookie(COOKIE, cookie, max_age=COOKIE_AGE, path="/", httponly=True,
                            secure=self.secure, samesite="Strict")
        raise response

    async def door(self, request: web.Request) -> web.StreamResponse:
        """The door (or board) page for a paired browser."""
        door = self.door_of(request)
        if door is None:
            return self.refused()
        session = secrets.token_urlsafe(16)
        scheme = "wss" if request.scheme == "https" else "ws"
        font = 16 if door.kind == DOOR else 20
        html = door_page(door, session, f"{scheme}://{request.host}/ws/{session}", font_size=font)
        return web.Response(text=html, content_type="text/html")

    async def trust(self, request: web.Request) -> web.Response:
        """How to trust the hub's certificate (open to anyone: it holds nothing secret)."""
        return web.Response(text=trust_page(self.ca_path is not None), content_type="text/html")

    async def ca_certificate(self, request: web.Request) -> web.StreamResponse:
        """The hub's CA certificate, for tablets to trust."""
        if self.ca_path is None:
            raise web.HTTPNotFound()
        return web.Response(body=self.ca_path.read_bytes(),
                            content_type="application/x-x509-ca-cert")

    async def health(self, request: web.Request) -> web.Response:
        """Answered while the hub runs (a reconnecting page polls it)."""
        return web.Response(text="ok")

    # --- the app process ----------------------------------------------------------

    async def terminal_socket(self, request: web.Request) -> web.StreamResponse:
        """The page's terminal: start this door's app and relay it until either side goes."""
        door = self.door_of(request)
        key = request.match_info["session"]
        if door is None or not self._same_origin(request) or key in self.sessions:
            return self.refused()
        if sum(s.door.id == door.id for s in self.sessions.values()) >= MAX_PAGES_PER_DOOR:
            return self.refused(f"{door.name} is already open on {MAX_PAGES_PER_DOOR} pages: "
                                "close one first.")
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        websocket = web.WebSocketResponse(heartbeat=5)
        await websocket.prepare(request)
        session = Session(door)
        self.sessions[key] = session

        def first_output() -> None:
            session.ready.set()
            loop = asyncio.get_running_loop()
            if session.camera is not None:
                loop.call_later(0.3, self._deliver, session, session.camera, False)
            resend = self.pending.pop(door.id, None)
            if resend is not None:
                loop.call_later(0.3, self._deliver, session, resend)

        session.app = DoorProcess(app_argv(door, self.db_path, self.event_id),
                                  write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                  close=_closer(websocket), on_first_output=first_output,
                                  tablet=door.kind == DOOR)
        try:
            await session.app.start(width, height)
            await self._relay(websocket, session.app)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.sessions.pop(key, None)
            last = session.last_scan
            if last is not None and time.monotonic() - last[0] < RESEND_WINDOW_S:
                self.pending[door.id] = last[1]
            await session.app.stop()
            await websocket.close()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, app: DoorProcess) -> None:
        """Keys, resizes and pings from the page to the app (textual-serve's envelopes)."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = message.json()
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await app.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await app.set_terminal_size(_int(data.get("width"), 80),
                                            _int(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])

    def _deliver(self, session: Session, paste: bytes, scan: bool = True) -> None:
        """Hand a paste to the session's app (a scan is remembered in case the link drops)."""
        if session.app is None:
            return
        if scan:
            session.last_scan = (time.monotonic(), paste)
        task = asyncio.ensure_future(session.app.paste(paste))
        session.sending.add(task)
        task.add_done_callback(session.sending.discard)

    # --- the camera ---------------------------------------------------------------

    async def camera_socket(self, request: web.Request) -> web.StreamResponse:
        """Frames from the page's camera (each new code goes to that page's app), and
        whether its camera is on at all (a text message; the app's ready card follows)."""
        door = self.door_of(request)
        session = self.sessions.get(request.match_info["session"])
        if (door is None or session is None or session.door.id != door.id
                or door.kind != DOOR or not self._same_origin(request)):
            return self.refused()
        websocket = web.WebSocketResponse(heartbeat=5, max_msg_size=2_500_000)
        await websocket.prepare(request)
        bridge = CameraBridge()
        async for message in websocket:
            if message.type == WSMsgType.TEXT:
                self._camera_state(session, message.data)
                continue
            if message.type != WSMsgType.BINARY:
                continue
            if not session.ready.is_set():  # the door screen is not up yet: no scan lost
                await websocket.send_json({"codes": 0, "seen": 0})
                continue
            codes = await asyncio.to_thread(bridge.frame, message.data)
            for code in codes:
                self._deliver(session, scan_paste(uuid.uuid4().hex, code))
            await websocket.send_json({"codes": len(codes), "seen": bridge.seen})
        return websocket

    def _camera_state(self, session: Session, text: str) -> None:
        """The page says whether its camera is on: the door app's ready card follows."""
        try:
            state = json.loads(text).get("camera")
        except (ValueError, AttributeError):
            return
        if state not in ("on", "off"):
            return
        session.camera = camera_paste(state == "on")
        if session.ready.is_set():
            self._deliver(session, session.camera, scan=False)

    async def _shutdown(self, app: web.Application) -> None:
        for session in list(self.sessions.values()):
            if session.app is not None:
                await session.app.stop()


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        await websocket.close()
    return close


def _int(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return max(10, min(number, 1000))


def ssl_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server TLS context for the hub's (or the school's) certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context
