"""Join the rows of one pupil: one-row-per-contact and one-row-per-consent exports.

SIMS repeats a pupil's row once per ticked Parental Consent; ParentMail and SchoolBooking
once per contact. Rows that share a pupil id and agree on the pupil's own fields are one
pupil: contacts are gathered, ticked consents form a set. Rows that disagree are an error
naming both lines (two different children must never be joined into one).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from kiosk.consent import Value
from kiosk.roster.problems import RowProblem
from kiosk.roster.values import name_key, phone_key
from kiosk.roster.vocabulary import Vocabulary

CATEGORY_LABELS = {
    "event_recording": "Event-recording", "website": "Website", "social_media": "Social-media",
    "press": "Press",
}


@dataclass(frozen=True)
class GuardianEntry:
    """One contact named on a pupil's row."""

    name: str | None
    relationship: str | None
    email: str | None
    phone: str | None
    responsibility: bool | None = None
    court_order: bool = False
    priority: str | None = None

    def match_keys(self) -> list[str]:
        """What makes two rows share this guardian: the same email, or same name and phone."""
        found = []
        if self.email and "@" in self.email:
            found.append("email:" + self.email.casefold())
        digits = phone_key(self.phone or "")
        if self.name and len(digits) >= 6:
            found.append(f"name+phone:{name_key(self.name)}|{digits}")
        return found

    @property
    def links_family(self) -> bool:
        """False for a contact without parental responsibility or under a court order."""
        return self.responsibility is not False and not self.court_order

    def identity(self) -> str:
        """What makes two rows name the same contact of one pupil."""
        if self.name:
            return "name:" + name_key(self.name)
        return "|".join(self.match_keys()) or "blank"


@dataclass(frozen=True)
class RowEntry:
    """One accepted row, before the rows of one pupil are joined."""

    line: int
    pupil_id: str
    fields: dict[str, str]
    consents: dict[str, Value]
    blank_consents: tuple[str, ...]
    ticked: str
    valid_until: date | None
    guardians: tuple[GuardianEntry, ...]


@dataclass(frozen=True)
class PupilEntry:
    """One pupil: their details, consents (for the columns present) and contacts."""

    line: int
    pupil_id: str
    first_name: str
    preferred_name: str | None
    surname: str
    class_name: str
    year_group: str
    consents: dict[str, Value]
    valid_until: date | None
    family_id: str | None
    guardians: tuple[GuardianEntry, ...]
    lines: tuple[int, ...] = ()


def _priority(guardian: GuardianEntry) -> tuple[int, str]:
    text = guardian.priority or ""
    return (int(text) if text.isdigit() else 99, text)


def _join_guardians(rows: list[RowEntry]) -> tuple[GuardianEntry, ...]:
    found: dict[str, GuardianEntry] = {}
    for row in rows:
        for guardian in row.guardians:
            found.setdefault(guardian.identity(), guardian)
    return tuple(sorted(found.values(), key=_priority))


def gather(
    rows: list[RowEntry], has_list: bool, vocabulary: Vocabulary, rejected: list[RowProblem],
    notices: dict[str, list[int]],
) -> list[PupilEntry]:
    """Join rows by pupil id; a row that disagrees with the pupil's first row is rejected."""
    by_id: dict[str, list[RowEntry]] = {}
    for row in rows:
        first = by_id.get(row.pupil_id)
        if first is None:
            by_id[row.pupil_id] = [row]
            continue
        differs = [k for k, v in row.fields.items() if first[0].fields.get(k) != v]
        if differs:
            rejected.append(RowProblem(row.line, row.pupil_id, (
                f"pupil id {row.pupil_id} is also on line {first[0].line} with a different "
                f"{', '.join(differs)}"
            )))
            by_id[row.pupil_id].append(row)  # kept out of the import: the file is refused
            continue
        first.append(row)
    other_ticks: Counter[str] = Counter()
    pupils = []
    for pupil_id, group in by_id.items():
        group = [r for r in group if r.fields == group[0].fields]
        head = group[0]
        consents = dict(head.consents)
        if has_list:
            ticked = {r.ticked for r in group if r.ticked}
            consents["event_recording"] = vocabulary.list_answer(ticked)
            other_ticks.update(t for t in ticked if not vocabulary.is_list_known(t))
            if consents["event_recording"] is Value.NOT_RETURNED:
                _note(notices, "No photo or recording consent is ticked in the consent list,"
                      " so counted as not returned", head.line)
        for category in head.blank_consents:
            _note(notices, f"{CATEGORY_LABELS[category]} consent is blank, so counted as not"
                  " returned", head.line)
        fields = head.fields
        pupil = PupilEntry(
            line=head.line, pupil_id=pupil_id, first_name=fields["first name"],
            preferred_name=fields["preferred name"] or None, surname=fields["surname"],
            class_name=fields["class"], year_group=fields["year group"], consents=consents,
            valid_until=head.valid_until, family_id=fields["family id"] or None,
            guardians=_join_guardians(group), lines=tuple(r.line for r in group),
        )
        if any(g.name is None for g in pupil.guardians):
            _note(notices, "A contact has an email or phone but no name: used only to group"
                  " siblings", head.line)
        pupils.append(pupil)
    if other_ticks:
        listed = ", ".join(f"{t!r} ({n})" for t, n in sorted(other_ticks.items()))
        notices.setdefault(f"Other ticked consents are not about photos or recording and are"
                           f" not used: {listed}", [])
    return pupils


def _note(notices: dict[str, list[int]], message: str, line: int) -> None:
    notices.setdefault(message, []).append(line)
