"""The consent words of the MIS exports, and the school's own words given with --value.

Built in are the words the systems themselves write (Granted / Not Granted, Opted In /
Opted Out, Confirmed / Declined / Pending, Given / Not Given, Y/N, T/F...). Anything
else is never guessed: the import refuses and asks the office to say what it means.
"Not Granted" contains "Granted" and is a refusal: words are matched whole, never searched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kiosk.consent import Value
from kiosk.roster.errors import RosterError

_BUILT_IN: dict[Value, frozenset[str]] = {
    Value.GRANTED: frozenset({
        "yes", "y", "granted", "given", "true", "t", "1", "consent given", "consented",
        "agreed", "agree", "permission given", "accepted", "opted in", "opt in", "confirmed",
        "consent granted", "permission granted",
    }),
    Value.REFUSED: frozenset({
        "no", "n", "refused", "withheld", "false", "f", "0", "consent refused", "declined",
        "not given", "consent withheld", "permission refused", "disagree", "not agreed",
        "not granted", "opted out", "opt out", "withdrawn", "consent withdrawn",
        "consent not given", "permission not given", "denied",
    }),
    Value.NOT_RETURNED: frozenset({
        "pending", "requested", "not requested", "not returned", "awaiting", "awaiting reply",
        "no response", "unknown", "not known", "not asked", "not yet asked", "n/a",
    }),
}
# Ticked values of a SIMS "Parental Consent" list that mean photo/recording consent.
LIST_GRANTS = frozenset({
    "photograph student", "photograph pupil", "photographs", "photography",
    "photograph student (p)", "p - photograph student", "photo consent",
})
CHOICES = tuple(v.value for v in Value)


def word_key(text: str) -> str:
    """How a consent word is compared: case, outer spaces, runs of spaces and a final dot."""
    return " ".join(text.casefold().split()).rstrip(".")


@dataclass(frozen=True)
class Vocabulary:
    """Built-in words plus the school's --value words (which win)."""

    school: Mapping[str, Value] = field(default_factory=dict)

    def answer(self, cell: str) -> Value | None:
        """What a single-answer consent cell means; blank is not returned; None: unknown."""
        key = word_key(cell)
        if not key:
            return Value.NOT_RETURNED
        if key in self.school:
            return self.school[key]
        return next((value for value, words in _BUILT_IN.items() if key in words), None)

    def list_answer(self, ticked: Iterable[str]) -> Value:
        """Event-recording consent from the values ticked in a consent list (fail safe).

        A ticked value the school mapped to refused wins; a photograph value (or one the
        school mapped to granted) grants; nothing relevant ticked is not returned.
        """
        found = {self.school.get(word_key(t)) for t in ticked}
        if Value.REFUSED in found:
            return Value.REFUSED
        if Value.GRANTED in found or any(word_key(t) in LIST_GRANTS for t in ticked):
            return Value.GRANTED
        return Value.NOT_RETURNED

    def is_list_known(self, ticked: str) -> bool:
        """True when a ticked list value is about photo/recording consent."""
        key = word_key(ticked)
        return key in LIST_GRANTS or key in self.school


def parse_values(items: Iterable[str] | Mapping[str, str]) -> Vocabulary:
    """Turn `--value "TEXT=granted|refused|not_returned"` items into a Vocabulary."""
    pairs = items.items() if isinstance(items, Mapping) else (_split(i) for i in items)
    school: dict[str, Value] = {}
    for text, meaning in pairs:
        meaning = meaning.strip().casefold().replace(" ", "_")
        if meaning not in CHOICES:
            raise RosterError(
                f"--value {text}={meaning}: say granted, refused or not_returned after '='."
            )
        if not word_key(text):
            raise RosterError(f"--value ={meaning}: the consent text before '=' is empty.")
        school[word_key(text)] = Value(meaning)
    return Vocabulary(school)


def _split(item: str) -> tuple[str, str]:
    if "=" not in item:
        raise RosterError(f'--value {item!r} must look like "TEXT=granted".')
    text, meaning = item.rsplit("=", 1)
    return text, meaning
