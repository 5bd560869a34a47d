"""Find pupils' names in text (captions, file names, image metadata), ignoring case and accents.

A pupil's first name together with a surname, or a full name, always counts; a first
name or surname alone counts only for the pupils said to be in the photo, because
ordinary words ("Grace", "May", "Baker") are also names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store import Store

# Letters that NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "þ": "th",
                       "æ": "ae", "œ": "oe", "ß": "ss", "ŀ": "l"})
_WORD = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
MAX_NAME_WORDS = 4


def fold(text: str) -> str:
    """Lower-case text without accents: 'Zoë Müller' and 'ZOE MULLER' fold alike."""
    split = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in split if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", bare).casefold().translate(_FOLD)


def words(text: str) -> list[str]:
    """The folded words of `text`; 'AmeliaOkafor_2.jpg' gives ['amelia', 'okafor', 'jpg']."""
    return _WORD.findall(fold(_CAMEL.sub(" ", text)))


@dataclass(frozen=True)
class Pupil:
    """The parts of a pupil the finder needs."""

    id: str
    first_names: tuple[str, ...]
    surname: str


@dataclass(frozen=True)
class NameHit:
    """A name found in one text: where, the words as written (staff-only), whose it may be."""

    source: str
    text: str
    pupil_ids: frozenset[str]
    full: bool


def pupil_from_row(row: Mapping[str, object]) -> Pupil:
    """A Pupil from a pupils table row (first and preferred names both count)."""
    names = tuple(dict.fromkeys(
        str(n) for n in (row.get("first_name"), row.get("preferred_name")) if n
    ))
    return Pupil(id=str(row["id"]), first_names=names, surname=str(row.get("surname") or ""))


class NameFinder:
    """An index of every pupil's names, asked about one text at a time."""

    def __init__(self, pupils: Iterable[Pupil], in_photo: Iterable[str] = ()) -> None:
        self.first: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.surname: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.full: dict[tuple[str, ...], set[str]] = defaultdict(set)
        present = set(in_photo)
        self.alone: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for pupil in pupils:
            last = tuple(words(pupil.surname))
            if last:
                self.surname[last].add(pupil.id)
            for first_name in pupil.first_names:
                first = tuple(words(first_name))
                if not first:
                    continue
                self.first[first].add(pupil.id)
                if last:
                    self.full[first + last].add(pupil.id)
                    self.full[last + first].add(pupil.id)
                if pupil.id in present:
                    self.alone[first].add(pupil.id)
            if pupil.id in present and last:
                self.alone[last].add(pupil.id)

    @staticmethod
    def _starting(table: Mapping[tuple[str, ...], set[str]], tokens: list[str], at: int):
        """(length, pupil ids) for every name in `table` that starts at token `at`."""
        for length in range(1, MAX_NAME_WORDS * 2 + 1):
            ids = table.get(tuple(tokens[at:at + length]))
            if ids and at + length <= len(tokens):
                yield length, ids

    def find(self, text: str, source: str) -> list[NameHit]:
        """Every name in `text`, longest first at each place, without overlaps."""
        tokens = words(text)
        hits: list[NameHit] = []
        at = 0
        while at < len(tokens):
            best: tuple[int, frozenset[str], bool] | None = None
            for length, ids in self._starting(self.full, tokens, at):
                best = (length, frozenset(ids), True)
            if best is None:
                best = self._pair(tokens, at)
            if best is None:
                for length, ids in self._starting(self.alone, tokens, at):
                    best = (length, frozenset(ids), False)
            if best is None:
                at += 1
                continue
            length, ids, full = best
            hits.append(NameHit(source, " ".join(tokens[at:at + length]), ids, full))
            at += length
        return hits

    def _pair(self, tokens: list[str], at: int) -> tuple[int, frozenset[str], bool] | None:
        """Any pupil's first name next to any pupil's surname (either order)."""
        for head, tail in ((self.first, self.surname), (self.surname, self.first)):
            for length, ids in self._starting(head, tokens, at):
                for more, other in self._starting(tail, tokens, at + length):
                    return length + more, frozenset(ids | other), True
        return None


def find_names(
    store: Store, in_photo: Iterable[str], texts: Iterable[tuple[str, str]]
) -> list[NameHit]:
    """Names of pupils on roll in each (source, text), by the rules of this module."""
    finder = NameFinder((pupil_from_row(r) for r in store.families.pupils()), in_photo)
    return [hit for source, text in texts for hit in finder.find(text, source)]
