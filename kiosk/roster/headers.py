"""Map the headers of an MIS export (SIMS, Arbor, Bromcom style) to the roster's fixed fields.

Headers are compared case-, space- and punctuation-insensitively ("Reg Group", "reg_group"
and "REGGROUP" are the same). A header spelled exactly as a field always maps to it;
`--map "Header=field"` maps anything else. When several headers fit one field, the most
specific spelling wins (e.g. "Adno" over "UPN") and the others are reported as ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kiosk.roster.errors import RosterError

CONSENT_FIELDS = {
    "consent_event_recording": "event_recording",
    "consent_website": "website",
    "consent_social_media": "social_media",
    "consent_press": "press",
}
GUARDIAN_PARTS = ("name", "relationship", "email", "phone")
FIELDS: tuple[str, ...] = (
    "pupil_id", "first_name", "preferred_name", "surname", "class", "year_group",
    *CONSENT_FIELDS, "consent_expires", "family_id",
    *(f"guardian{n}_{part}" for n in (1, 2) for part in GUARDIAN_PARTS),
)
# Accepted by --map too: a guardian's forename and surname in separate columns are joined.
NAME_PART_FIELDS: tuple[str, ...] = tuple(
    f"guardian{n}_{part}" for n in (1, 2) for part in ("forename", "surname")
)
REQUIRED = ("pupil_id", "first_name", "surname", "class", "consent_event_recording")

_PUPIL_ALIASES: dict[str, tuple[str, ...]] = {
    "pupil_id": (
        "adno", "admissionnumber", "admissionno", "admno", "misid", "studentid", "pupilno",
        "pupilnumber", "personid", "upn", "id",
    ),
    "first_name": (
        "forename", "legalforename", "firstname", "legalfirstname", "givenname", "forenames",
        "studentforename", "pupilforename", "studentfirstname", "pupilfirstname",
    ),
    "preferred_name": (
        "preferredforename", "preferredfirstname", "preferredname", "knownas", "chosenname",
        "studentpreferredforename", "pupilpreferredforename",
    ),
    "surname": (
        "legalsurname", "surname", "lastname", "familyname", "studentsurname", "pupilsurname",
        "legallastname", "preferredsurname",
    ),
    "class": (
        "reggroup", "registrationgroup", "regform", "regclass", "registrationclass", "classname",
        "formgroup", "form", "tutorgroup", "reg",
    ),
    "year_group": (
        "yeargroup", "ncyear", "ncyeargroup", "nationalcurriculumyear", "curriculumyear", "year",
        "yr",
    ),
    "consent_event_recording": (
        "photoconsent", "photographstudent", "photographpupil", "photographconsent",
        "photographyconsent", "photopermission", "photographpermission", "eventrecordingconsent",
        "eventrecording", "filmingconsent", "videoconsent", "recordingconsent",
        "photoandvideoconsent", "photographsconsent", "photosconsent", "photographs",
    ),
    "consent_website": (
        "websiteconsent", "websitephotoconsent", "photowebsite", "photoconsentwebsite",
        "websitephotos", "photosonwebsite", "website",
    ),
    "consent_social_media": (
        "socialmediaconsent", "socialmediaphotoconsent", "photosocialmedia",
        "photoconsentsocialmedia", "socialmedia",
    ),
    "consent_press": (
        "pressconsent", "pressphotoconsent", "photopress", "photoconsentpress",
        "newspaperconsent", "mediaconsent", "localpress", "press",
    ),
    "consent_expires": (
        "consentexpires", "consentexpiry", "consentexpirydate", "consentvaliduntil",
        "photoconsentexpiry", "photoconsentexpires", "photoconsentexpirydate", "consentenddate",
        "consentreviewdate",
    ),
    "family_id": (
        "familyid", "householdid", "familycode", "familyreference", "householdreference",
        "family", "household",
    ),
}
# Where {n} is the contact number (1 or 2) and {s} one of the suffixes below.
_GUARDIAN_TEMPLATES = (
    "contact{n}{s}", "contact{s}{n}", "parent{n}{s}", "parent{s}{n}", "guardian{n}{s}",
    "guardian{s}{n}", "carer{n}{s}", "parentcarer{n}{s}", "priority{n}contact{s}",
    "priority{n}{s}", "contactpriority{n}{s}",
)
_GUARDIAN_ORDINALS = {1: ("primarycontact{s}", "firstcontact{s}"),
                      2: ("secondarycontact{s}", "secondcontact{s}")}
_GUARDIAN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname"),
    "forename": ("forename", "firstname", "givenname"),
    "surname": ("surname", "lastname", "familyname"),
    "relationship": (
        "relationship", "relation", "relationshiptostudent", "relationshiptopupil",
        "relationshiptochild",
    ),
    "email": ("email", "emailaddress", "mainemail", "primaryemail"),
    "phone": (
        "mobile", "mobilephone", "mobilenumber", "mobiletelephone", "phone", "phonenumber",
        "telephone", "telephonenumber", "tel", "mainphone", "primaryphone", "homephone",
    ),
}


def normalise_header(text: str) -> str:
    """The comparison key of a header: lower case letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _alias_table() -> dict[str, tuple[str, int]]:
    """Normalised spelling -> (field, rank); rank 0 is the field's own name."""
    table: dict[str, tuple[str, int]] = {}

    def add(spelling: str, target: str, rank: int) -> None:
        table.setdefault(spelling, (target, rank))

    for name in (*FIELDS, *NAME_PART_FIELDS):
        add(normalise_header(name), name, 0)
    for target, spellings in _PUPIL_ALIASES.items():
        for rank, spelling in enumerate(spellings, start=1):
            add(spelling, target, rank)
    for n in (1, 2):
        templates = (*_GUARDIAN_TEMPLATES, *_GUARDIAN_ORDINALS[n])
        for part, suffixes in _GUARDIAN_SUFFIXES.items():
            if part == "name":
                suffixes = (*suffixes, "")
            for t_rank, template in enumerate(templates):
                for s_rank, suffix in enumerate(suffixes):
                    spelling = template.format(n=n, s=suffix)
                    add(spelling, f"guardian{n}_{part}", 1 + t_rank * 20 + s_rank)
    return table


