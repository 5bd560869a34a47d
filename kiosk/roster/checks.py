"""Checks between the file and the stored roster that keep an import from failing open.

- An id that matches a stored pupil once leading zeros are ignored (Excel drops them on a
  re-save: `001188` becomes `1188`) is that pupil, under the stored id, never a new one.
- A name where the file has "?" for a stored letter (a lossy save turned "Ł" into "?")
  keeps the stored letter, and the report warns.
- An import that would mark more than a tenth of the pupils on roll as left, or that
  changes most ids, needs --confirm-leavers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from kiosk.consent import EVENT_RECORDING, Value
from kiosk.roster.gather import PupilEntry

_NAME_FIELDS = ("first_name", "preferred_name", "surname")


def zero_key(pupil_id: str) -> str | None:
    """The id without leading zeros, for all-digit ids (others are never matched loosely)."""
    if not pupil_id.isdigit():
        return None
    return pupil_id.lstrip("0") or "0"


def match_ids(
    pupils: Sequence[PupilEntry], stored: Mapping[str, Any]
) -> tuple[list[PupilEntry], list[tuple[int, str, str]]]:
    """Give each file pupil the stored id it matches without leading zeros.

    Returns the pupils and [(line, id in file, stored id)]. A match is made only when it is
    the one stored id with that key and neither id is otherwise in the file.
    """
    in_file = {p.pupil_id for p in pupils}
    by_key: dict[str, list[str]] = {}
    for pid in stored:
        key = zero_key(pid)
        if key is not None:
            by_key.setdefault(key, []).append(pid)
    claimed: dict[str, int] = {}
    for pupil in pupils:
        key = zero_key(pupil.pupil_id)
        if pupil.pupil_id not in stored and key is not None and len(by_key.get(key, [])) == 1:
            claimed[by_key[key][0]] = claimed.get(by_key[key][0], 0) + 1
    out, matched = [], []
    for pupil in pupils:
        key = zero_key(pupil.pupil_id)
        target = by_key.get(key or "", [None])[0] if key is not None else None
        if (pupil.pupil_id not in stored and target is not None
                and len(by_key[key or ""]) == 1 and target not in in_file
                and claimed.get(target) == 1):
            matched.append((pupil.line, pupil.pupil_id, target))
            pupil = replace(pupil, pupil_id=target)
        out.append(pupil)
    return out, matched


def lossy(old: str | None, new: str | None) -> bool:
    """True when `new` is `old` with some non-ASCII letters turned into "?"."""
    if not old or not new or old == new or len(old) != len(new):
        return False
    pairs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    return all(b == "?" and not a.isascii() for a, b in pairs)


def keep_letters(
    pupils: Sequence[PupilEntry], stored: Mapping[str, Mapping[str, Any]]
) -> tuple[list[PupilEntry], list[int]]:
    """Undo "?" for letters in names the database already holds; return the lines fixed."""
    out, lines = [], []
    for pupil in pupils:
        old = stored.get(pupil.pupil_id)
        if old is not None:
            fixed = {f: old[f] for f in _NAME_FIELDS if lossy(old[f], getattr(pupil, f))}
            if fixed:
                pupil = replace(pupil, **fixed)
                lines.append(pupil.line)
        out.append(pupil)
    return out, lines


def leavers_problem(on_roll: int, leaving: int, new_ids: int, in_file: int) -> str | None:
    """Why so many leavers need --confirm-leavers, or None."""
    if on_roll and new_ids * 2 > in_file and leaving:
        return (f"most ids in the file are new ({new_ids} of {in_file}) and {leaving} pupils "
                "on roll are missing from it (were the ids renumbered or a different column"
                " taken as the id?)")
    if leaving * 10 > on_roll:
        return f"it would mark {leaving} of the {on_roll} pupils on roll as left"
    return None


def filming_warnings(
    consents: Iterable[tuple[Value, date | None]], today: date
) -> list[str]:
    """First-line warnings: nobody filmable, or grants already expired."""
    answers = list(consents)
    granted = [until for value, until in answers if value is Value.GRANTED]
    live = sum(1 for until in granted if until is None or until >= today)
    expired = len(granted) - live
    warnings = []
    if answers and not live:
        warnings.append(
            f"Nobody in this file may be filmed: no pupil has a granted, unexpired "
            f"{EVENT_RECORDING.replace('_', '-')} consent."
        )
    if expired:
        warnings.append(
            f"{expired} pupil{'s have' if expired != 1 else ' has'} a granted event-recording "
            f"consent that expired before {today:%d/%m/%Y}: counted as expired, not filmable."
        )
    return warnings
