"""The violations school with e-mail set up against a local test server (no tests here)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.store import Store

HEAD = "head@valence.example"
DEPUTY = "deputy@valence.example"


class StepClock:
    """A clock the test moves by hand (the sender is driven one step at a time)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def set_up_mail(store: Store, port: int, *, security: str = "none",
                username: str | None = None) -> None:
    """SMTP settings for the local server (the password, if any, is saved separately)."""
    for key, value in {"host": "127.0.0.1", "port": str(port), "security": security,
                       "from": "kiosk@valence.example", "headteacher": HEAD,
                       "deputy": DEPUTY}.items():
        store.settings.set(f"smtp.{key}", value)
    if username:
        store.settings.set("smtp.username", username)
