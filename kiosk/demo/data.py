"""Generate a fictional school's MIS export (SIMS-style "Student List", Excel "CSV UTF-8").

Everything comes from one seeded random generator, so the same spec always gives the
same bytes: the demo school in data/ is this output, and a test checks it still is.
Phone numbers come from Ofcom's ranges reserved for drama; emails use example domains.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from dataclasses import dataclass, field

from kiosk.demo.names import GROUPS, NICKNAMES

DEMO_SEED = 20261210
YEARS = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6")
YEAR_CODES = ("R", "1", "2", "3", "4", "5", "6")
HEADERS = (
    "Adno", "Legal Surname", "Legal Forename", "Preferred Forename", "Reg Group", "Year Group",
    "Photo Consent", "Photo Consent Website", "Photo Consent Social Media", "Photo Consent Press",
    "Consent Expiry",
    *(f"Contact {n} {part}" for n in (1, 2)
      for part in ("Forename", "Surname", "Relationship", "Email", "Mobile")),
)
EXPIRED = "31/08/2024"
# Demo infant classes: three where every child may be filmed, three with a few who may not.
CLEAN_CLASSES = ("RB", "1B", "2W")
RESTRICTED_CLASSES = {"RW": ("No", "No", ""), "1W": ("No", "", ""), "2B": ("expired",)}
_PHONE_POOLS = ("07700 900{:03d}", "0113 496 0{:03d}", "0117 496 0{:03d}", "0161 496 0{:03d}",
                "020 7946 0{:03d}")


@dataclass
class Guardian:
    """One adult contact of a family."""

    forename: str
    surname: str
    relationship: str
    email: str | None
    phone: str


@dataclass
class Child:
    """One pupil row before it is written out."""

    forename: str
    surname: str
    year: int
    class_name: str = ""
    adno: str = ""
    preferred: str = ""
    consent: dict[str, str] = field(default_factory=dict)
    expiry: str = ""


@dataclass
class Family:
    """Siblings and their guardians (the export repeats the contacts on each child's row)."""

    children: list[Child]
    guardians: list[Guardian]


@dataclass(frozen=True)
class SchoolSpec:
    """Shape of a generated school: class letters per year and the number of pupils."""

    class_letters: tuple[str, ...] = ("B", "W")
    pupils: int = 420
    seed: int = DEMO_SEED
    demo_consent_plan: bool = True


class _Maker:
    """Draws names, contacts and consents from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.emails: set[str] = set()
        phones: list[str] = []
        for pool in _PHONE_POOLS:  # mobiles first; landlines only for very large schools
            numbers = [pool.format(n) for n in range(1000)]
            self.rng.shuffle(numbers)
            phones += numbers
        self.phones = iter(phones)

    def group(self):
        weights = [g[0] for g in GROUPS]
        return self.rng.choices(GROUPS, weights=weights)[0]

    def email(self, forename: str, surname: str) -> str | None:
        if self.rng.random() < 0.12:
            return None
        base = _ascii(f"{forename}.{surname}").lower()
        domain = self.rng.choice(("example.org", "example.com", "example.net"))
        candidate, n = f"{base}@{domain}", 2
        while candidate in self.emails:
            candidate, n = f"{base}{n}@{domain}", n + 1
        self.emails.add(candidate)
        return candidate

    def guardian(self, forename: str, surname: str, relationship: str) -> Guardian:
        return Guardian(forename, surname, relationship, self.email(forename, surname),
                        next(self.phones))

    def family(self, size: int) -> Family:
        rng = self.rng
        _, surnames, _, _, women, men = group = self.group()
        surname = rng.choice(surnames)
        first = rng.choice(("Mother",) * 7 + ("Father",) * 2 + ("Grandmother",))
        own_surname = surname if first != "Mother" or rng.random() < 0.9 else rng.choice(surnames)
        guardians = [self.guardian(rng.choice(men if first == "Father" else women),
                                   own_surname, first)]
        two = rng.random() < 0.65
        blended = two and first == "Mother" and size > 1 and rng.random() < 0.12
        if two:
            second = _PARTNER[first]
            second_surname = rng.choice(self.group()[1]) if blended else surname
            guardians.append(self.guardian(rng.choice(women if second == "Mother" else men),
                                           second_surname, "Stepfather" if blended else second))
        children = []
        for index in range(size):
            pool = group if rng.random() < 0.8 else GROUPS[0]
            child_surname = guardians[1].surname if blended and index == size - 1 else surname
            children.append(Child(rng.choice(pool[2] if rng.random() < 0.5 else pool[3]),
                                  child_surname, year=-1))
        return Family(children, guardians)


_PARTNER = {"Mother": "Father", "Father": "Mother", "Grandmother": "Grandfather"}


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded if c.isalnum() or c == ".")


def _capacities(spec: SchoolSpec) -> dict[str, int]:
    names = [f"{code}{letter}" for code in YEAR_CODES for letter in spec.class_letters]
    base, extra = divmod(spec.pupils, len(names))
    return {name: base + (1 if i < extra else 0) for i, name in enumerate(names)}


def _place(maker: _Maker, spec: SchoolSpec) -> list[Family]:
    """Create families until every class is full; siblings go to different years."""
    capacity = _capacities(spec)
    rng = maker.rng
    families: list[Family] = []
    while any(capacity.values()):
        size = rng.choices((1, 2, 3, 4), weights=(58, 32, 8, 2))[0]
        family = maker.family(size)
        open_years = [y for y in range(7) if any(
            capacity[f"{YEAR_CODES[y]}{letter}"] for letter in spec.class_letters)]
        years = rng.sample(open_years, min(size, len(open_years)))
        family.children = family.children[: len(years)]
        for child, year in zip(family.children, sorted(years, reverse=True), strict=True):
            classes = [f"{YEAR_CODES[year]}{letter}" for letter in spec.class_letters]
            best = max(capacity[c] for c in classes)
            child.class_name = rng.choice([c for c in classes if capacity[c] == best])
            child.year = year
            capacity[child.class_name] -= 1
        families.append(family)
    return families


def _consents(maker: _Maker, families: list[Family]) -> None:
    rng = maker.rng
    for family in families:
        attitude = rng.choices(("yes", "no", "blank", "mixed"), weights=(84, 6, 5, 5))[0]
        for child in family.children:
            mood = rng.choice(("yes", "yes", "no", "blank")) if attitude == "mixed" else attitude
            photo = {"yes": "Yes", "no": "No", "blank": ""}[mood]
            child.consent = {"event": photo}
            for category, chance in (("website", 0.85), ("social", 0.7), ("press", 0.6)):
                roll = rng.random()
                yes = roll < chance and photo == "Yes"
                child.consent[category] = "Yes" if yes else ("" if roll > 0.95 else "No")
            if photo == "Yes" and child.year >= 3 and rng.random() < 0.03:
                child.expiry = EXPIRED
            elif photo == "Yes" and rng.random() < 0.2:
                child.expiry = f"31/08/{2027 + 6 - child.year}"
            if rng.random() < 0.08 and child.forename in NICKNAMES:
                child.preferred = NICKNAMES[child.forename]


def _demo_plan(maker: _Maker, families: list[Family]) -> None:
    """Infant classes shaped for the nativity: some fully consented, some with a few 'no'."""
    by_class: dict[str, list[Child]] = {}
    for family in families:
        for child in family.children:
            by_class.setdefault(child.class_name, []).append(child)
    for class_name in (*CLEAN_CLASSES, *RESTRICTED_CLASSES):
        for child in by_class.get(class_name, []):
            child.consent["event"] = "Yes"
            if child.expiry == EXPIRED:
                child.expiry = ""
    for class_name, answers in RESTRICTED_CLASSES.items():
        chosen = maker.rng.sample(by_class.get(class_name, []), len(answers))
        for child, answer in zip(chosen, answers, strict=True):
            if answer == "expired":
                child.expiry = EXPIRED
            else:
                child.consent["event"] = answer


def generate_families(spec: SchoolSpec = SchoolSpec()) -> list[Family]:
    """Every family of the school, children placed in classes, consents and admission numbers."""
    maker = _Maker(spec.seed)
    families = _place(maker, spec)
    _consents(maker, families)
    if spec.demo_consent_plan:
        _demo_plan(maker, families)
    children = [c for f in families for c in f.children]
    maker.rng.shuffle(children)
    children.sort(key=lambda c: -c.year)
    for number, child in enumerate(children, start=1001):
        child.adno = f"{number:06d}"
    return families


def _phone(rng: random.Random, phone: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return phone.replace(" ", "")
    if roll < 0.25:
        return "+44 " + phone[1:]
    return phone


def roster_rows(families: list[Family], seed: int = DEMO_SEED) -> list[list[str]]:
    """The export's rows (without header), ordered by registration group then name."""
    rng = random.Random(seed + 1)
    rows = []
    for family in families:
        for child in family.children:
            contacts = list(family.guardians)
            if len(contacts) == 2 and rng.random() < 0.2:
                contacts.reverse()
            cells = [
                child.adno, child.surname, child.forename, child.preferred, child.class_name,
                YEARS[child.year], child.consent["event"], child.consent["website"],
                child.consent["social"], child.consent["press"], child.expiry,
            ]
            for guardian in [*contacts, None][:2]:
                if guardian is None:
                    cells += [""] * 5
                    continue
                email = guardian.email or ""
                if email and rng.random() < 0.1:
                    email = email[0].upper() + email[1:]
                cells += [guardian.forename, guardian.surname, guardian.relationship, email,
                          _phone(rng, guardian.phone)]
            rows.append(cells)
    rows.sort(key=lambda r: (YEARS.index(r[5]), r[4], r[1], r[2], r[0]))
    return rows


def roster_csv(spec: SchoolSpec = SchoolSpec()) -> bytes:
    """The whole export as Excel's "CSV UTF-8" writes it: BOM, CRLF, minimal quoting."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(roster_rows(generate_families(spec), spec.seed))
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
