"""The hub's HTML: the door (or board) page, the "not set up" page and the trust page.

Plain HTML with every value escaped; scripts, styles and fonts are the hub's own files
(nothing from another host: the page's Content-Security-Policy says so too).
"""

from __future__ import annotations

from html import escape

from kiosk.serve.pairing import BOARD, Door

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; "
       "font-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
       "form-action 'none'")

NOT_A_DOOR = "This tablet is not set up as a door"

_HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
<title>{title}</title>
<link rel="stylesheet" href="/static/kiosk/door.css">
"""


def door_page(door: Door, session: str, websocket_url: str, *, font_size: int = 16) -> str:
    """The page of a paired door: the live camera beside the door app's terminal."""
    camera = door.kind != BOARD
    return _HEAD.format(title=escape(door.name)) + f"""\
<link rel="stylesheet" href="/static/ts/css/xterm.css">
<script src="/static/ts/js/textual.js"></script>
<script src="/static/kiosk/door.js" defer></script>
</head>
<body class="{'door' if camera else 'board'}" data-session="{escape(session)}"
 data-camera="{int(camera)}">
<main id="layout">
{_camera_panel() if camera else ''}
<div id="terminal" class="textual-terminal" data-session-websocket-url="{escape(websocket_url)}"
 data-font-size="{font_size}"></div>
</main>
<div id="reconnecting" hidden><div class="card"><h1>Reconnecting…</h1>
<p>The door lost the hub. It comes back by itself; please wait a moment.</p></div></div>
</body></html>
"""


def _camera_panel() -> str:
    return """<section id="camera-panel">
<video id="video" playsinline muted autoplay></video>
<button id="camera-start" type="button" hidden>Tap to start the camera</button>
<div id="camera-card" class="card" hidden></div>
</section>"""


def not_a_door_page(reason: str = "") -> str:
    """What any browser without a door pairing gets (and no app process)."""
    extra = f"<p>{escape(reason)}</p>" if reason else ""
    return _HEAD.format(title=NOT_A_DOOR) + f"""</head>
<body class="plain"><div class="card"><h1>{NOT_A_DOOR}.</h1>{extra}
<p>Ask a member of staff to open this tablet's door link, printed by <code>kiosk serve</code>
on the hub.</p>
<p><a href="/trust">How to trust the hub's certificate on this tablet</a></p></div></body></html>
"""


def trust_page(has_ca: bool) -> str:
    """How staff trust the hub's own certificate authority on an iPad or an Android tablet."""
    if not has_ca:
        body = "<p>This hub uses the school's own certificate: nothing to install.</p>"
    else:
        body = """<p><a class="button" href="/ca.crt" download="kiosk-hub-ca.crt">Download the
hub's certificate</a></p>
<h2>iPad</h2><ol>
<li>Open this page in Safari and tap <b>Download the hub's certificate</b>; allow the profile.</li>
<li>Settings → General → VPN &amp; Device Management: tap the downloaded profile, Install.</li>
<li>Settings → General → About → Certificate Trust Settings: turn on full trust for
"School kiosk hub CA".</li>
<li>Or: the school's MDM pushes <code>ca.crt</code> as a trusted certificate to every iPad.</li>
</ol>
<h2>Android</h2><ol>
<li>Tap <b>Download the hub's certificate</b>.</li>
<li>Settings → Security → Encryption &amp; credentials → Install a certificate →
CA certificate, and pick the downloaded file (names vary by maker).</li>
<li>Or: push it as a trusted CA with the school's device management.</li>
</ol>
<p>Then open the door link printed by <code>kiosk serve</code>.</p>"""
    return _HEAD.format(title="Trust the kiosk hub") + f"""</head>
<body class="plain"><div class="card"><h1>Trust the kiosk hub</h1>{body}</div></body></html>
"""
