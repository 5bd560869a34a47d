"""`kiosk serve`: one hub in the hall serves the door app and the stage board to tablets.

tls (own CA and server certificate), pairing (door links, signed cookies), camera (frames
from a tablet decoded by kiosk.scanner), pages (plain HTML), hub (the aiohttp server that
runs one app process per paired browser, over textual-serve's protocol).
"""
