"""Staff who sign CLI commands in tests: one of each role, and the stdin that signs as them."""

from __future__ import annotations

from datetime import datetime

from kiosk.staff import add_staff
from kiosk.store import Store

SIGNERS = {
    "Ada Admin": ("admin", "444444"),
    "Helen Head": ("headteacher", "333333"),
    "Lee Lead": ("lead", "222222"),
    "Sam Steward": ("steward", "111111"),
}


def add_signers(store: Store, now: datetime) -> dict[str, int]:
    """Add the signers who are not there yet (through the staff service); ids by name."""
    ids = {}
    for name, (role, pin) in SIGNERS.items():
        row = store.staff.by_name(name)
        ids[name] = row["id"] if row else add_staff(store, name, role, pin, now=now)
    return ids


def signed(name: str = "Ada Admin") -> tuple[list[str], str]:
    """(`--staff NAME` arguments, the PIN line for standard input) to sign as NAME."""
    return ["--staff", name], SIGNERS[name][1] + "\n"
