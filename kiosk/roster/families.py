"""Group siblings into families and give each family a stable id and a display name.

An explicit family/household id column wins for the rows that fill it in. Other rows are
grouped by a shared guardian: the same email, or the same name and phone. Families never
merge by accident: without `allow_merge`, pupils are not grouped through a contact without
parental responsibility (or under a court order), through a contact shared by more
children than a family has (a social worker, the virtual school, a club's booking
address), nor into one family when they already belong to two; each such link is held
back and listed. A group keeps the id its pupils already have in the database (so passes
stay with the family), else gets a new id "F<lowest pupil id>". The display name is built
from surnames only ("Okafor family"): it goes on printed passes, never first names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from kiosk.roster.gather import GuardianEntry, PupilEntry
from kiosk.roster.problems import HeldLink, HeldReason

FAMILY_MAX = 6


class _Groups:
    """Union-find over row indexes, each group knowing the families its pupils have now."""

    def __init__(self, existing: list[str | None]) -> None:
        self.parent = list(range(len(existing)))
        self.families = [{f} if f else set() for f in existing]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def would_merge_families(self, a: int, b: int) -> bool:
        """True when a and b are in groups that already belong to two different families."""
        fa, fb = self.families[self.find(a)], self.families[self.find(b)]
        return bool(fa and fb and not fa & fb)

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = min(ra, rb), max(ra, rb)
            self.parent[high] = low
            self.families[low] |= self.families[high]


def _contact_links(loose: Sequence[PupilEntry]) -> dict[str, tuple[list[int], list[GuardianEntry]]]:
    links: dict[str, tuple[list[int], list[GuardianEntry]]] = {}
    for index, pupil in enumerate(loose):
        for guardian in pupil.guardians:
            for key in guardian.match_keys():
                users, contacts = links.setdefault(key, ([], []))
                if index not in users:
                    users.append(index)
                contacts.append(guardian)
    return links


def group_siblings(
    pupils: Sequence[PupilEntry], current: Mapping[str, str] | None = None,
    *, allow_merge: bool = False,
) -> tuple[list[list[PupilEntry]], list[HeldLink]]:
    """Rows without an explicit family id grouped by shared guardian, and the links held back."""
    current = current or {}
    loose = [p for p in pupils if p.family_id is None]
    groups = _Groups([current.get(p.pupil_id) for p in loose])
    held: list[HeldLink] = []
    doubtful: list[tuple[HeldReason, str, list[int]]] = []
    for key, (users, contacts) in sorted(_contact_links(loose).items()):
        if len(users) < 2:
            continue
        name = contacts[0].name or key.split(":", 1)[1].split("|")[0]
        if not allow_merge and len(users) > FAMILY_MAX:
            doubtful.append((HeldReason.SHARED_WIDELY, name, users))
            continue
        if not allow_merge and not all(c.links_family for c in contacts):
            doubtful.append((HeldReason.NO_RESPONSIBILITY, name, users))
            continue
        for other in users[1:]:
            if not allow_merge and groups.would_merge_families(users[0], other):
                ids = sorted({loose[users[0]].pupil_id, loose[other].pupil_id})
                held.append(HeldLink(HeldReason.EXISTING_FAMILIES, name, tuple(ids)))
                continue
            groups.join(users[0], other)
    for reason, name, users in doubtful:
        if len({groups.find(i) for i in users}) > 1:
            held.append(HeldLink(reason, name, tuple(sorted(loose[i].pupil_id for i in users))))
    found: dict[int, list[PupilEntry]] = {}
    for index, pupil in enumerate(loose):
        found.setdefault(groups.find(index), []).append(pupil)
    return list(found.values()), list(dict.fromkeys(held))


def assign_families(
    pupils: Sequence[PupilEntry], current: Mapping[str, str], taken: set[str],
    *, allow_merge: bool = False,
) -> tuple[dict[str, str], list[HeldLink]]:
    """Map every pupil id to its family id, and list the links held back.

    `current` is each known pupil's family id in the database; `taken` holds every family
    id that exists already. Groups are settled in order of their lowest pupil id, so the
    outcome is the same for the same file and database.
    """
    assigned: dict[str, str] = {}
    explicit_ids = {p.family_id for p in pupils if p.family_id is not None}
    for pupil in pupils:
        if pupil.family_id is not None:
            assigned[pupil.pupil_id] = pupil.family_id
    loose_current = {pid: fid for pid, fid in current.items() if fid not in explicit_ids}
    grouped, held = group_siblings(pupils, loose_current, allow_merge=allow_merge)
    groups = sorted(grouped, key=lambda g: min(p.pupil_id for p in g))
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
    return assigned, held


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
