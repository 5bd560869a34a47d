"""Import pupils, families, guardians and consents from a school MIS export (CSV or .xlsx).

`import_roster(store, path, now=...)` is the whole job; `read_roster(bytes)` only reads
and checks a file. The pipeline: table (file type, delimiter, header row) -> headers
(fields) -> parse (rows, consent vocabulary) -> gather (rows of one pupil) -> plan
(families, ids, leavers, consents against the store) -> apply (one transaction).
"""

from __future__ import annotations

from kiosk.roster.apply import import_roster
from kiosk.roster.errors import RosterError, RosterRejected
from kiosk.roster.headers import FIELDS, NAME_PART_FIELDS
from kiosk.roster.parse import ParsedRoster, read_roster
from kiosk.roster.plan import SCHOOL_RECORD
from kiosk.roster.report import ConsentChange, PupilChange, RosterReport

__all__ = [
    "FIELDS",
    "NAME_PART_FIELDS",
    "SCHOOL_RECORD",
    "ConsentChange",
    "ParsedRoster",
    "PupilChange",
    "RosterError",
    "RosterRejected",
    "RosterReport",
    "import_roster",
    "read_roster",
]