ALIASES = _alias_table()


@dataclass(frozen=True)
class HeaderMapping:
    """Which column holds which field, and which columns were left out (with why)."""

    columns: dict[str, int]
    headers: tuple[str, ...]
    ignored: tuple[tuple[str, str], ...] = ()
    mapped: dict[str, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        """True when some column holds field `name`."""
        return name in self.columns


def parse_overrides(items: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    """Turn `--map "Header Name=field"` strings into {normalised header: field}."""
    pairs = items.items() if isinstance(items, Mapping) else (_split(item) for item in items)
    overrides: dict[str, str] = {}
    allowed = (*FIELDS, *NAME_PART_FIELDS)
    for header, target in pairs:
        target = target.strip()
        if target not in allowed:
            raise RosterError(
                f"--map {header}={target}: {target!r} is not a roster field; "
                f"the fields are {', '.join(FIELDS)}."
            )
        key = normalise_header(header)
        if not key:
            raise RosterError(f"--map {header}={target}: the column name is empty.")
        overrides[key] = target
    return overrides


def _split(item: str) -> tuple[str, str]:
    if "=" not in item:
        raise RosterError(f'--map {item!r} must look like "Header Name=field".')
    header, target = item.rsplit("=", 1)
    return header, target


def map_headers(headers: Sequence[str], overrides: Mapping[str, str]) -> HeaderMapping:
    """Decide the column of every field present; raise RosterError if a required one is missing."""
    keys = [normalise_header(h) for h in headers]
    for key, target in overrides.items():
        if key not in keys:
            raise RosterError(
                f"--map names a column that is not in the file: {key!r} (for {target})."
            )
    candidates: dict[str, list[tuple[int, int]]] = {}
    ignored: list[tuple[str, str]] = []
    for index, key in enumerate(keys):
        if key in overrides:
            candidates.setdefault(overrides[key], []).append((-1, index))
        elif key in ALIASES:
            target, rank = ALIASES[key]
            candidates.setdefault(target, []).append((rank, index))
        elif headers[index].strip():
            ignored.append((headers[index], "not a roster field"))
    columns: dict[str, int] = {}
    for target, found in candidates.items():
        found.sort()
        columns[target] = found[0][1]
        for _, index in found[1:]:
            ignored.append((headers[index], f"{target} is taken from {headers[found[0][1]]!r}"))
    for n in (1, 2):
        if f"guardian{n}_name" in columns:
            for part in ("forename", "surname"):
                index = columns.pop(f"guardian{n}_{part}", None)
                if index is not None:
                    ignored.append((headers[index], f"guardian{n}_name is given whole"))
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RosterError(
            f"The file has no column for {', '.join(missing)}; "
            f'name the column with --map "Header Name={missing[0]}".'
        )
    order = sorted(columns.items(), key=lambda pair: pair[1])
    return HeaderMapping(
        columns=dict(order),
        headers=tuple(headers),
        ignored=tuple(sorted(ignored, key=lambda pair: headers.index(pair[0]))),
        mapped={headers[index]: target for target, index in order},
    )
