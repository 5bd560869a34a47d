"""Group siblings into families and give each family a stable id and a display name.

An explicit family/household id column wins for the rows that fill it in. Other rows are
grouped by a shared guardian: the same email, or the same name and phone. A group keeps
the id its pupils already have in the database (so passes stay with the family), else
gets a new id "F<lowest pupil id>". The display name is built from surnames only
("Okafor family"): it goes on printed passes, which never carry children's first names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from kiosk.roster.parse import PupilEntry


class _Groups:
    """Union-find over row indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_siblings(pupils: Sequence[PupilEntry]) -> list[list[PupilEntry]]:
    """Rows without an explicit family id, grouped by shared guardian; singletons included."""
    loose = [p for p in pupils if p.family_id is None]
    groups = _Groups(len(loose))
    owner: dict[str, int] = {}
    for index, pupil in enumerate(loose):
        for guardian in pupil.guardians:
            for key in guardian.match_keys():
                if key in owner:
                    groups.join(owner[key], index)
                else:
                    owner[key] = index
    found: dict[int, list[PupilEntry]] = {}
    for index, pupil in enumerate(loose):
        found.setdefault(groups.find(index), []).append(pupil)
    return list(found.values())


def assign_families(
    pupils: Sequence[PupilEntry], current: Mapping[str, str], taken: set[str]
) -> dict[str, str]:
    """Map every pupil id to its family id.

    `current` is each known pupil's family id in the database; `taken` holds every family
    id that exists already. Groups are settled in order of their lowest pupil id, so the
    outcome is the same for the same file and database.
    """
    assigned: dict[str, str] = {}
    explicit_ids = {p.family_id for p in pupils if p.family_id is not None}
    for pupil in pupils:
        if pupil.family_id is not None:
            assigned[pupil.pupil_id] = pupil.family_id
    groups = sorted(group_siblings(pupils), key=lambda g: min(p.pupil_id for p in g))
    claims: dict[str, tuple[int, int]] = {}
    wants: list[list[str]] = []
    for number, group in enumerate(groups):
        counts = Counter(
            current[p.pupil_id] for p in group
            if p.pupil_id in current and current[p.pupil_id] not in explicit_ids
        )
        ranked = sorted(counts, key=lambda fid: (-counts[fid], fid))
        wants.append(ranked)
        for fid in ranked:
            best = claims.get(fid)
            if best is None or (-counts[fid], number) < best:
                claims[fid] = (-counts[fid], number)
    used = set(explicit_ids)
    for number, group in enumerate(groups):
        chosen = next(
            (fid for fid in wants[number] if claims[fid][1] == number and fid not in used), None
        )
        if chosen is None:
            chosen = _new_id(min(p.pupil_id for p in group), taken | used | set(claims))
        used.add(chosen)
        for pupil in group:
            assigned[pupil.pupil_id] = chosen
    return assigned


def _new_id(lowest_pupil_id: str, taken: set[str]) -> str:
    base = f"F{lowest_pupil_id}"
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def display_name(surnames: Sequence[str]) -> str:
    """"Okafor family", or "Okafor & Smith family" when siblings' surnames differ."""
    counts = Counter(s for s in surnames if s)
    if not counts:
        return "Family"
    names = sorted(counts, key=lambda s: (-counts[s], s.casefold()))[:3]
    return f"{' & '.join(names)} family"
