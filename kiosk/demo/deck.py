"""The demo's passes in an order that shows every door colour, one per key press.

Each press hands the next pass to the demo camera (`present(token)`), so the scan goes
through the real camera path: rendered frame -> decoder -> de-duplication -> check-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Protocol

from kiosk.passes.token import new_token

# Kinds as kiosk.demo.school names them, in the order a new user should meet them.
KIND_ORDER = ("admitted", "restricted", "re_entry", "not_expected", "revoked", "expired",
              "not_yet_valid", "unknown", "not_a_pass")
FOREIGN_QR = "WIFI:S:Willowmere Hall guests;T:nopass;;"  # a code that is not a pass
KIND_LABELS = {
    "admitted": "a family who may film their child",
    "restricted": "a family with a no-filming item",
    "re_entry": "the first family again",
    "not_expected": "a family not expected tonight",
    "revoked": "a cancelled pass",
    "expired": "an expired pass",
    "not_yet_valid": "a pass not valid yet",
    "unknown": "a pass this school never issued",
    "not_a_pass": "a QR code that is not a pass",
}


class Presenter(Protocol):
    """The demo camera: shows a token in its next frames."""

    def present(self, token: str) -> None:
        """Show this token next."""
        ...


@dataclass(frozen=True)
class DemoCard:
    """One pass the demo can show, and what kind of answer it should get."""

    token: str
    kind: str

    @property
    def label(self) -> str:
        """Plain words for the screen's hint."""
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " "))


def demo_order(passes: Sequence[tuple[str, str]]) -> list[DemoCard]:
    """Every colour first (one card of each kind, the first welcome shown twice), then the
    other passes taking turns by kind, so the demo keeps varying."""
    by_kind: dict[str, list[DemoCard]] = {}
    for token, kind in passes:
        by_kind.setdefault(kind, []).append(DemoCard(token, kind))
    by_kind.setdefault("unknown", []).append(DemoCard(new_token(), "unknown"))
    by_kind.setdefault("not_a_pass", []).append(DemoCard(FOREIGN_QR, "not_a_pass"))
    welcome = by_kind.get("admitted", [])[:1]
    if welcome and "re_entry" not in by_kind:
        by_kind["re_entry"] = [DemoCard(welcome[0].token, "re_entry")]
    kinds = sorted(by_kind, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else 99, k))
    showcase = [by_kind[kind][0] for kind in kinds]
    rest = [by_kind[kind][1:] for kind in kinds]
    mixed = [card for turn in zip_longest(*rest) for card in turn if card is not None]
    return showcase + mixed


class DemoDeck:
    """Cycles through the demo cards, presenting each to the demo camera."""

    def __init__(self, presenter: Presenter, passes: Sequence[tuple[str, str]]) -> None:
        self.presenter = presenter
        self.cards = demo_order(passes)
        self.position = 0

    def peek(self) -> DemoCard | None:
        """The card the next press will show."""
        return self.cards[self.position % len(self.cards)] if self.cards else None

    def peek_label(self) -> str:
        """Plain words for what the next press shows."""
        card = self.peek()
        return card.label if card else "no demo passes"

    def present_next(self) -> DemoCard | None:
        """Show the next card to the camera and move on (cycling)."""
        card = self.peek()
        if card is not None:
            self.presenter.present(card.token)
            self.position += 1
        return card
