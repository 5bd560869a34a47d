"""The demo's passes in an order that shows every door colour, one per key press.

Each press hands the next pass to the demo camera (`present(token)`), so the scan goes
through the real camera path: rendered frame -> decoder -> de-duplication -> check-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# Kinds as kiosk.demo names them, in the order a new user should meet them.
KIND_ORDER = ("admitted", "restricted", "re_entry", "not_expected", "revoked", "expired",
              "not_yet_valid", "unknown", "not_a_pass")
KIND_LABELS = {
    "admitted": "a family who may film their child",
    "restricted": "a family with a no-filming item",
    "re_entry": "the first family again",
    "not_expected": "a family not expected tonight",
    "revoked": "a cancelled pass",
    "expired": "an expired pass",
    "not_yet_valid": "a pass not valid yet",
    "unknown": "a pass from elsewhere",
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
    """(token, kind) pairs sorted so every colour shows; the first welcome comes back once."""
    rank = {kind: n for n, kind in enumerate(KIND_ORDER)}
    cards = sorted((DemoCard(token, kind) for token, kind in passes),
                   key=lambda card: rank.get(card.kind, len(rank)))
    first = next((card for card in cards if card.kind == "admitted"), None)
    if first is not None and not any(card.kind == "re_entry" for card in cards):
        at = next((n for n, c in enumerate(cards) if rank.get(c.kind, 99) > rank["re_entry"]),
                  len(cards))
        cards.insert(at, DemoCard(first.token, "re_entry"))
    return cards


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
